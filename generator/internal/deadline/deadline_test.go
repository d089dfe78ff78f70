package deadline

import (
	"testing"

	"github.com/xuncha/bulletin/generator/internal/calendar"
	"github.com/xuncha/bulletin/generator/internal/model"
)

func day(s string) model.Date {
	if s == "" {
		return model.Date{}
	}
	d, err := model.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

var rules = model.Deadlines{MeasuresWorkingDays: 10, ReportMonths: 3, DueSoonDays: 10}

func TestMeasuresDue(t *testing.T) {
	cal := calendar.New(nil)
	for _, tc := range []struct {
		feedback string
		days     int
		want     string
		err      string
	}{
		{"2024-09-27", 10, "2024-10-16", ""}, // 国庆 2024 with 9-29 and 10-12 make-up days
		{"2019-05-20", 10, "2019-06-03", ""},
		{"2024-02-05", 10, "2024-02-23", ""}, // over 春节, 2-18 a make-up Sunday
		{"2024-09-27", 5, "2024-10-10", ""},
		{"", 10, "", ""},
		{"2026-12-21", 10, "2027-01-05", ""}, // over 元旦 2027 (1-1 to 1-3 off), from lunar-go v1.4.7
		{"2027-12-20", 10, "", "no official holiday schedule for 2028: add it under calendar: in site.yaml"},
	} {
		r := rules
		r.MeasuresWorkingDays = tc.days
		got, err := MeasuresDue(day(tc.feedback), r, cal)
		gotErr := ""
		if err != nil {
			gotErr = err.Error()
		}
		if got.String() != tc.want || gotErr != tc.err {
			t.Errorf("MeasuresDue(%q, %d) = %q, %q; want %q, %q", tc.feedback, tc.days, got, gotErr, tc.want, tc.err)
		}
	}
}

func TestReportDue(t *testing.T) {
	for _, tc := range []struct {
		feedback string
		months   int
		want     string
	}{
		{"2024-09-27", 3, "2024-12-27"}, // the contract's example
		{"2019-05-20", 3, "2019-08-20"},
		{"2024-11-30", 3, "2025-02-28"}, // clamped to the month's end
		{"2023-11-30", 3, "2024-02-29"}, // leap year
		{"2024-08-31", 1, "2024-09-30"},
		{"2024-10-31", 2, "2024-12-31"}, // across the year end, no clamping
		{"2024-12-31", 2, "2025-02-28"},
		{"2024-05-20", 0, "2024-05-20"},
		{"", 3, ""},
	} {
		r := rules
		r.ReportMonths = tc.months
		if got := ReportDue(day(tc.feedback), r); got.String() != tc.want {
			t.Errorf("ReportDue(%q, %d months) = %q, want %q", tc.feedback, tc.months, got, tc.want)
		}
	}
}

func TestProblemDue(t *testing.T) {
	withFeedback := &model.Round{Feedback: day("2024-09-27")}
	noFeedback := &model.Round{}
	ext := func(approved, due string) model.Extension {
		return model.Extension{Approved: day(approved), Due: day(due)}
	}
	for _, tc := range []struct {
		name     string
		p        *model.Problem
		want     string
		extended bool
	}{
		{"report due from feedback", &model.Problem{Round: withFeedback}, "2024-12-27", false},
		{"own due wins over feedback", &model.Problem{Round: withFeedback, Due: day("2024-11-15")}, "2024-11-15", false},
		{"no due, no feedback", &model.Problem{Round: noFeedback}, "", false},
		{"no round", &model.Problem{}, "", false},
		{"one extension", &model.Problem{Round: withFeedback, Due: day("2024-11-15"),
			Extensions: []model.Extension{ext("2024-11-01", "2025-01-31")}}, "2025-01-31", true},
		{"latest approved extension", &model.Problem{Round: withFeedback,
			Extensions: []model.Extension{ext("2024-12-01", "2025-01-31"), ext("2025-01-20", "2025-03-31")}}, "2025-03-31", true},
		{"latest approved even when listed first", &model.Problem{Round: withFeedback,
			Extensions: []model.Extension{ext("2025-01-20", "2025-03-31"), ext("2024-12-01", "2025-01-31")}}, "2025-03-31", true},
		{"same approval date: the one listed last", &model.Problem{Round: withFeedback,
			Extensions: []model.Extension{ext("2024-12-01", "2025-01-31"), ext("2024-12-01", "2025-02-28")}}, "2025-02-28", true},
		{"extension without feedback or due", &model.Problem{Round: noFeedback,
			Extensions: []model.Extension{ext("2019-08-10", "2019-10-31")}}, "2019-10-31", true},
	} {
		got, extended := ProblemDue(tc.p, rules)
		if got.String() != tc.want || extended != tc.extended {
			t.Errorf("%s: ProblemDue = %q, %v; want %q, %v", tc.name, got, extended, tc.want, tc.extended)
		}
	}
}

func TestStateOf(t *testing.T) {
	const asOf = "2024-12-31"
	for _, tc := range []struct {
		status model.Status
		due    string
		soon   int
		want   State
	}{
		{model.Pending, "2024-12-30", 10, Overdue},
		{model.InProgress, "2024-01-01", 10, Overdue},
		{model.InProgress, "2024-12-31", 10, DueSoon}, // due on as_of itself
		{model.Pending, "2025-01-10", 10, DueSoon},    // as_of + 10, inclusive
		{model.Pending, "2025-01-11", 10, OnTime},
		{model.InProgress, "2025-06-30", 10, OnTime},
		{model.InProgress, "2024-12-31", 0, DueSoon},
		{model.InProgress, "2025-01-01", 0, OnTime},
		{model.Rectified, "2024-01-01", 10, None},
		{model.Closed, "2024-01-01", 10, None},
		{model.LongTerm, "2024-01-01", 10, None},
		{model.Pending, "", 10, None}, // no due date: never overdue
	} {
		if got := StateOf(tc.status, day(tc.due), day(asOf), tc.soon); got != tc.want {
			t.Errorf("StateOf(%s, due %q, as of %s, %d) = %q, want %q", tc.status, tc.due, asOf, tc.soon, got, tc.want)
		}
	}
	if got := StateOf(model.Pending, day("2024-01-01"), model.Date{}, 10); got != None {
		t.Errorf("StateOf with zero as_of = %q, want none", got)
	}
}

// A round's own deadlines replace the site's: a 巡视 whose report is due
// in 2 months judges its problems by 2 months, whoever asks.
func TestProblemDueRoundRules(t *testing.T) {
	fb, _ := model.ParseDate("2024-06-13")
	site := model.Deadlines{MeasuresWorkingDays: 10, ReportMonths: 3}
	own := &model.Deadlines{ReportMonths: 2}
	own.SetKey("report_months", 1, 1)
	r := &model.Round{Feedback: fb, Deadlines: own}
	p := &model.Problem{Round: r, Status: model.InProgress}
	if due, _ := ProblemDue(p, site); due.String() != "2024-08-13" {
		t.Errorf("due %s, want 2024-08-13 (2 months, the round's rule)", due)
	}
	r.Deadlines = nil
	if due, _ := ProblemDue(p, site); due.String() != "2024-09-13" {
		t.Errorf("due %s, want 2024-09-13 (3 months, the site's rule)", due)
	}
}
