package pipeline

import (
	"archive/tar"
	"bytes"
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
// empty file and folder too), and its sitemap entries; the other
// districts' folders and the site-wide files stay out of it.
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
	var buf bytes.Buffer
	if err := packShard(&buf, from, []string{"", "en"}, []string{"d1"}, entries); err != nil {
		t.Fatal(err)
	}
	to := t.TempDir()
	writeTree(t, to, map[string]string{"en/index.html": "home"})
	got, err := unpackShard(bytes.NewReader(buf.Bytes()), to, []string{"", "en"}, []string{"d1"})
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
}

// TestUnpackShardRefuses: an archive that is cut short, writes outside
// the shard's folders or over an existing file is an error, never a
// partial success.
func TestUnpackShardRefuses(t *testing.T) {
	from := t.TempDir()
	writeTree(t, from, map[string]string{"d1/index.html": "一区", "d1/r1/index.html": "第一轮"})
	var good bytes.Buffer
	if err := packShard(&good, from, []string{""}, []string{"d1"}, nil); err != nil {
		t.Fatal(err)
	}
	member := func(name string, typ byte, body string) []byte {
		var b bytes.Buffer
		tw := tar.NewWriter(&b)
		tw.WriteHeader(&tar.Header{Name: name, Typeflag: typ, Size: int64(len(body)), Mode: 0o644})
		tw.Write([]byte(body))
		tw.Close()
		return b.Bytes()
	}
	cases := []struct {
		name    string
		archive []byte
		exists  string // a file already in the output
		want    string
	}{
		{"cut short before the sitemap entries", member("d1/", tar.TypeDir, ""), "", "ends before"},
		{"cut inside a file", good.Bytes()[:600], "", "EOF"},
		{"outside the shard", member("d2/index.html", tar.TypeReg, "x"), "", "not in the shard's folders"},
		{"climbing out", member("d1/../../x", tar.TypeReg, "x"), "", "not in the shard's folders"},
		{"absolute", member("/d1/x", tar.TypeReg, "x"), "", "not in the shard's folders"},
		{"a link", member("d1/l", tar.TypeSymlink, ""), "", "not a file or folder"},
		{"over an existing folder", good.Bytes(), "d1/old.html", "exists"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			to := t.TempDir()
			if c.exists != "" {
				writeTree(t, to, map[string]string{c.exists: "old"})
			}
			_, err := unpackShard(bytes.NewReader(c.archive), to, []string{""}, []string{"d1"})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want an error with %q", err, c.want)
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(to), "x")); err == nil {
				t.Errorf("wrote outside the output")
			}
		})
	}
}
