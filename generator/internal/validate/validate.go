// Package validate checks the relations between loaded records: references
// between ids, figures that must agree, dates that must be in order. The
// loader has already checked each value on its own (syntax, types, enums,
// formats, required fields), so this package never reports those.
//
// Every diagnostic is positioned at the offending value (or list item) and
// names the field and the ids involved, so that a clerk can find and fix it.
// All problems are reported, in no particular order: the caller sorts.
package validate

import (
	"fmt"
	"strings"
	"time"

	"github.com/xuncha/bulletin/generator/internal/calendar"
	"github.com/xuncha/bulletin/generator/internal/deadline"
	"github.com/xuncha/bulletin/generator/internal/diag"
	"github.com/xuncha/bulletin/generator/internal/model"
)

// Validate checks the relations between records. d.Site.AsOf is set
// (non-zero) by the caller; with a zero as_of the "after as_of" checks are
// skipped. A nil cal means the calendar built from d.Site.Calendar.
func Validate(d *model.Data, cal *calendar.Calendar) diag.List {
	c := &checker{cal: cal}
	if d == nil {
		return nil
	}
	if d.Site != nil {
		c.asOf = d.Site.AsOf
		c.rules = d.Site.Deadlines
		c.site(d.Site)
	}
	if c.cal == nil {
		var extra []model.CalendarYear
		if d.Site != nil {
			extra = d.Site.Calendar
		}
		c.cal = calendar.New(extra)
	}
	for _, dist := range d.Districts {
		if dist != nil {
			c.district(dist)
		}
	}
	return c.errs
}

type checker struct {
	cal   *calendar.Calendar
	asOf  model.Date
	rules model.Deadlines
	errs  diag.List
}

func (c *checker) add(pos diag.Pos, format string, args ...any) {
	c.errs.Add(pos, format, args...)
}

// notAfterAsOf reports date when it is after as_of. what names the value,
// e.g. "survey date".
func (c *checker) notAfterAsOf(pos diag.Pos, what string, date model.Date) {
	if c.asOf.IsZero() || date.IsZero() || !date.After(c.asOf) {
		return
	}
	c.add(pos, "%s %s is after as_of %s", what, date, c.asOf)
}

// notAfterAsOfIn is notAfterAsOf for a value of the record who, e.g.
// `problem "p001": history date`.
func (c *checker) notAfterAsOfIn(pos diag.Pos, who diag.Named, what string, date model.Date) {
	if c.asOf.IsZero() || date.IsZero() || !date.After(c.asOf) {
		return
	}
	c.add(pos, "%s: %s %s is after as_of %s", who, what, date, c.asOf)
}

// site checks the calendar: one schedule per year, each day in its year,
// make-up working days on weekends, no day both off and on.
func (c *checker) site(s *model.Site) {
	seen := map[int]diag.Pos{}
	for _, y := range s.Calendar {
		if first, dup := seen[y.Year]; dup {
			c.add(y.At("year"), "calendar: year %d is listed twice (first at line %d): give one schedule per year", y.Year, first.Line)
		} else {
			seen[y.Year] = y.At("year")
		}
		off := map[string]bool{}
		// A day outside its year is reported by the loader, at the day.
		for _, h := range y.Holidays {
			off[h.String()] = true
		}
		for _, w := range y.Workdays {
			if wd := w.Weekday(); wd != time.Saturday && wd != time.Sunday {
				c.add(y.At("workdays"), "calendar %d: workday %s is a %s: list only make-up working days that fall on a weekend", y.Year, w, wd)
			}
			if off[w.String()] {
				c.add(y.At("workdays"), "calendar %d: %s is listed both as a holiday and as a workday", y.Year, w)
			}
		}
	}
}

func (c *checker) district(dist *model.District) {
	rounds := map[string]*model.Round{}
	var roundIDs []string
	for _, r := range dist.Rounds {
		if r != nil {
			rounds[r.ID] = r
			roundIDs = append(roundIDs, r.ID)
		}
	}
	commons := map[string]*model.CommonProblem{}
	var commonIDs []string
	for _, cp := range dist.Commons {
		if cp != nil {
			commons[cp.ID] = cp
			commonIDs = append(commonIDs, cp.ID)
		}
	}
	ctx := &districtCtx{dist: dist, rounds: rounds, roundIDs: roundIDs, commons: commons, commonIDs: commonIDs}
	c.units(ctx)

	c.outcomes(fmt.Sprintf("district %q", dist.ID), dist.Outcomes)
	for _, s := range dist.Surveys {
		c.notAfterAsOf(s.At("date"), "survey date", s.Date)
	}
	for _, r := range dist.Rounds {
		if r != nil {
			c.round(ctx, r)
		}
	}
	for _, cp := range dist.Commons {
		if cp != nil {
			c.common(ctx, cp)
		}
	}
}

