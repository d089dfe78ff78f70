package validate

import (
	"fmt"
	"strings"

	"github.com/xuncha/bulletin/generator/internal/model"
	"github.com/xuncha/bulletin/generator/internal/rate"
)

// bucket is one status bucket of a published summary and the listed
// problems it must at least cover.
type bucket struct {
	key    string
	n      *int
	listed int
	what   string // the listed problems, for messages
}

// summary checks a round's published figures (DATA-FORMAT.md part 2): the
// buckets against found, the printed rate against the counts it is
// computed from, measures_done against measures, and every figure against
// the problems listed in the round.
func (c *checker) summary(who string, s *model.Summary, listedAll int, listed map[model.Status]int) {
	completed := listed[model.Rectified] + listed[model.Closed]
	// not_done is 未完成 not split into pending and in progress: it covers
	// the listed in-progress problems too unless in_progress is given.
	notDone, notDoneWhat := listed[model.Pending], "pending"
	if s.InProgress == nil {
		notDone, notDoneWhat = notDone+listed[model.InProgress], "pending or in_progress"
	}
	buckets := []bucket{
		{"rectified", s.Rectified, completed, "rectified or closed"},
		{"basically_done", s.BasicallyDone, listed[model.BasicallyDone], "basically_done"},
		{"in_progress", s.InProgress, listed[model.InProgress], "in_progress"},
		{"not_done", s.NotDone, notDone, notDoneWhat},
		{"long_term", s.LongTerm, listed[model.LongTerm], "long_term"},
	}

	// Listed problems bound the summary.
	if s.Found != nil && *s.Found < listedAll {
		c.add(s.At("found"), "%s: summary.found %d is less than the %d problems listed", who, *s.Found, listedAll)
	}
	for _, b := range buckets {
		if b.n != nil && *b.n < b.listed {
			c.add(s.At(b.key), "%s: summary.%s %d is less than the %d listed problems that are %s", who, b.key, *b.n, b.listed, b.what)
		}
	}

	// The buckets given add up to at most found; all five, to exactly found.
	sum, given := 0, 0
	var names []string
	for _, b := range buckets {
		if b.n != nil {
			sum += *b.n
			given++
			names = append(names, fmt.Sprintf("%s %d", b.key, *b.n))
		}
	}
	if s.Found != nil && given > 0 {
		switch {
		case sum > *s.Found && given == 1:
			c.add(s.At(names0key(buckets)), "%s: summary.%s is more than summary.found %d", who, names[0], *s.Found)
		case sum > *s.Found:
			c.add(s.At("found"), "%s: the buckets add up to %d (%s), more than summary.found %d", who, sum, strings.Join(names, " + "), *s.Found)
		case given == len(buckets) && sum != *s.Found:
			c.add(s.At("found"), "%s: all five buckets are given and add up to %d (%s), not summary.found %d: every problem is in exactly one of them", who, sum, strings.Join(names, " + "), *s.Found)
		}
	}

	if s.Measures != nil && s.MeasuresDone != nil && *s.MeasuresDone > *s.Measures {
		c.add(s.At("measures_done"), "%s: summary.measures_done %d is more than summary.measures %d", who, *s.MeasuresDone, *s.Measures)
	}
	if s.Overdue != nil && s.Found != nil && *s.Overdue > *s.Found {
		c.add(s.At("overdue"), "%s: summary.overdue %d is more than summary.found %d", who, *s.Overdue, *s.Found)
	}

	// The printed rate rounds from its counts at its own precision.
	if s.Rate != "" {
		num, den, what := s.Rectified, s.Found, "rectified ÷ found"
		if s.Basis == model.BasisMeasures {
			num, den, what = s.MeasuresDone, s.Measures, "measures_done ÷ measures"
		}
		if num != nil && den != nil {
			if agrees, want, ok := rate.Agrees(s.Rate, *num, *den); !ok {
				c.add(s.At("rate"), "%s: summary.rate %q cannot be checked: %s is %d ÷ 0", who, s.Rate, what, *num)
			} else if !agrees {
				c.add(s.At("rate"), "%s: summary.rate %q does not round from %s = %d ÷ %d, which is %s at the same precision: copy the rate and the counts exactly as printed", who, s.Rate, what, *num, *den, want)
			}
		}
	}
	c.notAfterAsOf(s.At("as_of"), who+": summary.as_of", s.AsOf)
}

// names0key is the key of the only bucket given.
func names0key(bs []bucket) string {
	for _, b := range bs {
		if b.n != nil {
			return b.key
		}
	}
	return "found"
}
