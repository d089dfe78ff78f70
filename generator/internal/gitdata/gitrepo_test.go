package gitdata

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// testRepo is a scratch git repository with deterministic commits: fixed
// author and committer, dates given per commit, no user or system config.
type testRepo struct {
	tb  testing.TB
	dir string
}

func gitTestEnv(date string) []string {
	env := slices.DeleteFunc(os.Environ(), func(s string) bool { return strings.HasPrefix(s, "GIT_") })
	env = append(env,
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Clerk", "GIT_AUTHOR_EMAIL=clerk@example.org",
		"GIT_COMMITTER_NAME=Clerk", "GIT_COMMITTER_EMAIL=clerk@example.org",
	)
	if date != "" {
		env = append(env, "GIT_AUTHOR_DATE="+date+"T12:00:00+08:00", "GIT_COMMITTER_DATE="+date+"T12:00:00+08:00")
	}
	return env
}

func newTestRepo(tb testing.TB) *testRepo {
	tb.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		tb.Skip("git is not installed")
	}
	r := &testRepo{tb: tb, dir: tb.TempDir()}
	r.git("", "init", "-q", "-b", "main")
	return r
}

func (r *testRepo) git(date string, args ...string) string {
	r.tb.Helper()
	cmd := exec.Command("git", append([]string{"-C", r.dir}, args...)...)
	cmd.Env = gitTestEnv(date)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.tb.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// commit writes files (path → content; "" deletes the file) and commits
// them on date (YYYY-MM-DD). It returns the commit's hash.
func (r *testRepo) commit(date, msg string, files map[string]string) string {
	r.tb.Helper()
	for p, content := range files {
		full := filepath.Join(r.dir, filepath.FromSlash(p))
		if content == "" {
			if err := os.Remove(full); err != nil {
				r.tb.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			r.tb.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			r.tb.Fatal(err)
		}
	}
	r.git(date, "add", "-A")
	r.git(date, "commit", "-q", "--allow-empty", "-m", msg)
	return r.git(date, "rev-parse", "HEAD")
}

// Small records for tests.

const testSite = "title: 巡察整改公开\nbase_url: https://example.org/\nas_of: 2024-12-31\n"

func testDistrict(id, name string) string { return fmt.Sprintf("id: %s\nname: %s\n", id, name) }

// testProblem is one problem of testRound: id, status and optional extra
// YAML lines (already indented by four spaces).
type testProblem struct {
	id, status string
	extra      string
}

func testRound(id string, number int, problems ...testProblem) string {
	var b strings.Builder
	fmt.Fprintf(&b, "id: %s\nnumber: %d\ntitle: 第%d轮巡察\nfeedback: 2024-03-01\ntargets:\n  - id: t1\n    name: 某局党组\n    type: department\n  - id: t2\n    name: 某镇党委\n    type: town\n    visibility: internal\nproblems:\n", id, number, number)
	for _, p := range problems {
		fmt.Fprintf(&b, "  - id: %s\n    target: t1\n    title: 问题%s\n    status: %s\n%s", p.id, p.id, p.status, p.extra)
	}
	return b.String()
}
