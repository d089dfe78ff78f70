package edition

import "fmt"

// Edition is which edition a build makes: the public one (向社会公开), the
// only one that leaves the office, or the internal notice (内部通报).
type Edition string

// The two editions. (Internal, the function, says whether a problem is
// internal matter.)
const (
	PublicEdition   Edition = "public"
	InternalEdition Edition = "internal"
)

// Parse reads an edition's name; "" is the public edition.
func Parse(s string) (Edition, error) {
	switch Edition(s) {
	case "", PublicEdition:
		return PublicEdition, nil
	case InternalEdition:
		return InternalEdition, nil
	}
	return "", fmt.Errorf("must be public or internal, not %q", s)
}

// String is the edition's name.
func (e Edition) String() string { return string(e) }

// Set makes *Edition a flag.Value (--edition public|internal).
func (e *Edition) Set(s string) error {
	v, err := Parse(s)
	if err == nil {
		*e = v
	}
	return err
}

// Public reports whether e is the public edition (the zero value is).
func (e Edition) Public() bool { return e != InternalEdition }
