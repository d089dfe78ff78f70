package sitetest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// buildSample builds the project's own sample data into out.
func buildSample(t testing.TB, out string, extra ...string) result {
	t.Helper()
	args := append([]string{"build", "--out", out}, extra...)
	return run(t, root(t), args...)
}

type totalsJSON struct {
	AsOf      string   `json:"as_of"`
	Found     int      `json:"found"`
	Rectified int      `json:"rectified"`
	Rate      *float64 `json:"rate"`
	Overdue   int      `json:"overdue"`
	Districts []struct {
		ID        string   `json:"id"`
		Name      string   `json:"name"`
		Found     int      `json:"found"`
		Rectified int      `json:"rectified"`
		Rate      *float64 `json:"rate"`
		Overdue   int      `json:"overdue"`
	} `json:"districts"`
}

func readTotals(t testing.TB, out string) totalsJSON {
	t.Helper()
	var tj totalsJSON
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(out, "data", "totals.json"))), &tj); err != nil {
		t.Fatal(err)
	}
	return tj
}

// TestSeedFigures checks that the sample site reproduces the figures the
// seed reports published, on the pages and in totals.json.
func TestSeedFigures(t *testing.T) {
	out := t.TempDir() + "/site"
	if r := buildSample(t, out); r.code != 0 {
		t.Fatalf("build: %d\n%s", r.code, r.stderr)
	}
	tj := readTotals(t, out)
	want := map[string]struct {
		found, rectified int
		rate             string
	}{
		"chancheng": {2688, 2663, "99.1"}, // seed 000
		"yunan":     {1393, 1365, "98.0"}, // seed 003
	}
	seen := 0
	for _, d := range tj.Districts {
		w, ok := want[d.ID]
		if !ok {
			continue
		}
		seen++
		if d.Found != w.found || d.Rectified != w.rectified || d.Rate == nil || fmtRate(*d.Rate) != w.rate {
			t.Errorf("%s: found %d rectified %d rate %v, want %d %d %s", d.ID, d.Found, d.Rectified, d.Rate, w.found, w.rectified, w.rate)
		}
		page := readFile(t, filepath.Join(out, d.ID, "index.html"))
		for _, s := range []string{commas(w.found), commas(w.rectified), w.rate + "%"} {
			if !strings.Contains(page, s) {
				t.Errorf("%s/index.html does not show %s", d.ID, s)
			}
		}
	}
	if seen != len(want) {
		t.Errorf("found %d of the seed districts in totals.json", seen)
	}
	// 云安区's provincial 巡视 (seed 003) stands beside the districts' 巡察:
	// the home page names both.
	if home := readFile(t, filepath.Join(out, "index.html")); !strings.Contains(home, "个地区公开的巡视巡察整改情况。") {
		t.Errorf("index.html: the lede does not say 巡视巡察")
	}
	raw := readFile(t, filepath.Join(out, "data", "totals.json"))
	if !strings.Contains(raw, `"rate": 98.0`) || !strings.Contains(raw, `"rate": 99.1`) {
		t.Errorf("totals.json must write rates with one decimal:\n%s", raw)
	}
	// 大竹县: 38 problems found on the spot, 22 fixed (seed 004).
	dazhu := readFile(t, filepath.Join(out, "dazhu", "index.html"))
	for _, s := range []string{"立巡立改问题", ">38<", ">22<"} {
		if !strings.Contains(dazhu, s) {
			t.Errorf("dazhu/index.html does not show %q", s)
		}
	}
}

func fmtRate(r float64) string {
	b, _ := json.Marshal(r)
	s := string(b)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

func commas(n int) string {
	s := []byte{}
	digits := []byte(strings.TrimSpace(func() string { b, _ := json.Marshal(n); return string(b) }()))
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			s = append(s, ',')
		}
		s = append(s, c)
	}
	return string(s)
}

