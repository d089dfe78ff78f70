package calendar

import (
	"fmt"
	"testing"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"
	"github.com/xuncha/bulletin/generator/internal/model"
)

func date(t *testing.T, s string) model.Date {
	t.Helper()
	d, err := model.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestIsWorkday(t *testing.T) {
	c := New(nil)
	for _, tc := range []struct {
		day  string
		want bool
		why  string
	}{
		{"2024-03-06", true, "ordinary Wednesday"},
		{"2024-03-09", false, "ordinary Saturday"},
		{"2024-03-10", false, "ordinary Sunday"},
		{"2024-02-04", true, "春节 2024: make-up Sunday"},
		{"2024-02-09", true, "春节 2024: 除夕 was not a statutory day off"},
		{"2024-02-10", false, "春节 2024: first day off (Saturday)"},
		{"2024-02-14", false, "春节 2024: Wednesday off"},
		{"2024-02-17", false, "春节 2024: last day off"},
		{"2024-02-18", true, "春节 2024: make-up Sunday"},
		{"2025-01-26", true, "春节 2025: make-up Sunday"},
		{"2025-01-28", false, "春节 2025: 除夕 off"},
		{"2025-02-04", false, "春节 2025: last day off"},
		{"2025-02-08", true, "春节 2025: make-up Saturday"},
		{"2020-01-31", false, "春节 2020: extended holiday"},
		{"2020-02-03", true, "春节 2020: back to work"},
		{"2026-02-14", true, "春节 2026: make-up Saturday"},
		{"2026-02-23", false, "春节 2026: last day off (Monday)"},
		{"2026-02-28", true, "春节 2026: make-up Saturday"},
		{"2027-01-01", false, "元旦 2027 (lunar-go v1.4.7)"},
		{"2027-01-31", true, "春节 2027: make-up Sunday"},
		{"2027-02-12", false, "春节 2027: Friday off"},
		{"2027-02-14", true, "春节 2027: make-up Sunday"},
		{"2027-05-08", true, "劳动节 2027: make-up Saturday"},
		{"2027-09-15", false, "中秋 2027: Wednesday off"},
		{"2027-10-07", false, "国庆 2027: last day off (Thursday)"},
		{"2027-10-09", true, "国庆 2027: make-up Saturday"},
		{"2024-09-29", true, "国庆 2024: make-up Sunday"},
		{"2024-09-30", true, "国庆 2024: Monday before"},
		{"2024-10-01", false, "国庆 2024"},
		{"2024-10-07", false, "国庆 2024: last day off (Monday)"},
		{"2024-10-12", true, "国庆 2024: make-up Saturday"},
		{"2024-10-13", false, "国庆 2024: the Sunday after is off"},
		{"2023-09-29", false, "中秋国庆 2023: first day off (Friday)"},
		{"2023-10-06", false, "中秋国庆 2023: last day off (Friday)"},
		{"2023-10-07", true, "中秋国庆 2023: make-up Saturday"},
		{"2023-10-08", true, "中秋国庆 2023: make-up Sunday"},
		{"2019-09-29", true, "国庆 2019: make-up Sunday"},
		{"2019-10-04", false, "国庆 2019: Friday off"},
		{"2019-10-12", true, "国庆 2019: make-up Saturday"},
		{"2021-04-25", true, "劳动节 2021: make-up Sunday"},
		{"2021-05-05", false, "劳动节 2021: Wednesday off"},
		{"2021-05-08", true, "劳动节 2021: make-up Saturday"},
		{"2023-12-29", true, "元旦 2024: the Friday before"},
		{"2024-01-01", false, "元旦 2024"},
	} {
		got, err := c.IsWorkday(date(t, tc.day))
		if err != nil {
			t.Errorf("%s: %v", tc.day, err)
			continue
		}
		if got != tc.want {
			t.Errorf("IsWorkday(%s) = %v, want %v (%s)", tc.day, got, tc.want, tc.why)
		}
	}
}

func TestAddWorkingDays(t *testing.T) {
	c := New(nil)
	for _, tc := range []struct {
		from string
		n    int
		want string
	}{
		{"2024-09-27", 10, "2024-10-16"}, // 9-29 and 10-12 are make-up days, 10-1..7 off
		{"2024-09-27", 1, "2024-09-29"},
		{"2024-09-27", 2, "2024-09-30"},
		{"2024-09-27", 3, "2024-10-08"},
		{"2024-09-27", 0, "2024-09-27"},
		{"2024-02-08", 1, "2024-02-09"},
		{"2024-02-08", 2, "2024-02-18"}, // over 春节 to the make-up Sunday
		{"2023-12-29", 1, "2024-01-02"}, // across the year and 元旦
		{"2019-05-20", 10, "2019-06-03"},
		{"2023-09-27", 2, "2023-10-07"}, // 9-28, then the make-up Saturday
		{"2023-09-27", 3, "2023-10-08"}, // and the make-up Sunday
		{"2024-03-08", 1, "2024-03-11"}, // ordinary weekend
	} {
		got, err := c.AddWorkingDays(date(t, tc.from), tc.n)
		if err != nil {
			t.Errorf("%s + %d: %v", tc.from, tc.n, err)
			continue
		}
		if got.String() != tc.want {
			t.Errorf("%s + %d working days = %s, want %s", tc.from, tc.n, got, tc.want)
		}
	}
}

func TestHasYear(t *testing.T) {
	c := New(nil)
	for y := 2002; y <= 2027; y++ {
		if !c.HasYear(y) {
			t.Errorf("HasYear(%d) = false, want built in", y)
		}
	}
	for _, y := range []int{1999, 2000, 2028, 2100, 0, -5} {
		if c.HasYear(y) {
			t.Errorf("HasYear(%d) = true, want false", y)
		}
	}
}

func TestMissingYear(t *testing.T) {
	const msg = "no official holiday schedule for 2028: add it under calendar: in site.yaml"
	c := New(nil)
	if _, err := c.IsWorkday(date(t, "2028-03-01")); err == nil || err.Error() != msg {
		t.Errorf("IsWorkday in 2028: err = %v, want %q", err, msg)
	}
	// 2027-12-27 is a Monday: four days in 2027, then 2028 has no schedule.
	if _, err := c.AddWorkingDays(date(t, "2027-12-27"), 10); err == nil || err.Error() != msg {
		t.Errorf("AddWorkingDays into 2028: err = %v, want %q", err, msg)
	}
	// Counting within 2027 does not need 2028.
	if got, err := c.AddWorkingDays(date(t, "2027-12-27"), 4); err != nil || got.String() != "2027-12-31" {
		t.Errorf("AddWorkingDays within 2027 = %s, %v", got, err)
	}
}

func TestExtraYear(t *testing.T) {
	c := New([]model.CalendarYear{{
		Year:     2028,
		Holidays: []model.Date{date(t, "2028-01-03"), date(t, "2028-01-26")},
		Workdays: []model.Date{date(t, "2028-01-29")},
	}})
	if !c.HasYear(2028) {
		t.Fatal("HasYear(2028) = false with an extra schedule")
	}
	for _, tc := range []struct {
		day  string
		want bool
	}{
		{"2028-01-03", false}, // holiday on a Monday
		{"2028-01-04", true},
		{"2028-01-26", false},
		{"2028-01-29", true}, // make-up Saturday
		{"2028-01-30", false},
	} {
		got, err := c.IsWorkday(date(t, tc.day))
		if err != nil || got != tc.want {
			t.Errorf("IsWorkday(%s) = %v, %v; want %v", tc.day, got, err, tc.want)
		}
	}
	got, err := c.AddWorkingDays(date(t, "2027-12-30"), 2)
	if err != nil || got.String() != "2028-01-04" {
		t.Errorf("2027-12-30 + 2 = %s, %v; want 2028-01-04", got, err)
	}
	if c.HasYear(2029) {
		t.Error("HasYear(2029) = true")
	}
}

func TestExtraReplacesBuiltin(t *testing.T) {
	// An (odd) schedule for 2024 with no holidays at all: 国庆 is gone.
	c := New([]model.CalendarYear{{Year: 2024}})
	if !c.HasYear(2024) {
		t.Fatal("HasYear(2024) = false")
	}
	if ok, err := c.IsWorkday(date(t, "2024-10-01")); err != nil || !ok {
		t.Errorf("2024-10-01 = %v, %v; want a working day under the replacing schedule", ok, err)
	}
	if ok, err := c.IsWorkday(date(t, "2024-09-29")); err != nil || ok {
		t.Errorf("2024-09-29 = %v, %v; want an ordinary Sunday under the replacing schedule", ok, err)
	}
	// Other years keep the built-in schedule.
	if ok, err := c.IsWorkday(date(t, "2023-10-02")); err != nil || ok {
		t.Errorf("2023-10-02 = %v, %v; want off", ok, err)
	}
}

// TestBuiltinComplete checks that reading lunar-go year by year gives the
// same days as asking it day by day.
func TestBuiltinComplete(t *testing.T) {
	c := New(nil)
	for y := 2002; y <= 2026; y++ {
		for d := model.NewDate(y, time.January, 1); d.Year() == y; d = d.AddDays(1) {
			want := d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
			if h := HolidayUtil.GetHoliday(d.String()); h != nil && h.GetDay() == d.String() {
				want = h.IsWork()
			}
			got, err := c.IsWorkday(d)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("IsWorkday(%s) = %v, lunar-go says %v", d, got, want)
			}
		}
	}
}

