package hugosite

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"text/template/parse"

	"github.com/gohugoio/hugo/common/herrors"

	"github.com/xuncha/bulletin/generator/internal/diag"
)

// goTemplatePos finds the position Go's template package puts in its
// messages ("template: problem/page.html:4:27: executing …" or, for a parse
// error, "template: problem/page.html:5: undefined variable …"). The last one
// is the innermost.
var goTemplatePos = regexp.MustCompile(`template: ([^\s:"]+):(\d+)(?::(\d+))?: `)

// fileError turns an error of Hugo's about one of the project's files into a
// diag.Error at that file as the user named it (under --templates or
// --content), with line and column. Hugo names the base layout when a page
// layout that uses it does not parse, and gives no column for parse errors:
// the position Go's template package wrote into the message is the one that
// points at the mistake, so it is preferred. Other errors give
// ok false.
func (s Site) fileError(err error) (diag.Error, bool) {
	msg := err.Error()
	var pos diag.Pos
	if fe := herrors.UnwrapFileError(err); fe != nil {
		p := fe.Position()
		pos = diag.Pos{File: p.Filename, Line: p.LineNumber, Col: p.ColumnNumber}
		if cause := errors.Unwrap(fe); cause != nil {
			msg = cause.Error()
		}
	}
	if m := lastMatch(goTemplatePos, msg); m != nil {
		name := msg[m[2]:m[3]]
		file := filepath.Join(s.abs(s.Templates), "layouts", filepath.FromSlash(name))
		if _, statErr := os.Stat(file); statErr == nil {
			line, _ := strconv.Atoi(msg[m[4]:m[5]])
			col := 0
			if m[6] >= 0 {
				col, _ = strconv.Atoi(msg[m[6]:m[7]])
			}
			text := msg[m[1]:]
			if col == 0 && pos.File == file && pos.Line == line {
				col = pos.Col
			}
			if col <= 1 {
				col = actionColumn(file, line, text)
			}
			pos = diag.Pos{File: file, Line: line, Col: col}
			msg = text
		}
	}
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i] // Hugo's parsers add an excerpt of the file
	}
	display, ok := s.displayPath(pos.File)
	if !ok {
		return diag.Error{}, false
	}
	pos.File = display
	return diag.Error{Pos: pos, Msg: msg}, true
}

func lastMatch(re *regexp.Regexp, s string) []int {
	all := re.FindAllStringSubmatchIndex(s, -1)
	if len(all) == 0 {
		return nil
	}
	return all[len(all)-1]
}

func (s Site) abs(dir string) string {
	if dir == "" {
		return ""
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	return abs
}

// displayPath names a file of the templates or content folder the way the
// user reached it: through the folder given on the command line.
func (s Site) displayPath(file string) (string, bool) {
	if file == "" {
		return "", false
	}
	for _, dir := range []string{s.Templates, s.Content} {
		if dir == "" {
			continue
		}
		rel, err := filepath.Rel(s.abs(dir), file)
		if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return filepath.ToSlash(filepath.Join(dir, rel)), true
		}
	}
	return "", false
}

// actionColumn finds the column of the action on line of file that a parse
// error is about: the first action that, parsed alone, fails with the same
// message. Failing that, the first action of the line, else column 1.
func actionColumn(file string, line int, msg string) int {
	b, err := os.ReadFile(file)
	if err != nil {
		return 1
	}
	lines := strings.Split(string(b), "\n")
	if line < 1 || line > len(lines) {
		return 1
	}
	text := lines[line-1]
	first := 0
	for i := 0; i < len(text); {
		start := strings.Index(text[i:], "{{")
		if start < 0 {
			break
		}
		start += i
		if first == 0 {
			first = start + 1
		}
		end := strings.Index(text[start:], "}}")
		if end < 0 {
			end = len(text)
		} else {
			end += start + 2
		}
		if parseMessage(text[start:end]) == msg {
			return start + 1
		}
		i = end
	}
	if first == 0 {
		first = 1
	}
	return first
}

// parseMessage is the message Go's template parser gives for src alone, or
// "" when it parses.
func parseMessage(src string) string {
	t := parse.New("x")
	t.Mode = parse.SkipFuncCheck | parse.ParseComments
	_, err := t.Parse(src, "{{", "}}", map[string]*parse.Tree{})
	if err == nil {
		return ""
	}
	if m := goTemplatePos.FindStringSubmatchIndex(err.Error()); m != nil {
		return err.Error()[m[1]:]
	}
	return err.Error()
}
