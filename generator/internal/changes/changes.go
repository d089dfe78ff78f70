// Package changes compares two versions of the records (the data at a git
// revision and the data now, say) and says what changed for a reader:
// problems opened, rectified, closed, reopened, newly overdue, extended or
// removed, status moves that no history entry explains, and the rates of
// each district before and after. The report renders as Markdown for a
// pull-request comment and as JSON; the same inputs give the same bytes.
//
// Guard gives the two changes that are errors rather than news — a problem
// deleted, a status moved back without a word — as positioned diagnostics
// for `check --since`.
package changes

import (
	"github.com/xuncha/bulletin/generator/internal/pageurl"
	"slices"

	"github.com/xuncha/bulletin/generator/internal/aggregate"
	"github.com/xuncha/bulletin/generator/internal/calendar"
	"github.com/xuncha/bulletin/generator/internal/deadline"
	"github.com/xuncha/bulletin/generator/internal/diag"
	"github.com/xuncha/bulletin/generator/internal/edition"
	"github.com/xuncha/bulletin/generator/internal/model"
	"github.com/xuncha/bulletin/generator/internal/view"
)

// Side is one version of the records as check gave it (check.Records):
// as_of set, visibility normalised. Compare does not modify it.
type Side struct {
	Label    string // how the report names it: a short commit hash, "working tree" …
	Data     *model.Data
	Calendar *calendar.Calendar // nil: the calendar of Data's site.yaml
}

// Report is what changed from one version to the other. Lists are in the
// order of the records (districts by id, rounds by number, problems as
// written), removed problems in the order of the older version.
type Report struct {
	// Edition is edition.InternalEdition for Compare's report, which names
	// every problem; edition.PublicEdition for Public's, which names none of the
	// internal ones and counts them in Internal.
	Edition   edition.Edition `json:"edition"`
	From      SideInfo        `json:"from"`
	To        SideInfo        `json:"to"`
	BaseURL   string          `json:"base_url"` // of the newer version's site.yaml
	Overall   Figures         `json:"overall"`
	Districts []DistrictDelta `json:"districts"`

	Opened       []Problem `json:"opened"`        // new problem ids
	Rectified    []Problem `json:"rectified"`     // now rectified, before not completed
	Closed       []Problem `json:"closed"`        // now closed, before not closed
	Reopened     []Problem `json:"reopened"`      // completed before, pending or in_progress now
	NewlyOverdue []Problem `json:"newly_overdue"` // overdue now (at the newer as_of), not before (at the older)
	Extended     []Problem `json:"extended"`      // a new approved extension
	Unexplained  []Problem `json:"unexplained"`   // status moved back without a new history entry saying why
	Removed      []Problem `json:"removed"`       // in the older version, not in the newer

	Internal *InternalCounts `json:"internal_counts,omitempty"` // public edition: internal problems counted, not listed
}

// SideInfo names one side of the report.
type SideInfo struct {
	Label string `json:"label"`
	AsOf  string `json:"as_of"`
}

// Figures are found, rectified, rate and overdue before and after.
type Figures struct {
	Before *Totals `json:"before"` // nil: not in that version
	After  *Totals `json:"after"`
}

// Totals are the figures of one version.
type Totals struct {
	Found     *int     `json:"found"`     // null: not published
	Rectified *int     `json:"rectified"` // null: not published
	Rate      *float64 `json:"rate"`      // percent, one decimal; null when it cannot be computed
	RateText  string   `json:"rate_text"`
	Overdue   *int     `json:"overdue"` // null: unknown
}

// Changed reports whether any figure differs (or one side is missing).
func (f Figures) Changed() bool {
	if f.Before == nil || f.After == nil {
		return f.Before != f.After
	}
	b, a := *f.Before, *f.After
	return !sameInt(b.Found, a.Found) || !sameInt(b.Rectified, a.Rectified) || b.RateText != a.RateText || !sameInt(b.Overdue, a.Overdue)
}

func sameInt(a, b *int) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// DistrictDelta is one district's figures before and after.
type DistrictDelta struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	URL  string `json:"url"` // the district's page
	Figures
}

// Problem is one problem in a list of the report.
type Problem struct {
	District     string   `json:"district"`
	DistrictName string   `json:"district_name"`
	Round        string   `json:"round"`
	Problem      string   `json:"problem"`
	Title        string   `json:"title"`
	From         string   `json:"from"` // status before ("" for a new problem)
	To           string   `json:"to"`   // status after ("" for a removed problem)
	Due          string   `json:"due"`  // the due date it is judged against now (before, for a removed one)
	PrevDue      string   `json:"prev_due,omitempty"`
	Internal     bool     `json:"internal"` // only in the internal edition: no public page
	URL          string   `json:"url"`      // its page on the public site; "" for an internal problem
	Pos          diag.Pos `json:"-"`        // where a diagnostic about it goes
}

