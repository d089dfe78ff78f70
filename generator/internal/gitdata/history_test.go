package gitdata

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuncha/bulletin/generator/internal/aggregate"
)

// historyRepo commits a small history: valid versions, an invalid one, a
// commit that does not touch data, and a merge.
func historyRepo(t *testing.T) (*testRepo, []string) {
	r := newTestRepo(t)
	var hashes []string
	c := func(date, msg string, files map[string]string) {
		hashes = append(hashes, r.commit(date, msg, files))
	}
	c("2024-01-02", "first records", map[string]string{
		"data/site.yaml":         testSite,
		"data/qu/district.yaml":  testDistrict("qu", "某区"),
		"data/qu/rounds/r1.yaml": testRound("r1", 1, testProblem{id: "p1", status: "pending"}, testProblem{id: "p2", status: "in_progress"}),
	})
	c("2024-02-01", "p2 rectified", map[string]string{
		"data/qu/rounds/r1.yaml": testRound("r1", 1, testProblem{id: "p1", status: "pending"},
			testProblem{id: "p2", status: "rectified", extra: "    history:\n      - date: 2024-01-20\n        status: in_progress\n      - date: 2024-01-25\n        status: rectified\n"}),
	})
	c("2024-02-05", "broken", map[string]string{"data/qu/rounds/r1.yaml": "id: r1\ntitle: [unclosed\n"})
	c("2024-02-10", "fixed; p1 rectified; a new district", map[string]string{
		"data/qu/rounds/r1.yaml": testRound("r1", 1, testProblem{id: "p1", status: "rectified"},
			testProblem{id: "p2", status: "rectified", extra: "    history:\n      - date: 2024-01-20\n        status: in_progress\n      - date: 2024-01-25\n        status: rectified\n"}),
		"data/zhen/district.yaml":  testDistrict("zhen", "某镇"),
		"data/zhen/rounds/r1.yaml": testRound("r1", 1, testProblem{id: "p9", status: "closed", extra: "    visibility: internal\n"}),
	})
	c("2024-02-11", "readme only", map[string]string{"README.md": "x\n"})
	// A branch that adds a problem, merged with a merge commit.
	r.git("2024-02-12", "checkout", "-q", "-b", "topic")
	c("2024-02-12", "p3 on a branch", map[string]string{
		"data/zhen/rounds/r1.yaml": testRound("r1", 1, testProblem{id: "p9", status: "closed", extra: "    visibility: internal\n"},
			testProblem{id: "p3", status: "in_progress"}),
	})
	r.git("2024-02-13", "checkout", "-q", "main")
	r.git("2024-02-14", "merge", "-q", "--no-ff", "-m", "merge topic", "topic")
	hashes = append(hashes, r.git("", "rev-parse", "HEAD"))
	return r, hashes
}

func TestHistory(t *testing.T) {
	t.Parallel()
	r, hs := historyRepo(t)
	h, err := ScanHistory(r.dir, "data")
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
	o, _ := Open(r.dir, "data")
	early, err := o.History(hs[1])
	if err != nil || len(early.Points) != 2 {
		t.Errorf("History(%s): %v, %d points", hs[1], err, len(early.Points))
	}
}

