// Package diag carries positioned diagnostics: every problem found in the
// records is reported as FILE:LINE:COL: message, and all of them together.
package diag

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// Pos is a position in a record file. File is the path as reached from the
// --data folder the user gave (for example "data/chancheng/rounds/2019-r1.yaml").
// Line and Col are 1-based; a zero Line means "the whole file".
type Pos struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Col  int    `json:"col"`
}

func (p Pos) String() string {
	line, col := p.Line, p.Col
	if line < 1 {
		line = 1
	}
	if col < 1 {
		col = 1
	}
	return fmt.Sprintf("%s:%d:%d", p.File, line, col)
}

// Error is one diagnostic.
type Error struct {
	Pos Pos
	Msg string
	// hidden is Msg with every Value replaced by Hidden ("" when the
	// message quotes no record text).
	hidden string
}

func (e Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// List collects diagnostics. The zero value is ready to use.
type List []Error

// Add appends a diagnostic at pos. Record text in args is passed as Value,
// so that Redact can take it out again.
func (l *List) Add(pos Pos, format string, args ...any) {
	e := Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
	if hid, ok := hideValues(args); ok {
		e.hidden = fmt.Sprintf(format, hid...)
	}
	*l = append(*l, e)
}

// AddInternal appends a diagnostic about internal matter: its Values are
// never shown.
func (l *List) AddInternal(pos Pos, format string, args ...any) {
	hid, _ := hideValues(args)
	*l = append(*l, Error{Pos: pos, Msg: fmt.Sprintf(format, hid...)})
}

// Redacted is the message with its record text hidden, as Redact would
// show it inside internal matter ("" when it quotes none): with Pos and
// Msg, all an Error is (a record cache keeps diagnostics by these three).
func (e Error) Redacted() string { return e.hidden }

// Remade is the Error whose Pos, Msg and Redacted are these.
func Remade(pos Pos, msg, redacted string) Error {
	return Error{Pos: pos, Msg: msg, hidden: redacted}
}

// Value is text from a record quoted in a message (printed in double
// quotes, whatever the verb). Inside an internal scope it is replaced by
// Hidden: errors there name the field and the position, never the value,
// because error output goes to CI logs and pull-request annotations.
type Value string

// Format prints v quoted.
func (v Value) Format(s fmt.State, _ rune) { io.WriteString(s, strconv.Quote(string(v))) }

// Hidden is what a message shows instead of a Value of internal matter.
const Hidden = "(internal: not shown)"

// Hide returns what a message prints instead of v inside internal matter.
func (Value) Hide() any { return hidden{} }

type hidden struct{}

func (hidden) Format(s fmt.State, _ rune) { io.WriteString(s, Hidden) }

// Hider is an argument that carries record text: Hide returns what to
// print in its place inside internal matter.
type Hider interface{ Hide() any }

// Named is a record named by its kind and id in a message, such as
// problem "p1". Its id is a Value.
type Named struct {
	Kind string
	ID   Value
}

// Format prints the kind and the quoted id.
func (n Named) Format(s fmt.State, _ rune) { fmt.Fprintf(s, "%s %s", n.Kind, n.ID) }

// Hide prints the kind alone with Hidden.
func (n Named) Hide() any { return n.Kind + " " + Hidden }

// hideValues returns args with every Hider replaced, and whether there was
// one.
func hideValues(args []any) ([]any, bool) {
	out, any := make([]any, len(args)), false
	for i, a := range args {
		if h, ok := a.(Hider); ok {
			out[i], any = h.Hide(), true
			continue
		}
		out[i] = a
	}
	return out, any
}

// Redact hides the record text of every diagnostic that internal reports
// to lie in internal matter.
func (l List) Redact(internal func(Pos) bool) {
	for i, e := range l {
		if e.hidden != "" && internal(e.Pos) {
			l[i].Msg, l[i].hidden = e.hidden, ""
		}
	}
}

// Span is a range of lines of one file, both ends included.
type Span struct{ From, To int }

// Scopes are the spans of each file (by path, as in Pos.File) that hold
// internal matter.
type Scopes map[string][]Span

// Contains reports whether p lies in one of the spans of its file.
func (s Scopes) Contains(p Pos) bool { return InSpans(s[p.File], p.Line) }

// InSpans reports whether line lies in one of spans.
func InSpans(spans []Span, line int) bool {
	for _, sp := range spans {
		if line >= sp.From && line <= sp.To {
			return true
		}
	}
	return false
}

// Append adds every diagnostic of other.
func (l *List) Append(other List) { *l = append(*l, other...) }

// Sort orders diagnostics by file, line, column and message, and drops exact
// duplicates, so that output is stable whatever order the checks ran in.
func (l List) Sort() List {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.Pos.File != b.Pos.File {
			return a.Pos.File < b.Pos.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		if a.Pos.Col != b.Pos.Col {
			return a.Pos.Col < b.Pos.Col
		}
		return a.Msg < b.Msg
	})
	out := l[:0]
	for i, e := range l {
		if i > 0 && e == l[i-1] {
			continue
		}
		out = append(out, e)
	}
	return out
}

// Err returns nil for an empty list, else the list as an error.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

func (l List) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}
