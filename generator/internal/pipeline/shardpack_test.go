package pipeline

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/hugosite"
)

// writeTree writes files (slash paths → text) under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// readTree reads every file and folder under dir: slash path → text
// (a folder: "/").
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			got[filepath.ToSlash(rel)] = "/"
			return nil
		}
		b, err := os.ReadFile(p)
		got[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestPackShardRoundTrip: a shard packed from one output and unpacked into
// another has the same folders, files and bytes (in every language, the
// empty file and folder too), each file a hard link to the entry's, and
// its sitemap entries; the other districts' folders and the site-wide
// files stay out of it.
func TestPackShardRoundTrip(t *testing.T) {
	from := t.TempDir()
	writeTree(t, from, map[string]string{
		"index.html":           "home",
		"d1/index.html":        "<p>一区</p>",
		"d1/r1/p1/index.html":  "问题 1",
		"d1/r1/empty.txt":      "",
		"d1/a b\n1/index.html": "a name with a space and a line break",
		"d2/index.html":        "二区",
		"en/d1/index.html":     "District 1",
		"en/d1/r1/index.html":  strings.Repeat("x", 70000),
		"en/d10/index.html":    "not d1",
		"d1/a-long-name-" + strings.Repeat("n", 120) + "/index.html": "long",
	})
	if err := os.MkdirAll(filepath.Join(from, "d1", "no-files"), 0o755); err != nil {
		t.Fatal(err)
	}
	entries := []hugosite.SitemapEntry{{File: "sitemap.xml", After: 2, Text: "<url>\n  <loc>https://x/d1/</loc>\n</url>", Weight: 1, Title: "一区", Path: "/d1/_index.md"},
		{File: "en/sitemap.xml", After: 0, Text: "", Weight: -3, Title: "a 1 2 title\nend\n", Path: "/en/d1/_index.md"}}
	entry := t.TempDir()
	if err := packShard(entry, from, []string{"", "en", "fr"}, []string{"d1"}, entries); err != nil {
		t.Fatal(err)
	}
	to := t.TempDir()
	writeTree(t, to, map[string]string{"en/index.html": "home"})
	got, err := unpackShard(entry, to, []string{"", "en", "fr"}, []string{"d1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, entries) {
		t.Errorf("entries: got %+v, want %+v", got, entries)
	}
	want := readTree(t, from)
	delete(want, "d2")
	delete(want, "d2/index.html")
	delete(want, "en/d10")
	delete(want, "en/d10/index.html")
	want["en/index.html"] = "home"
	delete(want, "index.html")
	got2 := readTree(t, to)
	for name, text := range want {
		if got2[name] != text {
			t.Errorf("%s: got %d bytes %.40q, want %d bytes %.40q", name, len(got2[name]), got2[name], len(text), text)
		}
	}
	for name := range got2 {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: not in the shard", name)
		}
	}
	for _, f := range []string{"d1/r1/p1/index.html", "en/d1/r1/index.html"} {
		a, err1 := os.Stat(filepath.Join(from, f))
		b, err2 := os.Stat(filepath.Join(to, f))
		if err1 != nil || err2 != nil || !os.SameFile(a, b) {
			t.Errorf("%s: the restored file is not the rendered one, linked (%v %v)", f, err1, err2)
		}
	}
}

// TestUnpackShardRefuses: an entry that is incomplete (no manifest, the
// manifest cut short, a file missing or cut short), that lists a path
// outside the shard's folders, or that would write over an existing file
// is an error, never a partial success; for takeShard also an entry that
// holds more than its manifest lists.
func TestUnpackShardRefuses(t *testing.T) {
	restores := map[string]func(entry, out string) error{
		"unpack": func(entry, out string) error {
			_, err := unpackShard(entry, out, []string{""}, []string{"d1"}, nil)
			return err
		},
		"take": func(entry, out string) error {
			_, _, err := takeShard(entry, out, []string{""}, []string{"d1"}, nil, 0)
			return err
		},
	}
	pack := func(t *testing.T) string {
		from, entry := t.TempDir(), t.TempDir()
		writeTree(t, from, map[string]string{"d1/index.html": "一区", "d1/r1/index.html": "第一轮"})
		if err := packShard(entry, from, []string{""}, []string{"d1"}, nil); err != nil {
			t.Fatal(err)
		}
		return entry
	}
	manifest := func(text string) func(t *testing.T, entry string) {
		return func(t *testing.T, entry string) {
			if err := os.WriteFile(filepath.Join(entry, entryManifest), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	cases := []struct {
		name     string
		damage   func(t *testing.T, entry string)
		exists   string // a file already in the output
		want     string
		wantTake string // takeShard's error, when not want
	}{
		{"no manifest", func(t *testing.T, entry string) { os.Remove(filepath.Join(entry, entryManifest)) }, "", "no such file", ""},
		{"the manifest cut short", func(t *testing.T, entry string) {
			m := filepath.Join(entry, entryManifest)
			fi, _ := os.Stat(m)
			os.Truncate(m, fi.Size()/2)
		}, "", "unexpected end", ""},
		{"a file missing", func(t *testing.T, entry string) { os.Remove(filepath.Join(entry, "d1", "r1", "index.html")) }, "", "no such file", "the entry's manifest lists 1"},
		{"a folder missing", func(t *testing.T, entry string) { os.RemoveAll(filepath.Join(entry, "d1", "r1")) }, "", "no such file", "the entry's manifest lists 2"},
		{"a file cut short", func(t *testing.T, entry string) { os.Truncate(filepath.Join(entry, "d1", "r1", "index.html"), 4) }, "", "the entry lists 9", ""},
		{"a link for a file", func(t *testing.T, entry string) {
			p := filepath.Join(entry, "d1", "index.html")
			os.Remove(p)
			os.Symlink("r1/index.html", p)
		}, "", "not a regular file", ""},
		{"another version", manifest(`{"version":1}`), "", "not a version 2 manifest", ""},
		{"the end missing", manifest("bulletin-shard-entry 2\n1 0 0\n-1 2 d1\n"), "", "unexpected end", ""},
		{"outside the shard", manifest("bulletin-shard-entry 2\n1 1 0\n-1 2 d2\n0 1 10 index.html\nend\n"), "", "not in the shard's folders", ""},
		{"climbing out", manifest("bulletin-shard-entry 2\n1 0 0\n-1 10 d1/../../x\nend\n"), "", "not in the shard's folders", ""},
		{"climbing out by a name", manifest("bulletin-shard-entry 2\n2 0 0\n-1 2 d1\n0 2 ..\nend\n"), "", "not a file or folder name", ""},
		{"a path in a name", manifest("bulletin-shard-entry 2\n1 1 0\n-1 2 d1\n0 1 6 ../d2x\nend\n"), "", "not a file or folder name", ""},
		{"absolute", manifest("bulletin-shard-entry 2\n1 0 0\n-1 5 /d1/x\nend\n"), "", "not in the shard's folders", ""},
		{"a file for the folder", manifest("bulletin-shard-entry 2\n0 1 0\n-1 1 2 d1\nend\n"), "", "not in a listed folder", ""},
		{"a folder before its parent", manifest("bulletin-shard-entry 2\n2 0 0\n1 2 r1\n-1 2 d1\nend\n"), "", "not listed before it", ""},
		{"a path listed twice", manifest("bulletin-shard-entry 2\n3 0 0\n-1 2 d1\n0 2 r1\n0 2 r1\nend\n"), "", "listed twice", ""},
		{"a subfolder as a shard folder", manifest("bulletin-shard-entry 2\n1 0 0\n-1 5 d1/r1\nend\n"), "", "", "inside d1"},
		{"over an existing folder", func(*testing.T, string) {}, "d1/old.html", "exists", ""},
		{"a file more than listed", func(t *testing.T, entry string) {
			writeTree(t, entry, map[string]string{"d1/r1/extra.html": "x"})
		}, "", "", "not the entry's"},
	}
	for how, restore := range restores {
		for _, c := range cases {
			want := c.want
			if how == "take" && c.wantTake != "" {
				want = c.wantTake
			}
			if want == "" {
				continue
			}
			t.Run(how+"/"+c.name, func(t *testing.T) {
				entry := pack(t)
				c.damage(t, entry)
				to := t.TempDir()
				if c.exists != "" {
					writeTree(t, to, map[string]string{c.exists: "old"})
				}
				err := restore(entry, to)
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("got %v, want an error with %q", err, want)
				}
				if _, err := os.Stat(filepath.Join(filepath.Dir(to), "x")); err == nil {
					t.Errorf("wrote outside the output")
				}
				if c.exists == "" {
					if _, err := os.Stat(filepath.Join(to, "d1")); how == "take" && err == nil {
						t.Errorf("a failed take left the shard's folder in the output")
					}
				}
			})
		}
		// The entry undamaged: restored.
		if err := restore(pack(t), t.TempDir()); err != nil {
			t.Errorf("%s: an undamaged entry: %v", how, err)
		}
	}
}

// TestTakeShardAndPutBack: takeShard moves the entry's folders into the
// site (the same folders and files: nothing made), leaving its manifest;
// after publishing they go back into the cache from the site the new one
// replaced when it holds the same files (its folders moved: nothing made
// there either), else as links to the published ones; and from the
// staging folder when the build failed. Each time the entry can be taken
// again, whole.
func TestTakeShardAndPutBack(t *testing.T) {
	root := t.TempDir()
	from, entry := filepath.Join(root, "rendered"), filepath.Join(root, "cache", "k")
	writeTree(t, from, map[string]string{"d1/index.html": "一区", "d1/r1/index.html": "第一轮", "en/d1/index.html": "District 1", "d2/index.html": "二区"})
	if err := os.MkdirAll(entry, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := packShard(entry, from, []string{"", "en"}, []string{"d1"}, nil); err != nil {
		t.Fatal(err)
	}
	want := readTree(t, entry)
	inode := func(p string) os.FileInfo {
		t.Helper()
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return fi
	}
	take := func(out string) *takenEntries {
		t.Helper()
		var ready []string
		dirBefore := inode(filepath.Join(entry, "d1"))
		_, ts, err := takeShard(entry, out, []string{"", "en"}, []string{"d1"}, func(d string) { ready = append(ready, d) }, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !os.SameFile(dirBefore, inode(filepath.Join(out, "d1"))) {
			t.Errorf("the shard's folder was made anew, not moved")
		}
		if len(ready) != 2 || len(ts.tops) != 2 {
			t.Errorf("ready %v, moved %v: want d1 and en/d1", ready, ts.tops)
		}
		if got := readTree(t, entry); len(got) > 3 || got[entryManifest] == "" {
			t.Errorf("the entry after take: %v, want its manifest and stamps only (and the en folder)", got)
		}
		tk := &takenEntries{}
		tk.add(entry, out, ts)
		return tk
	}
	check := func(when string) {
		t.Helper()
		got := readTree(t, entry)
		delete(got, stampsFile)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the entry is %v, want %v", when, got, want)
		}
	}

	// Published with no site before it: linked back.
	site := filepath.Join(root, "site")
	os.Mkdir(site, 0o755)
	take(site).putBack(site, "")
	check("after the first publish")
	if !os.SameFile(inode(filepath.Join(site, "d1", "r1", "index.html")), inode(filepath.Join(entry, "d1", "r1", "index.html"))) {
		t.Errorf("the entry's file is not the published one")
	}

	// Published over that site: the old site's folders go back.
	next := filepath.Join(root, "next")
	os.Mkdir(next, 0o755)
	oldDir := inode(filepath.Join(site, "d1", "r1"))
	take(next).putBack(next, site)
	check("after publishing over the site")
	if !os.SameFile(oldDir, inode(filepath.Join(entry, "d1", "r1"))) {
		t.Errorf("the replaced site's folder was not moved into the cache")
	}

	// Published over a site of other files (another render): linked.
	other := filepath.Join(root, "other")
	writeTree(t, other, map[string]string{"d1/index.html": "一区", "d1/r1/index.html": "第一轮", "en/d1/index.html": "District 1"})
	third := filepath.Join(root, "third")
	os.Mkdir(third, 0o755)
	take(third).putBack(third, other)
	check("after publishing over another render")
	if _, err := os.Stat(filepath.Join(other, "d1")); err != nil {
		t.Errorf("the other render's folder was moved into the cache")
	}
	if !os.SameFile(inode(filepath.Join(third, "d1", "index.html")), inode(filepath.Join(entry, "d1", "index.html"))) {
		t.Errorf("the entry's file is not the published one")
	}

	// A failed build gives the folders back.
	failed := filepath.Join(root, "failed")
	os.Mkdir(failed, 0o755)
	take(failed).giveBack()
	check("after a failed build")
	if _, err := os.Stat(filepath.Join(failed, "d1")); err == nil {
		t.Errorf("the failed build's staging folder still has the shard")
	}
}
