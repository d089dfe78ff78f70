package sitetest

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/synth"
)

// TestMergedShardsAreTheSame builds a site in N shards (build --shard I/N),
// merges them, and compares every byte with a one-process build; then
// merge must refuse a mixture of shards from other data, a missing shard
// and a repeated one, exit 1 and write nothing.
func TestMergedShardsAreTheSame(t *testing.T) {
	dir := t.TempDir()
	if err := synth.Write(filepath.Join(dir, "data"), synth.Options{Problems: 900, Districts: 5, ProblemsPerRound: 60, Varied: true}); err != nil {
		t.Fatal(err)
	}
	other := t.TempDir() // the same districts, one more problem
	if err := synth.Write(filepath.Join(other, "data"), synth.Options{Problems: 901, Districts: 5, ProblemsPerRound: 60, Varied: true}); err != nil {
		t.Fatal(err)
	}
	r := root(t)
	out := t.TempDir()
	args := []string{"--content", filepath.Join(r, "content"), "--templates", filepath.Join(r, "templates")}
	buildArgs := func(extra ...string) []string { return append(append([]string{"build"}, args...), extra...) }
	mergeArgs := func(to string, shards ...string) []string {
		return append(append(append([]string{"merge"}, args...), "--out", to), shards...)
	}
	one := filepath.Join(out, "one")
	if res := run(t, dir, buildArgs("--shard-problems", "0", "--out", one)...); res.code != 0 {
		t.Fatalf("one-process build: exit %d\n%s", res.code, res.stderr)
	}
	want := tree(t, one)

	for _, n := range []int{1, 3, 7} { // 7 > 5 districts: some shards are empty
		var shards []string
		for i := 1; i <= n; i++ {
			s := filepath.Join(out, "n"+strconv.Itoa(n), "shard"+strconv.Itoa(i))
			shards = append(shards, s)
			if res := run(t, dir, buildArgs("--shard", strconv.Itoa(i)+"/"+strconv.Itoa(n), "--shard-problems", "150", "--out", s)...); res.code != 0 {
				t.Fatalf("build --shard %d/%d: exit %d\n%s", i, n, res.code, res.stderr)
			}
		}
		merged := filepath.Join(out, "n"+strconv.Itoa(n), "merged")
		if res := run(t, dir, mergeArgs(merged, shards...)...); res.code != 0 {
			t.Fatalf("merge of %d shards: exit %d\n%s", n, res.code, res.stderr)
		}
		if d := diffTrees(want, tree(t, merged)); d != "" {
			t.Errorf("the merge of %d shards differs from the one-process build:\n%s", n, d)
		}
	}

	// Shard 2 of 3 built from other records.
	mixed := filepath.Join(out, "mixed")
	if res := run(t, other, buildArgs("--shard", "2/3", "--out", mixed)...); res.code != 0 {
		t.Fatalf("build --shard 2/3 of the other records: exit %d\n%s", res.code, res.stderr)
	}
	// Shard 2 of 3 built from the same records but one problem's title:
	// no total, row or district page changes, only that problem's page
	// and its line in its round's list.
	retitledDir := t.TempDir()
	copyDir(t, filepath.Join(dir, "data"), filepath.Join(retitledDir, "data"))
	roundFile := filepath.Join(retitledDir, "data", "d001", "rounds", "r001.yaml")
	src := readFile(t, roundFile)
	edited := strings.Replace(src, "\n    title: ", "\n    title: 改过的", 1)
	if edited == src {
		t.Fatalf("%s has no problem title to change", roundFile)
	}
	if err := os.WriteFile(roundFile, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	retitled := filepath.Join(out, "retitled")
	if res := run(t, retitledDir, buildArgs("--shard", "2/3", "--out", retitled)...); res.code != 0 {
		t.Fatalf("build --shard 2/3 of the retitled records: exit %d\n%s", res.code, res.stderr)
	}
	n3 := func(i string) string { return filepath.Join(out, "n3", "shard"+i) }
	refusals := []struct {
		name   string
		shards []string
		want   string
	}{
		{"mixture", []string{n3("1"), mixed, n3("3")}, "was built from other records, templates or content"},
		{"one title changed", []string{n3("1"), retitled, n3("3")}, "was built from other records, templates or content"},
		{"missing", []string{n3("1"), n3("3")}, "no shard has district"},
		{"repeated", []string{n3("1"), n3("2"), n3("3"), n3("2")}, "is in two shards"},
		{"not a shard", []string{n3("1"), one}, "is not the output of build --shard"},
	}
	for _, c := range refusals {
		to := filepath.Join(out, "refused-"+strings.ReplaceAll(c.name, " ", "-"))
		res := run(t, dir, mergeArgs(to, c.shards...)...)
		if res.code != 1 || !strings.Contains(res.stderr, c.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit 1 and %q", c.name, res.code, res.stderr, c.want)
		}
		if _, err := os.Stat(to); !os.IsNotExist(err) {
			t.Errorf("%s: merge wrote %s", c.name, to)
		}
	}
}
