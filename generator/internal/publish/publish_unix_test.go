//go:build unix

package publish

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestPublishedSiteIsWorldReadable (issue #11 item 9): whatever the umask
// a build runs under, the published folder is 0755 and its files 0644, so
// that a web server running as another user can serve them.
func TestPublishedSiteIsWorldReadable(t *testing.T) {
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	out := filepath.Join(t.TempDir(), "site")
	s, err := Stage(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(s.Dir(), "d1", "r1"), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(s.Dir(), "d1", "r1", "index.html"), []byte("x"), 0o666); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]os.FileMode{
		"": 0o755, "d1": 0o755, "d1/r1": 0o755, "d1/r1/index.html": 0o644, Marker: 0o644,
	} {
		st, err := os.Stat(filepath.Join(out, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		if got := st.Mode().Perm(); got != want {
			t.Errorf("%q has mode %04o, want %04o", p, got, want)
		}
	}
}

// TestCommitSkipsReadyFolders: a folder the builder said is readable
// already (Ready) is not walked; the rest is made readable as ever.
func TestCommitSkipsReadyFolders(t *testing.T) {
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	out := filepath.Join(t.TempDir(), "site")
	s, err := Stage(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"d1", "d2"} {
		if err := os.Mkdir(filepath.Join(s.Dir(), d), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(s.Dir(), d, "index.html"), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s.Ready(filepath.Join(s.Dir(), "d1"))
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]os.FileMode{"d1/index.html": 0o600, "d2": 0o755, "d2/index.html": 0o644} {
		st, err := os.Stat(filepath.Join(out, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		if got := st.Mode().Perm(); got != want {
			t.Errorf("%q has mode %04o, want %04o", p, got, want)
		}
	}
}
