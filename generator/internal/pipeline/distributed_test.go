package pipeline

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuncha/bulletin/generator/internal/edition"
	"github.com/xuncha/bulletin/generator/internal/load"
	"github.com/xuncha/bulletin/generator/internal/model"
	"github.com/xuncha/bulletin/generator/internal/publish"
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
	const (
		ofShard = iota
		ofMerge
		ofWhole
	)
	hash := func(cfg Config, of int) string {
		t.Helper()
		cfg.Data, cfg.Templates, cfg.Content = data, templates, content
		cfg.defaults()
		sums := load.NewFileSums()
		c, errs := checkRecords(cfg, load.WithFileSums(sums))
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		var b *view.Bulletin
		switch of {
		case ofShard:
			b = shardBulletin(c, cfg.Edition, ShardSpec{I: 2, N: 3})
		case ofMerge:
			b, _ = mergeBulletin(c, cfg.Edition)
		default:
			b = Bulletin(c, cfg.Edition)
		}
		h, err := inputsHash(cfg, c, sums, b)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	base := hash(Config{}, ofMerge)
	if got := hash(Config{}, ofShard); got != base {
		t.Fatalf("a shard's hash %.12s differs from merge's %.12s for the same inputs", got, base)
	}
	if got := hash(Config{}, ofWhole); got != base {
		t.Fatalf("the hash of a Bulletin with every page %.12s differs from merge's %.12s for the same inputs", got, base)
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
		if got := hash(Config{}, ofShard); got == base {
			t.Errorf("%s: the hash did not change", name)
		}
		os.WriteFile(file, b, 0o644)
	}
	edit("one problem's title", filepath.Join(data, "dazhu", "rounds", "liulun.yaml"), "\n    title: ", "\n    title: 改过的")
	edit("a template", filepath.Join(templates, "layouts", "home.html"), "x", "y")
	edit("a content file", filepath.Join(content, "about.md"), "x", "y")
	if got := hash(Config{Edition: edition.InternalEdition}, ofShard); got == base {
		t.Errorf("the internal edition has the public one's hash")
	}
	if got := hash(Config{AsOf: model.NewDate(2025, time.January, 31)}, ofShard); got == base {
		t.Errorf("--as-of 2025-01-31 has the hash of site.yaml's as_of")
	}
	os.WriteFile(filepath.Join(data, "README.md"), []byte("not a record\n"), 0o644)
	if got := hash(Config{}, ofShard); got != base {
		t.Errorf("a file the loader does not read changed the hash")
	}
	if hash(Config{}, ofShard) != base {
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

// TestMergeBulletinHasNoPages: merge computes the figures and rows of
// every district with no page data at all (the districts' pages are the
// shards'), the same figures as a Bulletin with every page; the page data
// the search index and problems.csv read comes from each, one district at
// a time, the same as that Bulletin's.
func TestMergeBulletinHasNoPages(t *testing.T) {
	c, errs := Check(Config{Data: sampleData})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for _, ed := range []edition.Edition{edition.PublicEdition, edition.InternalEdition} {
		full := Bulletin(c, ed)
		b, each := mergeBulletin(c, ed)
		if jsonString(t, b) != jsonString(t, full) {
			t.Errorf("%s: merge's figures differ from a one-process build's", ed)
		}
		for i, d := range b.Districts {
			if d.RoundPages != nil || d.CommonPages != nil || d.UnitPages != nil {
				t.Errorf("%s: merge computed page data of district %s (%d rounds, %d common problems, %d units)",
					ed, d.ID, len(d.RoundPages), len(d.CommonPages), len(d.UnitPages))
			}
			n := 0
			for _, r := range full.Districts[i].RoundPages {
				n += len(r.ProblemPages)
			}
			if d.ProblemPageCount != n {
				t.Errorf("%s: district %s counts %d problem pages, it has %d", ed, d.ID, d.ProblemPageCount, n)
			}
		}
		i := 0
		if err := each(func(d *view.District) error {
			if i >= len(full.Districts) || !reflect.DeepEqual(d, full.Districts[i]) {
				t.Errorf("%s: district %d handed out for the data files differs from the one-process build's", ed, i)
			}
			i++
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if i != len(full.Districts) {
			t.Errorf("%s: %d districts handed out, want %d", ed, i, len(full.Districts))
		}
	}
}

// TestMergeLinksShardFiles: merge hard-links the shards' files into the
// site when they are on its file system, and copies them when a link
// fails (another file system: the site in /dev/shm) or when a shard's
// file has another mode than a published file's (publishing would change
// it through the link). Either way the site is the same, and the shard folders are left
// exactly as they were, contents and modes, after the site is published.
func TestMergeLinksShardFiles(t *testing.T) {
	dir := t.TempDir()
	base := Config{Data: sampleData, Templates: "../../../templates", Content: "../../../content"}
	var shards []string
	for i := 1; i <= 2; i++ {
		cfg := base
		cfg.Shard = ShardSpec{I: i, N: 2}
		cfg.Out = filepath.Join(dir, fmt.Sprintf("shard%d", i))
		if _, err := Build(cfg); err != nil {
			t.Fatalf("shard %d/2: %v", i, err)
		}
		shards = append(shards, cfg.Out)
	}
	// A shard's file whose mode is not a published file's, as an unpacked
	// CI artifact may have.
	var odd string
	filepath.WalkDir(shards[1], func(p string, d fs.DirEntry, err error) error {
		if odd == "" && err == nil && d.Type().IsRegular() && strings.HasSuffix(p, ".html") && strings.Count(p, string(filepath.Separator)) > strings.Count(shards[1], string(filepath.Separator))+2 {
			odd = p
		}
		return nil
	})
	if odd == "" {
		t.Fatal("shard 2 has no district page")
	}
	if err := os.Chmod(odd, 0o664); err != nil {
		t.Fatal(err)
	}
	before := shardState(t, shards)

	// Another file system for the copied site: /dev/shm (tmpfs) where
	// the temporary folder is not on it.
	other := ""
	if shm, err := os.MkdirTemp("/dev/shm", "merge-"); err == nil {
		defer os.RemoveAll(shm)
		probe := filepath.Join(shm, "probe")
		if os.Link(odd, probe) == nil {
			os.Remove(probe)
		} else {
			other = shm
		}
	}
	sites := map[string]string{}
	for _, name := range []string{"linked", "copied"} {
		cfg := base
		cfg.Out = filepath.Join(dir, name)
		if name == "copied" {
			if other == "" {
				t.Log("no other file system at /dev/shm: the copy across file systems is not tested")
				continue
			}
			cfg.Out = filepath.Join(other, name)
		}
		if _, err := Merge(cfg, shards); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		linked, files := 0, 0
		for k, s := range shards {
			filepath.WalkDir(s, func(p string, d fs.DirEntry, err error) error {
				if err != nil || !d.Type().IsRegular() || d.Name() == ShardManifest || d.Name() == publish.Marker {
					return err
				}
				rel, _ := filepath.Rel(s, p)
				a, errA := os.Stat(p)
				b, errB := os.Stat(filepath.Join(cfg.Out, rel))
				if errA != nil || errB != nil {
					t.Errorf("%s: shard %d's %s is not in the site: %v %v", name, k+1, rel, errA, errB)
					return nil
				}
				files++
				if os.SameFile(a, b) {
					linked++
					if p == odd {
						t.Errorf("%s: %s (mode %v) is linked: publishing changes its mode", name, rel, a.Mode())
					}
				}
				return nil
			})
		}
		switch {
		case files < 20:
			t.Fatalf("%s: the shards have %d files", name, files)
		case name == "linked" && linked != files-1:
			t.Errorf("linked: %d of the shards' %d files are linked, want all but the one of another mode", linked, files)
		case name == "copied" && linked != 0:
			t.Errorf("copied: %d of the shards' %d files are linked though linking fails", linked, files)
		}
		if after := shardState(t, shards); after != before {
			t.Errorf("%s: merge changed the shard folders", name)
		}
		sites[name] = treeState(t, cfg.Out)
	}
	if c, ok := sites["copied"]; ok && c != sites["linked"] {
		t.Errorf("the site merged with links differs from the one merged with copies")
	}
}

// shardState is the files of the shard folders: path, mode and contents.
func shardState(t *testing.T, dirs []string) string {
	t.Helper()
	var s strings.Builder
	for _, d := range dirs {
		s.WriteString(treeState(t, d))
	}
	return s.String()
}

func treeState(t *testing.T, dir string) string {
	t.Helper()
	var s strings.Builder
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(&s, "%s %v\n", rel, info.Mode())
		if d.Type().IsRegular() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(&s, "%x\n", sha256.Sum256(data))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s.String()
}

// copyTree copies the folder from (regular files and folders only) to to:
// a test's own copy of the sample records, which it edits in place.
func copyTree(from, to string) error {
	return filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		target := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s: not a regular file", p)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}
