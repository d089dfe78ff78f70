// Package gittest makes scratch git repositories with deterministic commits
// and small records, for the tests of the packages that read git.
package gittest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Repo is a scratch git repository with deterministic commits: fixed
// author and committer, dates given per commit, no user or system config.
type Repo struct {
	tb  testing.TB
	Dir string
}

// Env is the environment of a git command run on date (YYYY-MM-DD, or "").
func Env(date string) []string {
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

// New makes an empty repository with a branch main (skips the test when
// git is not installed).
func New(tb testing.TB) *Repo {
	tb.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		tb.Skip("git is not installed")
	}
	r := &Repo{tb: tb, Dir: tb.TempDir()}
	r.Git("", "init", "-q", "-b", "main")
	return r
}

// Git runs git in the repository on date (YYYY-MM-DD, or "") and returns
// its output.
func (r *Repo) Git(date string, args ...string) string {
	r.tb.Helper()
	cmd := exec.Command("git", append([]string{"-C", r.Dir}, args...)...)
	cmd.Env = Env(date)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.tb.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// Commit writes files (path → content; "" deletes the file) and commits
// them on date (YYYY-MM-DD). It returns the commit's hash.
func (r *Repo) Commit(date, msg string, files map[string]string) string {
	r.tb.Helper()
	for p, content := range files {
		full := filepath.Join(r.Dir, filepath.FromSlash(p))
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
	r.Git(date, "add", "-A")
	r.Git(date, "commit", "-q", "--allow-empty", "-m", msg)
	return r.Git(date, "rev-parse", "HEAD")
}

// Small records for tests.

// Site is a site.yaml.
const Site = "title: 巡察整改公开\nbase_url: https://example.org/\nas_of: 2024-12-31\n"

// District is a district.yaml.
func District(id, name string) string { return fmt.Sprintf("id: %s\nname: %s\n", id, name) }

// Problem is one problem of Round: id, status and optional extra
// YAML lines (already indented by four spaces).
type Problem struct {
	ID, Status string
	Extra      string
}

// Round is a round file with two targets (t2 internal) and problems of t1.
func Round(id string, number int, problems ...Problem) string {
	var b strings.Builder
	fmt.Fprintf(&b, "id: %s\nnumber: %d\ntitle: 第%d轮巡察\nfeedback: 2024-03-01\ntargets:\n  - id: t1\n    name: 某局党组\n    type: department\n  - id: t2\n    name: 某镇党委\n    type: town\n    visibility: internal\nproblems:\n", id, number, number)
	for _, p := range problems {
		fmt.Fprintf(&b, "  - id: %s\n    target: t1\n    title: 问题%s\n    status: %s\n%s", p.ID, p.ID, p.Status, p.Extra)
	}
	return b.String()
}
