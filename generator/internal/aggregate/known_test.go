package aggregate

import (
	"fmt"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/calendar"
	"github.com/xuncha/bulletin/generator/internal/edition"
	"github.com/xuncha/bulletin/generator/internal/model"
)

// show writes a figure for comparison: its value or "null".
func show(p *int) string {
	if p == nil {
		return "null"
	}
	return fmt.Sprint(*p)
}

// TestWhatIsKnown is one case per rule of what a round's figures are when
// its source leaves some out (DATA-FORMAT.md part 2, "Unknown is not zero").
func TestWhatIsKnown(t *testing.T) {
	fb := d("2024-09-27") // report due 2024-12-27, before as_of 2024-12-31
	tg := []*model.Target{{ID: "t", Name: "T"}}
	due := func(p *model.Problem) { p.Due = d("2024-12-01") }
	for _, c := range []struct {
		name string
		r    *model.Round
		// found, rectified, rate, overdue, rate_found as shown
		found, rectified, rate, overdue, rateFound string
	}{
		{"no problems, no summary: everything unknown",
			&model.Round{ID: "r"}, "null", "null", "", "null", "null"},
		{"problems listed, no summary: complete, computed from the list",
			&model.Round{ID: "r", Feedback: fb, Targets: tg, Problems: []*model.Problem{problem("a", "rectified"), problem("b", "pending")}},
			"2", "1", "50.0%", "1", "2"},
		{"complete list but an open problem without a due date: overdue unknown",
			&model.Round{ID: "r", Targets: tg, Problems: []*model.Problem{problem("a", "rectified"), problem("b", "pending")}},
			"2", "1", "50.0%", "null", "2"},
		{"basically_done is open: it can be overdue",
			&model.Round{ID: "r", Targets: tg, Problems: []*model.Problem{problem("a", "basically_done", due)}},
			"1", "0", "0.0%", "1", "1"},
		{"listing partial: the list is no total",
			&model.Round{ID: "r", Listing: model.ListingPartial, Targets: tg, Problems: []*model.Problem{problem("a", "rectified"), problem("b", "pending", due)}},
			"null", "null", "", "null", "null"},
		{"found without completion: rectified and the rate unknown, not 3 of 3",
			&model.Round{ID: "r", Targets: tg, Summary: &model.Summary{Found: ip(723)}, Problems: []*model.Problem{problem("a", "rectified"), problem("b", "rectified"), problem("c", "closed")}},
			"723", "null", "", "null", "null"},
		{"summary with found and rectified, some open: overdue unknown",
			&model.Round{ID: "r", Summary: &model.Summary{Found: ip(2688), Rectified: ip(2663)}},
			"2688", "2663", "99.1%", "null", "2688"},
		{"summary: every problem rectified, nothing open: overdue 0",
			&model.Round{ID: "r", Summary: &model.Summary{Found: ip(94), Rectified: ip(94)}},
			"94", "94", "100.0%", "0", "94"},
		{"summary: rectified and long_term make found: overdue 0",
			&model.Round{ID: "r", Summary: &model.Summary{Found: ip(10), Rectified: ip(8), LongTerm: ip(2)}},
			"10", "8", "80.0%", "0", "10"},
		{"summary gives overdue as published",
			&model.Round{ID: "r", Summary: &model.Summary{Found: ip(697), Rectified: ip(688), Overdue: ip(3)}},
			"697", "688", "98.7%", "3", "697"},
		{"summary found equals the list: completion computed from it",
			&model.Round{ID: "r", Feedback: fb, Targets: tg, Summary: &model.Summary{Found: ip(2)}, Problems: []*model.Problem{problem("a", "rectified"), problem("b", "in_progress")}},
			"2", "1", "50.0%", "1", "2"},
		{"a rate alone counts in no total",
			&model.Round{ID: "r", Summary: &model.Summary{Rate: "98"}},
			"null", "null", "", "null", "null"},
		{"a rate in measures: the problems' rate stays out",
			&model.Round{ID: "r", Summary: &model.Summary{Found: ip(10), Rectified: ip(10), Measures: ip(94), MeasuresDone: ip(94), Rate: "100", Basis: model.BasisMeasures}},
			"10", "10", "", "0", "null"},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.r.Title = "r"
			b := Compute(Input{Data: data(&model.District{ID: "d", Name: "D", Rounds: []*model.Round{c.r}}), Calendar: calendar.New(nil), Edition: edition.PublicEdition})
			for _, tt := range []struct {
				scope                                 string
				found, rect, rate, overdue, rateFound string
			}{
				{"round", show(b.Districts[0].RoundPages[0].Totals.Found), show(b.Districts[0].RoundPages[0].Totals.Rectified), b.Districts[0].RoundPages[0].Totals.RateText, show(b.Districts[0].RoundPages[0].Totals.Overdue), show(b.Districts[0].RoundPages[0].Totals.RateFound)},
				{"site", show(b.Home.Totals.Found), show(b.Home.Totals.Rectified), b.Home.Totals.RateText, show(b.Home.Totals.Overdue), show(b.Home.Totals.RateFound)},
			} {
				got := fmt.Sprint(tt.found, " ", tt.rect, " ", tt.rate, " ", tt.overdue, " ", tt.rateFound)
				want := fmt.Sprint(c.found, " ", c.rectified, " ", c.rate, " ", c.overdue, " ", c.rateFound)
				if got != want {
					t.Errorf("%s: found rectified rate overdue rate_found = %s, want %s", tt.scope, got, want)
				}
			}
		})
	}
}

// TestCoverage: a district's totals say what they cover.
func TestCoverage(t *testing.T) {
	tg := []*model.Target{{ID: "t", Name: "T"}}
	rounds := []*model.Round{
		{ID: "a", Title: "a", Summary: &model.Summary{Found: ip(2688), Rectified: ip(2663)}},
		{ID: "b", Title: "b", Summary: &model.Summary{Found: ip(723)}},
		{ID: "c", Title: "c"},
		{ID: "e", Title: "e", Targets: tg, Problems: []*model.Problem{problem("x", "rectified", func(p *model.Problem) { p.Due = d("2024-01-01") })}},
	}
	b := Compute(Input{Data: data(&model.District{ID: "d", Name: "D", Rounds: rounds}), Calendar: calendar.New(nil), Edition: edition.PublicEdition})
	tt := b.Districts[0].Totals
	got := fmt.Sprintf("found %s/%d rounds complete=%v; rectified %s complete=%v; rate %s over %s complete=%v; overdue %s complete=%v unknown=%d",
		show(tt.Found), tt.FoundRounds, tt.FoundComplete, show(tt.Rectified), tt.RectifiedComplete,
		tt.RateText, show(tt.RateFound), tt.RateComplete, show(tt.Overdue), tt.OverdueComplete, tt.OverdueUnknownRounds)
	want := "found 3412/3 rounds complete=false; rectified 2664 complete=false; rate 99.1% over 2689 complete=false; overdue 0 complete=false unknown=3"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
