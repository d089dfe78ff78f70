package load

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestKindsFitAMask: record notes the fields it has met in a uint64, by
// index; every kind has fewer than 64, each named once.
func TestKindsFitAMask(t *testing.T) {
	for _, k := range allKinds {
		fields := k.fields()
		if want := slices.Concat(k.required, k.optional); !slices.Equal(fields, want) {
			t.Errorf("%s: fields %v, want %v", k.name, fields, want)
		}
		if len(fields) >= 64 {
			t.Errorf("%s has %d fields: record's mask holds 64", k.name, len(fields))
		}
		for i, name := range fields {
			if k.index(name) != i || k.field(i) != name {
				t.Errorf("%s: field %q is at %d, index says %d", k.name, name, i, k.index(name))
			}
		}
	}
}

// TestValidID: validID is the id pattern of the data format,
// ^[a-z0-9][a-z0-9-]{0,63}$, on ids near every edge of it.
func TestValidID(t *testing.T) {
	re := regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)
	ids := []string{"", "a", "-", "-a", "a-", "0", "r1", "2019-r1", "A", "a_b", "a b", "a.b", "中文", "a\n",
		strings.Repeat("a", 63), strings.Repeat("a", 64), strings.Repeat("a", 65), "é", "z9-", "{", "`", "/", ":", "@", "[", "\x00"}
	for c := range 256 {
		ids = append(ids, string(rune(c)), "a"+string([]byte{byte(c)}))
	}
	for _, id := range ids {
		if got, want := validID(id), re.MatchString(id); got != want {
			t.Errorf("validID(%q) = %v, the pattern says %v", id, got, want)
		}
	}
}
