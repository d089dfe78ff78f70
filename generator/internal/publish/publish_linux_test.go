package publish

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestCommitLeavesRightModesAlone: a file or folder whose mode is already
// right is not changed by publishing (its status change time stays):
// publishing writes no metadata of a page it need not, and a page that
// shares its storage with the shard cache (a hard link) stays as the
// cache has it.
func TestCommitLeavesRightModesAlone(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	out := filepath.Join(t.TempDir(), "site")
	s, err := Stage(out)
	if err != nil {
		t.Fatal(err)
	}
	dir, page := filepath.Join(s.Dir(), "d1"), filepath.Join(s.Dir(), "d1", "index.html")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctime := func(p string) syscall.Timespec {
		t.Helper()
		var st syscall.Stat_t
		if err := syscall.Stat(p, &st); err != nil {
			t.Fatal(err)
		}
		return st.Ctim
	}
	before := []syscall.Timespec{ctime(dir), ctime(page)}
	time.Sleep(50 * time.Millisecond) // past the file system's clock tick
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	for i, p := range []string{"d1", "d1/index.html"} {
		if got := ctime(filepath.Join(out, filepath.FromSlash(p))); got != before[i] {
			t.Errorf("%s: changed by publishing (status change time %v, was %v)", p, got, before[i])
		}
	}
}
