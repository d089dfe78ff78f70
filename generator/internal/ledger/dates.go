package ledger

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuncha/bulletin/generator/internal/model"
)

// parseDate reads a date cell as spreadsheets leave it: an Excel serial
// number (45581, or 45581.5 with a time of day; date1904 for workbooks made
// on old Macs), or text written 2024-10-16, 2024/10/16, 2024.10.16 or
// 2024年10月16日 (months and days with or without a leading zero, digits
// full-width or not, a time of day after it ignored).
func parseDate(text string, date1904 bool) (model.Date, error) {
	t := strings.TrimSpace(toHalfWidth(text))
	if t == "" {
		return model.Date{}, nil
	}
	if f, err := strconv.ParseFloat(t, 64); err == nil {
		return serialDate(f, date1904, text)
	}
	// Drop a time of day: "2024-10-16 00:00:00", "2024/10/16 9:30".
	if i := strings.IndexAny(t, " T"); i > 0 {
		t = t[:i]
	}
	var y, m, d int
	var ok bool
	switch {
	case strings.Contains(t, "年"):
		y, m, d, ok = splitDate(strings.TrimSuffix(strings.NewReplacer("年", "-", "月", "-", "日", "", "号", "").Replace(t), "-"), "-")
	case strings.Contains(t, "-"):
		y, m, d, ok = splitDate(t, "-")
	case strings.Contains(t, "/"):
		y, m, d, ok = splitDate(t, "/")
	case strings.Count(t, ".") == 2:
		y, m, d, ok = splitDate(t, ".")
	}
	if !ok {
		return model.Date{}, fmt.Errorf("%q 不是日期（写作 2024-10-16、2024/10/16 或 2024年10月16日）", text)
	}
	day := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if day.Year() != y || int(day.Month()) != m || day.Day() != d {
		return model.Date{}, fmt.Errorf("%q 不是真实的日期", text)
	}
	return model.NewDate(y, time.Month(m), d), nil
}

func splitDate(t, sep string) (y, m, d int, ok bool) {
	parts := strings.Split(t, sep)
	if len(parts) != 3 || len(parts[0]) != 4 {
		return 0, 0, 0, false
	}
	var err error
	nums := [3]int{}
	for i, p := range parts {
		if p == "" || len(p) > 4 {
			return 0, 0, 0, false
		}
		if nums[i], err = strconv.Atoi(p); err != nil || nums[i] < 0 {
			return 0, 0, 0, false
		}
	}
	if len(parts[1]) > 2 || len(parts[2]) > 2 {
		return 0, 0, 0, false
	}
	return nums[0], nums[1], nums[2], true
}

// serialDate turns an Excel serial day number into a date. In the 1900
// system day 1 is 1900-01-01 and Excel counts a 29 February 1900 that never
// was, so serials from 61 on are days since 1899-12-30; in the 1904 system
// day 0 is 1904-01-01.
func serialDate(f float64, date1904 bool, text string) (model.Date, error) {
	if math.IsNaN(f) || f < 1 || f >= 2958466 { // 9999-12-31
		return model.Date{}, fmt.Errorf("%q 不是日期（写作 2024-10-16、2024/10/16 或 2024年10月16日）", text)
	}
	days := int(math.Floor(f))
	var base time.Time
	switch {
	case date1904:
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	case days < 61:
		base = time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)
	default:
		base = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	}
	t := base.AddDate(0, 0, days)
	return model.NewDate(t.Year(), t.Month(), t.Day()), nil
}

// toHalfWidth turns full-width digits and punctuation (２０２４／１０／１６)
// into ASCII.
func toHalfWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return '0' + (r - '０')
		}
		switch r {
		case '／':
			return '/'
		case '－', '—', '–':
			return '-'
		case '．':
			return '.'
		case '\u3000':
			return ' '
		}
		return r
	}, s)
}
