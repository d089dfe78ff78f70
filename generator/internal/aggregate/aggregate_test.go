package aggregate

import (
	"github.com/xuncha/bulletin/generator/internal/edition"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/calendar"
	"github.com/xuncha/bulletin/generator/internal/model"
)

func TestRate(t *testing.T) {
	for _, c := range []struct {
		rect, found int
		want        string
	}{
		{2663, 2688, "99.1%"}, // seed 000, 禅城区
		{1365, 1393, "98.0%"}, // seed 003, 云安区: published as "98%"
		{22, 38, "57.9%"},     // seed 004, 大竹县 on the spot
		{0, 0, "—"},
		{0, 5, "0.0%"},
		{5, 5, "100.0%"},
		{1, 3, "33.3%"},
		{2, 3, "66.7%"},
		{1, 16, "6.3%"}, // 6.25: half up
		{1, 8, "12.5%"},
		{999, 1000, "99.9%"},
		{9999, 10000, "100.0%"}, // 99.99 rounds up: a rate shows 100.0% only when this close
	} {
		if got := RateText(c.rect, c.found); got != c.want {
			t.Errorf("RateText(%d, %d) = %s, want %s", c.rect, c.found, got, c.want)
		}
	}
	if _, ok := Rate(1, 0); ok {
		t.Error("Rate with found 0 must have no value")
	}
}

