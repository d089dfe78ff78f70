package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestEntryStamps: once a build over the published site has seen an
// entry's folders hold what they should, the next takes them on their
// stamps (listing the shard folders only) and puts the replaced site's
// folders back on theirs; a folder changed since, in the entry or in the
// replaced site (a file added, or replaced by another with the same
// bytes), is listed again and found out.
func TestEntryStamps(t *testing.T) {
	if fsNow(t.TempDir()) == 0 {
		t.Skip("no change times here: every folder is listed")
	}
	root := t.TempDir()
	from, entry := filepath.Join(root, "rendered"), filepath.Join(root, "cache", "k")
	writeTree(t, from, map[string]string{"d1/index.html": "一区", "d1/r1/index.html": "第一轮", "d1/r1/p1/index.html": "问题", "en/d1/index.html": "District 1", "en/d1/r1/index.html": "Round 1"})
	if err := os.MkdirAll(entry, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := packShard(entry, from, []string{"", "en"}, []string{"d1"}, nil); err != nil {
		t.Fatal(err)
	}
	want := readTree(t, entry)
	langs, dirs := []string{"", "en"}, []string{"d1"}
	n := 0
	// build takes the entry into a new site and publishes it over old.
	build := func(old string) (string, *takenShard, error) {
		t.Helper()
		time.Sleep(30 * time.Millisecond) // past the tick of the last change
		n++
		site := filepath.Join(root, "site", string(rune('a'+n)))
		tk := &takenEntries{}
		_, ts, err := takeShard(entry, site, langs, dirs, nil, tk.fsNow(root))
		if err != nil {
			return site, nil, err
		}
		tk.add(entry, site, ts)
		tk.putBack(site, old)
		got := readTree(t, entry)
		delete(got, stampsFile)
		for name, text := range want {
			if got[name] != text {
				t.Errorf("build %d: the entry's %s is %q, want %q", n, name, got[name], text)
			}
		}
		for name := range got {
			if _, ok := want[name]; !ok {
				t.Errorf("build %d: the entry holds %s, not its own", n, name)
			}
		}
		return site, ts, nil
	}
	inode := func(p string) os.FileInfo {
		t.Helper()
		fi, err := os.Lstat(p)
		if err != nil {
			t.Fatal(err)
		}
		return fi
	}
	allDirs := 6 // d1, d1/r1, d1/r1/p1, en/d1, en/d1/r1, and "en" is not the shard's
	allDirs--
	s1, ts, err := build("")
	if err != nil || ts.listed != allDirs {
		t.Fatalf("build 1: %v, %d folders listed, want all %d (no stamps yet)", err, ts.listed, allDirs)
	}
	before := inode(filepath.Join(s1, "d1", "r1", "p1"))
	s2, ts, err := build(s1)
	if err != nil || ts.listed != allDirs {
		t.Fatalf("build 2: %v, %d folders listed, want all %d (the entry's folders were linked anew)", err, ts.listed, allDirs)
	}
	if !os.SameFile(before, inode(filepath.Join(entry, "d1", "r1", "p1"))) {
		t.Errorf("build 2: the replaced site's folder did not go back into the cache")
	}
	before = inode(filepath.Join(s2, "d1", "r1", "p1"))
	s3, ts, err := build(s2)
	if err != nil || ts.listed != 2 {
		t.Fatalf("build 3: %v, %d folders listed, want the 2 shard folders (the others unchanged)", err, ts.listed)
	}
	if !os.SameFile(before, inode(filepath.Join(entry, "d1", "r1", "p1"))) {
		t.Errorf("build 3: the replaced site's folder did not go back into the cache")
	}

	// The replaced site changed: a file added, a file replaced by a copy.
	time.Sleep(30 * time.Millisecond)
	writeTree(t, s3, map[string]string{"d1/r1/p1/extra.html": "x"})
	p := filepath.Join(s3, "en", "d1", "r1", "index.html")
	os.Remove(p)
	writeTree(t, s3, map[string]string{"en/d1/r1/index.html": "Round 1"})
	changed := []os.FileInfo{inode(filepath.Join(s3, "d1", "r1", "p1")), inode(filepath.Join(s3, "en", "d1", "r1"))}
	s4, ts, err := build(s3)
	if err != nil || ts.listed != 2 {
		t.Fatalf("build 4: %v, %d folders listed, want 2", err, ts.listed)
	}
	for i, d := range []string{"d1/r1/p1", "en/d1/r1"} {
		if os.SameFile(changed[i], inode(filepath.Join(entry, filepath.FromSlash(d)))) {
			t.Errorf("build 4: %s of the replaced site, changed, went back into the cache", d)
		}
	}

	// A file added to the entry: found out though its other folders are
	// unchanged.
	time.Sleep(30 * time.Millisecond)
	writeTree(t, entry, map[string]string{"d1/r1/p1/extra.html": "x"})
	if _, _, err := build(s4); err == nil || !strings.Contains(err.Error(), "not the entry's") {
		t.Errorf("a file added to an entry's folder: got %v, want it found out", err)
	}
}

// TestStampOf: a folder changed in the tick of now (or after) gets no
// stamp: a change in the same tick after it was looked at would keep it.
func TestStampOf(t *testing.T) {
	st := fileStat{kind: kindDir, dev: 1, ino: 2, ctime: 1000}
	for _, c := range []struct {
		now  int64
		want bool
	}{{999, false}, {1000, false}, {1001, true}, {0, false}} {
		s := stampOf(st, c.now)
		if s.matches(st) != c.want {
			t.Errorf("changed at 1000, now %d: stamped %v, want %v", c.now, s.matches(st), c.want)
		}
	}
	s := stampOf(st, 2000)
	for _, other := range []fileStat{{dev: 1, ino: 2, ctime: 1001}, {dev: 1, ino: 3, ctime: 1000}, {dev: 2, ino: 2, ctime: 1000}} {
		if s.matches(other) {
			t.Errorf("the stamp of %+v matches %+v", st, other)
		}
	}
}

// TestPutBackCopiesWhatCannotBeLinked: the published site's files go back
// into the cache as copies where they cannot be linked (here the site is
// on another file system than the entry: /dev/shm), and the entry is kept
// whole instead of dropped and its shard rendered again.
func TestPutBackCopiesWhatCannotBeLinked(t *testing.T) {
	shm, err := os.MkdirTemp("/dev/shm", "putback-")
	if err != nil {
		t.Skip("no /dev/shm:", err)
	}
	defer os.RemoveAll(shm)
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "probe"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(filepath.Join(root, "probe"), filepath.Join(shm, "probe")); err == nil {
		t.Skip("/dev/shm is on the same file system here")
	}
	from, entry := filepath.Join(root, "rendered"), filepath.Join(root, "cache", "k")
	writeTree(t, from, map[string]string{"d1/index.html": "一区", "d1/r1/index.html": "第一轮", "en/d1/index.html": "District 1"})
	if err := os.MkdirAll(entry, 0o755); err != nil {
		t.Fatal(err)
	}
	langs, dirs := []string{"", "en"}, []string{"d1"}
	if err := packShard(entry, from, langs, dirs, nil); err != nil {
		t.Fatal(err)
	}
	want := readTree(t, entry)
	site := filepath.Join(root, "site")
	var log strings.Builder
	tk := &takenEntries{log: &log}
	_, ts, err := takeShard(entry, site, langs, dirs, nil, tk.fsNow(root))
	if err != nil {
		t.Fatal(err)
	}
	tk.add(entry, site, ts)
	published := filepath.Join(shm, "site")
	if err := copyTree(site, published); err != nil {
		t.Fatal(err)
	}
	tk.putBack(published, "")
	if log.Len() > 0 {
		t.Errorf("put back: %s", log.String())
	}
	if _, err := os.Stat(entry); err != nil {
		t.Fatalf("the entry was dropped: %v", err)
	}
	got := readTree(t, entry)
	delete(got, stampsFile)
	for name, text := range want {
		if got[name] != text {
			t.Errorf("the entry's %s is %q, want %q", name, got[name], text)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("the entry holds %s, not its own", name)
		}
	}
}

// TestNoStampsWithoutInodes: where the file system tells no inodes (nor
// change times: Windows), no .entry.stamps is kept (one left over goes).
func TestNoStampsWithoutInodes(t *testing.T) {
	root := t.TempDir()
	from, entry := filepath.Join(root, "rendered"), filepath.Join(root, "cache", "k")
	writeTree(t, from, map[string]string{"d1/index.html": "一区", "en/d1/index.html": "District 1"})
	if err := os.MkdirAll(entry, 0o755); err != nil {
		t.Fatal(err)
	}
	langs, dirs := []string{"", "en"}, []string{"d1"}
	if err := packShard(entry, from, langs, dirs, nil); err != nil {
		t.Fatal(err)
	}
	writeTree(t, entry, map[string]string{stampsFile: "left over"})
	site := filepath.Join(root, "site")
	var log strings.Builder
	tk := &takenEntries{log: &log}
	_, ts, err := takeShard(entry, site, langs, dirs, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	ts.inodes = false // as lstatOf tells on Windows
	tk.add(entry, site, ts)
	tk.putBack(site, "")
	if log.Len() > 0 {
		t.Errorf("put back: %s", log.String())
	}
	if _, err := os.Lstat(filepath.Join(entry, stampsFile)); err == nil {
		t.Errorf("%s kept where no inodes are told", stampsFile)
	}
	if got := readTree(t, entry); got["d1/index.html"] != "一区" {
		t.Errorf("the entry after put back: %v", got)
	}
}
