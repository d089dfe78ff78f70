package load

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuncha/bulletin/generator/internal/diag"
	yaml "go.yaml.in/yaml/v3"
)

// open reads, checks and parses a record file. It returns the file and the
// root node of its one document, or a nil node when the file was refused
// (the reasons are reported).
func (l *loader) open(r *ref) (*file, *yaml.Node) {
	f := l.newFile(r)
	b := l.read(f)
	if b == nil || !f.checkRaw(b) {
		return f, nil
	}
	return f, f.parse(b)
}

// parse parses b, which has passed checkRaw, into the root node of its one
// document, and checks the tree before anything looks at values: no anchors
// or aliases (so nothing can expand), bounded nesting, no duplicate or
// non-text keys, no control characters in text.
func (f *file) parse(b []byte) *yaml.Node {
	doc, second, err := decode(b)
	switch {
	case err != nil:
		f.syntaxError(b, err)
		return nil
	case doc == nil || len(doc.Content) == 0 || isNull(doc.Content[0]):
		f.add(1, 1, "file is empty")
		return nil
	case second != nil:
		f.add(second.Line, second.Column, `more than one YAML document in the file: keep one record per file (remove this "---" and what follows, or move it to a file of its own)`)
		return nil
	}
	root := doc.Content[0]
	if !f.checkTree(root, 1) {
		return nil
	}
	return root
}

// decode parses the first document of b and tells whether there is a
// second one. A file with no document gives a nil doc and no error.
func decode(b []byte) (doc, second *yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			doc, second, err = nil, nil, fmt.Errorf("yaml: the YAML parser failed: %v", r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var d1, d2 yaml.Node
	if err := dec.Decode(&d1); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, nil
		}
		return nil, nil, err
	}
	switch err := dec.Decode(&d2); {
	case errors.Is(err, io.EOF):
		return &d1, nil, nil
	case err != nil:
		return nil, nil, err
	}
	return &d1, &d2, nil
}

// decodeFails reports whether b fails to parse with message msg.
func decodeFails(b []byte, msg string) bool {
	_, _, err := decode(b)
	if err == nil {
		return false
	}
	_, m := splitYAMLError(err)
	return m == msg
}

var yamlErrRE = regexp.MustCompile(`^yaml: (?:line (\d+): )?`)

// splitYAMLError splits "yaml: line 5: mapping values are not allowed" into
// 5 and the message (line 0 when the parser gave none).
func splitYAMLError(err error) (line int, msg string) {
	s := err.Error()
	m := yamlErrRE.FindStringSubmatch(s)
	if m == nil {
		return 0, s
	}
	line, _ = strconv.Atoi(m[1])
	return line, strings.TrimSpace(s[len(m[0]):])
}

// refineLimit is the largest file whose syntax errors are located by
// parsing prefixes of it (about 20 parses at most).
const refineLimit = 1 << 20

// syntaxError reports a YAML syntax error as exactly as it can. The parser
// tells only a line, and for many errors the line where the enclosing
// mapping or list began rather than the line at fault. The line at fault is
// the first whose prefix of the file fails with the same message; it is
// found by bisection. The column is guessed from the message and the line.
func (f *file) syntaxError(b []byte, err error) {
	line, msg := splitYAMLError(err)
	if strings.Contains(msg, "exceeded max depth") {
		l, c := locateDeep(b)
		f.add(l, c, "nesting is deeper than %d levels", MaxDepth)
		return
	}
	starts := lineStarts(b)
	if len(b) <= refineLimit {
		if l, ok := refineLine(b, starts, msg); ok {
			line = l
		}
	}
	line = min(max(line, 1), len(starts))
	text := lineText(b, starts, line)
	f.add(line, guessCol(text, msg), "YAML syntax error: %s%s", msg, syntaxHint(msg))
}

// lineStarts returns the offset of the start of each line (1-based line i
// starts at starts[i-1]), with line breaks as checkRaw counts them.
func lineStarts(b []byte) []int {
	starts := []int{0}
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '\r':
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
			starts = append(starts, i+1)
		case '\n':
			starts = append(starts, i+1)
		}
	}
	if starts[len(starts)-1] == len(b) && len(starts) > 1 {
		starts = starts[:len(starts)-1]
	}
	return starts
}

