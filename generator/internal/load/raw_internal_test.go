package load

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuncha/bulletin/generator/internal/diag"
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

// TestCleanAgreesWithScan: whatever clean passes, the character by
// character scan finds nothing wrong in, on random text made of the pieces
// that matter (blanks and tabs at line starts, line breaks, entry
// indicators, Chinese, controls, separators, noncharacters, broken UTF-8).
func TestCleanAgreesWithScan(t *testing.T) {
	pieces := []string{" ", "  ", "\t", "\n", "\r\n", "\r", "a", "key", ": ", "- ", ":", "-", ",", "[", "{", "?",
		"中", "，", "“", "\u00a0", "\u00b7", "\u0085", "\u2028", "\u2029", "\ufffe", "\uffff", "\ufffd",
		"\x00", "\x1f", "\x7f", "\xc2", "\xe2\x80", "\xef\xbf", "\xff", "\xed\xa0\x80"}
	rng := rand.New(rand.NewPCG(1, 14))
	passed, scanned := 0, 0
	for range 50000 {
		var sb strings.Builder
		for range 1 + rng.IntN(12) {
			sb.WriteString(pieces[rng.IntN(len(pieces))])
		}
		b := []byte(sb.String())
		var errs diag.List
		f := &file{path: "f.yaml", errs: &errs}
		ok := f.scanRaw(b)
		if ok && len(errs) == 0 {
			scanned++
		}
		if clean(b) {
			passed++
			if !ok || len(errs) > 0 {
				t.Fatalf("clean passes %q, in which the scan finds %v", b, errs)
			}
		}
	}
	if passed < scanned/2 {
		t.Errorf("clean passes %d of the %d texts the scan finds nothing in: it is no shortcut", passed, scanned)
	}
}
