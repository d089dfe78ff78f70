package sitetest

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

var markerRE = regexp.MustCompile(`LEAK-[a-z0-9-]+`)

// TestEditions builds both editions of testdata/editions.txtar and checks
// that no internal marker reaches any file of the public edition, that all
// of them reach the internal one, and that the totals are identical.
func TestEditions(t *testing.T) {
	ar, err := txtar.ParseFile(filepath.Join("testdata", "editions.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	markers := map[string]bool{}
	for _, f := range ar.Files {
		for _, m := range markerRE.FindAllString(string(f.Data), -1) {
			markers[m] = true
		}
	}
	dir := project(t, ar)
	if r := run(t, dir, "build"); r.code != 0 {
		t.Fatalf("public build: %s", r.stderr)
	}
	if r := run(t, dir, "build", "--edition", "internal", "--out", "internal-site"); r.code != 0 {
		t.Fatalf("internal build: %s", r.stderr)
	}

	leaked := map[string][]string{}
	walkFiles(t, filepath.Join(dir, "public"), func(rel string, data []byte) {
		for _, m := range markerRE.FindAllString(string(data), -1) {
			leaked[m] = append(leaked[m], rel)
		}
		if strings.Contains(string(data), "LEAK") {
			if len(markerRE.FindAllString(string(data), -1)) == 0 {
				leaked["LEAK (partial)"] = append(leaked["LEAK (partial)"], rel)
			}
		}
	})
	for m, files := range leaked {
		t.Errorf("public edition leaks %s in %v", m, files)
	}

	found := map[string]bool{}
	walkFiles(t, filepath.Join(dir, "internal-site"), func(rel string, data []byte) {
		for _, m := range markerRE.FindAllString(string(data), -1) {
			found[m] = true
		}
	})
	var missing []string
	for m := range markers {
		if !found[m] {
			missing = append(missing, m)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("internal edition lacks %v", missing)
	}

	pub, in := readTotals(t, filepath.Join(dir, "public")), readTotals(t, filepath.Join(dir, "internal-site"))
	if pub.Found != in.Found || pub.Rectified != in.Rectified || pub.Overdue != in.Overdue || *pub.Rate != *in.Rate {
		t.Errorf("totals differ: public %+v, internal %+v", pub, in)
	}
	if pub.Found != 4 || pub.Rectified != 2 || pub.Overdue != 1 {
		t.Errorf("public totals %+v, want found 4, rectified 2, overdue 1", pub)
	}

	// The public edition says what it leaves out, and why.
	round := readFile(t, filepath.Join(dir, "public", "d1", "r1", "index.html"))
	for _, s := range []string{"另有 3 个问题计入上述数字", "案件尚未公开 1", "涉及国家秘密 1", "另有 1 个单位依规不予公开名称"} {
		if !strings.Contains(round, s) {
			t.Errorf("public round page does not say %q", s)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "public", "d1", "r1", "secret-case")); !os.IsNotExist(err) {
		t.Errorf("public edition has a page for the internal problem")
	}

	// The internal edition is unmistakable.
	walkFiles(t, filepath.Join(dir, "internal-site"), func(rel string, data []byte) {
		if strings.HasSuffix(rel, ".html") {
			s := string(data)
			if !strings.Contains(s, "内部通报 · 不得外传") || !strings.Contains(s, `<meta name="robots" content="noindex, nofollow">`) {
				t.Errorf("internal %s lacks the banner or noindex", rel)
			}
		}
	})
	if _, err := os.Stat(filepath.Join(dir, "internal-site", "sitemap.xml")); !os.IsNotExist(err) {
		t.Error("internal edition has a sitemap")
	}
	if robots := readFile(t, filepath.Join(dir, "internal-site", "robots.txt")); !strings.Contains(robots, "Disallow: /") {
		t.Errorf("internal robots.txt: %q", robots)
	}
	if strings.Contains(readFile(t, filepath.Join(dir, "public", "index.html")), "noindex") {
		t.Error("public edition is noindex")
	}
}

// TestInternalEditionRefusesPublicFolder: the internal edition never
// overwrites the public site by accident.
func TestInternalEditionRefusesPublicFolder(t *testing.T) {
	ar, err := txtar.ParseFile(filepath.Join("testdata", "editions.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := project(t, ar)
	if r := run(t, dir, "build", "--out", "site"); r.code != 0 {
		t.Fatalf("public build: %s", r.stderr)
	}
	before := tree(t, filepath.Join(dir, "site"))
	for _, args := range [][]string{
		{"build", "--edition", "internal"},                    // no explicit --out
		{"build", "--edition", "internal", "--out", "public"}, // the default public folder
		{"build", "--edition", "internal", "--out", "./public/"},
		{"build", "--edition", "internal", "--out", "site"}, // a folder a public build wrote
	} {
		r := run(t, dir, args...)
		if r.code == 0 {
			t.Errorf("%v: succeeded, want a refusal", args)
		}
		if !strings.Contains(r.stderr, "internal edition") {
			t.Errorf("%v: stderr %q does not explain", args, r.stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); !os.IsNotExist(err) {
		t.Error("a refused internal build created public/")
	}
	if d := diffTrees(before, tree(t, filepath.Join(dir, "site"))); d != "" {
		t.Errorf("a refused build changed the public site:\n%s", d)
	}
}
