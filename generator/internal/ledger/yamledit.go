package ledger

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"
)

// editor changes a YAML file by splicing text at the positions yaml.v3
// reports: every byte the edits do not replace stays as it was, so
// comments, key order, quoting and layout survive and `git diff` shows only
// the lines whose values changed. The file is never re-marshalled.
type editor struct {
	crlf  bool // the file's lines end in CR LF (Windows): new lines do too
	src   []byte
	lines []int // byte offset of the start of each line; lines[0] == 0
	edits []edit
}

// edit replaces src[start:end] with text (an insertion when start == end).
type edit struct {
	start, end int
	text       string
	origin     string // where the change comes from: a ledger cell, a form field
	seq        int    // order of insertions at the same offset
}

func newEditor(src []byte) *editor {
	e := &editor{src: src, lines: []int{0}, crlf: bytes.Contains(src, []byte("\r\n"))}
	for i, b := range src {
		if b == '\n' && i+1 < len(src) {
			e.lines = append(e.lines, i+1)
		}
	}
	return e
}

func (e *editor) numLines() int { return len(e.lines) }

// line returns line l (1-based) without its line break.
func (e *editor) line(l int) string {
	start := e.lines[l-1]
	end := len(e.src)
	if l < len(e.lines) {
		end = e.lines[l]
	}
	return strings.TrimRight(string(e.src[start:end]), "\r\n")
}

// indent is the number of spaces before line l's text, or -1 for a blank
// line.
func (e *editor) indent(l int) int {
	s := e.line(l)
	t := strings.TrimLeft(s, " ")
	if strings.TrimSpace(t) == "" {
		return -1
	}
	return len(s) - len(t)
}

func (e *editor) isComment(l int) bool {
	return strings.HasPrefix(strings.TrimSpace(e.line(l)), "#")
}

// offset is the byte offset of line l, column col (1-based, in characters
// as yaml.v3 counts them).
func (e *editor) offset(l, col int) int {
	off := e.lines[l-1]
	for i := 1; i < col && off < len(e.src); i++ {
		_, size := utf8.DecodeRune(e.src[off:])
		off += size
	}
	return off
}

// lineOf is the line (1-based) that holds byte offset off.
func (e *editor) lineOf(off int) int {
	return sort.Search(len(e.lines), func(i int) bool { return e.lines[i] > off })
}

// lineEnd is the offset of the end of line l's text (before its break).
func (e *editor) lineEnd(l int) int { return e.lines[l-1] + len(e.line(l)) }

// blockEnd is the last line of a block that starts at line start and
// continues while lines are blank, comments, or indented more than indent;
// trailing blank and comment lines are not part of it.
func (e *editor) blockEnd(start, indent int) int {
	last := start
	for l := start + 1; l <= e.numLines(); l++ {
		in := e.indent(l)
		if in < 0 {
			continue
		}
		if in <= indent && !e.isComment(l) {
			break
		}
		if in > indent && !e.isComment(l) {
			last = l
		}
	}
	return last
}

// mappingEnd is the last line of a block mapping.
func (e *editor) mappingEnd(m *yaml.Node) int {
	if len(m.Content) == 0 {
		return m.Line
	}
	return e.blockEnd(m.Line, m.Content[0].Column-2)
}

// itemEnd is the last line of item i of a block sequence.
func (e *editor) itemEnd(seq *yaml.Node, i int) int {
	return e.blockEnd(seq.Content[i].Line, seq.Column-1)
}

// valueExtent is the byte range of the value of key in a block mapping:
// a scalar on the key's line (its trailing comment excluded), a block or
// multi-line scalar, or a flow collection.
func (e *editor) valueExtent(key, val *yaml.Node) (int, int, error) {
	start := e.offset(val.Line, val.Column)
	if val.Kind != yaml.ScalarNode && val.Style&yaml.FlowStyle == 0 {
		return 0, 0, fmt.Errorf("not a scalar")
	}
	if val.Kind == yaml.MappingNode || val.Kind == yaml.SequenceNode {
		end, ok := flowEnd(e.src, start)
		if !ok {
			return 0, 0, fmt.Errorf("unterminated flow collection")
		}
		return start, end, nil
	}
	if val.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		end, ok := quotedEnd(e.src, start)
		if !ok {
			return 0, 0, fmt.Errorf("unterminated quoted scalar")
		}
		return start, end, nil
	}
	if last := e.blockEnd(key.Line, key.Column-1); last > val.Line || val.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return start, e.lineEnd(last), nil
	}
	// A plain scalar on the key's line: up to a comment or the line's end.
	end := e.lineEnd(val.Line)
	rest := string(e.src[start:end])
	if i := strings.Index(rest, " #"); i >= 0 {
		rest = rest[:i]
	}
	return start, start + len(strings.TrimRight(rest, " \t")), nil
}

