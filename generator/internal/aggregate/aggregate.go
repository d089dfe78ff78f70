// Package aggregate turns validated records into the data the templates get
// (package view): every total, rate, deadline and breakdown is computed here,
// never in a template. It is pure: the same model gives the same Bulletin,
// and nothing is read from disk, the clock or the network.
package aggregate

import (
	"github.com/xuncha/bulletin/generator/internal/edition"
	"github.com/xuncha/bulletin/generator/internal/pageurl"
	"sort"

	"github.com/xuncha/bulletin/generator/internal/calendar"
	"github.com/xuncha/bulletin/generator/internal/deadline"
	"github.com/xuncha/bulletin/generator/internal/markdown"
	"github.com/xuncha/bulletin/generator/internal/model"
	"github.com/xuncha/bulletin/generator/internal/view"
)

// Input is what Compute needs. Data must have passed validation and, for
// the public edition, have been through edition.Redact.
type Input struct {
	Data     *model.Data
	Calendar *calendar.Calendar
	Markdown *markdown.Renderer
	Edition  edition.Edition
	// PagesOf, when set, limits the page data to the districts it reports
	// true for (by id): the others get every figure and row (totals,
	// rounds, units, common problems: the Bulletin's JSON is the same) and
	// their ProblemPageCount, but no round, problem, unit or common-problem
	// pages, and no per-problem work beyond what the figures need. A shard
	// of a build spread over machines (build --shard I/N) computes only its
	// own districts' pages; the preview of one district, that district's.
	PagesOf func(district string) bool
	// TotalsOnly computes the figures and no problem pages at all (check's
	// report).
	TotalsOnly bool
}

type builder struct {
	Input
	asOf  model.Date
	rules model.Deadlines
}

// pages reports whether the page data of district d is wanted.
func (b *builder) pages(d *model.District) bool {
	return !b.TotalsOnly && (b.PagesOf == nil || b.PagesOf(d.ID))
}

func newBuilder(in Input) *builder {
	if in.Markdown == nil {
		in.Markdown = markdown.New()
	}
	return &builder{Input: in, asOf: in.Data.Site.AsOf, rules: in.Data.Site.Deadlines}
}

// EachDistrict computes the districts of in.Data one at a time, in order,
// each with its page data as Compute gives it (PagesOf and TotalsOnly
// apply), and hands each to fn as soon as it is computed; it stops at fn's
// first error. Each is the same as the district of Compute's Bulletin, but
// what fn does not keep of it is garbage before the next is computed:
// merge writes the search index and data/problems.csv from every problem
// with the page data of one district in memory at a time, and takes the
// site-wide figures from a Compute with TotalsOnly.
func EachDistrict(in Input, fn func(*view.District) error) error {
	b := newBuilder(in)
	for _, d := range in.Data.Districts {
		dv, _, _ := b.district(d)
		if err := fn(dv); err != nil {
			return err
		}
	}
	return nil
}

// Compute builds the Bulletin for one edition.
func Compute(in Input) *view.Bulletin {
	b := newBuilder(in)
	in = b.Input
	s := in.Data.Site
	out := &view.Bulletin{Site: view.Site{
		Title:               s.Title,
		Publisher:           s.Publisher,
		BaseURL:             s.BaseURL,
		AsOf:                s.AsOf.String(),
		Edition:             string(in.Edition),
		Internal:            !in.Edition.Public(),
		MeasuresWorkingDays: s.Deadlines.MeasuresWorkingDays,
		ReportMonths:        s.Deadlines.ReportMonths,
		DueSoonDays:         s.Deadlines.DueSoonDays,
		Contact:             contact(s.Contact),
	}}
	all := newTally()
	var outcomes figures
	var xunshi, xuncha bool
	for _, d := range in.Data.Districts {
		dv, dt, df := b.district(d)
		out.Districts = append(out.Districts, dv)
		for _, r := range dv.Rounds {
			xunshi, xuncha = xunshi || r.Xunshi, xuncha || !r.Xunshi
		}
		out.Home.Districts = append(out.Home.Districts, view.DistrictRow{
			Link: dv.Link, Name: dv.Name, Region: dv.Region, Illustrative: d.Illustrative, Totals: dv.Totals,
		})
		if d.Illustrative {
			continue // a made-up district never enters the figures citizens rely on
		}
		all.add(dt)
		outcomes.merge(df)
		out.Home.Surveys += len(dv.Surveys)
	}
	// The table leads with the districts that most need attention: most
	// overdue, then most due soon; otherwise in id order.
	sort.SliceStable(out.Home.Districts, func(i, j int) bool {
		if ri, rj := out.Home.Districts[i].Illustrative, out.Home.Districts[j].Illustrative; ri != rj {
			return rj // made-up districts last
		}
		a, b := out.Home.Districts[i].Totals, out.Home.Districts[j].Totals
		// Only a complete overdue figure ranks a district; the others
		// follow in id order of due soon.
		if oa, ob := rankOverdue(a), rankOverdue(b); oa != ob {
			return oa > ob
		}
		return a.DueSoon > b.DueSoon
	})
	out.Home.Totals = all.totals()
	out.Home.Outcomes = outcomes.list()
	out.Home.Inspection = inspection(xunshi, xuncha)
	return out
}

