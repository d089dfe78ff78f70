package history

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/xuncha/bulletin/generator/internal/check"
	"github.com/xuncha/bulletin/generator/internal/edition"
	"github.com/xuncha/bulletin/generator/internal/gitrepo"
	"github.com/xuncha/bulletin/generator/internal/gitrepo/gittest"
	"github.com/xuncha/bulletin/generator/internal/load"
	"github.com/xuncha/bulletin/generator/internal/model"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// historyRepo commits a small history: valid versions, an invalid one, a
// commit that does not touch data, and a merge.
func historyRepo(t *testing.T) (*gittest.Repo, []string) {
	r := gittest.New(t)
	var hashes []string
	c := func(date, msg string, files map[string]string) {
		hashes = append(hashes, r.Commit(date, msg, files))
	}
	c("2024-01-02", "first records", map[string]string{
		"data/site.yaml":         gittest.Site,
		"data/qu/district.yaml":  gittest.District("qu", "某区"),
		"data/qu/rounds/r1.yaml": gittest.Round("r1", 1, gittest.Problem{ID: "p1", Status: "pending"}, gittest.Problem{ID: "p2", Status: "in_progress"}),
	})
	c("2024-02-01", "p2 rectified", map[string]string{
		"data/qu/rounds/r1.yaml": gittest.Round("r1", 1, gittest.Problem{ID: "p1", Status: "pending"},
			gittest.Problem{ID: "p2", Status: "rectified", Extra: "    history:\n      - date: 2024-01-20\n        status: in_progress\n      - date: 2024-01-25\n        status: rectified\n"}),
	})
	c("2024-02-05", "broken", map[string]string{"data/qu/rounds/r1.yaml": "id: r1\ntitle: [unclosed\n"})
	c("2024-02-10", "fixed; p1 rectified; a new district", map[string]string{
		"data/qu/rounds/r1.yaml": gittest.Round("r1", 1, gittest.Problem{ID: "p1", Status: "rectified"},
			gittest.Problem{ID: "p2", Status: "rectified", Extra: "    history:\n      - date: 2024-01-20\n        status: in_progress\n      - date: 2024-01-25\n        status: rectified\n"}),
		"data/zhen/district.yaml":  gittest.District("zhen", "某镇"),
		"data/zhen/rounds/r1.yaml": gittest.Round("r1", 1, gittest.Problem{ID: "p9", Status: "closed", Extra: "    visibility: internal\n"}),
	})
	c("2024-02-11", "readme only", map[string]string{"README.md": "x\n"})
	// A branch that adds a problem, merged with a merge commit.
	r.Git("2024-02-12", "checkout", "-q", "-b", "topic")
	c("2024-02-12", "p3 on a branch", map[string]string{
		"data/zhen/rounds/r1.yaml": gittest.Round("r1", 1, gittest.Problem{ID: "p9", Status: "closed", Extra: "    visibility: internal\n"},
			gittest.Problem{ID: "p3", Status: "in_progress"}),
	})
	r.Git("2024-02-13", "checkout", "-q", "main")
	r.Git("2024-02-14", "merge", "-q", "--no-ff", "-m", "merge topic", "topic")
	hashes = append(hashes, r.Git("", "rev-parse", "HEAD"))
	return r, hashes
}

