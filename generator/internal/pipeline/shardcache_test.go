package pipeline

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/cachedir"
)

// TestShardCacheKnowsTheGenerator: a cache entry is reused by the program
// that made it and by no other version of it (which may render the same
// inputs otherwise), and the default identity is the running program's.
func TestShardCacheKnowsTheGenerator(t *testing.T) {
	dir := t.TempDir()
	cache := filepath.Join(dir, "cache")
	build := func(out, generator string) string {
		t.Helper()
		var log bytes.Buffer
		cfg := Config{Data: sampleData, Content: "../../../content", Templates: "../../../templates",
			Out: filepath.Join(dir, out), ShardCache: cache, Generator: generator, Log: &log}
		if errs, err := Build(cfg); err != nil || len(errs) > 0 {
			t.Fatalf("build: %v %v", err, errs)
		}
		return log.String()
	}
	if log := build("a1", "version-a"); !strings.Contains(log, "build: 0 of ") {
		t.Fatalf("first build: %q", log)
	}
	if log := build("a2", "version-a"); !strings.Contains(log, "shards reused") || strings.Contains(log, "build: 0 of ") {
		t.Errorf("the same program reused nothing: %q", log)
	}
	if log := build("b1", "version-b"); !strings.Contains(log, "build: 0 of ") {
		t.Errorf("another version of the program reused the first one's shards: %q", log)
	}
	id, err := executableHash()
	if again, err2 := executableHash(); err != nil || err2 != nil || len(id) != 64 || again != id {
		t.Errorf("executableHash: %q %v, then %q %v", id, err, again, err2)
	}
}

// TestShardCachePrune: with ShardCachePrune a successful build leaves in
// the cache the entries of its own shards only, and nothing else of the
// folder is touched; without it the cache only grows.
func TestShardCachePrune(t *testing.T) {
	dir := t.TempDir()
	data, cache := filepath.Join(dir, "data"), filepath.Join(dir, "cache")
	if err := copyTree(sampleData, data); err != nil {
		t.Fatal(err)
	}
	build := func(out string, prune bool) string {
		t.Helper()
		var log bytes.Buffer
		cfg := Config{Data: data, Content: "../../../content", Templates: "../../../templates",
			Out: filepath.Join(dir, out), ShardCache: cache, ShardCachePrune: prune, Generator: "g", Log: &log}
		if errs, err := Build(cfg); err != nil || len(errs) > 0 {
			t.Fatalf("build: %v %v", err, errs)
		}
		return log.String()
	}
	// The entries: folders, and the files of older versions (.tar).
	entries := func() []string {
		t.Helper()
		names, err := os.ReadDir(cache)
		if err != nil {
			t.Fatal(err)
		}
		var files []string
		for _, e := range names {
			if e.IsDir() && cachedir.IsKey(e.Name()) || strings.HasSuffix(e.Name(), ".tar") {
				files = append(files, e.Name())
			}
		}
		return files
	}
	build("first", false)
	first := entries()
	if len(first) == 0 {
		t.Fatal("no cache entries")
	}
	// Someone else's files in the folder, and an entry being written.
	strangers := []string{"notes.txt", ".new-123", strings.Repeat("z", 64) + ".tar", strings.Repeat("y", 64) + "/x"}
	writeTree(t, cache, map[string]string{strangers[0]: "x", strangers[1]: "x", strangers[2]: "x", strangers[3]: "x"})
	// An entry of an older version of the program (one tar file).
	oldEntry := filepath.Join(cache, strings.Repeat("0", 64)+".tar")
	writeTree(t, cache, map[string]string{filepath.Base(oldEntry): "x"})
	writeTree(t, filepath.Join(cache, searchStore), map[string]string{"notes.txt": "x"})
	storeBefore := len(treeFiles(t, filepath.Join(cache, searchStore)))
	// One problem retitled: its shard gets a new entry, the old one is stale.
	edit(t, filepath.Join(data, "shili", "rounds", "2024-r2.yaml"))
	build("grown", false)
	if got := entries(); len(got) != len(first)+3 {
		t.Errorf("without prune: %d entries, want %d (the old ones, a new one, the older version's and the stranger)", len(got), len(first)+3)
	}
	if n := len(treeFiles(t, filepath.Join(cache, searchStore))); n <= storeBefore {
		t.Errorf("the edit added no file to the search store (%d, %d before)", n, storeBefore)
	}
	log := build("pruned", true)
	if !strings.Contains(log, "build: 2 cache entries this build did not use removed") {
		t.Errorf("prune log: %q", log)
	}
	if got := entries(); len(got) != len(first)+1 {
		t.Errorf("after prune: %d entries, want %d (this build's and the stranger)", len(got), len(first)+1)
	}
	if _, err := os.Stat(oldEntry); err == nil {
		t.Errorf("prune kept the entry of an older version: %s", oldEntry)
	}
	// The search store holds the files of the pruned build's index, and
	// the stranger in it.
	searchFiles := treeFiles(t, filepath.Join(dir, "pruned", "search"))
	delete(searchFiles, "index.html") // the search page, Hugo's
	store := treeFiles(t, filepath.Join(cache, searchStore))
	if store["notes.txt"] != "x" {
		t.Errorf("prune removed notes.txt from the search store")
	}
	delete(store, "notes.txt")
	bodies := map[string]bool{}
	for _, b := range searchFiles {
		bodies[b] = true
	}
	if len(store) != len(bodies) {
		t.Errorf("after prune the search store has %d files, the index %d different ones", len(store), len(bodies))
	}
	for name, b := range store {
		if !bodies[b] {
			t.Errorf("search store file %s is not in the index", name)
		}
	}
	for _, f := range strangers {
		if _, err := os.Stat(filepath.Join(cache, f)); err != nil {
			t.Errorf("prune removed %s, which it did not write: %v", f, err)
		}
	}
	if log := build("again", true); !strings.Contains(log, "build: 0 cache entries") || strings.Contains(log, "build: 0 of") {
		t.Errorf("a build after the prune: %q", log)
	}
}

