// Package decimal is the exact decimal number of a published figure: the
// digits as the record writes them ("7.132" stays 7.132, "7.10" stays 7.10),
// summed exactly, never through binary floating point. A notice's 追缴资金
// 7.132 万元 must not become 7.13, and 0.1 + 0.2 must be 0.3.
//
// A Decimal is immutable; the zero value is 0 (no decimals).
package decimal

import (
	"errors"
	"math/big"
	"regexp"
	"strings"
)

// Decimal is coef × 10^-scale, with scale the number of digits written
// after the point.
type Decimal struct {
	coef  *big.Int // nil for 0
	scale int
}

// MaxScale bounds the digits after the point a record may write.
const MaxScale = 12

var plainRE = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)

// ErrSyntax is returned for text that is not a plain decimal figure.
var ErrSyntax = errors.New("not a figure: write digits, with a decimal point if needed (7.132)")

// ErrScale is returned for more than MaxScale digits after the point.
var ErrScale = errors.New("too many digits after the decimal point")

// Parse reads a figure as written: digits, optionally a point and more
// digits ("0", "42", "7.132", "7.10"). Signs, exponents, separators and
// spaces are refused: a record writes a figure as the notice prints it.
func Parse(s string) (Decimal, error) {
	if !plainRE.MatchString(s) {
		return Decimal{}, ErrSyntax
	}
	intPart, frac, _ := strings.Cut(s, ".")
	if len(frac) > MaxScale {
		return Decimal{}, ErrScale
	}
	c, ok := new(big.Int).SetString(intPart+frac, 10)
	if !ok {
		return Decimal{}, ErrSyntax
	}
	return Decimal{coef: c, scale: len(frac)}, nil
}

// FromInt is n with no decimals.
func FromInt(n int64) Decimal { return Decimal{coef: big.NewInt(n)} }

func (d Decimal) c() *big.Int {
	if d.coef == nil {
		return new(big.Int)
	}
	return d.coef
}

// Scale is the number of digits after the point.
func (d Decimal) Scale() int { return d.scale }

// rescaled is d's coefficient at a larger scale s.
func (d Decimal) rescaled(s int) *big.Int {
	c := new(big.Int).Set(d.c())
	if s > d.scale {
		c.Mul(c, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(s-d.scale)), nil))
	}
	return c
}

// Add returns d + o, exactly, with the larger of their scales
// (7.132 + 0.5 = 7.632; 1.10 + 2 = 3.10).
func (d Decimal) Add(o Decimal) Decimal {
	s := max(d.scale, o.scale)
	return Decimal{coef: new(big.Int).Add(d.rescaled(s), o.rescaled(s)), scale: s}
}

// Cmp compares d and o by value: -1, 0 or +1 (7.10 equals 7.1).
func (d Decimal) Cmp(o Decimal) int {
	s := max(d.scale, o.scale)
	return d.rescaled(s).Cmp(o.rescaled(s))
}

// Sign is -1, 0 or +1.
func (d Decimal) Sign() int { return d.c().Sign() }

// String writes d with exactly its digits: "7.132", "7.10", "0", "2688".
func (d Decimal) String() string {
	neg := d.Sign() < 0
	digits := new(big.Int).Abs(d.c()).String()
	if d.scale > 0 {
		if len(digits) <= d.scale {
			digits = strings.Repeat("0", d.scale-len(digits)+1) + digits
		}
		digits = digits[:len(digits)-d.scale] + "." + digits[len(digits)-d.scale:]
	}
	if neg {
		return "-" + digits
	}
	return digits
}

// Text writes d for a page: its digits with thousands separators in the
// whole part ("1,476", "2,688.5", "7.132").
func (d Decimal) Text() string {
	s := d.String()
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// MarshalText writes String, so that JSON carries the digits as written.
func (d Decimal) MarshalText() ([]byte, error) { return []byte(d.String()), nil }