func TestHistory(t *testing.T) {
	t.Parallel()
	r, hs := historyRepo(t)
	h, err := Scan(r.Dir, "data")
	if err != nil {
		t.Fatal(err)
	}
	type fig struct {
		date        string
		found, rect int
		rate        string
		districts   string
	}
	want := []fig{
		{"2024-01-02", 2, 0, "0.0%", "qu 2/0"},
		{"2024-02-01", 2, 1, "50.0%", "qu 2/1"},
		{"2024-02-10", 3, 3, "100.0%", "qu 2/2 zhen 1/1"},
		{"2024-02-14", 4, 3, "75.0%", "qu 2/2 zhen 2/1"}, // the merge, not the branch's own commit
	}
	var got []fig
	for _, p := range h.Points {
		var ds []string
		for _, d := range p.Districts {
			ds = append(ds, fmt.Sprintf("%s %d/%d", d.ID, d.Found, d.Rectified))
		}
		got = append(got, fig{p.Date, p.Overall.Found, p.Overall.Rectified, p.Overall.RateText, strings.Join(ds, " ")})
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("points\n got %v\nwant %v", got, want)
	}
	if h.Points[2].Commit != hs[3] || h.Points[0].AsOf != "2024-12-31" {
		t.Errorf("point 2 is %s (want %s), as_of %s", h.Points[2].Commit, hs[3], h.Points[0].AsOf)
	}

	var changes []string
	for _, c := range h.Changes {
		changes = append(changes, fmt.Sprintf("%s %s %s>%s %s", c.Date, c.URL, c.From, c.To, c.Title))
	}
	wantChanges := []string{
		"2024-01-02 qu/r1/p1/ >pending 问题p1",
		"2024-01-02 qu/r1/p2/ >in_progress 问题p2",
		"2024-01-25 qu/r1/p2/ in_progress>rectified 问题p2", // dated by its history entry
		"2024-02-10 qu/r1/p1/ pending>rectified 问题p1",     // no history: the commit's date
		"2024-02-10 zhen/r1/p9/ >closed 问题p9",
		"2024-02-14 zhen/r1/p3/ >in_progress 问题p3",
	}
	if !reflect.DeepEqual(changes, wantChanges) {
		t.Errorf("changes\n got %q\nwant %q", changes, wantChanges)
	}

	if len(h.Skipped) != 1 || h.Skipped[0].Commit != hs[2] || h.Skipped[0].Errors == 0 ||
		!strings.HasPrefix(h.Skipped[0].First, "data/qu/rounds/r1.yaml:") {
		t.Errorf("skipped %+v", h.Skipped)
	}

	// Another revision: history as of the second commit.
	o, _ := gitrepo.Open(r.Dir, "data")
	early, err := Of(o, hs[1])
	if err != nil || len(early.Points) != 2 {
		t.Errorf("History(%s): %v, %d points", hs[1], err, len(early.Points))
	}
}

func TestHistoryFilterAndWrite(t *testing.T) {
	t.Parallel()
	r, _ := historyRepo(t)
	h, err := Scan(r.Dir, "data")
	if err != nil {
		t.Fatal(err)
	}
	o, _ := gitrepo.Open(r.Dir, "data")
	v, _, err := check.Revision(o, "HEAD", model.Date{})
	if err != nil {
		t.Fatal(err)
	}
	data := v.Data
	out := t.TempDir()
	if err := WriteHistoryJSON(out, h); !errors.Is(err, ErrNotFiltered) {
		t.Fatalf("writing an unfiltered history: %v", err)
	}
	tests := []struct {
		edition edition.Edition
		want    int // changes kept
	}{
		{edition.InternalEdition, 6},
		{edition.PublicEdition, 5}, // p9 is internal
	}
	for _, tt := range tests {
		f := h.Filter(data, tt.edition)
		if len(f.Changes) != tt.want {
			t.Errorf("%s: %d changes, want %d", tt.edition, len(f.Changes), tt.want)
		}
		if err := WriteHistoryJSON(out, f); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(out, "data", "history.json"))
		if err != nil {
			t.Fatal(err)
		}
		if tt.edition == edition.PublicEdition && strings.Contains(string(b), "p9") {
			t.Errorf("public history.json mentions the internal problem")
		}
		if strings.Contains(string(b), "unclosed") || strings.Contains(string(b), "r1.yaml:") {
			t.Errorf("history.json carries a diagnostic")
		}
		var back History
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if len(back.Points) != 4 || *back.Points[1].Overall.Rate != 50 || len(back.Skipped) != 1 {
			t.Errorf("round trip: %+v", back)
		}
		if !strings.Contains(string(b), `"rate": 100.0,`) || !strings.Contains(string(b), `"rate": 0.0,`) {
			t.Errorf("rates must have one decimal:\n%s", b)
		}
		// Deterministic: the same history gives the same bytes.
		again, _ := f.JSON()
		if string(again) != string(b) {
			t.Error("JSON is not deterministic")
		}
	}
	// A public problem of an internal target is not shown either.
	show := MayShow(data, edition.PublicEdition)
	for _, k := range [][3]string{{"qu", "r1", "p1"}, {"zhen", "r1", "p9"}, {"qu", "r1", "gone"}} {
		want := k[2] == "p1"
		if got := show(k[0], k[1], k[2]); got != want {
			t.Errorf("MayShow public %v = %v, want %v", k, got, want)
		}
	}
}

