package sitetest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// TestBrokenTemplateNamesItsFile breaks one file of a copy of the real
// templates at a time and builds: the build exits 1, writes nothing, and
// reports the mistake as FILE:LINE:COL under the templates folder the user
// named (not a path Hugo uses internally, nor the base layout a page layout
// is applied to).
func TestBrokenTemplateNamesItsFile(t *testing.T) {
	ar, err := txtar.ParseFile(filepath.Join("testdata", "sites", "minimal.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		templates string // the folder given to --templates ("" for the default)
		file      string // under the templates folder
		at        string // the mistake is appended to the first line containing this; "": to a new last line
		add       string // appended to that line (after a space)
		wantMsg   string // part of the message
	}{
		// A page layout with a base layout: Hugo itself blames baseof.html.
		{"parse error in a page layout", "", "layouts/round/section.html", `define "main"`, "{{ .x ( }}", "unclosed left paren"},
		// A whole page of its own, without the base layout.
		{"parse error in a whole-page layout", "", "layouts/problem/page.html", `<article class="problem-page">`, "{{ .x ( }}", "unclosed left paren"},
		{"parse error in a partial", "", "layouts/_partials/totals.html", "", "{{ if }}", "missing value for if"},
		{"execution error", "", "layouts/home.html", `define "main"`, "{{ .Nope.Broken }}", "can't evaluate field Nope"},
		{"broken translation file", "", "i18n/en.yaml", "", "broken: [", "not found"},
		{"templates given on the command line", "my-theme", "layouts/home.html", `define "main"`, "{{ .x ( }}", "unclosed left paren"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := project(t, ar)
			tdir := "templates"
			args := []string{"build"}
			if c.templates != "" {
				if err := os.Rename(filepath.Join(dir, "templates"), filepath.Join(dir, c.templates)); err != nil {
					t.Fatal(err)
				}
				tdir = c.templates
				args = append(args, "--templates", c.templates)
			}
			path := filepath.Join(dir, tdir, filepath.FromSlash(c.file))
			lines := strings.Split(strings.TrimSuffix(readFile(t, path), "\n"), "\n")
			line := 0
			for i, l := range lines {
				if c.at != "" && strings.Contains(l, c.at) {
					line = i + 1
					break
				}
			}
			if c.at == "" {
				lines = append(lines, "")
				line = len(lines)
			}
			if line == 0 {
				t.Fatalf("no line of %s contains %s", c.file, c.at)
			}
			if lines[line-1] != "" {
				lines[line-1] += " "
			}
			col := len(lines[line-1]) + 1 // where the mistake starts
			lines[line-1] += c.add
			if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
				t.Fatal(err)
			}
			r := run(t, dir, args...)
			if r.code != 1 {
				t.Fatalf("exit %d, want 1\n%s", r.code, r.stderr)
			}
			// The column is within what was added: the start of the action,
			// or the part of it that could not run.
			first := strings.SplitN(r.stderr, "\n", 2)[0]
			var gotFile string
			var gotLine, gotCol int
			if _, err := fmt.Sscanf(strings.Replace(first, ":", " ", 3), "%s %d %d", &gotFile, &gotLine, &gotCol); err != nil ||
				gotFile != tdir+"/"+c.file || gotLine != line || gotCol < col || gotCol >= col+len(c.add) || !strings.Contains(first, c.wantMsg) {
				t.Errorf("first line of stderr:\n%s\nwant %s/%s:%d:COL (COL in %d..%d) and %q; stderr:\n%s", first, tdir, c.file, line, col, col+len(c.add)-1, c.wantMsg, r.stderr)
			}
			if strings.Contains(r.stderr, dir) || strings.Contains(r.stderr, "/site/") {
				t.Errorf("stderr names paths the user never gave:\n%s", r.stderr)
			}
			if _, err := os.Stat(filepath.Join(dir, "public")); !os.IsNotExist(err) {
				t.Errorf("a failed build wrote public/ (%v)", err)
			}
		})
	}
}

// TestTemplatesFolderIsATheme: a --templates folder without layouts/ (a
// mistyped path, or templates laid out the old flat way) is refused as a
// wrong command line, before anything is built.
func TestTemplatesFolderIsATheme(t *testing.T) {
	ar, err := txtar.ParseFile(filepath.Join("testdata", "sites", "minimal.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := project(t, ar)
	copyDir(t, filepath.Join(dir, "templates", "layouts"), filepath.Join(dir, "flat"))
	for _, args := range [][]string{{"build", "--templates", "flat"}, {"build", "--templates", "nowhere"}, {"serve", "--templates", "flat"}} {
		r := run(t, dir, args...)
		if r.code != 2 || !strings.Contains(r.stderr, "--templates "+args[2]+": no layouts/ folder") {
			t.Errorf("%v: exit %d, want 2 and a message naming the folder; stderr:\n%s", args, r.code, r.stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); !os.IsNotExist(err) {
		t.Errorf("a refused build wrote public/ (%v)", err)
	}
	if r := run(t, dir, "build", "--templates", "templates"); r.code != 0 {
		t.Errorf("build --templates templates: exit %d\n%s", r.code, r.stderr)
	}
}
