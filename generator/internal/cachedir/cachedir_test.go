package cachedir_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/cachedir"
)

func TestIsKey(t *testing.T) {
	key := strings.Repeat("0123456789abcdef", 4)
	for _, tc := range []struct {
		name string
		want bool
	}{
		{key, true},
		{strings.ToUpper(key), false},
		{key[:63], false},
		{key + "0", false},
		{key[:63] + "g", false},
		{key + ".tar", false},
		{".new-" + key, false},
		{"", false},
	} {
		if got := cachedir.IsKey(tc.name); got != tc.want {
			t.Errorf("IsKey(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestRemoveUnusedFiles: only regular files named as keys and not used
// go; a folder named as a key, a file being written and a stranger stay.
func TestRemoveUnusedFiles(t *testing.T) {
	dir := t.TempDir()
	used, unused, folder := strings.Repeat("a", 64), strings.Repeat("b", 64), strings.Repeat("c", 64)
	for _, f := range []string{used, unused, ".new-" + unused, "README", unused + ".tmp"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, folder), 0o755); err != nil {
		t.Fatal(err)
	}
	n, err := cachedir.RemoveUnusedFiles(dir, func(k string) bool { return k == used })
	if err != nil || n != 1 {
		t.Fatalf("RemoveUnusedFiles = %d, %v; want 1 removed", n, err)
	}
	entries, _ := os.ReadDir(dir)
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	want := []string{".new-" + unused, "README", used, unused + ".tmp", folder}
	slices.Sort(want)
	if !slices.Equal(left, want) {
		t.Errorf("left %q, want %q", left, want)
	}
	if n, err := cachedir.RemoveUnusedFiles(filepath.Join(dir, "none"), func(string) bool { return false }); n != 0 || err != nil {
		t.Errorf("a missing folder: %d, %v; want 0, nil", n, err)
	}
}
