// Package notices is the notices phase: the dated notices (通报). Every
// as_of the office published is a notice citizens may cite, holding the
// figures as they stood at the last data commit with that as_of. The commit
// is read from git and checked (check.Revision) and its figures computed as
// the site's pages compute them (package aggregate), in the edition being
// built. A notice carries nothing of the current data, so later versions
// never change its page.
package notices

import (
	"fmt"
	"github.com/xuncha/bulletin/generator/internal/pageurl"
	"sort"

	"github.com/xuncha/bulletin/generator/internal/aggregate"
	"github.com/xuncha/bulletin/generator/internal/check"
	"github.com/xuncha/bulletin/generator/internal/edition"
	"github.com/xuncha/bulletin/generator/internal/gitrepo"
	"github.com/xuncha/bulletin/generator/internal/history"
	"github.com/xuncha/bulletin/generator/internal/load"
	"github.com/xuncha/bulletin/generator/internal/markdown"
	"github.com/xuncha/bulletin/generator/internal/model"
	"github.com/xuncha/bulletin/generator/internal/view"
)

// Pick is a notice to make: an as_of and the last data commit with it.
type Pick struct {
	AsOf   string
	Commit string
	Date   string // the commit's date
}

// Picks returns the last point with each as_of, newest as_of first. The
// points are the history's valid versions, oldest first.
func Picks(points []history.Point) []Pick {
	last := map[string]history.Point{}
	for _, p := range points {
		last[p.AsOf] = p
	}
	out := make([]Pick, 0, len(last))
	for asOf, p := range last {
		out = append(out, Pick{AsOf: asOf, Commit: p.Commit, Date: p.Date})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].AsOf > out[j].AsOf })
	return out
}

// Make computes the notice of each pick in edition ed, reading its commit
// from r; opts go to the loader (the history scan's record cache, which
// holds most of a recent commit's files already parsed). The public
// edition's figures come from edition.Redact of the records, as every
// public page's do.
func Make(r *gitrepo.Repo, picks []Pick, ed edition.Edition, opts ...load.Option) ([]*view.Notice, error) {
	md := markdown.New()
	out := make([]*view.Notice, 0, len(picks))
	for _, p := range picks {
		v, errs, err := check.Revision(r, p.Commit, model.Date{}, opts...)
		if err != nil {
			return nil, fmt.Errorf("notice of %s: %w", p.AsOf, err)
		}
		if len(errs) > 0 { // the history found it valid: the same check cannot disagree
			return nil, fmt.Errorf("notice of %s: commit %s does not pass check: %v", p.AsOf, p.Commit, errs[0])
		}
		out = append(out, notice(v.Checked, p, ed, md))
	}
	return out, nil
}

func notice(c *check.Checked, p Pick, ed edition.Edition, md *markdown.Renderer) *view.Notice {
	data := c.Data
	if ed.Public() {
		ed = edition.PublicEdition
		data = edition.Redact(data)
	}
	b := aggregate.Compute(aggregate.Input{Data: data, Calendar: c.Calendar, Markdown: md, Edition: ed, TotalsOnly: true})
	n := &view.Notice{
		AsOf: p.AsOf, Commit: p.Commit, CommitShort: p.Commit[:min(12, len(p.Commit))], CommitDate: p.Date,
		URL: pageurl.Notice(p.AsOf), CompareURL: pageurl.NoticeCompare(p.AsOf),
		Title: b.Site.Title, Publisher: b.Site.Publisher, Contact: b.Site.Contact,
		Totals: b.Home.Totals, Rows: b.Home.Districts,
	}
	for _, d := range b.Home.Districts {
		if !d.Illustrative {
			n.Districts++
			n.District = d.Name
		}
	}
	if n.Districts != 1 {
		n.District = ""
	}
	return n
}

// Rows lists the notices for the home page, newest as_of first.
func Rows(ns []*view.Notice) []view.NoticeRow {
	out := make([]view.NoticeRow, 0, len(ns))
	for _, n := range ns {
		row := view.NoticeRow{AsOf: n.AsOf, URL: n.URL}
		if n.Totals.RateComplete { // never a bare rate over a part of the problems found
			row.RateText = n.Totals.RateText
		}
		out = append(out, row)
	}
	return out
}

// Compare sets notice n beside the current Bulletin b: overall, and district
// by district (the current table's order, then the districts the notice has
// and the data no longer does).
func Compare(n *view.Notice, b *view.Bulletin) view.NoticeCompare {
	c := view.NoticeCompare{
		Notice: view.Link{ID: n.AsOf, Title: n.AsOf, URL: n.URL},
		AsOf:   b.Site.AsOf, Then: n.Totals, Now: b.Home.Totals,
	}
	then := map[string]view.DistrictRow{}
	for _, r := range n.Rows {
		then[r.ID] = r
	}
	seen := map[string]bool{}
	for _, r := range b.Home.Districts {
		now := r.Totals
		row := view.CompareRow{Link: r.Link, Name: r.Name, Now: &now}
		if t, ok := then[r.ID]; ok {
			tt := t.Totals
			row.Then = &tt
		}
		seen[r.ID] = true
		c.Rows = append(c.Rows, row)
	}
	for _, r := range n.Rows {
		if !seen[r.ID] {
			tt := r.Totals
			row := view.CompareRow{Link: r.Link, Name: r.Name, Then: &tt}
			if edition.Edition(b.Site.Edition).Public() {
				// A district no longer published keeps its past figures on
				// this living page but not its name (the retraction rule of
				// the history page); the dated notice itself stays as it was.
				row.Link, row.Name = view.Link{}, edition.RetractedDistricts
			}
			c.Rows = append(c.Rows, row)
		}
	}
	return c
}