func TestHistoryFilterAndWrite(t *testing.T) {
	t.Parallel()
	r, _ := historyRepo(t)
	h, err := ScanHistory(r.dir, "data")
	if err != nil {
		t.Fatal(err)
	}
	data, _, err := Load(r.dir, "data", "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if err := WriteHistoryJSON(out, h); !errors.Is(err, ErrNotFiltered) {
		t.Fatalf("writing an unfiltered history: %v", err)
	}
	tests := []struct {
		edition string
		want    int // changes kept
	}{
		{aggregate.Internal, 6},
		{aggregate.Public, 5}, // p9 is internal
	}
	for _, tt := range tests {
		f := h.Filter(MayShow(data, tt.edition))
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
		if tt.edition == aggregate.Public && strings.Contains(string(b), "p9") {
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
	show := MayShow(data, aggregate.Public)
	for _, k := range [][3]string{{"qu", "r1", "p1"}, {"zhen", "r1", "p9"}, {"qu", "r1", "gone"}} {
		want := k[2] == "p1"
		if got := show(k[0], k[1], k[2]); got != want {
			t.Errorf("MayShow public %v = %v, want %v", k, got, want)
		}
	}
}

// TestScannerMatchesLoad checks that the model and diagnostics the scanner
// puts together from cached files are exactly what load.Load gives for the
// whole folder, over a history with every kind of change: edits, errors,
// deletions, renames, misplaced files, links, hidden and non-YAML files.
func TestScannerMatchesLoad(t *testing.T) {
	t.Parallel()
	r := newTestRepo(t)
	steps := []map[string]string{
		{"data/site.yaml": testSite, "data/qu/district.yaml": testDistrict("qu", "某区"),
			"data/qu/rounds/r2.yaml": testRound("r2", 2, testProblem{id: "p1", status: "pending"}),
			"data/qu/rounds/r1.yaml": testRound("r1", 1, testProblem{id: "p1", status: "closed"})},
		{"data/qu/rounds/r1.yaml": testRound("r1", 3, testProblem{id: "p1", status: "rectified"})}, // reorders rounds
		{"data/qu/rounds/r2.yaml": "id: r2\ntitle: x\nnumber: [\n"},                                // syntax error
		{"data/qu/rounds/r2.yaml": testRound("r2", 2, testProblem{id: "p1", status: "pendin"})},    // bad status
		{"data/qu/stray.yaml": "id: x\n"},                                                          // misplaced: whole load
		{"data/qu/stray.yaml": "", "data/a/district.yaml": testDistrict("a", "甲区"),
			"data/a/common/c1.yaml": "id: c1\ntitle: 共性问题\nunits:\n  - id: u1\n    name: 单位\n    status: pending\n"},
		{"data/site.yaml": "title: [\n"},                          // site refused
		{"data/site.yaml": testSite, "data/qu/district.yaml": ""}, // district.yaml missing: whole load
		{"data/qu/district.yaml": "id: other\nname: 某区\n"},        // id differs from folder
		{"data/qu/district.yaml": testDistrict("qu", "某区"), "data/qu/rounds/r1.yaml": "", "data/qu/rounds/r9.yml": testRound("r9", 1)},
		{"data/.hidden/x.yaml": "{{{", "data/notes.txt": "x"},
	}
	for i, files := range steps {
		r.commit(fmt.Sprintf("2024-03-%02d", i+1), fmt.Sprint("step ", i), files)
	}
	// A symbolic link to a round file: whole load.
	if err := os.Symlink("r2.yaml", filepath.Join(r.dir, "data/qu/rounds/link.yaml")); err != nil {
		t.Skip("no symbolic links here")
	}
	r.commit("2024-03-20", "link", nil)

	repo, err := Open(r.dir, "data")
	if err != nil {
		t.Fatal(err)
	}
	log, err := repo.rawLog("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	s, err := repo.newScanner(log)
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	fast := 0
	for i, c := range log {
		if err := s.apply(c.changes); err != nil {
			t.Fatal(err)
		}
		if _, ok := recordFiles(s.state); ok {
			fast++
		}
		got, gotErrs, err := s.version()
		if err != nil {
			t.Fatal(err)
		}
		want, wantErrs, err := s.loadWhole()
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(gotErrs) != fmt.Sprint(wantErrs) {
			t.Errorf("commit %d: diagnostics\n got %v\nwant %v", i, gotErrs, wantErrs)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("commit %d: the model differs from load.Load's", i)
		}
		// The whole folder as `git archive` would give it, too.
		full, fullErrs, err := repo.load(c.Hash)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(fullErrs) != fmt.Sprint(wantErrs) || !reflect.DeepEqual(full, want) {
			t.Errorf("commit %d: Load at the revision differs from the scanner's state", i)
		}
	}
	if fast < 6 {
		t.Errorf("only %d of %d versions took the fast path", fast, len(log))
	}
}

// BenchmarkHistory300 scans a repository of 300 data commits of a
// district-sized data set (12 rounds of 40 problems, 260 KB of YAML), each
// commit changing one problem's status in one round file.
func BenchmarkHistory300(b *testing.B) {
	dir := synthRepo(b, 300, 12, 40)
	for b.Loop() {
		h, err := ScanHistory(dir, "data")
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
	h, err := ScanHistory(dir, "data")
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