func d(s string) model.Date {
	v, err := model.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func problem(id, status string, opts ...func(*model.Problem)) *model.Problem {
	p := &model.Problem{ID: id, Target: "t", Title: id, Status: model.Status(status), Visibility: model.Public}
	for _, o := range opts {
		o(p)
	}
	return p
}

func data(districts ...*model.District) *model.Data {
	for _, dist := range districts {
		for _, r := range dist.Rounds {
			r.District = dist
			for _, p := range r.Problems {
				p.Round = r
			}
		}
	}
	return &model.Data{
		Site: &model.Site{Title: "t", AsOf: d("2024-12-31"),
			Deadlines: model.Deadlines{MeasuresWorkingDays: 10, ReportMonths: 3, DueSoonDays: 10}},
		Districts: districts,
	}
}

func TestTotals(t *testing.T) {
	fb := d("2024-09-27") // report due 2024-12-27: before as_of
	r1 := &model.Round{ID: "r1", Title: "r1", Feedback: fb, Targets: []*model.Target{{ID: "t", Name: "T"}},
		Problems: []*model.Problem{
			problem("a", "rectified"),
			problem("b", "closed"),
			problem("c", "long_term"),
			problem("d", "in_progress"), // overdue (due 2024-12-27)
			problem("e", "pending", func(p *model.Problem) { p.Due = d("2025-01-05") }),     // due soon
			problem("f", "in_progress", func(p *model.Problem) { p.Due = d("2025-03-01") }), // on time
			problem("g", "in_progress", func(p *model.Problem) {
				p.Extensions = []model.Extension{{Approved: d("2024-12-01"), Due: d("2025-06-30")}}
			}),
			problem("h", "rectified", func(p *model.Problem) {
				p.Visibility = model.Internal
				p.Withheld = "unannounced_case"
				p.Reviews = []model.Review{{Date: d("2024-11-01"), Result: "returned"}, {Date: d("2024-12-01"), Result: "passed"}}
			}),
		}}
	r2 := &model.Round{ID: "r2", Title: "r2", Summary: &model.Summary{Found: ip(100), Rectified: ip(90)},
		Targets: []*model.Target{{ID: "t", Name: "T"}},
		Problems: []*model.Problem{problem("x", "rectified", func(p *model.Problem) {
			p.History = []model.HistoryEntry{
				{Date: d("2024-01-01"), Status: model.Rectified},
				{Date: d("2024-06-01"), Status: model.InProgress, Revisit: "rv"},
				{Date: d("2024-09-01"), Status: model.Rectified},
			}
		})}}
	fake := &model.District{ID: "fake", Name: "F", Illustrative: true, Rounds: []*model.Round{
		{ID: "r", Title: "r", Problems: []*model.Problem{problem("z", "pending")}, Targets: []*model.Target{{ID: "t"}}},
	}}
	dist := &model.District{ID: "d1", Name: "D", Rounds: []*model.Round{r1, r2}}
	cal := calendar.New(nil)
	for _, ed := range []edition.Edition{edition.PublicEdition, edition.InternalEdition} {
		b := Compute(Input{Data: data(dist, fake), Calendar: cal, Edition: ed})
		r1v := b.Districts[0].RoundPages[0]
		tt := r1v.Totals
		check := func(name string, got, want int) {
			t.Helper()
			if got != want {
				t.Errorf("%s: %s = %d, want %d", ed, name, got, want)
			}
		}
		// Round 1: listed problems only.
		check("r1 found", val(tt.Found), 8)
		check("r1 rectified", val(tt.Rectified), 3) // a, b, h; long_term is not rectified
		check("r1 long_term", val(tt.LongTerm), 1)
		check("r1 open", tt.Open, 4)
		check("r1 overdue", val(tt.Overdue), 1)
		check("r1 due_soon", tt.DueSoon, 1)
		check("r1 on_time", tt.OnTime, 2) // f, and g judged against its extension
		check("r1 extended", tt.Extended, 1)
		check("r1 withheld", tt.Withheld, 1)
		check("r1 returned", tt.Returned, 1)
		if tt.RateText != "37.5%" {
			t.Errorf("%s: r1 rate %s", ed, tt.RateText)
		}
		// Round 2: the summary wins over the one listed problem.
		r2t := b.Districts[0].RoundPages[1].Totals
		check("r2 found", val(r2t.Found), 100)
		check("r2 rectified", val(r2t.Rectified), 90)
		check("r2 unlisted", r2t.Unlisted, 99)
		check("r2 reopened", r2t.Reopened, 1)
		// District = sum of rounds; overall leaves the illustrative district out.
		dt := b.Districts[0].Totals
		check("district found", val(dt.Found), 108)
		check("district rectified", val(dt.Rectified), 93)
		ht := b.Home.Totals
		check("overall found", val(ht.Found), 108)
		check("overall overdue", val(ht.Overdue), 1)
		if len(b.Home.Districts) != 2 {
			t.Errorf("%s: the illustrative district must still be listed", ed)
		}
		if dt.RateText != "86.1%" || ht.RateText != "86.1%" {
			t.Errorf("%s: rates %s %s, want 86.1%%", ed, dt.RateText, ht.RateText)
		}
		// Pages: the internal problem has one only in the internal edition.
		want := 8
		if ed == edition.PublicEdition {
			want = 7
		}
		check("problem pages", len(r1v.ProblemPages), want)
		var byStatus = map[string]int{}
		for _, c := range tt.ByStatus {
			byStatus[c.Key] = c.Count
		}
		check("by_status rectified", byStatus["rectified"], 2)
		check("by_status in_progress", byStatus["in_progress"], 3)
		if len(tt.ByStatus) != len(model.Statuses) {
			t.Errorf("by_status must list every status, got %d", len(tt.ByStatus))
		}
	}
}

// val is a known figure's value, -1 for an unknown one.
func val(p *int) int {
	if p == nil {
		return -1
	}
	return *p
}

func ip(n int) *int { return &n }

func TestProblemDeadlineFields(t *testing.T) {
	r := &model.Round{ID: "r", Title: "r", Feedback: d("2024-09-27"), Targets: []*model.Target{{ID: "t", Name: "T"}},
		Problems: []*model.Problem{problem("late", "pending"), problem("soon", "pending", func(p *model.Problem) { p.Due = d("2025-01-03") })}}
	b := Compute(Input{Data: data(&model.District{ID: "d", Name: "D", Rounds: []*model.Round{r}}), Calendar: calendar.New(nil), Edition: edition.PublicEdition})
	rv := b.Districts[0].RoundPages[0]
	if rv.MeasuresDue != "2024-10-16" || rv.ReportDue != "2024-12-27" {
		t.Errorf("deadlines %s / %s, want 2024-10-16 / 2024-12-27", rv.MeasuresDue, rv.ReportDue)
	}
	late, soon := rv.ProblemPages[0], rv.ProblemPages[1]
	if late.DueState != "overdue" || late.DaysLate != 4 || late.Due != "2024-12-27" {
		t.Errorf("late: %s %d %s", late.DueState, late.DaysLate, late.Due)
	}
	if soon.DueState != "due_soon" || soon.DaysLeft != 3 {
		t.Errorf("soon: %s %d", soon.DueState, soon.DaysLeft)
	}
}