// BenchmarkHistory300 scans a repository of 300 data commits of a
// district-sized data set (12 rounds of 40 problems, 260 KB of YAML), each
// commit changing one problem's status in one round file.
func BenchmarkHistory300(b *testing.B) {
	dir := synthRepo(b, 300, 12, 40)
	for b.Loop() {
		h, err := Scan(dir, "data")
		if err != nil {
			b.Fatal(err)
		}
		if len(h.Points) != 300 {
			b.Fatalf("%d points, want 300", len(h.Points))
		}
	}
}

// TestHistoryManyCommits is the benchmark's repository, smaller, as a test.
func TestHistoryManyCommits(t *testing.T) {
	t.Parallel()
	dir := synthRepo(t, 40, 4, 10)
	start := time.Now()
	h, err := Scan(dir, "data")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("40 commits in %v", time.Since(start))
	if len(h.Points) != 40 || len(h.Skipped) != 0 {
		t.Fatalf("%d points, %d skipped: %v", len(h.Points), len(h.Skipped), h.Skipped)
	}
	last := h.Points[len(h.Points)-1]
	if last.Overall.Found != 40 || last.Overall.Rectified == 0 {
		t.Errorf("last point %+v", last.Overall)
	}
	if len(h.Changes) <= 40 {
		t.Errorf("%d changes, want the 40 problems opened and then status changes", len(h.Changes))
	}
}

// TestNoTemporaryFiles: reading revisions writes nothing to disk, so an
// interrupted build cannot leave records (internal ones included) in the
// temporary folder.
func TestNoTemporaryFiles(t *testing.T) {
	r, _ := historyRepo(t)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	if _, err := Scan(r.Dir, "data"); err != nil {
		t.Fatal(err)
	}
	o, _ := gitrepo.Open(r.Dir, "data")
	if _, _, err := check.Revision(o, "HEAD~2", model.Date{}); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("left in the temporary folder: %v", left)
	}
}

// TestHistoryWithWorkingTreeCache: a build checks the working tree through
// a record cache and then scans the history through the same cache
// (WithCache), so that the scan parses only the versions that differ from
// the working tree's; the history is the one a scan of its own gives,
// whatever the cache holds (here also an uncommitted edit).
func TestHistoryWithWorkingTreeCache(t *testing.T) {
	t.Parallel()
	r, _ := historyRepo(t)
	data := filepath.Join(r.Dir, "data")
	round := filepath.Join(data, "qu", "rounds", "r1.yaml")
	b, err := os.ReadFile(round)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(round, []byte(strings.Replace(string(b), "status: rectified", "status: closed", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	want, err := Scan(r.Dir, "data")
	if err != nil {
		t.Fatal(err)
	}
	cache := load.NewRecordCache()
	if _, errs := check.WorkingTree(data, model.Date{}, load.WithCache(cache)); len(errs) > 0 {
		t.Fatal(errs)
	}
	repo, err := gitrepo.Open(data, ".")
	if err != nil {
		t.Fatal(err)
	}
	repo.Display = data // as the working tree's files are named in the cache
	for range 2 {       // the second time, the cache holds the history's versions
		got, err := Of(repo, "HEAD", WithCache(cache))
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range []*History{want, got} {
			for i := range h.Skipped {
				h.Skipped[i].First = "" // names the file as the repository is displayed
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("with the working tree's cache:\n%+v\nwant\n%+v", got, want)
		}
	}
}
