package edition

import "testing"

func TestParse(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Edition
		ok   bool
	}{{"", PublicEdition, true}, {"public", PublicEdition, true}, {"internal", InternalEdition, true}, {"Internal", "", false}, {"all", "", false}} {
		got, err := Parse(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("Parse(%q) = %q, %v", tt.in, got, err)
		}
	}
	if !Edition("").Public() || InternalEdition.Public() {
		t.Error("the zero edition must be the public one, and the internal one not")
	}
}
