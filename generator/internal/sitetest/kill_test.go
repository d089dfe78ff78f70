package sitetest

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/xuncha/bulletin/generator/internal/synth"
)

// TestKilledBuildKeepsSite sends SIGKILL to a real build process while it
// writes its staging folder, then checks that the published folder is
// byte-for-byte as it was, and that the next build cleans up after it.
func TestKilledBuildKeepsSite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the generator binary")
	}
	dir := t.TempDir()
	bin := generatorBinary(t)
	copyDir(t, filepath.Join(root(t), "templates"), filepath.Join(dir, "templates"))
	copyDir(t, filepath.Join(root(t), "content"), filepath.Join(dir, "content"))
	copyDir(t, filepath.Join(root(t), "data"), filepath.Join(dir, "data"))
	if err := synth.Write(filepath.Join(dir, "big"), synth.Options{Problems: 6000}); err != nil {
		t.Fatal(err)
	}
	gen := func(args ...string) *exec.Cmd {
		c := exec.Command(bin, args...)
		c.Dir = dir
		return c
	}
	if out, err := gen("build").CombinedOutput(); err != nil {
		t.Fatalf("first build: %v\n%s", err, out)
	}
	before := tree(t, filepath.Join(dir, "public"))

	for attempt := 0; attempt < 3; attempt++ {
		c := gen("build", "--data", "big")
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		killed := waitForStagingFiles(dir, 50, 60*time.Second)
		c.Process.Signal(syscall.SIGKILL)
		c.Wait()
		if !killed {
			t.Fatal("the build never wrote its staging folder")
		}
		if d := diffTrees(before, tree(t, filepath.Join(dir, "public"))); d != "" {
			t.Fatalf("killed build changed the site:\n%s", d)
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".public.staging-*"))
	if len(left) == 0 {
		t.Fatal("expected the killed builds to leave staging folders behind")
	}
	if out, err := gen("build").CombinedOutput(); err != nil {
		t.Fatalf("build after kill: %v\n%s", err, out)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".public.staging-*")); len(left) > 0 {
		t.Errorf("the next build did not clean %v", left)
	}
	if d := diffTrees(before, tree(t, filepath.Join(dir, "public"))); d != "" {
		t.Errorf("rebuild after kill differs:\n%s", d)
	}
}

// waitForStagingFiles waits until a staging folder under dir holds at least
// n files.
func waitForStagingFiles(dir string, n int, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		matches, _ := filepath.Glob(filepath.Join(dir, ".public.staging-*"))
		for _, m := range matches {
			count := 0
			filepath.Walk(m, func(_ string, info os.FileInfo, err error) error {
				if err == nil && !info.IsDir() {
					count++
				}
				return nil
			})
			if count >= n {
				return true
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	return false
}