// Compare computes the report from old to new. Both sides must have passed
// check; neither is modified.
func Compare(old, new Side) *Report {
	oldB, newB := bulletin(old), bulletin(new)
	r := &Report{
		Edition: edition.InternalEdition,
		From:    SideInfo{Label: old.Label, AsOf: old.Data.Site.AsOf.String()},
		To:      SideInfo{Label: new.Label, AsOf: new.Data.Site.AsOf.String()},
		BaseURL: new.Data.Site.BaseURL,
		Overall: Figures{Before: totals(oldB.Home.Totals), After: totals(newB.Home.Totals)},
	}
	if r.BaseURL == "" {
		r.BaseURL = old.Data.Site.BaseURL
	}
	r.Districts = districtDeltas(oldB, newB)

	oldIdx := index(old.Data)
	for _, np := range problems(new.Data) {
		op, ok := oldIdx[np.key()]
		item := r.item(np, new.Data.Site)
		if !ok {
			r.Opened = append(r.Opened, item)
			if state(np.p, new.Data.Site) == deadline.Overdue {
				r.NewlyOverdue = append(r.NewlyOverdue, item)
			}
			continue
		}
		item.From = string(op.p.Status)
		was, is := op.p.Status, np.p.Status
		switch {
		case is == model.Rectified && !was.Completed():
			r.Rectified = append(r.Rectified, item)
		case is == model.Closed && was != model.Closed:
			r.Closed = append(r.Closed, item)
		case was.Completed() && is.Open():
			r.Reopened = append(r.Reopened, item)
		}
		if MovedBack(was, is) && !Explained(op.p, np.p) {
			r.Unexplained = append(r.Unexplained, item)
		}
		if state(np.p, new.Data.Site) == deadline.Overdue && state(op.p, old.Data.Site) != deadline.Overdue {
			r.NewlyOverdue = append(r.NewlyOverdue, item)
		}
		if newExtension(op.p, np.p) {
			prev, _ := deadline.ProblemDue(op.p, old.Data.Site.Deadlines)
			item.PrevDue = prev.String()
			r.Extended = append(r.Extended, item)
		}
	}
	newIdx := index(new.Data)
	for _, op := range problems(old.Data) {
		if _, ok := newIdx[op.key()]; ok {
			continue
		}
		item := r.item(op, old.Data.Site)
		item.From, item.To = string(op.p.Status), ""
		item.Pos = removedPos(op, new.Data)
		r.Removed = append(r.Removed, item)
	}
	return r
}

// MovedBack reports whether a status change goes backwards: out of the
// completed statuses (rectified, closed) into any other, or from closed
// back to rectified. Such a move lowers the rectified figures, and
// 整改不到位，问题不销号 wants a reason on record.
func MovedBack(was, is model.Status) bool {
	return (was.Completed() && !is.Completed()) || (was == model.Closed && is == model.Rectified)
}

// Explained reports whether the newer version of a problem explains its
// current status with a history entry the older version did not have: the
// last entry is new (beyond the older history), has the current status, and
// says why (a note, the revisit round that reopened the problem, or a
// returned review the older version did not have).
func Explained(old, new *model.Problem) bool {
	n := len(new.History)
	if n == 0 || n <= len(old.History) {
		return false
	}
	last := new.History[n-1]
	if last.Status != new.Status {
		return false
	}
	for _, h := range old.History {
		if sameEntry(h, last) {
			return false
		}
	}
	return last.Note != "" || last.Revisit != "" || newlyReturned(old, new)
}

// newlyReturned reports whether new has a returned review that old has not.
func newlyReturned(old, new *model.Problem) bool {
	for _, r := range new.Reviews {
		if r.Result != "returned" {
			continue
		}
		if !slices.ContainsFunc(old.Reviews, func(o model.Review) bool { return o.Date.Equal(r.Date) && o.Result == r.Result }) {
			return true
		}
	}
	return false
}

// Guard lists, as errors, the changes from old to new that the records may
// not make: a problem that disappears (reported at the round file that used
// to hold it, line 1, or at that file's path when the file is gone) and a
// status that moves back without a new history entry saying why (reported at
// the problem's status).
func Guard(old, new *model.Data) diag.List {
	var errs diag.List
	oldIdx := index(old)
	for _, np := range problems(new) {
		op, ok := oldIdx[np.key()]
		if !ok {
			continue
		}
		rewrittenHistory(&errs, op, np)
		if !MovedBack(op.p.Status, np.p.Status) || Explained(op.p, np.p) {
			continue
		}
		add(&errs, op.internal() || np.internal())(np.p.At("status"),
			"%s of round %q: status moved back from %s to %s without a new history entry saying why: add one at the end of its history (date, status: %s, note: the reason)",
			diag.Named{Kind: "problem", ID: diag.Value(np.p.ID)}, np.round.ID, op.p.Status, np.p.Status, np.p.Status)
	}
	newIdx := index(new)
	for _, op := range problems(old) {
		if _, ok := newIdx[op.key()]; ok {
			continue
		}
		add(&errs, op.internal())(removedPos(op, new),
			"%s of round %q was removed; problems are never deleted (整改不到位，问题不销号): set its status instead",
			diag.Named{Kind: "problem", ID: diag.Value(op.p.ID)}, op.round.ID)
	}
	return errs.Sort()
}