func ExampleCalendar_AddWorkingDays() {
	c := New(nil)
	feedback, _ := model.ParseDate("2024-09-27")
	due, _ := c.AddWorkingDays(feedback, 10)
	fmt.Println(due)
	// Output: 2024-10-16
}

// TestConcurrent reads years lazily from many goroutines (run with -race).
func TestConcurrent(t *testing.T) {
	c := New(nil)
	done := make(chan error)
	for i := 0; i < 8; i++ {
		go func(i int) {
			_, err := c.AddWorkingDays(model.NewDate(2002+i*3, time.March, 1), 300)
			done <- err
		}(i)
	}
	for i := 0; i < 8; i++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

func TestRunsOutSoon(t *testing.T) {
	builtin := New(nil)
	if got := builtin.LastYear(); got != 2027 {
		t.Fatalf("LastYear() = %d, want 2027 (lunar-go v1.4.7)", got)
	}
	extended := New([]model.CalendarYear{{Year: 2028}})
	gap := New([]model.CalendarYear{{Year: 2029}}) // 2028 missing: the calendar still ends with 2027
	for _, tc := range []struct {
		c    *Calendar
		asOf string
		last int
		soon bool
	}{
		{builtin, "2027-09-30", 2027, false}, // + 3 months = 2027-12-30
		{builtin, "2027-10-01", 2027, true},  // + 3 months = 2028-01-01
		{builtin, "2028-02-01", 2027, true},
		{builtin, "2024-12-31", 2027, false},
		{extended, "2027-12-31", 2028, false},
		{extended, "2028-10-01", 2028, true},
		{gap, "2027-10-01", 2027, true},
		{builtin, "", 2027, false},
	} {
		var d model.Date
		if tc.asOf != "" {
			d = date(t, tc.asOf)
		}
		last, soon := tc.c.RunsOutSoon(d)
		if last != tc.last || soon != tc.soon {
			t.Errorf("RunsOutSoon(%q) = %d, %v; want %d, %v", tc.asOf, last, soon, tc.last, tc.soon)
		}
	}
}
