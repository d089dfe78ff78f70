package search

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestKeys(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"调休", []string{"调", "休", "调休"}},
		{"污水管网", []string{"污", "水", "污水", "管", "水管", "网", "管网"}},
		{"PPP 项目2019", []string{"ppp", "项", "目", "项目", "2019"}},
		{"村、社区", []string{"村", "社", "区", "社区"}},
		{"<script>", []string{"script"}},
	} {
		if got := Keys(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Keys(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestWriterMatchesWrite: the caching writer of the preview writes the same
// files as a fresh Write, and removes the files a smaller index no longer has.
func TestWriterMatchesWrite(t *testing.T) {
	docs := func(n int) []Doc {
		var ds []Doc
		for i := 0; i < n; i++ {
			ds = append(ds, Doc{Title: "污水管网" + string(rune('a'+i%26)), URL: "d/r/p/", Text: []string{"污水管网建设", "调休"}})
		}
		return ds
	}
	fresh, cached := t.TempDir(), t.TempDir()
	w := NewWriter()
	for _, n := range []int{450, 3} {
		if err := w.Write(cached, docs(n)); err != nil {
			t.Fatal(err)
		}
	}
	if err := Write(fresh, docs(3)); err != nil {
		t.Fatal(err)
	}
	a, b := listFiles(t, fresh), listFiles(t, cached)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("the caching writer left a different index:\n%v\n%v", a, b)
	}
}

func listFiles(t *testing.T, dir string) map[string]string {
	out := map[string]string{}
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			out[rel] = string(b)
		}
		return nil
	})
	return out
}
