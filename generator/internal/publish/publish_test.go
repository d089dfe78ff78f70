package publish

import (
	"os"
	"path/filepath"
	"testing"
)

func write(t *testing.T, p, s string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestStageCommitSwapsAndCleans(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "site")
	write(t, filepath.Join(out, "old.html"), "old")
	s, err := Stage(out)
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(s.Dir(), "index.html"), "new")
	if read(t, filepath.Join(out, "old.html")) != "old" {
		t.Fatal("staging touched the published site")
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	if read(t, filepath.Join(out, "index.html")) != "new" {
		t.Error("the new site is not published")
	}
	if _, err := os.Stat(filepath.Join(out, "old.html")); !os.IsNotExist(err) {
		t.Error("a stale file survived")
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".site.staging-*")); len(m) > 0 {
		t.Errorf("left %v", m)
	}
}

func TestAbortLeavesSite(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "site")
	write(t, filepath.Join(out, "index.html"), "old")
	s, err := Stage(out)
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(s.Dir(), "index.html"), "half")
	s.Abort()
	if read(t, filepath.Join(out, "index.html")) != "old" {
		t.Error("abort changed the site")
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".site.staging-*")); len(m) > 0 {
		t.Errorf("left %v", m)
	}
}

// TestRecoverAfterKilledFallbackSwap: a build killed between the two renames
// of the fallback swap left the old site aside and no site: the next build
// puts the old site back before anything else.
func TestRecoverAfterKilledFallbackSwap(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "site")
	write(t, filepath.Join(dir, ".site.old-123", "index.html"), "old")
	write(t, filepath.Join(dir, ".site.staging-456", "index.html"), "half")
	s, err := Stage(out)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Abort()
	if read(t, filepath.Join(out, "index.html")) != "old" {
		t.Error("the old site was not restored")
	}
	for _, p := range []string{".site.old-123", ".site.staging-456"} {
		if _, err := os.Stat(filepath.Join(dir, p)); !os.IsNotExist(err) {
			t.Errorf("%s left", p)
		}
	}
}

func TestSecondBuildIsRefusedWhileOneRuns(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "site")
	s, err := Stage(out)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Abort()
	if _, err := Stage(out); err == nil {
		t.Error("two builds may publish to one folder at once")
	}
}
