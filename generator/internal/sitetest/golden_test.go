package sitetest

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// goldenFiles are the files of testdata/sites/minimal.txtar's site kept in
// testdata/golden/minimal: one of each kind of page and every data file.
// Refresh them with: go test ./generator/internal/sitetest -run Golden -update
var goldenFiles = []string{
	"index.html", "d1/index.html", "d1/r1/index.html", "d1/r1/p1/index.html", "en/d1/r1/index.html",
	"data/totals.json", "data/problems.csv", "feed.xml", "robots.txt", "search/meta.json",
}

var (
	fingerprintRE = regexp.MustCompile(`(/(?:css|js)/[a-z]+\.min)\.[0-9a-f]{64}\.(css|js)`)
	integrityRE   = regexp.MustCompile(`integrity="sha256-[^"]+"`)
)

func TestGolden(t *testing.T) {
	ar, err := txtar.ParseFile(filepath.Join("testdata", "sites", "minimal.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := project(t, ar)
	if r := run(t, dir, "build"); r.code != 0 {
		t.Fatalf("build: %s", r.stderr)
	}
	for _, name := range goldenFiles {
		got := readFile(t, filepath.Join(dir, "public", filepath.FromSlash(name)))
		// Asset fingerprints change with every CSS or JS edit; they are not
		// what these files are about.
		got = fingerprintRE.ReplaceAllString(got, "$1.FINGERPRINT.$2")
		got = integrityRE.ReplaceAllString(got, `integrity="INTEGRITY"`)
		path := filepath.Join("testdata", "golden", "minimal", filepath.FromSlash(name))
		if *update {
			os.MkdirAll(filepath.Dir(path), 0o755)
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if got != string(want) {
			t.Errorf("%s differs from %s (run with -update after checking the change):\n%s", name, path, firstDiff(string(want), got))
		}
	}
}

func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\n- " + a + "\n+ " + b
		}
	}
	return ""
}
