package load

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"unicode/utf8"

	"github.com/xuncha/bulletin/generator/internal/diag"
	"github.com/xuncha/bulletin/generator/internal/model"
)

// file is one record file being read: where diagnostics go and how many
// it has had.
type file struct {
	path   string      // as diagnostics show it
	real   string      // where it is in the file system read
	cached *cachedFile // its entry in the Cache, if any
	errs   *diag.List
	count  int
	capped bool
	spans  []diag.Span // lines of internal matter (see internalSpans)
	stored *stored     // what loading it gave, taken from a DiskCache

	scratch *scratch    // where record cuts records and fields from
	keyBuf  []model.Key // the block record cuts key positions from (see cut)
}

func (l *loader) newFile(r *ref) *file {
	s := l.scratch
	if s == nil {
		s = &scratch{}
	} else {
		s.reset()
	}
	return &file{path: r.path, real: r.real, errs: &l.errs, scratch: s}
}

// full reports whether the file has had as many diagnostics as it may.
func (f *file) full() bool { return f.count >= maxErrorsPerFile }

// add reports a diagnostic at line:col (1-based; smaller values mean 1).
func (f *file) add(line, col int, format string, args ...any) {
	pos := diag.Pos{File: f.path, Line: max(line, 1), Col: max(col, 1)}
	switch {
	case !f.full() && diag.InSpans(f.spans, pos.Line):
		f.count++
		f.errs.AddInternal(pos, format, args...)
	case !f.full():
		f.count++
		f.errs.Add(pos, format, args...)
	case !f.capped:
		f.capped = true
		f.errs.Add(pos, "too many errors in this file: fix the ones above first")
	}
}

// read returns the bytes of the file, or nil after reporting why it was
// refused. It never reads more than the size limit, and never opens what is
// not a regular file (a FIFO would block).
func (l *loader) read(f *file) []byte {
	st, err := fs.Stat(l.fsys, f.real)
	if err != nil {
		f.add(1, 1, "cannot read: %v", cleanErr(err))
		return nil
	}
	if !st.Mode().IsRegular() {
		f.add(1, 1, "not a regular file: not read")
		return nil
	}
	limit := l.cfg.maxFileSize
	if st.Size() > limit {
		f.add(1, 1, "file is larger than %s (%d bytes): split it", size(limit), st.Size())
		return nil
	}
	fh, err := l.fsys.Open(f.real)
	if err != nil {
		f.add(1, 1, "cannot read: %v", cleanErr(err))
		return nil
	}
	defer fh.Close()
	// Read into a buffer of the size the file had, plus one byte to see
	// whether it grew meanwhile: one allocation for the whole file. A file
	// that grew is read on, and still cut at the limit.
	b := make([]byte, st.Size()+1)
	n, err := io.ReadFull(fh, b)
	switch {
	case err == io.ErrUnexpectedEOF || err == io.EOF: // as large as it was, or smaller
		b, err = b[:n], nil
	case err == nil:
		var rest []byte
		rest, err = io.ReadAll(io.LimitReader(fh, limit+1-int64(n)))
		b = append(b, rest...)
	}
	if err != nil {
		f.add(1, 1, "cannot read: %v", cleanErr(err))
		return nil
	}
	if int64(len(b)) > limit {
		f.add(1, 1, "file is larger than %s: split it", size(limit))
		return nil
	}
	return b
}

// size formats a byte count for messages: "16 MiB", "1 KiB", "100 bytes".
func size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// checkRaw checks the bytes before YAML sees them: not empty, no byte-order
// mark, valid UTF-8, only characters YAML allows, no line separators that
// editors do not show, spaces (not tabs) for indentation. Positions are
// line:column with columns counted in characters, as the YAML parser counts
// them. It reports false when the file must not be parsed.
func (f *file) checkRaw(b []byte) bool {
	switch {
	case len(bytes.TrimSpace(b)) == 0:
		f.add(1, 1, "file is empty")
		return false
	case bytes.HasPrefix(b, bomUTF8):
		f.add(1, 1, "byte-order mark: save the file as UTF-8 without BOM")
		return false
	case bytes.HasPrefix(b, bomUTF16LE), bytes.HasPrefix(b, bomUTF16BE):
		f.add(1, 1, "UTF-16 byte-order mark: save the file as UTF-8 without BOM")
		return false
	}
	if clean(b) {
		return true // nothing to report: no need to count lines and columns
	}
	return f.scanRaw(b)
}

