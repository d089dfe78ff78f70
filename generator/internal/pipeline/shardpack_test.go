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
		"index.html":          "home",
		"d1/index.html":       "<p>一区</p>",
		"d1/r1/p1/index.html": "问题 1",
		"d1/r1/empty.txt":     "",
		"d2/index.html":       "二区",
		"en/d1/index.html":    "District 1",
		"en/d1/r1/index.html": strings.Repeat("x", 70000),
		"en/d10/index.html":   "not d1",
		"d1/a-long-name-" + strings.Repeat("n", 120) + "/index.html": "long",
	})
	if err := os.MkdirAll(filepath.Join(from, "d1", "no-files"), 0o755); err != nil {
		t.Fatal(err)
	}
	entries := []hugosite.SitemapEntry{{File: "sitemap.xml", After: 2, Text: "<url><loc>https://x/d1/</loc></url>", Weight: 1, Title: "一区", Path: "/d1/_index.md"}}
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
// is an error, never a partial success.
func TestUnpackShardRefuses(t *testing.T) {
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
		name   string
		damage func(t *testing.T, entry string)
		exists string // a file already in the output
		want   string
	}{
		{"no manifest", func(t *testing.T, entry string) { os.Remove(filepath.Join(entry, entryManifest)) }, "", "no such file"},
		{"the manifest cut short", func(t *testing.T, entry string) {
			m := filepath.Join(entry, entryManifest)
			fi, _ := os.Stat(m)
			os.Truncate(m, fi.Size()/2)
		}, "", "unexpected end"},
		{"a file missing", func(t *testing.T, entry string) { os.Remove(filepath.Join(entry, "d1", "r1", "index.html")) }, "", "no such file"},
		{"a file cut short", func(t *testing.T, entry string) { os.Truncate(filepath.Join(entry, "d1", "r1", "index.html"), 4) }, "", "the entry lists 9"},
		{"a link for a file", func(t *testing.T, entry string) {
			p := filepath.Join(entry, "d1", "index.html")
			os.Remove(p)
			os.Symlink("r1/index.html", p)
		}, "", "not a regular file"},
		{"another version", manifest(`{"version":99}`), "", "version 99"},
		{"outside the shard", manifest(`{"version":1,"files":[{"p":"d2/index.html","n":1}]}`), "", "not in the shard's folders"},
		{"climbing out", manifest(`{"version":1,"dirs":["d1/../../x"]}`), "", "not in the shard's folders"},
		{"absolute", manifest(`{"version":1,"files":[{"p":"/d1/x","n":1}]}`), "", "not in the shard's folders"},
		{"a file for the folder", manifest(`{"version":1,"files":[{"p":"d1","n":1}]}`), "", "a file where the shard's folder belongs"},
		{"over an existing folder", func(*testing.T, string) {}, "d1/old.html", "exists"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			entry := pack(t)
			c.damage(t, entry)
			to := t.TempDir()
			if c.exists != "" {
				writeTree(t, to, map[string]string{c.exists: "old"})
			}
			_, err := unpackShard(entry, to, []string{""}, []string{"d1"}, nil)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want an error with %q", err, c.want)
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(to), "x")); err == nil {
				t.Errorf("wrote outside the output")
			}
		})
	}
	// The entry undamaged: restored.
	if _, err := unpackShard(pack(t), t.TempDir(), []string{""}, []string{"d1"}, nil); err != nil {
		t.Errorf("an undamaged entry: %v", err)
	}
}
