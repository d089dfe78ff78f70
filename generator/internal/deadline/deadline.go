// Package deadline computes the due dates of a round and of its problems,
// and the deadline state of an open problem as of a date.
package deadline

import (
	"github.com/xuncha/bulletin/generator/internal/calendar"
	"github.com/xuncha/bulletin/generator/internal/model"
)

// State is a problem's standing against its due date.
type State string

const (
	None    State = ""         // not open, or no due date
	OnTime  State = "on_time"  // due later than due_soon_days from as_of
	DueSoon State = "due_soon" // due within due_soon_days of as_of, inclusive
	Overdue State = "overdue"  // due before as_of
)

// MeasuresDue is the day rectification measures are due: r.MeasuresWorkingDays
// working days after feedback. A zero feedback gives a zero date and no
// error; a count that runs into a year with no holiday schedule is an error.
func MeasuresDue(feedback model.Date, r model.Deadlines, cal *calendar.Calendar) (model.Date, error) {
	if feedback.IsZero() {
		return model.Date{}, nil
	}
	return cal.AddWorkingDays(feedback, r.MeasuresWorkingDays)
}

// ReportDue is the day the rectification report is due: r.ReportMonths
// calendar months after feedback, clamped to the month's end. A zero
// feedback gives a zero date.
func ReportDue(feedback model.Date, r model.Deadlines) model.Date {
	if feedback.IsZero() {
		return model.Date{}
	}
	return feedback.AddMonths(r.ReportMonths)
}

// ProblemDue is the date a problem is judged against: the due date of its
// latest approved extension (extended is then true), else its own due,
// else the report due date of its round's feedback, counted by the round's
// own deadlines where it gives them (r is the site's rules). It is zero when there
// is none of these.
//
// The latest approved extension is LatestExtension's.
func ProblemDue(p *model.Problem, r model.Deadlines) (due model.Date, extended bool) {
	if latest := LatestExtension(p); latest != nil {
		return latest.Due, true
	}
	if !p.Due.IsZero() {
		return p.Due, false
	}
	if p.Round != nil {
		// The round's own deadlines replace the site's (DATA-FORMAT.md
		// part 2): every caller gets them by passing the site's rules.
		return ReportDue(p.Round.Feedback, model.RoundDeadlines(p.Round, r)), false
	}
	return model.Date{}, false
}

// LatestExtension is the approved extension a problem is judged by: the one
// with the latest approved date; among equal (or missing) approved dates the
// one listed last. Extensions without a due date do not count. Nil when
// there is none.
func LatestExtension(p *model.Problem) *model.Extension {
	var latest *model.Extension
	for i := range p.Extensions {
		e := &p.Extensions[i]
		if e.Due.IsZero() {
			continue
		}
		if latest == nil || !e.Approved.Before(latest.Approved) {
			latest = e
		}
	}
	return latest
}

// StateOf is the deadline state of a problem with status and due date as of
// asOf. Only open problems (pending, in_progress) with a due date have one:
// overdue when due is before asOf, due_soon when asOf <= due <= asOf +
// dueSoonDays, else on_time. A zero asOf gives no state.
func StateOf(status model.Status, due, asOf model.Date, dueSoonDays int) State {
	if !status.Open() || due.IsZero() || asOf.IsZero() {
		return None
	}
	switch {
	case due.Before(asOf):
		return Overdue
	case !due.After(asOf.AddDays(dueSoonDays)):
		return DueSoon
	}
	return OnTime
}
