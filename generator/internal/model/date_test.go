package model

import (
	"fmt"
	"testing"
	"time"
)

// TestParseDate: ParseDate takes exactly the days time.Parse takes as
// 2006-01-02, gives the same time, and says why the others are refused.
func TestParseDate(t *testing.T) {
	texts := []string{"2024-02-29", "2023-02-29", "2019-13-45", "2019-02-30", "2019-00-10", "2019-01-00", "0000-01-01",
		"0001-01-01", "9999-12-31", "2024-1-05", "2024/01/05", "2024-01-5x", "２０２４-01-05", "", "2024-01-05 ", "+024-01-05"}
	for y := 1999; y <= 2001; y++ {
		for m := 0; m <= 13; m++ {
			for d := 0; d <= 32; d++ {
				texts = append(texts, fmt.Sprintf("%04d-%02d-%02d", y, m, d))
			}
		}
	}
	for _, s := range texts {
		got, err := ParseDate(s)
		want, werr := time.Parse("2006-01-02", s)
		switch {
		case (err == nil) != (werr == nil):
			t.Errorf("ParseDate(%q): error %v, time.Parse's %v", s, err, werr)
		case err == nil && !got.Time().Equal(want):
			t.Errorf("ParseDate(%q) = %v, time.Parse gives %v", s, got.Time(), want)
		case err == nil && got.Time().Location() != time.UTC:
			t.Errorf("ParseDate(%q) is in %v, want UTC", s, got.Time().Location())
		}
	}
	for s, reason := range map[string]string{
		"2019-02-30": "is not a real date",
		"2019-13-01": "is not a real date",
		"2019-1-1":   "is not a date: write YYYY-MM-DD",
	} {
		_, err := ParseDate(s)
		if de, ok := err.(*DateError); !ok || de.Reason != reason || de.Text != s {
			t.Errorf("ParseDate(%q): %v, want %q", s, err, reason)
		}
	}
}
