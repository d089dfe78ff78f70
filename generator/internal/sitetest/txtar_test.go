package sitetest

import (
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
//	tree DIR !contains TEXT         no file under DIR contains TEXT
//	modes DIR DIRMODE FILEMODE      DIR and every folder under it has DIRMODE, every file FILEMODE
//	mkdir PATH / rm PATH            make a folder / remove a file or folder (in the project)
//	cp FROM TO                      copy a file of the project (e.g. an archive's v2/… over data/…)
//	git ARGS                        run git in the project (fixed author, dates from GIT_DATE)
//	# comment
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

func runScript(t *testing.T, ar *txtar.Archive) {
	dir := project(t, ar)
	var script string
	for _, f := range ar.Files {
		if f.Name == "want" {
			script = string(f.Data)
		}
	}
	if script == "" {
		t.Fatal("archive has no want section")
	}
	var last result
	ran, commits := false, 0
	for n, line := range strings.Split(script, "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		where := "want:" + strconv.Itoa(n+1) + ": " + line
		if cmd, ok := strings.CutPrefix(line, "> "); ok {
			last = run(t, dir, strings.Fields(cmd)...)
			ran = true
			continue
		}
		verb, rest, _ := strings.Cut(line, " ")
		switch verb {
		case "exit":
			want, _ := strconv.Atoi(rest)
			if !ran || last.code != want {
				t.Errorf("%s\n got exit %d\nstdout:\n%s\nstderr:\n%s", where, last.code, last.stdout, last.stderr)
			}
		case "stdout", "stderr":
			out := last.stdout
			if verb == "stderr" {
				out = last.stderr
			}
			op, text, _ := strings.Cut(rest, " ")
			switch op {
			case "line":
				if !hasLine(out, text) {
					t.Errorf("%s\n%s was:\n%s", where, verb, out)
				}
			case "contains":
				if !strings.Contains(out, text) {
					t.Errorf("%s\n%s was:\n%s", where, verb, out)
				}
			case "!contains":
				if strings.Contains(out, text) {
					t.Errorf("%s\n%s was:\n%s", where, verb, out)
				}
			default:
				t.Fatalf("%s: unknown operator %q", where, op)
			}
		case "file", "!file":
			p, tail, _ := strings.Cut(rest, " ")
			full := filepath.Join(dir, filepath.FromSlash(p))
			b, err := os.ReadFile(full)
			if verb == "!file" {
				if err == nil {
					t.Errorf("%s: file exists", where)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: %v", where, err)
				continue
			}
			if tail == "" {
				continue
			}
			op, text, _ := strings.Cut(tail, " ")
			has := strings.Contains(string(b), text)
			if (op == "contains" && !has) || (op == "!contains" && has) {
				t.Errorf("%s\nfile was:\n%s", where, clip(string(b)))
			}
		case "mkdir", "rm", "cp", "git":
			change(t, dir, where, verb, strings.Fields(rest), &commits)
		case "modes":
			modes(t, dir, where, strings.Fields(rest))
		case "tree":
			p, tail, _ := strings.Cut(rest, " ")
			op, text, _ := strings.Cut(tail, " ")
			if op != "!contains" {
				t.Fatalf("%s: tree supports only !contains", where)
			}
			walkFiles(t, filepath.Join(dir, filepath.FromSlash(p)), func(rel string, data []byte) {
				if strings.Contains(string(data), text) {
					t.Errorf("%s: found in %s", where, rel)
				}
			})
		default:
			t.Fatalf("%s: unknown instruction", where)
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