// inspection names what a site's rounds are (view.Home.Inspection).
func inspection(xunshi, xuncha bool) string {
	switch {
	case xunshi && xuncha:
		return "xunshi_xuncha"
	case xunshi:
		return "xunshi"
	}
	return "xuncha"
}

// rankOverdue is the overdue figure a district is ranked by: -1 when it
// is not complete.
func rankOverdue(t view.Totals) int {
	if !t.OverdueComplete || t.Overdue == nil {
		return -1
	}
	return *t.Overdue
}

// public reports whether a problem is shown in full in this edition.
func (b *builder) shown(p *model.Problem) bool {
	return !b.Edition.Public() || p.Visibility != model.Internal
}

// scope is what the pages of one district look up: built once per district.
type scope struct {
	d       *model.District
	link    view.Link
	rounds  map[string]*model.Round
	commons map[string]*model.CommonProblem
	units   map[string]*model.Unit
}

func newScope(d *model.District) *scope {
	sc := &scope{d: d, link: view.Link{ID: d.ID, Title: d.Name, URL: pageurl.District(d.ID)},
		rounds: map[string]*model.Round{}, commons: map[string]*model.CommonProblem{}, units: map[string]*model.Unit{}}
	for _, u := range d.Units {
		sc.units[u.ID] = u
	}
	for _, r := range d.Rounds {
		sc.rounds[r.ID] = r
	}
	for _, c := range d.Commons {
		sc.commons[c.ID] = c
	}
	return sc
}

// roundLink links a round of the district by id (nil when there is none).
func (sc *scope) roundLink(id string) *view.Link {
	r := sc.rounds[id]
	if id == "" || r == nil {
		return nil
	}
	l := roundLink(sc.d, r)
	return &l
}

func (b *builder) district(d *model.District) (*view.District, *tally, *figures) {
	sc := newScope(d)
	pages := b.pages(d)
	dv := &view.District{
		Link:         sc.link,
		Name:         d.Name,
		Region:       d.Region,
		Illustrative: d.Illustrative,
		NoteHTML:     b.Markdown.Render(d.Note),
		Internal:     fields(d.Internal),
	}
	t := newTally()
	f := &figures{}
	f.add(d.Outcomes, nil)
	revisitedBy := map[string][]view.Link{}
	for _, r := range d.Rounds {
		for _, id := range r.Revisits {
			revisitedBy[id] = append(revisitedBy[id], roundLink(d, r))
		}
	}
	rounds := make([]*view.Round, 0, len(d.Rounds))
	for _, r := range d.Rounds {
		rv, rt := b.round(sc, r, revisitedBy[r.ID], pages)
		rounds = append(rounds, rv)
		row := view.RoundRow{
			Link: rv.Link, Number: r.Number, Kind: r.Kind, Xunshi: rv.Xunshi, Feedback: r.Feedback.String(), Totals: rv.Totals,
		}
		if p := rv.Published; p != nil {
			row.PublishedRate, row.Basis = p.RateText, p.Basis
		}
		dv.Rounds = append(dv.Rounds, row)
		t.add(rt)
		f.add(r.Outcomes, r.Source)
	}
	dv.Totals = t.totals()
	dv.ProblemPageCount = t.pages
	dv.Units, dv.UnitPages = b.units(sc, rounds, pages)
	if pages {
		dv.RoundPages = rounds
	}
	dv.Outcomes = f.list()
	for _, s := range d.Surveys {
		dv.Surveys = append(dv.Surveys, view.Survey{
			Date: s.Date.String(), Title: s.Title, Respondents: s.Respondents,
			Awareness: s.Awareness, Approval: s.Approval, Source: source(s.Source),
		})
	}
	if c := d.Common; c != nil {
		cf := &figures{}
		cf.addCommon(c)
		dv.CommonSummary = cf.list()
	}
	for _, c := range d.Commons {
		cv := b.common(sc, c, pages)
		if pages {
			dv.CommonPages = append(dv.CommonPages, cv)
		}
		dv.Commons = append(dv.Commons, view.CommonRow{
			Link: cv.Link, Units: len(cv.Units), Completed: cv.Completed, RateText: cv.RateText,
		})
	}
	return dv, t, f
}

