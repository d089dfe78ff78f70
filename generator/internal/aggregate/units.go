package aggregate

import (
	"github.com/xuncha/bulletin/generator/internal/deadline"
	"github.com/xuncha/bulletin/generator/internal/markdown"
	"github.com/xuncha/bulletin/generator/internal/model"
	"github.com/xuncha/bulletin/generator/internal/pageurl"
	"github.com/xuncha/bulletin/generator/internal/view"
)

// unitLink links the page of a unit of units.yaml.
func unitLink(d *model.District, u *model.Unit) view.Link {
	return view.Link{ID: u.ID, Title: u.Name, URL: pageurl.Unit(d.ID, u.ID)}
}

// unitsLink links a district's page of units.
func unitsLink(d *model.District) view.Link {
	return view.Link{ID: "units", Title: "被巡察单位", URL: pageurl.Units(d.ID)}
}

// targetView is a target as pages show it: its own name in the round, else
// its unit's; linked to its unit's page when it is one.
func (sc *scope) targetView(tg *model.Target) view.Target {
	t := view.Target{ID: tg.ID, Name: tg.Name, Type: tg.Type}
	if u := sc.units[tg.Unit]; tg.Unit != "" && u != nil {
		l := unitLink(sc.d, u)
		t.Unit = &l
		if t.Name == "" {
			t.Name = u.Name
		}
		if !tg.Has("type") {
			t.Type = u.Type
		}
	}
	return t
}

// listsAll reports whether a round lists every one of its problems (DATA-
// FORMAT.md part 2: no summary and some problems listed, or the summary's
// found equal to the problems listed; never with listing: partial), so that
// its figures can be computed from the list and what the list says of a unit
// is the unit's whole.
func listsAll(r *model.Round) bool {
	switch {
	case r.Listing == model.ListingPartial:
		return false
	case r.Summary != nil:
		return r.Summary.Found != nil && *r.Summary.Found == len(r.Problems)
	}
	return len(r.Problems) > 0
}

// unitVisit is one round's inspection of a unit.
type unitVisit struct {
	round  *model.Round
	rv     *view.Round
	target *model.Target
}

// units computes the district's table of units and, when pages is set,
// their pages. rounds are the round pages, in d.Rounds' order.
func (b *builder) units(sc *scope, rounds []*view.Round, pages bool) ([]view.UnitRow, []*view.Unit) {
	d := sc.d
	if len(d.Units) == 0 {
		return nil, nil
	}
	visits := map[string][]unitVisit{}
	for i, r := range d.Rounds {
		for _, tg := range r.Targets {
			if tg.Unit != "" && sc.units[tg.Unit] != nil {
				visits[tg.Unit] = append(visits[tg.Unit], unitVisit{round: r, rv: rounds[i], target: tg})
			}
		}
	}
	var rows []view.UnitRow
	var out []*view.Unit
	for _, u := range d.Units {
		uv := &view.Unit{
			Link:         unitLink(d, u),
			District:     sc.link,
			Units:        unitsLink(d),
			Illustrative: d.Illustrative,
			Type:         u.Type,
			FormerNames:  u.FormerNames,
			Internal:     fields(u.Internal),
		}
		c := &uv.Completion
		c.Complete = true
		for _, v := range visits[u.ID] {
			ur := view.UnitRound{
				Link:         roundLink(d, v.round),
				Kind:         v.round.Kind,
				Feedback:     v.round.Feedback.String(),
				ReportDue:    deadline.ReportDue(v.round.Feedback, model.RoundDeadlines(v.round, b.rules)).String(),
				ListComplete: listsAll(v.round),
			}
			if v.target.Name != "" && v.target.Name != u.Name {
				ur.NameThen = v.target.Name
			}
			for _, p := range v.round.Problems {
				if p.Target != v.target.ID {
					continue
				}
				ur.Listed++
				if p.Status.Completed() {
					ur.Completed++
				}
			}
			c.Listed += ur.Listed
			c.Completed += ur.Completed
			if !ur.ListComplete {
				c.Complete = false
				c.Partial++
			}
			shown := 0
			for _, pv := range v.rv.ProblemPages {
				if pv.Target.ID != v.target.ID {
					continue
				}
				shown++
				uv.Problems = append(uv.Problems, view.UnitProblem{
					Link: pv.Link, Round: pv.Round, Status: pv.Status, Due: pv.Due, DueState: pv.DueState,
					Extended: pv.Extended, Reopened: pv.Reopened, Returns: pv.Returns,
					Illustrative: pv.Illustrative, Visibility: pv.Visibility,
				})
			}
			if pages {
				uv.Withheld += ur.Listed - shown
			}
			uv.Rounds = append(uv.Rounds, ur)
		}
		if len(uv.Rounds) == 0 {
			c.Complete = false // inspected by no round on record: nothing is known
		}
		if c.Complete {
			if r, ok := Rate(c.Completed, c.Listed); ok {
				c.Rate = &r
				c.RateText = RateText(c.Completed, c.Listed)
			}
		}
		for _, n := range u.Notices {
			nv := view.UnitNotice{Title: n.Title, Date: n.Date.String()}
			if markdown.SafeURL(n.URL) && isAbsoluteHTTP(n.URL) {
				nv.URL = n.URL
			}
			uv.Notices = append(uv.Notices, nv)
		}
		rows = append(rows, view.UnitRow{
			Link: uv.Link, Type: uv.Type, FormerNames: uv.FormerNames, Rounds: len(uv.Rounds), Completion: uv.Completion,
		})
		if pages {
			out = append(out, uv)
		}
	}
	return rows, out
}