// add is how an error about a problem is added: without its id or text
// when the problem is internal matter.
func add(errs *diag.List, internal bool) func(diag.Pos, string, ...any) {
	if internal {
		return errs.AddInternal
	}
	return errs.Add
}

// internal reports whether the problem is internal matter in its version.
func (r ref) internal() bool { return edition.Internal(r.round, r.p) }

// ref is a problem with where it is.
type ref struct {
	dist  *model.District
	round *model.Round
	p     *model.Problem
}

func (r ref) key() string { return r.dist.ID + "/" + r.round.ID + "/" + r.p.ID }

// problems lists every problem of d in the order of the records.
func problems(d *model.Data) []ref {
	var out []ref
	if d == nil {
		return nil
	}
	for _, dist := range d.Districts {
		for _, r := range dist.Rounds {
			for _, p := range r.Problems {
				out = append(out, ref{dist, r, p})
			}
		}
	}
	return out
}

// index maps each problem's district/round/problem ids to it (the first,
// should an id be listed twice).
func index(d *model.Data) map[string]ref {
	m := map[string]ref{}
	for _, r := range problems(d) {
		if _, dup := m[r.key()]; !dup {
			m[r.key()] = r
		}
	}
	return m
}

// removedPos is where a removed problem is reported: the round file of the
// newer version with the same district and round id, else the path of the
// older version's round file (the file was deleted or renamed).
func removedPos(op ref, new *model.Data) diag.Pos {
	file := op.round.File
	if new != nil {
		for _, d := range new.Districts {
			if d.ID != op.dist.ID {
				continue
			}
			for _, r := range d.Rounds {
				if r.ID == op.round.ID {
					file = r.File
				}
			}
		}
	}
	return diag.Pos{File: file, Line: 1, Col: 1}
}

func (r *Report) item(x ref, site *model.Site) Problem {
	due, _ := deadline.ProblemDue(x.p, site.Deadlines)
	internal := edition.Internal(x.round, x.p)
	it := Problem{
		District: x.dist.ID, DistrictName: x.dist.Name, Round: x.round.ID, Problem: x.p.ID, Title: x.p.Title,
		To: string(x.p.Status), Due: due.String(), Internal: internal, Pos: x.p.At("status"),
	}
	if !internal && r.BaseURL != "" {
		it.URL = r.BaseURL + pageurl.Problem(x.dist.ID, x.round.ID, x.p.ID)
	}
	return it
}

func state(p *model.Problem, site *model.Site) deadline.State {
	due, _ := deadline.ProblemDue(p, site.Deadlines)
	return deadline.StateOf(p.Status, due, site.AsOf, site.Deadlines.DueSoonDays)
}

// newExtension reports whether the newer version has an approved extension
// the older did not: its latest extension (the one deadline.ProblemDue
// judges it by) differs.
func newExtension(old, new *model.Problem) bool {
	n := deadline.LatestExtension(new)
	if n == nil {
		return false
	}
	o := deadline.LatestExtension(old)
	return o == nil || !o.Approved.Equal(n.Approved) || !o.Due.Equal(n.Due)
}

// bulletin computes the internal edition's figures of a side.
func bulletin(s Side) *view.Bulletin {
	cal := s.Calendar
	if cal == nil {
		cal = calendar.New(s.Data.Site.Calendar)
	}
	return aggregate.Compute(aggregate.Input{Data: s.Data, Calendar: cal, Edition: edition.InternalEdition})
}

func totals(t view.Totals) *Totals {
	return &Totals{Found: t.Found, Rectified: t.Rectified, Rate: t.Rate, RateText: t.RateText, Overdue: t.Overdue}
}

// districtDeltas pairs the districts of both versions by id, in id order.
func districtDeltas(oldB, newB *view.Bulletin) []DistrictDelta {
	byID := map[string]*DistrictDelta{}
	var ids []string
	get := func(row view.DistrictRow) *DistrictDelta {
		d := byID[row.ID]
		if d == nil {
			d = &DistrictDelta{ID: row.ID}
			byID[row.ID] = d
			ids = append(ids, row.ID)
		}
		d.Name, d.URL = row.Name, row.URL
		return d
	}
	for _, row := range oldB.Home.Districts {
		get(row).Before = totals(row.Totals)
	}
	for _, row := range newB.Home.Districts {
		get(row).After = totals(row.Totals)
	}
	slices.Sort(ids)
	out := []DistrictDelta{}
	for _, id := range ids {
		out = append(out, *byID[id])
	}
	return out
}