// edit retitles the first problem of a round file.
func edit(t *testing.T, file string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(b), "    title: ", "    title: 改 ", 1)
	if s == string(b) {
		t.Fatalf("%s: no problem title to edit", file)
	}
	if err := os.WriteFile(file, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestShardCacheWithShardOfN: build --shard I/N --shard-cache DIR (the CI
// matrix jobs) writes the same shard folder, manifest included, from an
// empty cache, from a full one (every district restored) and without the
// cache at all.
func TestShardCacheWithShardOfN(t *testing.T) {
	dir := t.TempDir()
	build := func(out, cache string) string {
		t.Helper()
		var log bytes.Buffer
		cfg := Config{Data: sampleData, Content: "../../../content", Templates: "../../../templates",
			Out: filepath.Join(dir, out), Shard: ShardSpec{I: 2, N: 3}, ShardCache: cache, ShardProblems: CachedShardProblems, Generator: "g", Log: &log}
		if errs, err := Build(cfg); err != nil || len(errs) > 0 {
			t.Fatalf("build: %v %v", err, errs)
		}
		return log.String()
	}
	build("plain", "")
	cache := filepath.Join(dir, "cache")
	if log := build("filled", cache); !strings.Contains(log, "build: 0 of ") {
		t.Fatalf("empty cache: %q", log)
	}
	log := build("restored", cache)
	var hits, all int
	if _, err := fmt.Sscanf(log[strings.Index(log, "build: "):], "build: %d of %d shards reused", &hits, &all); err != nil || hits == 0 || hits != all {
		t.Errorf("full cache: %q", log)
	}
	want := treeFiles(t, filepath.Join(dir, "plain"))
	for _, out := range []string{"filled", "restored"} {
		got := treeFiles(t, filepath.Join(dir, out))
		if len(got) != len(want) {
			t.Errorf("%s: %d files, want %d", out, len(got), len(want))
		}
		for name, b := range want {
			if got[name] != b {
				t.Errorf("%s/%s differs from the build without the cache", out, name)
			}
		}
	}
}

// treeFiles is every regular file under root by its slash path.
func treeFiles(t *testing.T, root string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		files[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestShardCacheOverPublishedSite: builds over the site the last one
// published (as a real site is rebuilt) reuse every shard and keep the
// cache whole, each the same site as a build without the cache; a build
// killed after taking the entries' folders leaves them incomplete, and
// the next build renders those shards again, reports them and is still
// the same site.
func TestShardCacheOverPublishedSite(t *testing.T) {
	dir := t.TempDir()
	cache, out := filepath.Join(dir, "cache"), filepath.Join(dir, "site")
	build := func(out, cache string) string {
		t.Helper()
		var log bytes.Buffer
		cfg := Config{Data: sampleData, Content: "../../../content", Templates: "../../../templates",
			Out: out, ShardCache: cache, ShardProblems: CachedShardProblems, Generator: "g", Log: &log}
		if errs, err := Build(cfg); err != nil || len(errs) > 0 {
			t.Fatalf("build: %v %v", err, errs)
		}
		return log.String()
	}
	plain := filepath.Join(dir, "plain")
	build(plain, "")
	want := treeFiles(t, plain)
	same := func(what, out string) {
		t.Helper()
		got := treeFiles(t, out)
		if len(got) != len(want) {
			t.Errorf("%s: %d files, want %d", what, len(got), len(want))
		}
		for name, b := range want {
			if got[name] != b {
				t.Errorf("%s: %s differs from the build without the cache", what, name)
			}
		}
	}
	build(out, cache)
	for i := range 2 {
		log := build(out, cache)
		var hits, all int
		if _, err := fmt.Sscanf(log[strings.Index(log, "build: "):], "build: %d of %d shards reused", &hits, &all); err != nil || hits == 0 || hits != all {
			t.Errorf("build %d over the published site: %q", i+2, log)
		}
		same(fmt.Sprintf("build %d over the published site", i+2), out)
	}
	if log := build(filepath.Join(dir, "fresh"), cache); !strings.Contains(log, "shards reused") || strings.Contains(log, "again") {
		t.Errorf("a build into a new folder after builds over the site: %q", log)
	}
	same("a build into a new folder", filepath.Join(dir, "fresh"))

	// Killed after taking two entries' folders (they are in its staging
	// folder, which the next build removes).
	keys, _ := filepath.Glob(filepath.Join(cache, strings.Repeat("[0-9a-f]", 64)))
	if len(keys) < 2 {
		t.Fatalf("cache entries %v", keys)
	}
	staging := filepath.Join(dir, ".site.staging-killed")
	for _, k := range keys[:2] {
		if _, _, err := takeShard(k, staging, []string{"", "en"}, districtDirs(t, k), nil, 0); err != nil {
			t.Fatal(err)
		}
	}
	log := build(out, cache)
	if n := strings.Count(log, "rendering the shard again"); n != 2 {
		t.Errorf("after a killed build: %d shards rendered again, want 2: %q", n, log)
	}
	same("the build after a killed one", out)
	if log := build(out, cache); strings.Contains(log, "again") {
		t.Errorf("the entries were not replaced: %q", log)
	}
}

// districtDirs is the shard folders of a cache entry (its folders of the
// default language).
func districtDirs(t *testing.T, entry string) []string {
	t.Helper()
	names, err := os.ReadDir(entry)
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, e := range names {
		if e.IsDir() && e.Name() != "en" {
			dirs = append(dirs, e.Name())
		}
	}
	return dirs
}

// TestShardCacheOnAnotherFileSystem: a cache on another file system than
// --out (/dev/shm here) is reused whole, its files copied into the site;
// the first take that cannot move a folder is remembered for the build
// (told once), not tried again and taken for a damaged entry.
func TestShardCacheOnAnotherFileSystem(t *testing.T) {
	shm, err := os.MkdirTemp("/dev/shm", "shardcache-")
	if err != nil {
		t.Skip("no /dev/shm:", err)
	}
	defer os.RemoveAll(shm)
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(shm, "probe"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(shm, "probe"), filepath.Join(dir, "probe")); err == nil {
		t.Skip("/dev/shm is on the same file system here")
	}
	cache, out := filepath.Join(shm, "cache"), filepath.Join(dir, "site")
	build := func() string {
		t.Helper()
		var log bytes.Buffer
		cfg := Config{Data: sampleData, Content: "../../../content", Templates: "../../../templates",
			Out: out, ShardCache: cache, ShardProblems: CachedShardProblems, Generator: "g", Log: &log}
		if errs, err := Build(cfg); err != nil || len(errs) > 0 {
			t.Fatalf("build: %v %v", err, errs)
		}
		return log.String()
	}
	build()
	first := treeFiles(t, out)
	for i := range 2 {
		log := build()
		if strings.Contains(log, "again") || strings.Contains(log, "removed") {
			t.Errorf("build %d: entries taken for damaged: %q", i+2, log)
		}
		if n := strings.Count(log, "on another file system"); n != 1 {
			t.Errorf("build %d: told %d times of the other file system, want once: %q", i+2, n, log)
		}
		k := strings.Index(log, "shards reused")
		var hits, all int
		if k < 0 {
			t.Fatalf("build %d: %q", i+2, log)
		}
		j := strings.LastIndex(log[:k], "build: ")
		if _, err := fmt.Sscanf(log[j:], "build: %d of %d shards reused", &hits, &all); err != nil || hits == 0 || hits != all {
			t.Errorf("build %d: not every shard reused: %q", i+2, log)
		}
		got := treeFiles(t, out)
		if len(got) != len(first) {
			t.Errorf("build %d: %d files, want %d", i+2, len(got), len(first))
		}
		for name, b := range first {
			if got[name] != b {
				t.Errorf("build %d: %s differs from the first build", i+2, name)
			}
		}
	}
}
