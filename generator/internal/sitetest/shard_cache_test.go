package sitetest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/synth"
)

// TestShardCache builds with --shard-cache (and no --shard-problems: each
// district is then a shard of its own), edits one problem's title and
// builds again: only the edited district's shard is rendered again, the
// others come from the cache, and the site is byte for byte a build
// without the cache (one Hugo site).
func TestShardCache(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if err := synth.Write(data, synth.Options{Problems: 900, Districts: 5, ProblemsPerRound: 60}); err != nil {
		t.Fatal(err)
	}
	r := root(t)
	out := t.TempDir()
	cache := filepath.Join(out, "cache")
	args := func(to string, cached bool) []string {
		a := []string{"build", "--content", filepath.Join(r, "content"), "--templates", filepath.Join(r, "templates"), "--out", to}
		if cached {
			a = append(a, "--shard-cache", cache)
		}
		return a
	}
	build := func(to string, cached bool) string {
		t.Helper()
		res := run(t, dir, args(to, cached)...)
		if res.code != 0 {
			t.Fatalf("build: exit %d\n%s", res.code, res.stderr)
		}
		return res.stderr
	}
	if log := build(filepath.Join(out, "first"), true); !strings.Contains(log, "build: 0 of 5 shards reused") {
		t.Fatalf("first build with an empty cache: %q", log)
	}
	if log := build(filepath.Join(out, "again"), true); !strings.Contains(log, "build: 5 of 5 shards reused") {
		t.Errorf("unchanged inputs: %q", log)
	}
	if d := diffTrees(tree(t, filepath.Join(out, "first")), tree(t, filepath.Join(out, "again"))); d != "" {
		t.Errorf("a build from the cache differs:\n%s", d)
	}

	// One problem's title in one district.
	files, _ := filepath.Glob(filepath.Join(data, "*", "rounds", "*.yaml"))
	edited := ""
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if s := string(b); strings.Contains(s, "（第1项）") {
			if err := os.WriteFile(f, []byte(strings.Replace(s, "（第1项）", "（第1项，已改）", 1)), 0o644); err != nil {
				t.Fatal(err)
			}
			edited = f
			break
		}
	}
	if edited == "" {
		t.Fatalf("no problem title to edit in %v", files)
	}
	if log := build(filepath.Join(out, "edited"), true); !strings.Contains(log, "build: 4 of 5 shards reused") {
		t.Errorf("after editing %s: %q", edited, log)
	}
	fresh := filepath.Join(out, "fresh")
	build(fresh, false)
	if d := diffTrees(tree(t, fresh), tree(t, filepath.Join(out, "edited"))); d != "" {
		t.Errorf("the build from the cache after an edit differs from a build without it:\n%s", d)
	}
	if !strings.Contains(treeText(t, filepath.Join(out, "edited")), "已改") {
		t.Errorf("the edit is not in the site")
	}

	// Damaged entries (as by an interrupted cache restore: a page cut
	// short or missing, the manifest cut short or missing) are rendered
	// again and replaced, and the site is still the same.
	entries, _ := filepath.Glob(filepath.Join(cache, strings.Repeat("[0-9a-f]", 64)))
	if len(entries) != 6 {
		t.Fatalf("cache entries: %v, want 6 (5 shards and the edited one)", entries)
	}
	for i, e := range entries {
		pages, _ := filepath.Glob(filepath.Join(e, "*", "*", "*", "index.html"))
		if len(pages) == 0 {
			t.Fatalf("%s: no problem pages", e)
		}
		var err error
		switch i % 4 {
		case 0:
			err = os.Truncate(pages[len(pages)/2], 10)
		case 1:
			err = os.Remove(pages[len(pages)-1])
		case 2:
			err = os.Truncate(filepath.Join(e, ".entry"), 100)
		case 3:
			err = os.Remove(filepath.Join(e, ".entry"))
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	log := build(filepath.Join(out, "repaired"), true)
	if n := strings.Count(log, "rendering the shard again"); n != 5 || !strings.Contains(log, "build: 0 of 5 shards reused") {
		t.Errorf("5 damaged entries: %d reported: %q", n, log)
	}
	if d := diffTrees(tree(t, fresh), tree(t, filepath.Join(out, "repaired"))); d != "" {
		t.Errorf("the build over a damaged cache entry differs from a build without the cache:\n%s", d)
	}
	if log := build(filepath.Join(out, "after-repair"), true); !strings.Contains(log, "build: 5 of 5 shards reused") {
		t.Errorf("the damaged entry was not replaced: %q", log)
	}
}

// treeText is the text of every HTML page under dir.
func treeText(t *testing.T, dir string) string {
	var b strings.Builder
	walkFiles(t, dir, func(rel string, data []byte) {
		if strings.HasSuffix(rel, ".html") {
			b.Write(data)
		}
	})
	return b.String()
}
