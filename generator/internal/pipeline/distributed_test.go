package pipeline

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuncha/bulletin/generator/internal/edition"
	"github.com/xuncha/bulletin/generator/internal/load"
	"github.com/xuncha/bulletin/generator/internal/model"
	"github.com/xuncha/bulletin/generator/internal/view"
)

const sampleData = "../../../data"

// TestShardBulletinHasOnlyItsPages: a shard of a build spread over
// machines (build --shard I/N) computes the page data of its own districts
// and of no other, so that its cost is its shard's plus the figures; the
// shards together have every district's pages once, the same as a
// one-process build's, and every shard the same figures.
func TestShardBulletinHasOnlyItsPages(t *testing.T) {
	c, errs := Check(Config{Data: sampleData})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for _, ed := range []edition.Edition{edition.PublicEdition, edition.InternalEdition} {
		full := Bulletin(c, ed)
		for _, n := range []int{1, 2, 3, 7} { // 7 > 6 districts: a shard has none
			owner := map[string]int{}
			for i := 1; i <= n; i++ {
				spec := ShardSpec{I: i, N: n}
				b := shardBulletin(c, ed, spec)
				if jsonString(t, b) != jsonString(t, full) {
					t.Errorf("%s, shard %s: the figures differ from a one-process build's", ed, spec)
				}
				mine := map[int]bool{}
				for _, k := range balancedShard(b.Districts, spec) {
					mine[k] = true
				}
				for k, d := range b.Districts {
					has := d.RoundPages != nil || d.CommonPages != nil || d.UnitPages != nil
					switch {
					case mine[k] && countPages(&view.Bulletin{Districts: []*view.District{d}}) != countPages(&view.Bulletin{Districts: []*view.District{full.Districts[k]}}):
						t.Errorf("%s, shard %s: its district %s lacks pages", ed, spec, d.ID)
					case !mine[k] && has:
						t.Errorf("%s, shard %s: district %s of another shard has page data (%d rounds, %d common problems, %d units)",
							ed, spec, d.ID, len(d.RoundPages), len(d.CommonPages), len(d.UnitPages))
					case mine[k]:
						if o, dup := owner[d.ID]; dup {
							t.Errorf("%s: district %s is in shards %d and %d of %d", ed, d.ID, o, i, n)
						}
						owner[d.ID] = i
					}
				}
			}
			if len(owner) != len(full.Districts) {
				t.Errorf("%s: %d shards have the pages of %d of %d districts", ed, n, len(owner), len(full.Districts))
			}
		}
	}
}

// TestInputsHash: the content hash merge compares is the same however a
// process computed the Bulletin (a shard's, without the other shards'
// pages, or merge's, with all), and changes with what the site is built
// from: one problem's title in a record file, the edition, as_of, a
// template, a content file. A file the loader does not read does not
// change it.
func TestInputsHash(t *testing.T) {
	dir := t.TempDir()
	data, templates, content := filepath.Join(dir, "data"), filepath.Join(dir, "templates"), filepath.Join(dir, "content")
	if err := copyTree(sampleData, data); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{filepath.Join(templates, "layouts", "home.html"), filepath.Join(content, "about.md")} {
		os.MkdirAll(filepath.Dir(f), 0o755)
		os.WriteFile(f, []byte("x\n"), 0o644)
	}
	hash := func(cfg Config, shard bool) string {
		t.Helper()
		cfg.Data, cfg.Templates, cfg.Content = data, templates, content
		cfg.defaults()
		sums := load.NewFileSums()
		c, errs := checkRecords(cfg, load.WithFileSums(sums))
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		b := Bulletin(c, cfg.Edition)
		if shard {
			b = shardBulletin(c, cfg.Edition, ShardSpec{I: 2, N: 3})
		}
		h, err := inputsHash(cfg, c, sums, b)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	base := hash(Config{}, false)
	if got := hash(Config{}, true); got != base {
		t.Fatalf("a shard's hash %.12s differs from merge's %.12s for the same inputs", got, base)
	}
	edit := func(name, file, old, new string) {
		t.Helper()
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), old) {
			t.Fatalf("%s: %s has no %q", name, file, old)
		}
		os.WriteFile(file, []byte(strings.Replace(string(b), old, new, 1)), 0o644)
		if got := hash(Config{}, true); got == base {
			t.Errorf("%s: the hash did not change", name)
		}
		os.WriteFile(file, b, 0o644)
	}
	edit("one problem's title", filepath.Join(data, "dazhu", "rounds", "liulun.yaml"), "\n    title: ", "\n    title: 改过的")
	edit("a template", filepath.Join(templates, "layouts", "home.html"), "x", "y")
	edit("a content file", filepath.Join(content, "about.md"), "x", "y")
	if got := hash(Config{Edition: edition.InternalEdition}, true); got == base {
		t.Errorf("the internal edition has the public one's hash")
	}
	if got := hash(Config{AsOf: model.NewDate(2025, time.January, 31)}, true); got == base {
		t.Errorf("--as-of 2025-01-31 has the hash of site.yaml's as_of")
	}
	os.WriteFile(filepath.Join(data, "README.md"), []byte("not a record\n"), 0o644)
	if got := hash(Config{}, true); got != base {
		t.Errorf("a file the loader does not read changed the hash")
	}
	if hash(Config{}, true) != base {
		t.Errorf("the hash is not the same twice")
	}
}

func jsonString(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