func lineText(b []byte, starts []int, line int) string {
	end := len(b)
	if line < len(starts) {
		end = starts[line]
	}
	return strings.TrimRight(string(b[starts[line-1]:end]), "\r\n")
}

// refineLine bisects for the first line whose prefix of b fails with msg.
func refineLine(b []byte, starts []int, msg string) (int, bool) {
	prefix := func(line int) []byte {
		if line < len(starts) {
			return b[:starts[line]]
		}
		return b
	}
	lo, hi := 1, len(starts)
	if !decodeFails(prefix(hi), msg) {
		return 0, false
	}
	for lo < hi {
		mid := (lo + hi) / 2
		if decodeFails(prefix(mid), msg) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo, true
}

// guessCol guesses the column of a syntax error in its line.
func guessCol(text, msg string) int {
	runes := []rune(text)
	first := 0
	for first < len(runes) && (runes[first] == ' ' || runes[first] == '\t') {
		first++
	}
	find := func(from int, pred func(i int) bool) int {
		for i := from; i < len(runes); i++ {
			if pred(i) {
				return i
			}
		}
		return -1
	}
	// colon is a mapping ':' outside quotes: followed by a blank or the end.
	colon := func(i int) bool {
		return runes[i] == ':' && (i+1 == len(runes) || runes[i+1] == ' ' || runes[i+1] == '\t')
	}
	at := first
	switch {
	case strings.HasPrefix(msg, "mapping values are not allowed"):
		if c := find(first, colon); c >= 0 {
			at = c
			if c2 := find(c+1, colon); c2 >= 0 {
				at = c2
			}
		}
	case strings.HasPrefix(msg, "found character that cannot start any token"):
		if c := find(first, func(i int) bool { return strings.ContainsRune("@`%", runes[i]) }); c >= 0 {
			at = c
		}
	case strings.Contains(msg, "',' or ']'"), strings.Contains(msg, "',' or '}'"):
		open := '['
		if strings.Contains(msg, "'}'") {
			open = '{'
		}
		for i := len(runes) - 1; i >= first; i-- {
			if runes[i] == open {
				at = i
				break
			}
		}
	case strings.Contains(msg, "end of stream"), strings.Contains(msg, "quoted scalar"):
		if c := find(first, func(i int) bool { return runes[i] == '"' || runes[i] == '\'' }); c >= 0 {
			at = c
		}
	}
	return at + 1
}

// syntaxHint adds advice for the syntax errors staff meet most.
func syntaxHint(msg string) string {
	switch {
	case strings.HasPrefix(msg, "mapping values are not allowed"):
		return ` (text containing ": " must be quoted; or the line is indented wrongly)`
	case strings.HasPrefix(msg, "did not find expected key"),
		strings.HasPrefix(msg, "did not find expected '-' indicator"),
		strings.HasPrefix(msg, "did not find expected node content"):
		return " (check the indentation of this line)"
	case strings.HasPrefix(msg, "found character that cannot start any token"):
		return " (text starting with @, ` or % must be quoted)"
	case strings.HasPrefix(msg, "could not find expected ':'"):
		return ` (a key needs ": " after it; a long value must be indented under its key)`
	case strings.Contains(msg, "end of stream"):
		return " (a quote or bracket opened here is never closed)"
	case strings.Contains(msg, "',' or ']'"), strings.Contains(msg, "',' or '}'"):
		return " (a bracket opened here is never closed, or a comma is missing)"
	}
	return ""
}

// locateDeep finds where nesting first goes deeper than MaxDepth, roughly:
// it counts open flow brackets and list dashes outside quotes and comments,
// and indentation levels. It is used only when the parser has already
// refused the file for nesting thousands of levels deep.
func locateDeep(b []byte) (line, col int) {
	line, col = 1, 1
	flow := 0
	var indents []int // indentation columns of the enclosing block lines
	lineStart, inQuote, inComment := true, rune(0), false
	lineDepth := 0
	prev := ' '
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		i += n
		if r == '\n' || r == '\r' {
			if r == '\r' && i < len(b) && b[i] == '\n' {
				i++
			}
			line, col, lineStart, inComment, prev = line+1, 1, true, false, ' '
			continue
		}
		if lineStart && r != ' ' {
			lineStart = false
			for len(indents) > 0 && indents[len(indents)-1] >= col {
				indents = indents[:len(indents)-1]
			}
			indents = append(indents, col)
			lineDepth = len(indents)
		}
		switch {
		case inComment:
		case inQuote != 0:
			if r == inQuote {
				inQuote = 0
			}
		case r == '#' && (prev == ' ' || prev == '\t'):
			inComment = true
		case (r == '"' || r == '\'') && strings.ContainsRune(" \t[{,:-", prev):
			inQuote = r
		case r == '[' || r == '{':
			flow++
		case r == ']' || r == '}':
			flow = max(flow-1, 0)
		case r == '-' && flow == 0 && strings.ContainsRune(" \t", prev) && i < len(b) && (b[i] == ' ' || b[i] == '\n'):
			lineDepth++
		}
		if flow+lineDepth > MaxDepth {
			return line, col
		}
		prev = r
		col++
	}
	return 1, 1
}

