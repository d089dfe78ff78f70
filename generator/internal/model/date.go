package model

import (
	"fmt"
	"time"
)

// Date is a calendar day (YYYY-MM-DD) with no time of day and no zone.
// The zero Date means "not given".
type Date struct{ t time.Time }

// NewDate returns the date y-m-d. It does not check that the day exists;
// use ParseDate for input.
func NewDate(y int, m time.Month, d int) Date {
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// ParseDate parses YYYY-MM-DD strictly: 2019-13-45 and 2019-02-30 are errors.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, &DateError{Text: s, Reason: "is not a date: write YYYY-MM-DD"}
	}
	if y, m, d, ok := digits(s); ok && y > 0 && m >= 1 && m <= 12 && d >= 1 {
		// The common case, without time.Parse: a day that exists comes
		// back from time.Date as it went in (2019-02-30 comes back as
		// March 2: not a real date).
		if t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC); t.Day() == d {
			return Date{t}, nil
		}
		return Date{}, &DateError{Text: s, Reason: "is not a real date"}
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return Date{}, &DateError{Text: s, Reason: "is not a real date"}
	}
	return Date{t}, nil
}

// digits reads the numbers of s, YYYY-MM-DD with its dashes checked, when
// all ten other bytes are digits.
func digits(s string) (y, m, d int, ok bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if i == 4 || i == 7 {
			continue
		}
		c := s[i]
		if c < '0' || c > '9' {
			return 0, 0, 0, false
		}
		n = n*10 + int(c-'0')
		switch i {
		case 3:
			y, n = n, 0
		case 6:
			m, n = n, 0
		}
	}
	return y, m, n, true
}

// DateError is why a text is not a date.
type DateError struct{ Text, Reason string }

func (e *DateError) Error() string { return fmt.Sprintf("%q %s", e.Text, e.Reason) }

func (d Date) IsZero() bool { return d.t.IsZero() }

// String formats the date as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format("2006-01-02")
}

// Time returns midnight UTC of the day.
func (d Date) Time() time.Time              { return d.t }
func (d Date) Year() int                    { return d.t.Year() }
func (d Date) Weekday() time.Weekday        { return d.t.Weekday() }
func (d Date) Before(o Date) bool           { return d.t.Before(o.t) }
func (d Date) After(o Date) bool            { return d.t.After(o.t) }
func (d Date) Equal(o Date) bool            { return d.t.Equal(o.t) }
func (d Date) AddDays(n int) Date           { return Date{d.t.AddDate(0, 0, n)} }
func (d Date) DaysUntil(o Date) int         { return int(o.t.Sub(d.t).Hours() / 24) }
func (d Date) Compare(o Date) int           { return d.t.Compare(o.t) }
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// AddMonths adds n calendar months, clamping to the last day of the target
// month: 2024-11-30 + 3 months = 2025-02-28.
func (d Date) AddMonths(n int) Date {
	y, m, day := d.t.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	if day > last {
		day = last
	}
	return Date{time.Date(first.Year(), first.Month(), day, 0, 0, 0, 0, time.UTC)}
}
