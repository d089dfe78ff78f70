package sitetest

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/gitrepo/gittest"
	"github.com/xuncha/bulletin/generator/internal/synth"
)

// TestMergedShardsWithHistory is TestMergedShardsAreTheSame for data in
// git: a history of status changes and of as_of (so the site has a
// progress page, a feed of changes and dated notices), one invalid commit,
// and an uncommitted edit in the working tree. The merged shards are the
// one-process build, byte for byte; a shard built from the same working
// tree but another history (two more commits that cancel out) is refused.
func TestMergedShardsWithHistory(t *testing.T) {
	repo := gittest.New(t)
	data := filepath.Join(repo.Dir, "data")
	if err := synth.Write(data, synth.Options{Problems: 600, Districts: 4, ProblemsPerRound: 50, Varied: true}); err != nil {
		t.Fatal(err)
	}
	repo.Git("2025-01-01", "add", "-A")
	repo.Git("2025-01-01", "commit", "-q", "-m", "records")
	round := func(d, r int) string { return fmt.Sprintf("data/d%03d/rounds/r%03d.yaml", d, r) }
	asOf := "2024-12-31"
	for i := 1; i <= 6; i++ {
		date := fmt.Sprintf("2025-01-%02d", 1+i)
		files := map[string]string{}
		if i%3 == 0 { // a new as_of: a dated notice
			asOf = date
			site := readFile(t, filepath.Join(data, "site.yaml"))
			files["data/site.yaml"] = site[:strings.Index(site, "as_of: ")] + "as_of: " + asOf + "\n"
		}
		for _, p := range []string{round(1+i%4, 1+i%3), round(1+(i+1)%4, 1+(i+2)%3)} {
			files[p] = rectifyOne(t, readFile(t, filepath.Join(repo.Dir, p)), asOf, i)
		}
		repo.Commit(date, "step "+strconv.Itoa(i), files)
		if i == 4 { // broken, then fixed: the history skips it
			good := readFile(t, filepath.Join(repo.Dir, round(1, 1)))
			repo.Commit(date, "broken", map[string]string{round(1, 1): "id: r001\ntitle: [unclosed\n"})
			repo.Commit(date, "fixed", map[string]string{round(1, 1): good})
		}
	}
	// Not committed: the build shows it, the history does not.
	p := filepath.Join(repo.Dir, round(3, 2))
	if err := os.WriteFile(p, []byte(rectifyOne(t, readFile(t, p), asOf, 99)), 0o644); err != nil {
		t.Fatal(err)
	}

	r := root(t)
	out := t.TempDir()
	args := []string{"--content", filepath.Join(r, "content"), "--templates", filepath.Join(r, "templates")}
	build := func(dir string, extra ...string) {
		t.Helper()
		if res := run(t, dir, append(append([]string{"build"}, args...), extra...)...); res.code != 0 {
			t.Fatalf("build %v: exit %d\n%s", extra, res.code, res.stderr)
		}
	}
	one := filepath.Join(out, "one")
	build(repo.Dir, "--shard-problems", "0", "--out", one)
	want := tree(t, one)
	for _, f := range []string{"data/history.json", "notices/2025-01-04/index.html", "notices/2025-01-07/index.html", "notices/2024-12-31/index.html"} {
		if _, ok := want[f]; !ok {
			t.Fatalf("the one-process build has no %s: the history is not in the test", f)
		}
	}
	var shards []string
	for i := 1; i <= 3; i++ {
		s := filepath.Join(out, "shard"+strconv.Itoa(i))
		shards = append(shards, s)
		build(repo.Dir, "--shard", strconv.Itoa(i)+"/3", "--shard-problems", "100", "--out", s)
	}
	merged := filepath.Join(out, "merged")
	mergeArgs := func(to string, shards ...string) []string {
		return append(append(append([]string{"merge"}, args...), "--out", to), shards...)
	}
	if res := run(t, repo.Dir, mergeArgs(merged, shards...)...); res.code != 0 {
		t.Fatalf("merge: exit %d\n%s", res.code, res.stderr)
	}
	if d := diffTrees(want, tree(t, merged)); d != "" {
		t.Errorf("the merge of 3 shards differs from the one-process build:\n%s", d)
	}

	// The same working tree, another history.
	clone := t.TempDir()
	repo.Git("", "clone", "-q", repo.Dir, clone)
	gitIn := func(date string, args ...string) {
		t.Helper()
		repo.Git(date, append([]string{"-C", clone}, args...)...)
	}
	gitIn("2025-02-01", "revert", "--no-edit", "HEAD")
	gitIn("2025-02-02", "revert", "--no-edit", "HEAD")
	if err := os.WriteFile(filepath.Join(clone, round(3, 2)), []byte(readFile(t, p)), 0o644); err != nil {
		t.Fatal(err)
	}
	otherShard := filepath.Join(out, "other-history")
	build(clone, "--shard", "2/3", "--shard-problems", "100", "--out", otherShard)
	to := filepath.Join(out, "refused")
	res := run(t, repo.Dir, mergeArgs(to, shards[0], otherShard, shards[2])...)
	if want := "was built from other records, templates or content"; res.code != 1 || !strings.Contains(res.stderr, want) {
		t.Errorf("a shard of another history: exit %d, stderr %q; want exit 1 and %q", res.code, res.stderr, want)
	}
	if _, err := os.Stat(to); !os.IsNotExist(err) {
		t.Errorf("merge wrote %s", to)
	}
}

// rectifyOne marks the first problem of a round file that is in progress or
// pending as rectified on date, with a history entry saying so (step n).
func rectifyOne(t *testing.T, src, date string, n int) string {
	t.Helper()
	const sep = "\n  - id: p"
	parts := strings.Split(src, sep)
	for i := 1; i < len(parts); i++ {
		p := parts[i]
		for _, st := range []string{"in_progress", "pending"} {
			old := "status: " + st + "\n    measures"
			if !strings.Contains(p, old) {
				continue
			}
			p = strings.Replace(p, old, "status: rectified\n    measures", 1)
			p = strings.TrimRight(p, "\n") + fmt.Sprintf("\n      - date: %s\n        status: rectified\n        note: 完成整改（第%d步）\n", date, n)
			if i < len(parts)-1 {
				p = strings.TrimSuffix(p, "\n")
			}
			parts[i] = p
			return strings.Join(parts, sep)
		}
	}
	t.Fatalf("no problem in progress or pending left in the round file")
	return ""
}