// districtCtx is what the checks of one district look things up in.
type districtCtx struct {
	dist      *model.District
	rounds    map[string]*model.Round
	roundIDs  []string
	commons   map[string]*model.CommonProblem
	commonIDs []string
	units     map[string]*model.Unit // units.yaml, by id
	unitIDs   []string
}

func (c *checker) round(ctx *districtCtx, r *model.Round) {
	who := fmt.Sprintf("round %q", r.ID)
	rules := model.RoundDeadlines(r, c.rules)

	// Dates: started <= ended <= feedback, where given.
	if !r.Started.IsZero() && !r.Ended.IsZero() && r.Ended.Before(r.Started) {
		c.add(r.At("ended"), "%s: ended %s is before started %s", who, r.Ended, r.Started)
	}
	if !r.Feedback.IsZero() {
		switch {
		case !r.Ended.IsZero():
			if r.Feedback.Before(r.Ended) {
				c.add(r.At("feedback"), "%s: feedback %s is before ended %s", who, r.Feedback, r.Ended)
			}
		case !r.Started.IsZero():
			if r.Feedback.Before(r.Started) {
				c.add(r.At("feedback"), "%s: feedback %s is before started %s", who, r.Feedback, r.Started)
			}
		}
		if _, err := deadline.MeasuresDue(r.Feedback, rules, c.cal); err != nil {
			c.add(r.At("feedback"), "%s: the measures deadline (%d working days after feedback %s) cannot be counted: %v",
				who, rules.MeasuresWorkingDays, r.Feedback, err)
		}
	}

	// Revisits.
	if len(r.Revisits) > 0 && r.Kind != model.KindRevisit {
		c.add(r.At("revisits"), "%s: revisits is only for rounds of kind revisit, and this round is %s: set kind: revisit or remove revisits", who, kindOf(r))
	}
	seenRev := map[string]bool{}
	for _, id := range r.Revisits {
		switch {
		case seenRev[id]:
			c.add(r.At("revisits"), "%s: revisits lists %q twice", who, id)
		case id == r.ID:
			c.add(r.At("revisits"), "%s: revisits lists the round itself", who)
		case ctx.rounds[id] == nil:
			c.add(r.At("revisits"), "%s: revisits %q, which is not a round of district %q (rounds: %s)", who, id, ctx.dist.ID, list(ctx.roundIDs))
		}
		seenRev[id] = true
	}

	// Targets.
	targets := map[string]bool{}
	var targetIDs []string
	firstTarget := make(map[string]diag.Pos, len(r.Targets))
	for _, t := range r.Targets {
		if t == nil {
			continue
		}
		if first, dup := firstTarget[t.ID]; dup {
			c.add(t.At("id"), "%s: target id %q is listed twice (first at line %d)", who, t.ID, first.Line)
			continue
		}
		firstTarget[t.ID] = t.At("id")
		targets[t.ID] = true
		targetIDs = append(targetIDs, t.ID)
	}

	if r.Has("target_count") && r.TargetCount < len(r.Targets) {
		c.add(r.At("target_count"), "%s: target_count %d is less than the %d targets listed (target_count is every unit inspected, listed or not)", who, r.TargetCount, len(r.Targets))
	}
	c.targetUnits(ctx, r)

	// Problems.
	firstProblem := make(map[string]diag.Pos, len(r.Problems))
	listed := map[model.Status]int{}
	for _, p := range r.Problems {
		if p == nil {
			continue
		}
		if first, dup := firstProblem[p.ID]; dup {
			c.add(p.At("id"), "%s: problem id %s is listed twice (first at line %d)", who, diag.Value(p.ID), first.Line)
		} else {
			firstProblem[p.ID] = p.At("id")
		}
		listed[p.Status]++
		if p.Target != "" && !targets[p.Target] {
			c.add(p.At("target"), "%s: target %q is not a target of round %q (targets: %s)", diag.Named{Kind: "problem", ID: diag.Value(p.ID)}, p.Target, r.ID, list(targetIDs))
		}
		c.problem(ctx, r, rules, p)
	}
	if s := r.Summary; s != nil {
		c.summary(who, s, len(r.Problems), listed)
	}

	c.outcomes(who, r.Outcomes)
}