// TestRebuildIsByteIdentical builds the sample twice, into different folders,
// and compares every file.
func TestRebuildIsByteIdentical(t *testing.T) {
	base := t.TempDir()
	a, b := filepath.Join(base, "a"), filepath.Join(base, "b")
	for _, out := range []string{a, b} {
		if r := buildSample(t, out); r.code != 0 {
			t.Fatalf("build: %s", r.stderr)
		}
	}
	if d := diffTrees(tree(t, a), tree(t, b)); d != "" {
		t.Fatalf("two builds differ:\n%s", d)
	}
	historyChartLanguage(t, a)
	// And a rebuild in place leaves nothing stale and changes nothing.
	before := tree(t, a)
	stale := filepath.Join(a, "stale.html")
	if err := os.WriteFile(stale, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := buildSample(t, a); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if d := diffTrees(before, tree(t, a)); d != "" {
		t.Fatalf("rebuild in place differs:\n%s", d)
	}
	leftovers, _ := filepath.Glob(filepath.Join(base, ".a.staging-*"))
	if len(leftovers) > 0 {
		t.Errorf("staging folders left: %v", leftovers)
	}
}

// TestFailedBuildKeepsSite publishes a site, breaks a record and builds
// again: the build fails with positioned errors and the site is untouched.
func TestFailedBuildKeepsSite(t *testing.T) {
	dir := t.TempDir()
	copyDir(t, filepath.Join(root(t), "data"), filepath.Join(dir, "data"))
	copyDir(t, filepath.Join(root(t), "templates"), filepath.Join(dir, "templates"))
	copyDir(t, filepath.Join(root(t), "content"), filepath.Join(dir, "content"))
	if r := run(t, dir, "build"); r.code != 0 {
		t.Fatalf("first build: %s", r.stderr)
	}
	before := tree(t, filepath.Join(dir, "public"))
	site := filepath.Join(dir, "data", "site.yaml")
	s := readFile(t, site)
	if err := os.WriteFile(site, []byte(s+"\nbogus_key: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(t, dir, "build")
	if r.code != 1 {
		t.Fatalf("broken build exit %d, want 1\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "data/site.yaml:") || !strings.Contains(r.stderr, "bogus_key") {
		t.Errorf("stderr does not point at the bad key:\n%s", r.stderr)
	}
	if d := diffTrees(before, tree(t, filepath.Join(dir, "public"))); d != "" {
		t.Fatalf("failed build changed the site:\n%s", d)
	}
}

// TestDataOutsideTheProjectRepository: run from the project (a git work
// tree) on records elsewhere (not in git): the build works, without history.
func TestDataOutsideTheProjectRepository(t *testing.T) {
	dir := t.TempDir()
	copyDir(t, filepath.Join(root(t), "data"), filepath.Join(dir, "data"))
	r := run(t, root(t), "build", "--data", filepath.Join(dir, "data"), "--out", filepath.Join(dir, "out"))
	if r.code != 0 {
		t.Fatalf("build: %d\n%s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "out", "data", "history.json")); !os.IsNotExist(err) {
		t.Errorf("records outside git must have no history.json")
	}
}

// historyChartLanguage: the history page (its chart, title and breadcrumb)
// speaks the page's language
// (the sample's data is in git, so it has a history).
func historyChartLanguage(t *testing.T, site string) {
	t.Helper()
	for page, want := range map[string]struct{ has, hasNot string }{
		"history/index.html":    {`<title id="history-chart-title">整改完成率变化`, "Overall:"},
		"en/history/index.html": {`<title id="history-chart-title">Rectification rate over time</title>`, "全部（overall）"},
	} {
		b, err := os.ReadFile(filepath.Join(site, filepath.FromSlash(page)))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), want.has) || strings.Contains(string(b), want.hasNot) {
			t.Errorf("%s: the chart does not speak the page's language (want %q, not %q)", page, want.has, want.hasNot)
		}
	}
	en, _ := os.ReadFile(filepath.Join(site, "en", "history", "index.html"))
	if !strings.Contains(string(en), "<title>Progress · ") || !strings.Contains(string(en), `<li aria-current="page">Progress</li>`) {
		t.Error("en/history/index.html: the page's title and breadcrumb are not in English")
	}
}
