// Package rate is the one place a completion rate is computed and checked:
// num ÷ den in percent, rounded half up at a given precision, exactly (no
// binary floating point), and a printed rate compared with its counts.
package rate

import (
	"math/big"
	"strings"
)

// Round is num ÷ den in percent, rounded half up to places decimals and
// written with exactly that many ("98.71", "98", "99.1"). ok is false when
// den is 0 or less.
func Round(num, den, places int) (string, bool) {
	if den <= 0 || places < 0 {
		return "", false
	}
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil)
	n := new(big.Int).Mul(big.NewInt(int64(num)), big.NewInt(200))
	n.Mul(n, scale)
	n.Add(n, big.NewInt(int64(den)))
	q := n.Quo(n, big.NewInt(2*int64(den)))
	digits := q.String()
	if places == 0 {
		return digits, true
	}
	for len(digits) <= places {
		digits = "0" + digits
	}
	return digits[:len(digits)-places] + "." + digits[len(digits)-places:], true
}

// Decimals is the number of digits after the point of a printed rate.
func Decimals(printed string) int {
	if _, frac, ok := strings.Cut(printed, "."); ok {
		return len(frac)
	}
	return 0
}

// Agrees reports whether a printed rate rounds from num ÷ den at its own
// precision (688/697 = 98.708…%: "98.71" and "98.7" agree, "98" does not),
// and returns what it should read at that precision. ok is false when den
// is 0: nothing can be checked.
func Agrees(printed string, num, den int) (agrees bool, want string, ok bool) {
	want, ok = Round(num, den, Decimals(printed))
	return ok && want == printed, want, ok
}
