package decimal

import "testing"

func mustParse(t *testing.T, s string) Decimal {
	t.Helper()
	d, err := Parse(s)
	if err != nil {
		t.Fatalf("Parse(%q): %v", s, err)
	}
	return d
}

func TestParseKeepsTheDigitsWritten(t *testing.T) {
	for _, tc := range []struct{ in, str, text string }{
		{"7.132", "7.132", "7.132"},
		{"7.10", "7.10", "7.10"},
		{"0", "0", "0"},
		{"0.0", "0.0", "0.0"},
		{"667", "667", "667"},
		{"2688", "2688", "2,688"},
		{"1234567.891", "1234567.891", "1,234,567.891"},
		{"007", "7", "7"},
		{"0.05", "0.05", "0.05"},
	} {
		d := mustParse(t, tc.in)
		if got := d.String(); got != tc.str {
			t.Errorf("Parse(%q).String() = %q, want %q", tc.in, got, tc.str)
		}
		if got := d.Text(); got != tc.text {
			t.Errorf("Parse(%q).Text() = %q, want %q", tc.in, got, tc.text)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	for _, in := range []string{"", "-1", "+1", "1e3", "1,000", " 1", "1.", ".5", "七", "0x10", "1.2.3", "1.0000000000001"} {
		if _, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) accepted", in)
		}
	}
}

func TestAddIsExact(t *testing.T) {
	for _, tc := range []struct {
		a, b, want string
	}{
		{"0.1", "0.2", "0.3"}, // 0.30000000000000004 in float64
		{"7.132", "0.5", "7.632"},
		{"1.10", "2", "3.10"},
		{"667", "809", "1476"},
		{"999999999999.999999999999", "0.000000000001", "1000000000000.000000000000"},
	} {
		if got := mustParse(t, tc.a).Add(mustParse(t, tc.b)).String(); got != tc.want {
			t.Errorf("%s + %s = %s, want %s", tc.a, tc.b, got, tc.want)
		}
	}
	var zero Decimal
	if got := zero.Add(mustParse(t, "7.132")).String(); got != "7.132" {
		t.Errorf("0 + 7.132 = %s", got)
	}
	// Many small parts: float64 would drift.
	sum := Decimal{}
	for i := 0; i < 1000; i++ {
		sum = sum.Add(mustParse(t, "0.001"))
	}
	if got := sum.String(); got != "1.000" {
		t.Errorf("1000 × 0.001 = %s, want 1.000", got)
	}
}

func TestCmp(t *testing.T) {
	if mustParse(t, "7.10").Cmp(mustParse(t, "7.1")) != 0 || mustParse(t, "7.132").Cmp(mustParse(t, "7.2")) != -1 ||
		mustParse(t, "10").Cmp(mustParse(t, "9.999")) != 1 {
		t.Error("Cmp compares values, whatever the scale")
	}
}
