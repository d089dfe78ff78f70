package sitetest

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// TestNoMarkerLeavesTheOffice extends TestEditions to every other output
// that leaves the office (issue #11): the change report that CI posts (both
// formats, public edition), the history outputs of a public build from a
// dirty working tree over a git history in which internal problems
// changed, and the error output of `check` and `check --since` on broken
// internal records (CI logs and pull-request annotations). No LEAK- marker
// of testdata/editions.txtar, and no id of an internal problem, may appear
// in any of them.
func TestNoMarkerLeavesTheOffice(t *testing.T) {
	ar, err := txtar.ParseFile(filepath.Join("testdata", "editions.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := project(t, ar)
	commits := 0
	git := func(args ...string) { change(t, dir, "git "+strings.Join(args, " "), "git", args, &commits) }
	round := filepath.Join(dir, "data", "d1", "rounds", "r1.yaml")
	edit := func(pairs ...string) {
		t.Helper()
		s := readFile(t, round)
		for i := 0; i+1 < len(pairs); i += 2 {
			if !strings.Contains(s, pairs[i]) {
				t.Fatalf("edit: %q not in the round file", pairs[i])
			}
			s = strings.Replace(s, pairs[i], pairs[i+1], 1)
		}
		if err := os.WriteFile(round, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	leaks := func(what, out string) {
		t.Helper()
		if strings.Contains(out, "LEAK") {
			t.Errorf("%s carries %v", what, markerRE.FindAllString(out, -1))
		}
		for _, id := range []string{"secret-case", "new-secret"} {
			if strings.Contains(out, id) {
				t.Errorf("%s names the internal problem %s", what, id)
			}
		}
	}

	git("init", "-q")
	git("add", "-A")
	git("commit", "-qm", "v1")
	// v2: internal problems move (the internal one is rectified again, the
	// one of an internal target is closed).
	edit("    status: in_progress\n    visibility: internal\n", "    status: rectified\n    visibility: internal\n",
		"        note: LEAK-history-note-2\n", "        note: LEAK-history-note-2\n      - date: 2024-12-15\n        status: rectified\n        note: LEAK-history-note-3\n",
		"    status: rectified\n    history:\n      - date: 2024-10-20\n        status: rectified\n        note: LEAK-history-of-internal-target\n",
		"    status: closed\n    history:\n      - date: 2024-10-20\n        status: rectified\n        note: LEAK-history-of-internal-target\n      - date: 2024-12-20\n        status: closed\n        note: LEAK-closing-note\n",
		"    title: 已完成问题\n    status: closed\n", "    title: LEAK-p4-title-at-head\n    status: rectified\n")
	git("commit", "-qam", "v2")
	// The working tree: a new internal problem, and p4 published under a
	// title of its own (its status changes in git must not bring back the
	// title it had while internal).
	edit("    title: LEAK-p4-title-at-head\n", "    title: 已完成问题\n",
		"    withheld: state_secret\n    description: LEAK-withheld-implies-internal\n", "",
		"  - id: p4\n", "  - id: new-secret\n    target: t1\n    title: LEAK-new-problem\n    status: rectified\n    visibility: internal\n  - id: p4\n")

	for _, args := range [][]string{
		{"diff", "--from", "HEAD~1"},
		{"diff", "--from", "HEAD~1", "--format", "json"},
		{"diff", "--from", "HEAD~1", "--to", "HEAD"},
	} {
		r := run(t, dir, args...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d\n%s", args, r.code, r.stderr)
		}
		if !strings.Contains(r.stdout, "内部问题") && !strings.Contains(r.stdout, `"internal_counts"`) {
			t.Errorf("%v does not count the internal problems:\n%s", args, r.stdout)
		}
		leaks(strings.Join(args, " "), r.stdout+r.stderr)
	}

	if r := run(t, dir, "build"); r.code != 0 {
		t.Fatalf("public build: %s", r.stderr)
	}
	for _, f := range []string{"data/history.json", "feed.xml", "history/index.html"} {
		if _, err := os.Stat(filepath.Join(dir, "public", filepath.FromSlash(f))); err != nil {
			t.Errorf("the build from git has no %s: %v", f, err)
		}
	}
	walkFiles(t, filepath.Join(dir, "public"), func(rel string, data []byte) {
		leaks("public/"+rel, string(data))
	})

	// The public ledger (ledger export --edition public) may travel like
	// any public file: its cells, read back from the .xlsx and the CSV.
	for _, name := range []string{"public-ledger.xlsx", "public-ledger.csv"} {
		out := filepath.Join(dir, name)
		if r := run(t, dir, "ledger", "export", "--round", "d1/r1", "--edition", "public", "--out", out); r.code != 0 {
			t.Fatalf("ledger export %s: exit %d\n%s", name, r.code, r.stderr)
		}
		leaks(name, ledgerText(t, out))
	}

	// Broken internal records: every error is reported, none quotes them.
	edit("    due: 2025-03-31\n", "    due: LEAK-bad-due\n",
		"  - id: new-secret\n    target: t1\n    title: LEAK-new-problem\n    status: rectified\n",
		"  - id: new-secret\n    target: t1\n    title: LEAK-new-problem\n    status: LEAK-bad-status\n    LEAK-unknown-field: x\n",
		"      responsible: LEAK-responsible-person\n", "      responsible: LEAK-responsible-person\n      responsible: LEAK-duplicate\n")
	for _, args := range [][]string{{"check"}, {"check", "--since", "HEAD"}, {"build"}, {"diff", "--from", "HEAD"}} {
		r := run(t, dir, args...)
		if r.code != 1 || !strings.Contains(r.stderr, "data/d1/rounds/r1.yaml:") {
			t.Errorf("%v: exit %d, want 1 with positioned errors:\n%s", args, r.code, r.stderr)
		}
		leaks(strings.Join(args, " ")+" on broken internal records", r.stdout+r.stderr)
	}
	// check --since with an internal problem removed and one rewritten.
	git("checkout", "-q", "--", "data")
	s := readFile(t, round)
	start := strings.Index(s, "  - id: secret-case\n")
	end := strings.Index(s, "  - id: p3\n")
	edit(s[start:end], "", "        note: LEAK-closing-note\n", "        note: LEAK-rewritten-note\n")
	r := run(t, dir, "check", "--since", "HEAD")
	if r.code != 1 || !strings.Contains(r.stderr, "was removed") || !strings.Contains(r.stderr, "history is append-only") {
		t.Errorf("check --since: exit %d\n%s", r.code, r.stderr)
	}
	leaks("check --since on a removed and a rewritten internal problem", r.stdout+r.stderr)
}

// ledgerText is every text of an exported ledger: a CSV as it is, an .xlsx
// as the concatenated XML of its parts (cells, shared strings, names).
func ledgerText(t *testing.T, file string) string {
	t.Helper()
	if strings.HasSuffix(file, ".csv") {
		return readFile(t, file)
	}
	zr, err := zip.OpenReader(file)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var b strings.Builder
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		b.Write(data)
	}
	return b.String()
}