func kindOf(r *model.Round) string {
	if r.Kind == "" {
		return model.KindRegular
	}
	return r.Kind
}

func (c *checker) problem(ctx *districtCtx, r *model.Round, rules model.Deadlines, p *model.Problem) {
	who := diag.Named{Kind: "problem", ID: diag.Value(p.ID)}

	if p.Withheld != "" && p.Has("visibility") && p.Visibility == model.Public {
		c.add(p.At("visibility"), "%s: withheld (%s) keeps the problem out of the public edition, but visibility is public: remove visibility or set it to internal", who, p.Withheld)
	}
	if p.CommonRef != "" && ctx.commons[p.CommonRef] == nil {
		c.add(p.At("common_ref"), "%s: common_ref %q is not a common problem of district %q (common problems: %s)", who, p.CommonRef, ctx.dist.ID, list(ctx.commonIDs))
	}
	for _, m := range p.Measures {
		c.notAfterAsOfIn(m.At("done"), who, "measure done", m.Done)
	}
	c.history(ctx, who, r, p.Node, p.Status, p.History)
	c.extensions(who, r, rules, p)
	c.reviews(who, p)
}

// history checks a problem's or a unit's history: dates oldest first and not
// after as_of, the last entry equal to status, and reopening by revisits.
// r is the problem's round, nil for a unit of a common problem.
func (c *checker) history(ctx *districtCtx, who diag.Named, r *model.Round, n model.Node, status model.Status, hist []model.HistoryEntry) {
	for i, h := range hist {
		if i > 0 && !h.Date.IsZero() && h.Date.Before(hist[i-1].Date) {
			c.add(h.At("date"), "%s: history date %s is before the previous entry's date %s (history is oldest first)", who, h.Date, hist[i-1].Date)
		}
		c.notAfterAsOfIn(h.At("date"), who, "history date", h.Date)
		if h.Revisit != "" {
			c.reopening(ctx, who, r, hist, i)
		}
	}
	if len(hist) > 0 && status != "" {
		last := hist[len(hist)-1]
		if last.Status != status {
			c.add(n.At("status"), "%s: status is %s but the last history entry (%s) says %s: make them agree", who, status, last.Date, last.Status)
		}
	}
}

// reopening checks history entry i, which names a revisit round.
func (c *checker) reopening(ctx *districtCtx, who diag.Named, r *model.Round, hist []model.HistoryEntry, i int) {
	h := hist[i]
	rr := ctx.rounds[h.Revisit]
	switch {
	case rr == nil:
		c.add(h.At("revisit"), "%s: history revisit %q is not a round of district %q (rounds: %s)", who, h.Revisit, ctx.dist.ID, list(ctx.roundIDs))
	case rr.Kind != model.KindRevisit:
		c.add(h.At("revisit"), "%s: history revisit %q is a round of kind %s, not revisit", who, h.Revisit, kindOf(rr))
	case r != nil && !contains(rr.Revisits, r.ID):
		c.add(h.At("revisit"), "%s: history revisit %q does not revisit round %q (its revisits: %s)", who, h.Revisit, r.ID, list(rr.Revisits))
	}
	if h.Status != "" && !h.Status.Open() {
		c.add(h.At("status"), "%s: the history entry reopened by revisit %q must set status pending or in_progress, not %s", who, h.Revisit, h.Status)
	}
	everCompleted := false
	for _, e := range hist[:i] {
		if e.Status.Completed() {
			everCompleted = true
		}
	}
	switch {
	case !everCompleted:
		c.add(h.At("revisit"), "%s: reopened by revisit %q but it was never completed", who, h.Revisit)
	case !hist[i-1].Status.Completed():
		prev := hist[i-1]
		c.add(h.At("revisit"), "%s: reopened by revisit %q but the previous history entry (%s) is %s, not rectified or closed", who, h.Revisit, prev.Date, prev.Status)
	}
}

