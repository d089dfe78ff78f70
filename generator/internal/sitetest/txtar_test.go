package sitetest

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// TestSites runs every archive in testdata/sites. An archive holds a project
// (data/, and content/ or templates/ when the case needs its own) and a
// "want" script, one instruction a line:
//
//	> build --as-of 2024-12-31      run the command line (in the project)
//	exit 1                          the last run's exit code
//	stderr line FILE:3:5: message   a whole line of the last run's stderr
//	stdout|stderr [!]contains TEXT  the last run's output (does not) contain TEXT
//	file PATH [!]contains TEXT      a file (does not) contain TEXT
//	file PATH / !file PATH          a file exists / does not
//	tree DIR [!]contains TEXT       some file (no file) under DIR contains TEXT
//	same PATH PATH                  two files are byte for byte the same
//	modes DIR DIRMODE FILEMODE      DIR and every folder under it has DIRMODE, every file FILEMODE
//	mkdir PATH / rm PATH            make a folder / remove a file or folder (in the project)
//	cp FROM TO                      copy a file of the project (e.g. an archive's v2/… over data/…)
//	git ARGS                        run git in the project (fixed author, dates from GIT_DATE)
//	# comment
//
// Anything else (an unknown instruction or operator, a missing text or
// argument) fails the archive before it runs: see parseScript.
func TestSites(t *testing.T) {
	archives, err := filepath.Glob(filepath.Join("testdata", "sites", "*.txtar"))
	if err != nil || len(archives) == 0 {
		t.Fatalf("no archives: %v", err)
	}
	for _, a := range archives {
		name := strings.TrimSuffix(filepath.Base(a), ".txtar")
		t.Run(name, func(t *testing.T) {
			ar, err := txtar.ParseFile(a)
			if err != nil {
				t.Fatal(err)
			}
			runScript(t, ar)
		})
	}
}

// step is one instruction of a want script, checked before anything runs.
type step struct {
	where string   // "want:LINE: the line", for messages
	verb  string   // ">", exit, stdout, stderr, file, !file, tree, modes, mkdir, rm, cp, git
	op    string   // line, contains, !contains, or "" (file: exists)
	path  string   // file, !file, tree
	text  string   // what op compares with
	args  []string // >, modes, mkdir, rm, cp, git
	code  int      // exit
}

// parseScript reads a want script. Every line must be a known instruction
// with a known operator and the arguments it needs; a mistake (a typo'd
// operator, a missing text, an exit code that is not a number, an assertion
// before any command) is an error, all of them at once, so that a script
// never passes by asserting nothing.
func parseScript(script string) ([]step, error) {
	var steps []step
	var errs []string
	ran := false
	for n, line := range strings.Split(script, "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		st := step{where: "want:" + strconv.Itoa(n+1) + ": " + line}
		bad := func(why string) { errs = append(errs, st.where+": "+why) }
		if cmd, ok := strings.CutPrefix(line, "> "); ok {
			st.verb, st.args = ">", strings.Fields(cmd)
			if len(st.args) == 0 {
				bad("no command")
				continue
			}
			ran = true
			steps = append(steps, st)
			continue
		}
		verb, rest, _ := strings.Cut(line, " ")
		st.verb = verb
		switch verb {
		case "exit":
			code, err := strconv.Atoi(rest)
			if err != nil {
				bad("exit wants a number")
				continue
			}
			st.code = code
		case "stdout", "stderr":
			st.op, st.text, _ = strings.Cut(rest, " ")
			switch {
			case st.op != "line" && st.op != "contains" && st.op != "!contains":
				bad("unknown operator " + strconv.Quote(st.op) + ": want line, contains or !contains")
				continue
			case st.op != "line" && st.text == "":
				bad(st.op + " needs a text")
				continue
			}
		case "file", "tree":
			var tail string
			st.path, tail, _ = strings.Cut(rest, " ")
			st.op, st.text, _ = strings.Cut(tail, " ")
			switch {
			case st.path == "":
				bad(verb + " needs a path")
				continue
			case verb == "tree" && st.op != "contains" && st.op != "!contains":
				bad("unknown operator " + strconv.Quote(st.op) + ": tree supports contains and !contains")
				continue
			case st.op != "" && st.op != "contains" && st.op != "!contains":
				bad("unknown operator " + strconv.Quote(st.op) + ": want contains or !contains")
				continue
			case st.op != "" && st.text == "":
				bad(st.op + " needs a text")
				continue
			}
		case "!file":
			st.args = strings.Fields(rest)
			if len(st.args) != 1 {
				bad("!file wants one path")
				continue
			}
			st.path = st.args[0]
		case "modes":
			st.args = strings.Fields(rest)
			if len(st.args) != 3 {
				bad("want modes DIR DIRMODE FILEMODE")
				continue
			}
			_, err1 := strconv.ParseUint(st.args[1], 8, 32)
			_, err2 := strconv.ParseUint(st.args[2], 8, 32)
			if err1 != nil || err2 != nil {
				bad("modes are octal")
				continue
			}
		case "same":
			st.args = strings.Fields(rest)
			if len(st.args) != 2 {
				bad("want same PATH PATH")
				continue
			}
		case "mkdir", "rm", "cp", "git":
			st.args = strings.Fields(rest)
			want := map[string]int{"mkdir": 1, "rm": 1, "cp": 2}[verb]
			if want > 0 && len(st.args) != want || len(st.args) == 0 {
				bad("wrong number of arguments")
				continue
			}
		default:
			bad("unknown instruction " + strconv.Quote(verb))
			continue
		}
		if (verb == "exit" || verb == "stdout" || verb == "stderr") && !ran {
			bad("no command has run yet")
			continue
		}
		steps = append(steps, st)
	}
	if len(steps) == 0 && len(errs) == 0 {
		errs = append(errs, "want: no instructions")
	}
	if len(errs) > 0 {
		return nil, errors.New(strings.Join(errs, "\n"))
	}
	return steps, nil
}

