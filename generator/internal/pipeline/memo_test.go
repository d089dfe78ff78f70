package pipeline

import (
	"bytes"
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuncha/bulletin/generator/internal/edition"
	"github.com/xuncha/bulletin/generator/internal/gitrepo/gittest"
	"github.com/xuncha/bulletin/generator/internal/model"
	"github.com/xuncha/bulletin/generator/internal/synth"
)

// memoReused reads "build: page data of N of M shards reused" from a
// build's log (-1, -1 when it has none).
func memoReused(log string) (n, of int) {
	m := regexp.MustCompile(`build: page data of (\d+) of (\d+) shards reused`).FindStringSubmatch(log)
	if m == nil {
		return -1, -1
	}
	n, _ = strconv.Atoi(m[1])
	of, _ = strconv.Atoi(m[2])
	return n, of
}

// diffFiles names the files that differ between two trees (treeFiles).
func diffFiles(want, got map[string]string) string {
	var d []string
	for name, w := range want {
		if g, ok := got[name]; !ok {
			d = append(d, "missing "+name)
		} else if g != w {
			d = append(d, "differs "+name)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			d = append(d, "extra "+name)
		}
	}
	sort.Strings(d)
	if len(d) > 10 {
		d = append(d[:10], fmt.Sprintf("… %d more", len(d)-10))
	}
	return strings.Join(d, "\n")
}

// memoProject is a project for the memo tests: synthetic records of four
// districts in a git repository (data/), the templates and content
// copied beside them, and a cache.
type memoProject struct {
	repo                                   *gittest.Repo
	data, templates, content, cache, sites string
}