// checkTree walks the raw tree before any value is used. Anchors, aliases
// and nesting beyond MaxDepth make the file refused (false); duplicate keys,
// keys that are not text, merge keys and control characters are reported
// and decoding goes on.
func (f *file) checkTree(n *yaml.Node, depth int) bool {
	ok := true
	if n.Anchor != "" {
		f.at(n, "anchors and aliases are not allowed: write the value out in full")
		ok = false
	}
	if depth > MaxDepth {
		f.at(n, "nesting is deeper than %d levels", MaxDepth)
		return false
	}
	switch n.Kind {
	case yaml.AliasNode:
		f.at(n, "anchors and aliases are not allowed: write the value out in full")
		return false
	case yaml.ScalarNode:
		f.checkText(n)
	case yaml.MappingNode:
		seen := map[string]*yaml.Node{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			switch {
			case k.Kind != yaml.ScalarNode:
				f.at(k, "a key must be plain text, not %s", describe(k))
			case k.Tag == "!!merge":
				f.at(k, "merge keys (<<) are not allowed: write the fields out in full")
			default:
				if first, dup := seen[k.Value]; dup {
					f.at(k, "duplicate key %q (first at line %d)", short(k.Value), first.Line)
				} else {
					seen[k.Value] = k
				}
			}
			ok = f.checkTree(k, depth+1) && ok
			ok = f.checkTree(n.Content[i+1], depth+1) && ok
		}
		return ok
	}
	for _, c := range n.Content {
		ok = f.checkTree(c, depth+1) && ok
	}
	return ok
}

// checkText reports control characters in a scalar's value (written with
// escapes such as "\0"; raw ones were refused by checkRaw). Newlines and
// tabs are allowed.
func (f *file) checkText(n *yaml.Node) {
	for _, r := range n.Value {
		if r != '\n' && r != '\t' && (r < 0x20 || r == 0x7F || r >= 0x80 && r < 0xA0) {
			f.at(n, "text contains control character U+%04X: remove it", r)
			return
		}
	}
}

// at reports a diagnostic at node n.
func (f *file) at(n *yaml.Node, format string, args ...any) {
	f.add(n.Line, n.Column, format, args...)
}

// pos is the position of n.
func (f *file) pos(n *yaml.Node) diag.Pos {
	return diag.Pos{File: f.path, Line: max(n.Line, 1), Col: max(n.Column, 1)}
}

// isNull reports whether n is an empty value (nothing, ~ or null).
func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// isPlain reports whether a scalar was written without quotes or block
// indicators.
func isPlain(n *yaml.Node) bool {
	return n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0
}

// describe names what n is, for "expected X, got Y" messages.
func describe(n *yaml.Node) string {
	switch {
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Kind == yaml.AliasNode:
		return "an alias"
	case isNull(n):
		return "nothing"
	}
	return strconv.Quote(short(n.Value))
}

// short cuts long text for messages.
func short(s string) string {
	const limit = 60
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	return string([]rune(s)[:limit]) + "…"
}

// flowText renders a nested value of an `internal:` map as compact
// one-line YAML.
func flowText(n *yaml.Node) string {
	c := flowCopy(n)
	out, err := yaml.Marshal(c)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

func flowCopy(n *yaml.Node) *yaml.Node {
	c := *n
	c.HeadComment, c.LineComment, c.FootComment = "", "", ""
	if c.Kind == yaml.MappingNode || c.Kind == yaml.SequenceNode {
		c.Style = yaml.FlowStyle
	}
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, k := range n.Content {
		c.Content[i] = flowCopy(k)
	}
	return &c
}
