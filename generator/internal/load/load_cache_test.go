package load_test

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/load"
)

// TestCacheGivesTheSameModel: loading with a cache, again after an edit and
// again after breaking a file, gives exactly what a fresh Load gives; so
// does a cache that keeps the decoded records.
func TestCacheGivesTheSameModel(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	write := func(name, text string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("site.yaml", "title: T\nas_of: 2024-12-31\n")
	write("d/district.yaml", "id: d\nname: D\n")
	write("d/rounds/r.yaml", "id: r\ntitle: R\ntargets: [{id: t, name: T}]\nproblems:\n  - {id: p, target: t, title: P, status: pending}\n")
	for _, c := range []*load.Cache{load.NewCache(), load.NewRecordCache()} {
		write("d/rounds/r.yaml", "id: r\ntitle: R\ntargets: [{id: t, name: T}]\nproblems:\n  - {id: p, target: t, title: P, status: pending}\n")
		write("d/common/c.yaml", "id: c\ntitle: C\nunits: [{id: u, name: U, status: pending}]\n")
		cacheRounds(t, dir, write, c)
	}
}

func cacheRounds(t *testing.T, dir string, write func(name, text string), c *load.Cache) {
	for _, round := range []string{
		"", // as written
		"id: r\ntitle: R\ntargets: [{id: t, name: T}]\nproblems:\n  - {id: p, target: t, title: P, status: closed}\n",
		"id: r\ntitle: R\nproblems:\n  - {id: p, target: t, title: P, status: clsed}\n",
		"id: r\ntitle: R\nproblems: [\n",
		"id: r\ntitle: R\ntargets: [{id: t, name: T}]\nproblems:\n  - {id: p, target: t, title: P, status: pending}\n",
	} {
		if round != "" {
			write("d/rounds/r.yaml", round)
		}
		for i := 0; i < 2; i++ {
			gotD, gotE := load.Load(dir, load.WithCache(c))
			wantD, wantE := load.Load(dir)
			if !reflect.DeepEqual(gotE, wantE) {
				t.Fatalf("diagnostics with cache %v, without %v", gotE, wantE)
			}
			if !reflect.DeepEqual(gotD, wantD) {
				t.Fatalf("model with cache differs from a fresh load for\n%s", round)
			}
		}
	}
}