// quotedEnd is the offset just past the closing quote of the quoted scalar
// at start.
func quotedEnd(src []byte, start int) (int, bool) {
	q := src[start]
	for i := start + 1; i < len(src); i++ {
		switch {
		case q == '"' && src[i] == '\\':
			i++
		case src[i] == q:
			if q == '\'' && i+1 < len(src) && src[i+1] == '\'' {
				i++
				continue
			}
			return i + 1, true
		}
	}
	return 0, false
}

// flowEnd is the offset just past the bracket that closes the flow
// collection at start.
func flowEnd(src []byte, start int) (int, bool) {
	depth := 0
	for i := start; i < len(src); i++ {
		switch src[i] {
		case '"', '\'':
			end, ok := quotedEnd(src, i)
			if !ok {
				return 0, false
			}
			i = end - 1
		case '[', '{':
			depth++
		case ']', '}':
			depth--
			if depth == 0 {
				return i + 1, true
			}
		case '#':
			if i > 0 && (src[i-1] == ' ' || src[i-1] == '\n') {
				for i < len(src) && src[i] != '\n' {
					i++
				}
			}
		}
	}
	return 0, false
}

func (e *editor) replace(start, end int, text string, origin string) {
	if e.crlf {
		text = strings.ReplaceAll(text, "\n", "\r\n")
	}
	e.edits = append(e.edits, edit{start: start, end: end, text: text, origin: origin, seq: len(e.edits)})
}

// insertAfter inserts text (whole lines, each ending in a line break)
// after line l.
func (e *editor) insertAfter(l int, text string, origin string) {
	off := len(e.src)
	if l < e.numLines() {
		off = e.lines[l]
	} else if len(e.src) > 0 && e.src[len(e.src)-1] != '\n' {
		text = "\n" + text
	}
	e.replace(off, off, text, origin)
}

// span is where one edit's text landed in the result, in lines.
type span struct {
	first, last int // 1-based lines of the result
	shift       int // lines the edit added (removed when negative)
	origin      string
}

// result applies the edits and returns the new file and where each edit's
// text landed.
func (e *editor) result() ([]byte, []span) {
	sort.SliceStable(e.edits, func(i, j int) bool {
		if e.edits[i].start != e.edits[j].start {
			return e.edits[i].start < e.edits[j].start
		}
		return e.edits[i].seq < e.edits[j].seq
	})
	var out bytes.Buffer
	out.Grow(len(e.src) + 64*len(e.edits))
	var spans []span
	pos, line := 0, 1
	for _, ed := range e.edits {
		if ed.start < pos {
			continue // overlaps an earlier edit: the planner never asks for this
		}
		chunk := e.src[pos:ed.start]
		line += bytes.Count(chunk, []byte("\n"))
		out.Write(chunk)
		first := line
		out.WriteString(ed.text)
		n := strings.Count(ed.text, "\n")
		last := first + n
		if strings.HasSuffix(ed.text, "\n") && n > 0 {
			last--
		}
		spans = append(spans, span{first: first, last: last, origin: ed.origin,
			shift: n - bytes.Count(e.src[ed.start:ed.end], []byte("\n"))})
		line += n
		pos = ed.end
	}
	out.Write(e.src[pos:])
	return out.Bytes(), spans
}

// scalarText is s as a YAML scalar to write after "key: " at a key
// indented by indent spaces: kept in the style the old value was written
// in where it can be, plain where YAML allows, and as a literal block when
// it has several lines.
func scalarText(s string, old yaml.Style, indent int) string {
	if strings.Contains(s, "\n") {
		pad := strings.Repeat(" ", indent+2)
		var b strings.Builder
		b.WriteString("|-")
		for _, l := range strings.Split(s, "\n") {
			l = strings.TrimRight(l, " \t")
			b.WriteByte('\n')
			if l != "" {
				b.WriteString(pad + l)
			}
		}
		return b.String()
	}
	switch {
	case old&yaml.DoubleQuotedStyle != 0:
		return doubleQuoted(s)
	case old&yaml.SingleQuotedStyle != 0:
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	b, err := yaml.Marshal(n)
	if err != nil || bytes.Count(b, []byte("\n")) > 1 {
		return doubleQuoted(s)
	}
	return strings.TrimSuffix(string(b), "\n")
}

// doubleQuoted is s as a double-quoted YAML scalar.
func doubleQuoted(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