func roundLink(d *model.District, r *model.Round) view.Link {
	return view.Link{ID: r.ID, Title: r.Title, URL: pageurl.Round(d.ID, r.ID)}
}

// round computes a round's figures and, when pages is set, its page and
// its problems' (else its page data is only what the district's rows and
// units need).
func (b *builder) round(sc *scope, r *model.Round, revisitedBy []view.Link, pages bool) (*view.Round, *tally) {
	d := sc.d
	rv := &view.Round{
		Link:         roundLink(d, r),
		District:     sc.link,
		Number:       r.Number,
		Kind:         r.Kind,
		Started:      r.Started.String(),
		Ended:        r.Ended.String(),
		Feedback:     r.Feedback.String(),
		Source:       source(r.Source),
		Illustrative: r.Illustrative,
		RevisitedBy:  revisitedBy,
		Internal:     fields(r.Internal),
	}
	if pages {
		rv.NoteHTML = b.Markdown.Render(r.Note)
	}
	rules := model.RoundDeadlines(r, b.rules)
	rv.Level, rv.Xunshi = r.Level, model.Xunshi(r.Level)
	if rv.Level == "" {
		rv.Level = model.LevelCounty
	}
	rv.MeasuresWorkingDays, rv.ReportMonths, rv.OwnDeadlines = rules.MeasuresWorkingDays, rules.ReportMonths, r.Deadlines != nil
	if due, err := deadline.MeasuresDue(r.Feedback, rules, b.Calendar); err == nil {
		rv.MeasuresDue = due.String()
	}
	rv.ReportDue = deadline.ReportDue(r.Feedback, rules).String()
	for _, id := range r.Revisits {
		if l := sc.roundLink(id); l != nil {
			rv.Revisits = append(rv.Revisits, *l)
		}
	}
	f := &figures{}
	f.add(r.Outcomes, r.Source)
	rv.Outcomes = f.list()
	for i := range rv.Outcomes {
		rv.Outcomes[i].Xunshi = model.Xunshi(r.Level)
	}

	targets := map[string]*model.Target{}
	for _, tg := range r.Targets {
		targets[tg.ID] = tg
	}
	shownPerTarget := map[string]int{}
	listedPerTarget := map[string]int{}
	t := newTally()
	for _, p := range r.Problems {
		pv, facts := b.problem(sc, r, targets[p.Target], p, pages)
		t.addProblem(facts)
		listedPerTarget[p.Target]++
		if b.shown(p) {
			shownPerTarget[p.Target]++
			t.pages++
		}
		if pv != nil {
			rv.ProblemPages = append(rv.ProblemPages, pv)
		}
	}
	t.fig = roundFigures(r, t)
	rv.Totals = t.totals()
	rv.Published = published(r)

	for _, tg := range r.Targets {
		hidden := b.Edition.Public() &&
			(tg.Visibility == model.Internal || (listedPerTarget[tg.ID] > 0 && shownPerTarget[tg.ID] == 0))
		if hidden {
			rv.HiddenTargets++
			continue
		}
		tv := sc.targetView(tg)
		tv.Problems, tv.Internal = shownPerTarget[tg.ID], fields(tg.Internal)
		rv.Targets = append(rv.Targets, tv)
	}
	rv.TargetCount = max(r.TargetCount, len(r.Targets))
	rv.TargetsListed = len(r.Targets)
	return rv, t
}

