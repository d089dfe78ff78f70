package aggregate

import (
	"sort"

	"github.com/xuncha/bulletin/generator/internal/model"
	"github.com/xuncha/bulletin/generator/internal/view"
)

// summaryFigures are the counts of a summary with their keys.
func summaryFigures(s *model.Summary) []struct {
	key string
	n   *int
} {
	return []struct {
		key string
		n   *int
	}{
		{"found", s.Found}, {"rectified", s.Rectified}, {"basically_done", s.BasicallyDone},
		{"in_progress", s.InProgress}, {"not_done", s.NotDone}, {"long_term", s.LongTerm},
		{"overdue", s.Overdue}, {"extended", s.Extended}, {"measures", s.Measures},
		{"measures_done", s.MeasuresDone},
	}
}

// bucketKeys are the status buckets of a summary: the parts of found.
var bucketKeys = map[string]bool{"rectified": true, "basically_done": true, "in_progress": true, "not_done": true, "long_term": true}

// published is a round's summary as its source prints it: every figure in
// the order the record (copying the notice) gives them, the rate with its
// own digits, and the status buckets as parts of found for a bar.
func published(r *model.Round) *view.Published {
	s := r.Summary
	if s == nil {
		return nil
	}
	p := &view.Published{Found: s.Found, Rate: s.Rate, Basis: s.Basis, AsOf: s.AsOf.String(), Listing: r.Listing}
	if p.Basis == "" {
		p.Basis = model.BasisProblems
	}
	if s.Rate != "" {
		p.RateText = s.Rate + "%"
	}
	type item struct {
		line, col int
		fig       view.PublishedFigure
	}
	var items []item
	for _, f := range summaryFigures(s) {
		if f.n == nil {
			continue
		}
		pos := s.At(f.key)
		items = append(items, item{pos.Line, pos.Col, view.PublishedFigure{Key: f.key, Count: f.n, Text: FormatNumber(float64(*f.n))}})
	}
	if s.Rate != "" {
		pos := s.At("rate")
		items = append(items, item{pos.Line, pos.Col, view.PublishedFigure{Key: "rate", Text: p.RateText}})
	}
	sort.SliceStable(items, func(i, j int) bool {
		if items[i].line != items[j].line {
			return items[i].line < items[j].line
		}
		return items[i].col < items[j].col
	})
	for _, it := range items {
		p.Figures = append(p.Figures, it.fig)
		if bucketKeys[it.fig.Key] && s.Found != nil {
			p.Buckets = append(p.Buckets, count(it.fig.Key, *it.fig.Count, *s.Found))
		}
	}
	offsets(p.Buckets)
	return p
}