func runScript(t testing.TB, ar *txtar.Archive) {
	var script string
	for _, f := range ar.Files {
		if f.Name == "want" {
			script = string(f.Data)
		}
	}
	if script == "" {
		t.Fatal("archive has no want section")
	}
	steps, err := parseScript(script)
	if err != nil {
		t.Fatal(err)
	}
	dir := project(t, ar)
	var last result
	commits := 0
	for _, st := range steps {
		where := st.where
		switch st.verb {
		case ">":
			last = run(t, dir, st.args...)
		case "exit":
			if last.code != st.code {
				t.Errorf("%s\n got exit %d\nstdout:\n%s\nstderr:\n%s", where, last.code, last.stdout, last.stderr)
			}
		case "stdout", "stderr":
			out := last.stdout
			if st.verb == "stderr" {
				out = last.stderr
			}
			ok := false
			switch st.op {
			case "line":
				ok = hasLine(out, st.text)
			case "contains":
				ok = strings.Contains(out, st.text)
			case "!contains":
				ok = !strings.Contains(out, st.text)
			}
			if !ok {
				t.Errorf("%s\n%s was:\n%s", where, st.verb, out)
			}
		case "file", "!file":
			b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(st.path)))
			switch {
			case st.verb == "!file":
				if err == nil {
					t.Errorf("%s: file exists", where)
				}
			case err != nil:
				t.Errorf("%s: %v", where, err)
			case st.op == "contains" && !strings.Contains(string(b), st.text),
				st.op == "!contains" && strings.Contains(string(b), st.text):
				t.Errorf("%s\nfile was:\n%s", where, clip(string(b)))
			}
		case "same":
			a, errA := os.ReadFile(filepath.Join(dir, filepath.FromSlash(st.args[0])))
			b, errB := os.ReadFile(filepath.Join(dir, filepath.FromSlash(st.args[1])))
			if errA != nil || errB != nil {
				t.Errorf("%s: %v %v", where, errA, errB)
			} else if !bytes.Equal(a, b) {
				t.Errorf("%s: the files differ:\n%s", where, firstDiff(string(a), string(b)))
			}
		case "mkdir", "rm", "cp", "git":
			change(t, dir, where, st.verb, st.args, &commits)
		case "modes":
			modes(t, dir, where, st.args)
		case "tree":
			found := false
			walkFiles(t, filepath.Join(dir, filepath.FromSlash(st.path)), func(rel string, data []byte) {
				if strings.Contains(string(data), st.text) {
					found = true
					if st.op == "!contains" {
						t.Errorf("%s: found in %s", where, rel)
					}
				}
			})
			if st.op == "contains" && !found {
				t.Errorf("%s: in no file", where)
			}
		}
	}
}

func hasLine(out, line string) bool {
	for _, l := range strings.Split(out, "\n") {
		if l == line {
			return true
		}
	}
	return false
}

func clip(s string) string {
	if len(s) > 3000 {
		return s[:3000] + "…"
	}
	return s
}
