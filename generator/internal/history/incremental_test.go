package history

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/gitrepo"
	"github.com/xuncha/bulletin/generator/internal/gitrepo/gittest"
)

// TestByFolderSameAsWhole: a history whose versions are checked by folder
// (only the districts a commit touched) is the one of checking every
// version whole, through errors that stay in an untouched district, an
// as_of taken from the commit dates and rules of site.yaml (a district's
// errors depend on them),
// districts added and removed, a folder without district.yaml, a file
// directly in the data folder, and a symbolic link.
func TestByFolderSameAsWhole(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	p := func(id, status string) gittest.Problem { return gittest.Problem{ID: id, Status: status} }
	late := gittest.Problem{ID: "p7", Status: "in_progress", Extra: "    history:\n      - date: 2024-04-10\n        status: in_progress\n"}
	// valid while reports are due 3 months after feedback (2024-06-01), not 6
	ext := gittest.Problem{ID: "p8", Status: "in_progress", Extra: "    extensions:\n      - approved: 2024-03-10\n        due: 2024-07-01\n"}
	noAsOf := "title: 巡察整改公开\nbase_url: https://example.org/\n"
	steps := []struct {
		date  string
		files map[string]string
	}{
		{"2024-03-02", map[string]string{
			"data/site.yaml":        gittest.Site,
			"data/a/district.yaml":  gittest.District("a", "甲区"),
			"data/a/rounds/r1.yaml": gittest.Round("r1", 1, p("p1", "pending"), p("p2", "pending")),
			"data/a/rounds/r2.yaml": gittest.Round("r2", 2, p("p1", "pending")),
			"data/b/district.yaml":  gittest.District("b", "乙区"),
			"data/b/rounds/r1.yaml": gittest.Round("r1", 1, p("p1", "in_progress")),
			"data/c/district.yaml":  gittest.District("c", "丙区"),
			"data/c/rounds/r1.yaml": gittest.Round("r1", 1, p("p1", "pending"), ext),
		}},
		{"2024-03-03", map[string]string{"data/a/rounds/r1.yaml": gittest.Round("r1", 1, p("p1", "rectified"), p("p2", "pending"))}},
		{"2024-03-04", map[string]string{"data/b/rounds/r1.yaml": "id: r1\ntitle: [unclosed\n"}},
		// b is still broken: this version fails too, by b's error.
		{"2024-03-05", map[string]string{"data/c/rounds/r1.yaml": gittest.Round("r1", 1, p("p1", "closed"), ext)}},
		{"2024-03-06", map[string]string{"data/b/rounds/r1.yaml": gittest.Round("r1", 1, p("p1", "rectified"), p("p2", "pending"))}},
		{"2024-03-07", map[string]string{
			"data/d/district.yaml":  gittest.District("d", "丁区"),
			"data/d/rounds/r1.yaml": gittest.Round("r1", 1, p("p1", "pending")),
			"data/a/rounds/r2.yaml": "",
		}},
		// as_of from the commit dates from here on; c has a history entry
		// after the first of them, before the second.
		{"2024-04-01", map[string]string{"data/site.yaml": noAsOf, "data/c/rounds/r1.yaml": gittest.Round("r1", 1, p("p1", "closed"), ext, late)}},
		{"2024-04-05", map[string]string{"data/a/rounds/r1.yaml": gittest.Round("r1", 1, p("p1", "rectified"), p("p2", "in_progress"))}},
		{"2024-04-12", map[string]string{"data/a/rounds/r1.yaml": gittest.Round("r1", 1, p("p1", "rectified"), p("p2", "rectified"))}},
		{"2024-04-12", map[string]string{"data/site.yaml": gittest.Site}},
		// a folder without district.yaml, then given one
		{"2024-04-13", map[string]string{"data/e/rounds/r1.yaml": gittest.Round("r1", 1, p("p1", "pending"))}},
		{"2024-04-14", map[string]string{"data/d/rounds/r1.yaml": gittest.Round("r1", 1, p("p1", "closed"))}},
		{"2024-04-15", map[string]string{"data/e/district.yaml": gittest.District("e", "戊区")}},
		{"2024-04-16", map[string]string{"data/d/district.yaml": "", "data/d/rounds/r1.yaml": ""}},
		{"2024-04-17", map[string]string{"data/stray.yaml": "x: 1\n"}},
		{"2024-04-18", map[string]string{"data/a/rounds/r1.yaml": gittest.Round("r1", 1, p("p1", "closed"), p("p2", "rectified"))}},
		{"2024-04-19", map[string]string{"data/stray.yaml": ""}},
		{"2024-04-20", map[string]string{"data/b/rounds/r1.yaml": gittest.Round("r1", 1, p("p1", "closed"), p("p2", "pending"))}},
		// two files of one round id in b (r9.yaml and r9.yml), then a
		// commit that does not touch b
		{"2024-04-20", map[string]string{
			"data/b/rounds/r9.yaml": gittest.Round("r9", 9, p("p1", "pending")),
			"data/b/rounds/r9.yml":  gittest.Round("r9", 9, p("p1", "closed"), p("p2", "pending")),
		}},
		{"2024-04-20", map[string]string{"data/a/rounds/r1.yaml": gittest.Round("r1", 1, p("p1", "closed"), p("p2", "in_progress"))}},
		{"2024-04-20", map[string]string{"data/b/rounds/r9.yml": ""}},
		// site.yaml's rules change what is valid in c, which the commit
		// does not touch
		{"2024-04-20", map[string]string{"data/site.yaml": gittest.Site + "deadlines:\n  report_months: 6\n"}},
		{"2024-04-20", map[string]string{"data/b/rounds/r1.yaml": gittest.Round("r1", 1, p("p1", "closed"), p("p2", "closed"))}},
		{"2024-04-20", map[string]string{"data/site.yaml": gittest.Site}},
	}
	for _, s := range steps {
		r.Commit(s.date, "step", s.files)
	}
	// f's round is a's, through a link: a commit that touches only a
	// changes f too.
	if err := os.MkdirAll(filepath.Join(r.Dir, "data", "f", "rounds"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../../a/rounds/r1.yaml", filepath.Join(r.Dir, "data", "f", "rounds", "r1.yaml")); err != nil {
		t.Fatal(err)
	}
	r.Commit("2024-04-21", "f", map[string]string{"data/f/district.yaml": gittest.District("f", "己区")})
	r.Commit("2024-04-22", "a", map[string]string{"data/a/rounds/r1.yaml": gittest.Round("r1", 1, p("p1", "closed"), p("p2", "closed"))})
	o, err := gitrepo.Open(r.Dir, "data")
	if err != nil {
		t.Fatal(err)
	}
	byFolder := 0
	got, err := Of(o, "HEAD", func(c *config) { c.saw = func(whole bool) { byFolder += map[bool]int{false: 1}[whole] } })
	if err != nil {
		t.Fatal(err)
	}
	want, err := Of(o, "HEAD", func(c *config) { c.whole = true })
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("checked by folder:\n%+v\nchecked whole:\n%+v", got, want)
	}
	if byFolder < 8 {
		t.Errorf("%d versions checked by folder, want at least 8", byFolder)
	}
	if len(want.Skipped) < 4 || len(want.Points) < 10 {
		t.Errorf("the history does not test what it should: %d skipped, %d points", len(want.Skipped), len(want.Points))
	}
	for _, s := range want.Skipped {
		t.Logf("skipped %s: %d errors, %s", s.Date, s.Errors, s.First)
	}
}