// problem computes what the figures need of a problem and, when it is
// shown and pages is set, its page.
func (b *builder) problem(sc *scope, r *model.Round, tg *model.Target, p *model.Problem, pages bool) (*view.Problem, problemFacts) {
	d := sc.d
	due, extended := deadline.ProblemDue(p, b.rules)
	state := deadline.StateOf(p.Status, due, b.asOf, b.rules.DueSoonDays)
	facts := problemFacts{
		status:   p.Status,
		state:    state,
		category: p.Category,
		extended: extended,
		withheld: p.Visibility == model.Internal,
		reason:   p.Withheld,
	}
	var reopenedBy []view.Link
	for _, h := range p.History {
		if h.Revisit != "" {
			facts.reopened = true
			if l := sc.roundLink(h.Revisit); l != nil {
				reopenedBy = appendUnique(reopenedBy, *l)
			}
		}
	}
	for _, rev := range p.Reviews {
		if rev.Result == "returned" {
			facts.returns++
		}
	}
	if !b.shown(p) || !pages {
		return nil, facts
	}
	pv := &view.Problem{
		Link:            view.Link{ID: p.ID, Title: p.Title, URL: pageurl.Problem(d.ID, r.ID, p.ID)},
		District:        sc.link,
		Round:           roundLink(d, r),
		Xunshi:          model.Xunshi(r.Level),
		Category:        p.Category,
		DescriptionHTML: b.Markdown.Render(p.Description),
		Status:          string(p.Status),
		Completed:       p.Status.Completed(),
		Common:          p.Common || p.CommonRef != "",
		Due:             due.String(),
		DueState:        string(state),
		Extended:        extended,
		Returns:         facts.returns,
		Reopened:        facts.reopened,
		ReopenedBy:      reopenedBy,
		Illustrative:    p.Illustrative || r.Illustrative,
		Visibility:      p.Visibility,
		Withheld:        p.Withheld,
		Internal:        fields(p.Internal),
	}
	if pv.Visibility == "" {
		pv.Visibility = model.Public
	}
	if tg != nil {
		pv.Target = sc.targetView(tg)
	}
	if c := sc.commons[p.CommonRef]; p.CommonRef != "" && c != nil {
		pv.CommonRef = &view.Link{ID: c.ID, Title: c.Title, URL: pageurl.Common(d.ID, c.ID)}
	}
	switch state {
	case deadline.Overdue:
		pv.DaysLate = due.DaysUntil(b.asOf)
	case deadline.DueSoon, deadline.OnTime:
		pv.DaysLeft = b.asOf.DaysUntil(due)
	}
	for _, e := range p.Extensions {
		pv.Extensions = append(pv.Extensions, view.Extension{Approved: e.Approved.String(), Due: e.Due.String(), Reason: e.Reason})
	}
	pv.Measures = measures(p.Measures)
	pv.History = sc.history(p.History)
	if n := len(p.History); n > 0 {
		pv.LastChange = p.History[n-1].Date.String()
	}
	for _, rev := range p.Reviews {
		pv.Reviews = append(pv.Reviews, view.Review{Date: rev.Date.String(), Result: rev.Result, Opinion: rev.Opinion})
	}
	return pv, facts
}

func (sc *scope) history(hs []model.HistoryEntry) []view.HistoryEntry {
	var out []view.HistoryEntry
	for _, h := range hs {
		out = append(out, view.HistoryEntry{Date: h.Date.String(), Status: string(h.Status), Note: h.Note, Revisit: sc.roundLink(h.Revisit)})
	}
	return out
}

// common computes a common problem's row and, when pages is set, its page.
func (b *builder) common(sc *scope, c *model.CommonProblem, pages bool) *view.CommonProblem {
	d := sc.d
	cv := &view.CommonProblem{
		Link:         view.Link{ID: c.ID, Title: c.Title, URL: pageurl.Common(d.ID, c.ID)},
		District:     sc.link,
		Category:     c.Category,
		Deadline:     c.Deadline.String(),
		Source:       source(c.Source),
		Illustrative: c.Illustrative,
	}
	if pages {
		cv.DescriptionHTML = b.Markdown.Render(c.Description)
	}
	for _, id := range c.Rounds {
		if l := sc.roundLink(id); l != nil {
			cv.Rounds = append(cv.Rounds, *l)
		}
	}
	for _, u := range c.Units {
		uv := view.CommonUnit{
			ID: u.ID, Name: u.Name, Type: u.Type, Status: string(u.Status),
			Completed: u.Status.Completed(), SelfFound: u.SelfFound,
			Measures: measures(u.Measures), History: sc.history(u.History),
		}
		if uv.Completed {
			cv.Completed++
		}
		if u.SelfFound != nil {
			cv.SelfFound += *u.SelfFound
		}
		cv.Units = append(cv.Units, uv)
	}
	if r, ok := Rate(cv.Completed, len(cv.Units)); ok {
		cv.Rate = &r
	}
	cv.RateText = RateText(cv.Completed, len(cv.Units))
	return cv
}

func measures(ms []model.Measure) []view.Measure {
	var out []view.Measure
	for _, m := range ms {
		out = append(out, view.Measure{Text: m.Text, Owner: m.Owner, Due: m.Due.String(), Done: m.Done.String()})
	}
	return out
}

func fields(fs []model.Field) []view.Field {
	var out []view.Field
	for _, f := range fs {
		out = append(out, view.Field{Key: f.Key, Value: f.Value})
	}
	return out
}

func source(s *model.Source) *view.Source {
	if s == nil {
		return nil
	}
	v := &view.Source{Title: s.Title, Date: s.Date.String()}
	if markdown.SafeURL(s.URL) && isAbsoluteHTTP(s.URL) {
		v.URL = s.URL
	}
	return v
}

func appendUnique(ls []view.Link, l view.Link) []view.Link {
	for _, x := range ls {
		if x.URL == l.URL {
			return ls
		}
	}
	return append(ls, l)
}
