package realpath

import (
	"os"
	"path/filepath"
	"testing"
)

func TestOfAndRel(t *testing.T) {
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "repo", "data"), 0o755))
	must(os.Symlink(filepath.Join(dir, "repo"), filepath.Join(dir, "link")))
	must(os.Symlink(filepath.Join(dir, "repo", "data"), filepath.Join(dir, "datalink")))
	t.Chdir(dir)

	for _, tc := range []struct{ in, want string }{
		{"link", filepath.Join(dir, "repo")},
		{"link/data", filepath.Join(dir, "repo", "data")},
		{"link/data/new/file.yaml", filepath.Join(dir, "repo", "data", "new", "file.yaml")},
		{filepath.Join(dir, "datalink", "x"), filepath.Join(dir, "repo", "data", "x")},
		{"nowhere/x", filepath.Join(dir, "nowhere", "x")},
	} {
		got, err := Of(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("Of(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}

	for _, tc := range []struct {
		base, target, want string
		ok                 bool
	}{
		{"link", "datalink", "data", true},
		{"repo", "link/data/r.yaml", "data/r.yaml", true},
		{"link", "link", ".", true},
		{"datalink", "link", "", false},
		{"repo", "repo2/x", "", false},
		{"repo/data", "repo/data..x", "", false},
	} {
		got, ok := Rel(tc.base, tc.target)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Rel(%q, %q) = %q, %v; want %q, %v", tc.base, tc.target, got, ok, tc.want, tc.ok)
		}
	}
}