// scanRaw is checkRaw's character by character look at b, after the
// checks of the whole file: it reports every problem at its line and
// column.
func (f *file) scanRaw(b []byte) bool {
	ok := true
	line, col := 1, 1
	indent, tabCol := true, 0 // in the line's leading blanks; first tab there
	entries := 0
	for i := 0; i < len(b); {
		if c := b[i]; !indent && c >= 0x20 && c < 0x7F && !entryByte[c] {
			col++ // the common case: a printable ASCII character in a line's text
			i++
			continue
		}
		if !indent && plain3(b, i) {
			col++ // a Chinese character, or other text of three bytes
			i += 3
			continue
		}
		r, n := rune(b[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRune(b[i:])
		}
		if startsEntry(b, i, r) {
			if entries++; entries > MaxEntries {
				if dl, dc, deep := locateDeep(b); deep {
					f.add(dl, dc, "nesting is deeper than %d levels", MaxDepth)
				} else {
					f.add(line, col, "file has more than %d lines, list items and keys: split it", MaxEntries)
				}
				return false
			}
		}
		switch {
		case r == utf8.RuneError && n == 1:
			f.add(line, col, "invalid UTF-8 (byte 0x%02X): save the file as UTF-8 (not GBK or GB18030)", b[i])
			return false
		case r == '\n' || r == '\r':
			if r == '\r' && i+1 < len(b) && b[i+1] == '\n' {
				n = 2
			}
			line, col, indent, tabCol = line+1, 1, true, 0
			i += n
			continue
		case r == '\u0085' || r == '\u2028' || r == '\u2029':
			f.add(line, col, "invisible line separator U+%04X: delete it (editors and YAML disagree on line numbers around it)", r)
			ok = false
		case !printable(r):
			f.add(line, col, "control character U+%04X is not allowed: delete it", r)
			ok = false
		}
		if indent {
			switch r {
			case ' ':
			case '\t':
				if tabCol == 0 {
					tabCol = col
				}
			default:
				indent = false
				if tabCol > 0 {
					f.add(line, tabCol, "tab in indentation: indent with spaces")
					ok = false
				}
			}
		}
		col++
		i += n
	}
	return ok
}

// clean reports whether checkRaw's loop would find nothing to report in b:
// valid UTF-8, no character YAML forbids, no line or paragraph separator,
// no tab in indentation, and too few bytes that may start an entry for
// MaxEntries to matter. It is a quick look for the common case, without
// counting lines or columns; false sends b through the loop, which finds
// what is wrong and where (or that nothing is, after all).
func clean(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	if len(b) > MaxEntries {
		n := 0
		for c := range utf8.RuneSelf {
			if entryByte[c] {
				n += bytes.Count(b, []byte{byte(c)})
			}
		}
		if n > MaxEntries {
			return false
		}
	}
	for i, c := range b {
		if !suspect[c] {
			continue
		}
		var next, third byte
		if i+2 < len(b) {
			next, third = b[i+1], b[i+2]
		} else if i+1 < len(b) {
			next = b[i+1]
		}
		switch {
		case c == '\t':
			// A tab with only blanks before it on its line is in the
			// indentation (or on a blank line: the loop tells).
			j := i - 1
			for j >= 0 && (b[j] == ' ' || b[j] == '\t') {
				j--
			}
			if j < 0 || b[j] == '\n' || b[j] == '\r' {
				return false
			}
		case c < 0x20, c == 0x7F: // other C0 controls and DEL
			return false
		case c == 0xC2 && next < 0xA0: // U+0080–U+009F, U+0085 among them
			return false
		case c == 0xE2 && next == 0x80 && (third == 0xA8 || third == 0xA9): // U+2028, U+2029
			return false
		case c == 0xEF && next == 0xBF && (third == 0xBE || third == 0xBF): // U+FFFE, U+FFFF
			return false
		}
	}
	return true
}

// suspect marks the bytes clean looks at: C0 controls but line feed and
// carriage return, DEL, and the lead bytes of the characters it refuses.
var suspect = func() (s [256]bool) {
	for c := range 0x20 {
		s[c] = c != '\n' && c != '\r'
	}
	s[0x7F], s[0xC2], s[0xE2], s[0xEF] = true, true, true, true
	return s
}()

// plain3 reports whether b[i:] starts with a three-byte UTF-8 character
// that checkRaw passes over in a line's text: valid, printable, neither a
// line separator nor a noncharacter. It covers U+1000–U+CFFF and
// U+E000–U+FFFF (CJK, fullwidth punctuation, “quotes” …) apart from
// U+2028, U+2029, U+FFFE and U+FFFF; the rest of three-byte UTF-8 (E0 and
// ED leads, where overlong forms and surrogates lie) goes the long way.
func plain3(b []byte, i int) bool {
	if i+2 >= len(b) {
		return false
	}
	c0, c1, c2 := b[i], b[i+1], b[i+2]
	switch {
	case c0 < 0xE1 || c0 > 0xEF || c0 == 0xED || c1&0xC0 != 0x80 || c2&0xC0 != 0x80:
		return false
	case c0 == 0xE2 && c1 == 0x80 && (c2 == 0xA8 || c2 == 0xA9): // U+2028, U+2029
		return false
	case c0 == 0xEF && c1 == 0xBF && (c2 == 0xBE || c2 == 0xBF): // U+FFFE, U+FFFF
		return false
	}
	return true
}

// entryByte marks the ASCII characters startsEntry may count.
var entryByte = [utf8.RuneSelf]bool{'\n': true, '\r': true, ',': true, '[': true, '{': true, '-': true, ':': true, '?': true}

// startsEntry reports whether rune r at b[i] may start a new YAML node: a
// line break, a comma or bracket of a flow collection, or a block indicator
// ("- ", ": ", "? "). Every node but the first starts at one of these (a
// mapping pair at most two), so counting them bounds the nodes the parser
// would build, before it builds any.
func startsEntry(b []byte, i int, r rune) bool {
	switch r {
	case '\n', '\r', ',', '[', '{':
		return true
	case '-', ':', '?':
		return i+1 == len(b) || strings.IndexByte(" \t\r\n", b[i+1]) >= 0
	}
	return false
}

// printable reports whether YAML allows r in a stream (YAML 1.2 c-printable,
// as the parser checks it), apart from the line breaks handled by checkRaw.
func printable(r rune) bool {
	switch {
	case r == '\t':
		return true
	case r < 0x20 || r == 0x7F:
		return false
	case r >= 0x80 && r < 0xA0:
		return false
	case r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
		return false
	}
	return r <= utf8.MaxRune
}