// extensions checks approvals oldest first and each due after the one it
// replaces.
func (c *checker) extensions(who diag.Named, r *model.Round, rules model.Deadlines, p *model.Problem) {
	if len(p.Extensions) == 0 {
		return
	}
	prev, prevWhat := p.Due, "the problem's due"
	if prev.IsZero() && r != nil && !r.Feedback.IsZero() {
		prev = deadline.ReportDue(r.Feedback, rules)
		prevWhat = fmt.Sprintf("the report due date, %d months after feedback %s", rules.ReportMonths, r.Feedback)
	}
	for i, e := range p.Extensions {
		if i > 0 {
			before := p.Extensions[i-1].Approved
			if !e.Approved.IsZero() && e.Approved.Before(before) {
				c.add(e.At("approved"), "%s: extension approved %s is before the previous extension's approval %s (extensions are oldest first)", who, e.Approved, before)
			}
		}
		c.notAfterAsOfIn(e.At("approved"), who, "extension approved", e.Approved)
		if e.Due.IsZero() {
			continue
		}
		if !prev.IsZero() && !e.Due.After(prev) {
			c.add(e.At("due"), "%s: extension due %s must be after the due date it replaces: %s (%s)", who, e.Due, prev, prevWhat)
		}
		prev, prevWhat = e.Due, "the previous extension's due"
	}
}

// reviews checks review dates and that a completed problem has got past its
// last return (二次整改).
func (c *checker) reviews(who diag.Named, p *model.Problem) {
	lastReturned := -1
	for i, rv := range p.Reviews {
		if i > 0 && !rv.Date.IsZero() && rv.Date.Before(p.Reviews[i-1].Date) {
			c.add(rv.At("date"), "%s: review date %s is before the previous review's date %s (reviews are oldest first)", who, rv.Date, p.Reviews[i-1].Date)
		}
		c.notAfterAsOfIn(rv.At("date"), who, "review date", rv.Date)
		if rv.Result == "returned" {
			lastReturned = i
		}
	}
	if lastReturned < 0 || !p.Status.Completed() {
		return
	}
	ret := p.Reviews[lastReturned]
	for _, rv := range p.Reviews[lastReturned+1:] {
		if rv.Result == "passed" && !rv.Date.Before(ret.Date) {
			return
		}
	}
	for _, h := range p.History {
		if h.Status.Completed() && h.Date.After(ret.Date) {
			return
		}
	}
	c.add(p.At("status"), "%s is %s but its review of %s returned it (二次整改): add a passed review or a later history entry", diag.Named{Kind: "problem", ID: diag.Value(p.ID)}, p.Status, ret.Date)
}

func (c *checker) common(ctx *districtCtx, cp *model.CommonProblem) {
	who := fmt.Sprintf("common problem %q", cp.ID)
	for _, id := range cp.Rounds {
		if ctx.rounds[id] == nil {
			c.add(cp.At("rounds"), "%s: rounds lists %q, which is not a round of district %q (rounds: %s)", who, id, ctx.dist.ID, list(ctx.roundIDs))
		}
	}
	first := map[string]diag.Pos{}
	for _, u := range cp.Units {
		if u == nil {
			continue
		}
		if f, dup := first[u.ID]; dup {
			c.add(u.At("id"), "%s: unit id %q is listed twice (first at line %d)", who, u.ID, f.Line)
		} else {
			first[u.ID] = u.At("id")
		}
		uwho := diag.Named{Kind: "unit", ID: diag.Value(u.ID)}
		for _, m := range u.Measures {
			c.notAfterAsOfIn(m.At("done"), uwho, "measure done", m.Done)
		}
		c.history(ctx, uwho, nil, u.Node, u.Status, u.History)
	}
}

// outcomes checks figures that are parts of others.
func (c *checker) outcomes(who string, o *model.Outcomes) {
	if o == nil {
		return
	}
	if o.OnTheSpotFixed != nil && o.OnTheSpotFound != nil && *o.OnTheSpotFixed > *o.OnTheSpotFound {
		c.add(o.At("on_the_spot_fixed"), "%s: outcomes.on_the_spot_fixed %d is more than outcomes.on_the_spot_found %d", who, *o.OnTheSpotFixed, *o.OnTheSpotFound)
	}
	if o.LeadsTransferred != nil && o.LeadsFound != nil && *o.LeadsTransferred > *o.LeadsFound {
		c.add(o.At("leads_transferred"), "%s: outcomes.leads_transferred %d is more than outcomes.leads_found %d", who, *o.LeadsTransferred, *o.LeadsFound)
	}
	c.extraFigures(who, o.Extra)
}

func contains(ids []string, id string) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// list shows ids for a message: "water, town-a", "none", or the first ten
// and how many there are.
func list(ids []string) string {
	const limit = 10
	switch {
	case len(ids) == 0:
		return "none"
	case len(ids) > limit:
		return strings.Join(ids[:limit], ", ") + fmt.Sprintf(", … (%d in all)", len(ids))
	}
	return strings.Join(ids, ", ")
}
