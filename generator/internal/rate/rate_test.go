package rate

import "testing"

func TestRound(t *testing.T) {
	for _, c := range []struct {
		num, den, places int
		want             string
		ok               bool
	}{
		{2663, 2688, 1, "99.1", true},
		{1365, 1393, 1, "98.0", true},
		{1365, 1393, 0, "98", true},
		{688, 697, 2, "98.71", true},
		{688, 697, 1, "98.7", true},
		{688, 697, 0, "99", true},
		{94, 94, 0, "100", true},
		{1, 3, 4, "33.3333", true},
		{1, 200, 1, "0.5", true},
		{1, 2000, 1, "0.1", true}, // 0.05 rounds half up
		{0, 5, 1, "0.0", true},
		{1, 0, 1, "", false},
	} {
		got, ok := Round(c.num, c.den, c.places)
		if got != c.want || ok != c.ok {
			t.Errorf("Round(%d, %d, %d) = %q, %v; want %q, %v", c.num, c.den, c.places, got, ok, c.want, c.ok)
		}
	}
}

func TestAgrees(t *testing.T) {
	for _, c := range []struct {
		printed  string
		num, den int
		agrees   bool
	}{
		{"98.71", 688, 697, true},
		{"98.7", 688, 697, true},
		{"98", 688, 697, false},
		{"98", 1365, 1393, true},
		{"99.1", 2663, 2688, true},
		{"100", 94, 94, true},
	} {
		if got, want, _ := Agrees(c.printed, c.num, c.den); got != c.agrees {
			t.Errorf("Agrees(%q, %d, %d) = %v (should read %s)", c.printed, c.num, c.den, got, want)
		}
	}
}
