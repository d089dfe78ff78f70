package load_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/load"
)

// FuzzLoadRound loads fuzzed bytes as a round file next to a valid site and
// district. Load must not panic, and must return either the round or
// diagnostics all positioned in the round file (line and column ≥ 1).
//
//	go test ./generator/internal/load -run='^$' -fuzz=FuzzLoadRound -fuzztime=3m
func FuzzLoadRound(f *testing.F) {
	f.Add([]byte("id: r\ntitle: 第一轮\n"))
	f.Add([]byte("id: r\ntitle: T\nproblems:\n  - {id: p1, target: a, title: T, status: pending}\n"))
	dir := filepath.Join(f.TempDir(), "data")
	for name, text := range map[string]string{
		"site.yaml":           "title: T\n",
		"d/district.yaml":     "id: d\nname: D\n",
		"d/rounds/r.yaml":     "",
		"d/common/keep.txt":   "",
		"d/rounds/notes.md":   "",
		"d/.hidden/x.yaml":    "x: [",
		"d/rounds/.tmp.yaml~": "",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			f.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			f.Fatal(err)
		}
	}
	file := filepath.Join(dir, "d", "rounds", "r.yaml")
	f.Fuzz(func(t *testing.T, b []byte) {
		if err := os.WriteFile(file, b, 0o644); err != nil {
			t.Fatal(err)
		}
		d, errs := load.Load(dir, load.WithMaxFileSize(1<<20))
		if d == nil || d.Site == nil {
			t.Fatal("no model")
		}
		for _, e := range errs {
			if e.Pos.File != file || e.Pos.Line < 1 || e.Pos.Col < 1 {
				t.Fatalf("diagnostic not positioned in the round file: %v", e)
			}
		}
		if len(errs) == 0 {
			if len(d.Districts) != 1 || len(d.Districts[0].Rounds) != 1 {
				t.Fatalf("no diagnostics but no round in the model")
			}
			if r := d.Districts[0].Rounds[0]; r.ID != "r" || r.File != file {
				t.Fatalf("round %q from %s", r.ID, r.File)
			}
		}
	})
}
