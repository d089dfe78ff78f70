package load

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

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
// parsing prefixes of it (about 20 parses at most, well under a second);
// in larger files the parser's line is reported as it is.
const refineLimit = 256 << 10

// syntaxError reports a YAML syntax error as exactly as it can. The parser
// tells only a line, and for many errors the line where the enclosing
// mapping or list began rather than the line at fault. The line at fault is
// the first whose prefix of the file fails with the same message; it is
// found by bisection. The column is guessed from the message and the line.
func (f *file) syntaxError(b []byte, err error) {
	line, msg := splitYAMLError(err)
	if strings.Contains(msg, "exceeded max depth") {
		l, c, _ := locateDeep(b)
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
// and indentation levels. It is used only for files refused anyway (the
// parser's own depth limit, too many entries), to say why and where; deep
// is false (and the position 1:1) when it finds no deep nesting.
func locateDeep(b []byte) (line, col int, deep bool) {
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
			return line, col, true
		}
		prev = r
		col++
	}
	return 1, 1, false
}