func newMemoProject(t *testing.T) *memoProject {
	t.Helper()
	repo := gittest.New(t)
	p := &memoProject{repo: repo, data: filepath.Join(repo.Dir, "data"), templates: filepath.Join(repo.Dir, "templates"),
		content: filepath.Join(repo.Dir, "content"), cache: filepath.Join(t.TempDir(), "cache"), sites: t.TempDir()}
	if err := synth.Write(p.data, synth.Options{Problems: 80, Districts: 4, ProblemsPerRound: 10}); err != nil {
		t.Fatal(err)
	}
	for from, to := range map[string]string{"../../../templates": p.templates, "../../../content": p.content} {
		if err := copyTree(from, to); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

func (p *memoProject) config(out string) Config {
	return Config{Data: p.data, Content: p.content, Templates: p.templates, Out: filepath.Join(p.sites, out),
		Generator: "g", ShardProblems: CachedShardProblems}
}

// build builds into out with the cache (when cached) and returns the log.
func (p *memoProject) build(t *testing.T, cfg Config, cached bool) string {
	t.Helper()
	var log bytes.Buffer
	cfg.Log = &log
	if cached {
		cfg.ShardCache = p.cache
	}
	if errs, err := Build(cfg); err != nil || len(errs) > 0 {
		t.Fatalf("build: %v %v\n%s", err, errs, log.String())
	}
	return log.String()
}

// replace replaces the first old in file with new.
func replace(t *testing.T, file, old, new string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s has no %q", file, old)
	}
	if err := os.WriteFile(file, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

func appendTo(t *testing.T, file, text string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, append(b, text...), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestMemo: after each kind of edit of the inputs, a build with the
// cache (over the site it published before) is byte for byte a build
// without any cache, and reuses the page data (the memos) of exactly the
// shards whose inputs did not change.
func TestMemo(t *testing.T) {
	p := newMemoProject(t)
	round := func(d, r int) string {
		return filepath.Join(p.data, fmt.Sprintf("d%03d", d), "rounds", fmt.Sprintf("r%03d.yaml", r))
	}
	site := filepath.Join(p.data, "site.yaml")
	steps := []struct {
		name    string
		edit    func(t *testing.T)
		config  func(cfg *Config) // a setting of this build only
		out     string            // the cached build's folder: "site" (rebuilt over) unless set
		reused  int               // shards whose page data comes from a memo
		of      int               // shards (default 4)
		changed string            // text the site must now hold ("" none)
	}{
		{name: "empty cache", reused: 0},
		{name: "nothing changed", reused: 4},
		{name: "a record in one district", edit: func(t *testing.T) { replace(t, round(2, 1), "    title: ", "    title: 甲改 ") }, reused: 3, changed: "甲改"},
		{name: "another record in the same district", edit: func(t *testing.T) { replace(t, round(2, 2), "    title: ", "    title: 丙改 ") }, reused: 3},
		{name: "a record in another district", edit: func(t *testing.T) { replace(t, round(4, 2), "    title: ", "    title: 乙改 ") }, reused: 3, changed: "乙改"},
		{name: "site.yaml's title", edit: func(t *testing.T) { replace(t, site, "title: ", "title: 新") }, reused: 0},
		{name: "site.yaml's calendar", edit: func(t *testing.T) {
			// Holidays after a round's feedback: its measures are due later.
			appendTo(t, site, "calendar:\n  - year: 2020\n    holidays: [2020-05-21, 2020-05-22, 2020-05-25, 2020-05-26]\n")
		}, reused: 0},
		{name: "site.yaml's as_of", edit: func(t *testing.T) { replace(t, site, "as_of: 2024-12-31", "as_of: 2025-03-31") }, reused: 0},
		{name: "--as-of", config: func(cfg *Config) { cfg.AsOf = model.NewDate(2025, time.April, 1) }, reused: 0},
		{name: "site.yaml's as_of again", reused: 4},
		{name: "a template", edit: func(t *testing.T) {
			appendTo(t, filepath.Join(p.templates, "layouts", "problem", "page.html"), "{{/* changed */}}\n")
		}, reused: 0},
		{name: "a content page", edit: func(t *testing.T) {
			files, _ := filepath.Glob(filepath.Join(p.content, "*.md"))
			if len(files) == 0 {
				t.Fatal("no content page")
			}
			appendTo(t, files[0], "\n内容已改。\n")
		}, reused: 0},
		{name: "the internal edition", config: func(cfg *Config) { cfg.Edition = edition.InternalEdition }, out: "internal", reused: 0},
		{name: "the public edition again", reused: 4},
		{name: "a district added", edit: func(t *testing.T) {
			if err := copyTree(filepath.Join(p.data, "d004"), filepath.Join(p.data, "d005")); err != nil {
				t.Fatal(err)
			}
			replace(t, filepath.Join(p.data, "d005", "district.yaml"), "id: d004", "id: d005")
			replace(t, filepath.Join(p.data, "d005", "district.yaml"), "name: ", "name: 新增")
		}, reused: 4, of: 5},
		{name: "a district removed", edit: func(t *testing.T) {
			// The districts after it move up a place (their weight).
			if err := os.RemoveAll(filepath.Join(p.data, "d002")); err != nil {
				t.Fatal(err)
			}
		}, reused: 1},
		{name: "committed to git", edit: func(t *testing.T) {
			// The site gets a history and a notice: site-wide pages that
			// every page links to (the shard cache's base).
			p.repo.Git("2025-01-02", "add", "-A")
			p.repo.Git("2025-01-02", "commit", "-q", "-m", "records")
		}, reused: 0},
		{name: "committed again", edit: func(t *testing.T) {
			replace(t, round(1, 1), "    title: ", "    title: 戊改 ")
			p.repo.Git("2025-01-02", "commit", "-q", "-am", "title")
		}, reused: 3},
		{name: "a commit of a record", edit: func(t *testing.T) {
			replace(t, round(3, 1), "    title: ", "    title: 丁改 ")
			p.repo.Git("2025-01-03", "commit", "-q", "-am", "status")
		}, reused: 3},
		{name: "a commit changing nothing of the records", edit: func(t *testing.T) {
			p.repo.Git("2025-01-04", "commit", "-q", "--allow-empty", "-m", "nothing")
		}, reused: 4},
		{name: "as_of from git", edit: func(t *testing.T) {
			replace(t, site, "as_of: 2025-03-31\n", "")
			p.repo.Git("2025-01-05", "commit", "-q", "-am", "as_of from git")
		}, reused: 0},
		{name: "a commit of a record moves as_of", edit: func(t *testing.T) {
			replace(t, round(1, 2), "    title: ", "    title: 己改 ")
			p.repo.Git("2025-01-06", "commit", "-q", "-am", "later")
		}, reused: 0},
	}
	for i, s := range steps {
		if s.edit != nil {
			s.edit(t)
		}
		out := cmp.Or(s.out, "site")
		cfg := p.config(out)
		fresh := p.config(fmt.Sprintf("fresh-%d", i))
		if s.config != nil {
			s.config(&cfg)
			s.config(&fresh)
		}
		log := p.build(t, cfg, true)
		p.build(t, fresh, false)
		want := treeFiles(t, fresh.Out)
		if d := diffFiles(want, treeFiles(t, cfg.Out)); d != "" {
			t.Errorf("%s: the build with the cache differs from a build without it:\n%s", s.name, d)
		}
		if n, of := memoReused(log); n != s.reused || of != cmp.Or(s.of, 4) {
			t.Errorf("%s: page data of %d of %d shards reused, want %d of %d\n%s", s.name, n, of, s.reused, cmp.Or(s.of, 4), log)
		}
		if s.changed != "" && !strings.Contains(want["data/problems.csv"], s.changed) {
			t.Errorf("%s: the edit (%s) is not in data/problems.csv", s.name, s.changed)
		}
		if strings.Contains(log, "again") {
			t.Errorf("%s: a build reports a damaged memo or entry:\n%s", s.name, log)
		}
		os.RemoveAll(fresh.Out)
	}
}

// memoFiles are the memos in the cache, by name.
func (p *memoProject) memoFiles(t *testing.T) []string {
	t.Helper()
	names, _ := filepath.Glob(filepath.Join(p.cache, memoFolder, strings.Repeat("[0-9a-f]", 64)))
	return names
}

// TestMemoDamaged: a memo cut short, or with a byte changed in its
// header or in its payload, is reported and its shard's page data
// computed again, as is that of a memo whose shard's entry is gone; the
// site is a build without the cache, and the memos are whole again
// after it.
func TestMemoDamaged(t *testing.T) {
	p := newMemoProject(t)
	p.build(t, p.config("site"), true)
	memos := p.memoFiles(t)
	if len(memos) != 4 {
		t.Fatalf("memos: %v, want 4", memos)
	}
	damage := []func(path string) error{
		func(path string) error { // cut short
			fi, err := os.Stat(path)
			if err != nil {
				return err
			}
			return os.Truncate(path, fi.Size()/2)
		},
		func(path string) error { return flipByte(path, 20) },  // in the header
		func(path string) error { return flipByte(path, -10) }, // in the payload
		func(path string) error { // its shard's entry removed
			h, err := readMemoHeader(path)
			if err != nil {
				return err
			}
			return os.RemoveAll(filepath.Join(p.cache, h.key))
		},
	}
	for i, d := range damage {
		if err := d(memos[i]); err != nil {
			t.Fatal(err)
		}
	}
	log := p.build(t, p.config("site"), true)
	fresh := p.config("fresh")
	p.build(t, fresh, false)
	if d := diffFiles(treeFiles(t, fresh.Out), treeFiles(t, filepath.Join(p.sites, "site"))); d != "" {
		t.Errorf("the build over damaged memos differs from a build without the cache:\n%s", d)
	}
	if n := strings.Count(log, "computing the shard's page data again"); n != 3 {
		t.Errorf("3 damaged memos, %d reported:\n%s", n, log)
	}
	if n, of := memoReused(log); n != 0 || of != 4 {
		t.Errorf("page data of %d of %d shards reused, want 0 of 4\n%s", n, of, log)
	}
	log = p.build(t, p.config("site"), true)
	if n, of := memoReused(log); n != 4 || of != 4 || strings.Contains(log, "again") {
		t.Errorf("the damaged memos were not replaced: %d of %d reused\n%s", n, of, log)
	}
}

// flipByte changes the byte at offset (from the end when negative).
func flipByte(path string, offset int) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if offset < 0 {
		offset += len(b)
	}
	b[offset] ^= 0x55
	return os.WriteFile(path, b, 0o644)
}

// TestMemoPrune: --shard-cache-prune keeps the memos of the build's
// shards and removes the others, and nothing else in the memo folder.
func TestMemoPrune(t *testing.T) {
	p := newMemoProject(t)
	p.build(t, p.config("site"), true)
	for _, f := range []string{"d001", "d003"} {
		edit(t, filepath.Join(p.data, f, "rounds", "r001.yaml"))
		p.build(t, p.config("site"), true)
	}
	if n := len(p.memoFiles(t)); n != 6 {
		t.Fatalf("%d memos after two edits, want 6", n)
	}
	strangers := []string{"notes.txt", ".new-123", strings.Repeat("f", 64) + ".x"}
	for _, s := range strangers {
		writeTree(t, filepath.Join(p.cache, memoFolder), map[string]string{s: "x"})
	}
	cfg := p.config("site")
	cfg.ShardCachePrune = true
	log := p.build(t, cfg, true)
	if !strings.Contains(log, "build: 2 memos this build did not use removed") {
		t.Errorf("prune log: %q", log)
	}
	if n := len(p.memoFiles(t)); n != 4 {
		t.Errorf("%d memos after the prune, want 4", n)
	}
	for _, s := range strangers {
		if _, err := os.Stat(filepath.Join(p.cache, memoFolder, s)); err != nil {
			t.Errorf("prune removed %s, which it did not write: %v", s, err)
		}
	}
	if log := p.build(t, p.config("site"), true); !strings.Contains(log, "page data of 4 of 4 shards reused") {
		t.Errorf("after the prune: %q", log)
	}
}
