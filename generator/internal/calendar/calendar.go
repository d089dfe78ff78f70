// Package calendar is the PRC working-day calendar deadlines are counted in:
// weekends and statutory holidays are off, make-up working days (调休) on a
// weekend are on.
//
// The official schedules for 2002–2027 are built in (from
// github.com/6tail/lunar-go v1.4.7, which carries the State Council's 2027
// schedule); site.yaml's calendar: adds later years or replaces a built-in
// one. A day in a year with no schedule is an error,
// never a guess.
package calendar

import (
	"fmt"
	"sync"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"
	"github.com/xuncha/bulletin/generator/internal/model"
)

// Calendar answers whether a day is a working day. It is safe for concurrent
// use.
type Calendar struct {
	extra map[int]*year // from site.yaml; replaces the built-in year

	mu    sync.Mutex
	built map[int]*year // built-in years read so far; nil entry: no schedule
}

// year is one year's schedule: the exceptions to "Monday to Friday".
type year struct {
	off map[int64]bool // holidays (days off), weekend or not, by dayKey
	on  map[int64]bool // make-up working days, by dayKey
}

// New returns a calendar with the built-in schedules, where each year of
// extra replaces the built-in schedule of that year. When extra lists a year
// twice, the first one counts.
func New(extra []model.CalendarYear) *Calendar {
	c := &Calendar{extra: map[int]*year{}, built: map[int]*year{}}
	for _, e := range extra {
		if _, dup := c.extra[e.Year]; dup {
			continue
		}
		y := &year{off: map[int64]bool{}, on: map[int64]bool{}}
		for _, d := range e.Holidays {
			y.off[dayKey(d)] = true
		}
		for _, d := range e.Workdays {
			y.on[dayKey(d)] = true
		}
		c.extra[e.Year] = y
	}
	return c
}

// dayKey numbers days, so that sets of days do not depend on how a
// time.Time is represented inside.
func dayKey(d model.Date) int64 { return d.Time().Unix() / 86400 }

// schedule returns the schedule of year y, or nil when there is none.
func (c *Calendar) schedule(y int) *year {
	if s, ok := c.extra[y]; ok {
		return s
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.built[y]
	if !ok {
		s = builtin(y)
		c.built[y] = s
	}
	return s
}

// firstBuiltinYear is the first year lunar-go carries a whole schedule for.
const firstBuiltinYear = 2002

// builtin reads year y from lunar-go, or returns nil when it has no entries.
func builtin(y int) *year {
	// lunar-go's data starts with the last days of 2001 (the 2002 New
	// Year schedule): 2001 itself is incomplete, so it is not built in.
	if y < firstBuiltinYear || y > 9999 {
		return nil
	}
	l := HolidayUtil.GetHolidaysByYear(y)
	if l == nil || l.Len() == 0 {
		return nil
	}
	s := &year{off: map[int64]bool{}, on: map[int64]bool{}}
	for e := l.Front(); e != nil; e = e.Next() {
		h, ok := e.Value.(*HolidayUtil.Holiday)
		if !ok || h == nil {
			continue
		}
		d, err := model.ParseDate(h.GetDay())
		if err != nil || d.Year() != y {
			continue
		}
		if h.IsWork() {
			s.on[dayKey(d)] = true
		} else {
			s.off[dayKey(d)] = true
		}
	}
	if len(s.on) == 0 && len(s.off) == 0 {
		return nil
	}
	return s
}

// HasYear reports whether a schedule exists for year y: built in, or given
// in site.yaml.
func (c *Calendar) HasYear(y int) bool { return c.schedule(y) != nil }

// LastYear is the last year the calendar knows: the last built-in year,
// carried on year by year by the schedules of site.yaml as long as they
// follow without a gap.
func (c *Calendar) LastYear() int {
	y := firstBuiltinYear
	for c.HasYear(y + 1) {
		y++
	}
	return y
}

// RunsOutSoon reports whether the calendar runs out within three months of
// asOf (a deadline counted from then may need a year it does not know), and
// the last year it knows.
func (c *Calendar) RunsOutSoon(asOf model.Date) (last int, soon bool) {
	last = c.LastYear()
	return last, !asOf.IsZero() && asOf.AddMonths(3).Year() > last
}

// MissingYearError is returned for a day whose year has no schedule.
type MissingYearError struct{ Year int }

func (e *MissingYearError) Error() string {
	return fmt.Sprintf("no official holiday schedule for %d: add it under calendar: in site.yaml", e.Year)
}

// IsWorkday reports whether d is a working day. It fails when d's year has
// no schedule.
func (c *Calendar) IsWorkday(d model.Date) (bool, error) {
	s := c.schedule(d.Year())
	if s == nil {
		return false, &MissingYearError{Year: d.Year()}
	}
	switch k := dayKey(d); {
	case s.off[k]:
		return false, nil
	case s.on[k]:
		return true, nil
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday, nil
}

// AddWorkingDays returns the n-th working day after d (d itself not
// counted); for n <= 0 it returns d. It fails when a day it has to look at
// falls in a year with no schedule.
func (c *Calendar) AddWorkingDays(d model.Date, n int) (model.Date, error) {
	for n > 0 {
		d = d.AddDays(1)
		ok, err := c.IsWorkday(d)
		if err != nil {
			return model.Date{}, err
		}
		if ok {
			n--
		}
	}
	return d, nil
}
