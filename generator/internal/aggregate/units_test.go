package aggregate

import (
	"testing"

	"github.com/xuncha/bulletin/generator/internal/calendar"
	"github.com/xuncha/bulletin/generator/internal/edition"
	"github.com/xuncha/bulletin/generator/internal/model"
)

// TestUnitCompletion: a unit's rate exists only when every round that
// inspected it lists all its problems; otherwise its figures count the
// listed problems and say how many rounds list only part. Unknown is not
// zero.
func TestUnitCompletion(t *testing.T) {
	n := func(v int) *int { return &v }
	target := func(id, unit string) *model.Target {
		return &model.Target{ID: id, Unit: unit, Visibility: model.Public}
	}
	onTarget := func(tg string) func(*model.Problem) { return func(p *model.Problem) { p.Target = tg } }
	complete := &model.Round{ID: "r1", Title: "r1", Targets: []*model.Target{target("a", "u1"), target("b", "u2"), target("c", "u3")},
		Problems: []*model.Problem{
			problem("p1", "rectified", onTarget("a")), problem("p2", "in_progress", onTarget("a")),
			problem("p3", "closed", onTarget("b")), problem("p4", "pending", onTarget("b"), func(p *model.Problem) { p.Visibility = model.Internal }),
		}}
	partial := &model.Round{ID: "r2", Title: "r2", Targets: []*model.Target{target("b", "u2"), target("d", "u4")},
		Problems: []*model.Problem{problem("q1", "rectified", onTarget("b"))},
		Summary:  &model.Summary{Found: n(9), Rectified: n(4)}}
	dist := &model.District{ID: "d", Name: "D", Rounds: []*model.Round{complete, partial}, Units: []*model.Unit{
		{ID: "u1", Name: "甲"}, {ID: "u2", Name: "乙"}, {ID: "u3", Name: "丙"}, {ID: "u4", Name: "丁"}, {ID: "u5", Name: "戊"},
	}}
	in := data(dist)
	for _, ed := range []edition.Edition{edition.InternalEdition, edition.PublicEdition} {
		recs := in
		if ed == edition.PublicEdition {
			recs = edition.Redact(in)
		}
		b := Compute(Input{Data: recs, Calendar: calendar.New(nil), Edition: ed})
		rows := b.Districts[0].Units
		for i, want := range []struct {
			listed, completed, partial int
			complete                   bool
			rate                       string
		}{
			{2, 1, 0, true, "50.0%"}, // u1: one complete round
			{3, 2, 1, false, ""},     // u2: round 2 lists 1 of its 9 problems: no rate
			{0, 0, 0, true, ""},      // u3: inspected, no problem found: no rate, but known
			{0, 0, 1, false, ""},     // u4: only in the partial round, nothing listed: unknown
			{0, 0, 0, false, ""},     // u5: no round names it: nothing known
		} {
			c := rows[i].Completion
			if c.Listed != want.listed || c.Completed != want.completed || c.Partial != want.partial || c.Complete != want.complete || c.RateText != want.rate || (c.Rate != nil) != (want.rate != "") {
				t.Errorf("%s edition, unit %s: completion %+v, want %+v", ed, rows[i].ID, c, want)
			}
		}
		u2 := b.Districts[0].UnitPages[1]
		if len(u2.Rounds) != 2 || u2.Rounds[1].ListComplete || !u2.Rounds[0].ListComplete {
			t.Errorf("%s edition: unit u2's rounds %+v", ed, u2.Rounds)
		}
		// The internal problem of u2 is counted in both editions, and
		// detailed only in the internal one.
		wantShown, wantWithheld := 3, 0
		if ed == edition.PublicEdition {
			wantShown, wantWithheld = 2, 1
		}
		if len(u2.Problems) != wantShown || u2.Withheld != wantWithheld {
			t.Errorf("%s edition: unit u2 shows %d problems, withholds %d; want %d, %d", ed, len(u2.Problems), u2.Withheld, wantShown, wantWithheld)
		}
	}
}
