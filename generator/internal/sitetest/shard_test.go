package sitetest

import (
	"path/filepath"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/synth"
)

// TestShardedBuildIsTheSame builds the same records as one Hugo site and in
// shards of districts (--shard-problems): every file must be byte for byte
// the same, the merged sitemaps included.
func TestShardedBuildIsTheSame(t *testing.T) {
	synthDir := t.TempDir()
	// Varied titles repeat across districts, so the sitemaps' merge meets
	// pages of the same weight and title from different shards.
	if err := synth.Write(filepath.Join(synthDir, "data"), synth.Options{Problems: 900, Districts: 5, ProblemsPerRound: 60, Varied: true}); err != nil {
		t.Fatal(err)
	}
	r := root(t)
	cases := []struct {
		name, dir string
		caps      []string // --shard-problems of the sharded builds
	}{
		{"sample", r, []string{"1", "5"}},
		{"synth", synthDir, []string{"1", "200", "400"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := t.TempDir()
			args := []string{"build", "--content", filepath.Join(r, "content"), "--templates", filepath.Join(r, "templates")}
			one := filepath.Join(out, "one")
			if res := run(t, c.dir, append(args, "--shard-problems", "0", "--out", one)...); res.code != 0 {
				t.Fatalf("one-site build: exit %d\n%s", res.code, res.stderr)
			}
			want := tree(t, one)
			if len(want) < 20 {
				t.Fatalf("the one-site build wrote %d files", len(want))
			}
			for _, cap := range c.caps {
				sharded := filepath.Join(out, "cap"+cap)
				if res := run(t, c.dir, append(args, "--shard-problems", cap, "--out", sharded)...); res.code != 0 {
					t.Fatalf("--shard-problems %s: exit %d\n%s", cap, res.code, res.stderr)
				}
				if d := diffTrees(want, tree(t, sharded)); d != "" {
					t.Errorf("--shard-problems %s differs from the one-site build:\n%s", cap, d)
				}
			}
		})
	}
}
