package load

import (
	"testing"
	"unicode/utf8"
)

// TestPlain3: every three-byte sequence that checkRaw's shortcut passes
// over is one character the long way passes over too: valid UTF-8 of three
// bytes (U+FFFD written out included), printable, not a line separator,
// starting no entry.
func TestPlain3(t *testing.T) {
	passed := 0
	for c0 := 0xC0; c0 <= 0xFF; c0++ {
		for c1 := range 256 {
			for c2 := range 256 {
				b := []byte{byte(c0), byte(c1), byte(c2)}
				if !plain3(b, 0) {
					continue
				}
				passed++
				r, n := utf8.DecodeRune(b)
				if n != 3 || !printable(r) || r == '\u0085' || r == '\u2028' || r == '\u2029' || startsEntry(b, 0, r) {
					t.Fatalf("plain3 passes % X (U+%04X, %d bytes), which checkRaw must look at", b, r, n)
				}
			}
		}
	}
	if passed < 0xC000 { // U+1000–U+CFFF and U+E000–U+FFFD
		t.Errorf("plain3 passes %d sequences, want at least %d", passed, 0xC000)
	}
	if plain3([]byte("中文"), 4) || !plain3([]byte("中文"), 3) {
		t.Error("plain3 reads past the end, or misses the last character")
	}
}
