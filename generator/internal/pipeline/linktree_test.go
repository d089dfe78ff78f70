package pipeline

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestLinkTree: the new tree has the folders and files of the old one
// (empty ones too), each file a hard link to the old one's (it shares its
// storage), and visit is told of each, parents first; a symbolic link in
// the tree and a target that exists are errors.
func TestLinkTree(t *testing.T) {
	from := filepath.Join(t.TempDir(), "from")
	writeTree(t, from, map[string]string{
		"index.html":       "一区",
		"r1/p1/index.html": "问题",
		"r1/empty.txt":     "",
	})
	if err := os.Mkdir(filepath.Join(from, "no-files"), 0o755); err != nil {
		t.Fatal(err)
	}
	to := filepath.Join(t.TempDir(), "to")
	var visited []string
	err := linkTree(from, to, func(rel string, dir bool, size int64) {
		if dir {
			visited = append(visited, rel+"/")
		} else {
			visited = append(visited, rel+" "+strings.Repeat("#", int(size)))
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := readTree(t, to), readTree(t, from); !reflect.DeepEqual(got, want) {
		t.Errorf("linked tree %v, want %v", got, want)
	}
	want := []string{"./", "index.html " + strings.Repeat("#", len("一区")), "no-files/", "r1/", "r1/empty.txt ", "r1/p1/", "r1/p1/index.html " + strings.Repeat("#", len("问题"))}
	if !reflect.DeepEqual(visited, want) {
		t.Errorf("visited %q, want %q", visited, want)
	}
	for _, f := range []string{"index.html", "r1/p1/index.html", "r1/empty.txt"} {
		a, err1 := os.Stat(filepath.Join(from, f))
		b, err2 := os.Stat(filepath.Join(to, f))
		if err1 != nil || err2 != nil || !os.SameFile(a, b) {
			t.Errorf("%s is not a hard link to the original (%v %v)", f, err1, err2)
		}
	}

	if err := linkTree(from, to, nil); err == nil {
		t.Errorf("linking over an existing tree: no error")
	}
	if err := os.Symlink("index.html", filepath.Join(from, "r1", "link")); err != nil {
		t.Fatal(err)
	}
	if err := linkTree(from, filepath.Join(t.TempDir(), "to2"), nil); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("a symbolic link in the tree: %v", err)
	}
}

// TestLinkFileCopiesAcrossFileSystems: where a link cannot be made (the
// target on another file system: /dev/shm beside the temporary folder),
// the file is copied.
func TestLinkFileCopiesAcrossFileSystems(t *testing.T) {
	shm, err := os.MkdirTemp("/dev/shm", "linktree-")
	if err != nil {
		t.Skip("no /dev/shm:", err)
	}
	defer os.RemoveAll(shm)
	from := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(from, []byte("问题"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(from, filepath.Join(shm, "probe")); err == nil {
		t.Skip("/dev/shm is on the same file system here")
	}
	to := filepath.Join(shm, "f")
	size, err := linkFile(from, to)
	if err != nil || size != int64(len("问题")) {
		t.Fatalf("linkFile across file systems: %d %v", size, err)
	}
	if b, err := os.ReadFile(to); err != nil || string(b) != "问题" {
		t.Errorf("copy: %q %v", b, err)
	}
	if _, err := linkFile(from, to); err == nil {
		t.Errorf("linkFile over an existing file: no error")
	}
}
