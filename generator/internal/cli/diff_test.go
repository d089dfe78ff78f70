package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// repo makes a scratch git repository, changes into it and returns a
// function that commits files (path → content; "" deletes) on a date.
func repo(t *testing.T) func(date string, files map[string]string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	t.Chdir(dir)
	env := slices.DeleteFunc(os.Environ(), func(s string) bool { return strings.HasPrefix(s, "GIT_") })
	env = append(env, "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Clerk", "GIT_AUTHOR_EMAIL=clerk@example.org",
		"GIT_COMMITTER_NAME=Clerk", "GIT_COMMITTER_EMAIL=clerk@example.org")
	git := func(date string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Env = append(env, "GIT_AUTHOR_DATE="+date+"T10:00:00Z", "GIT_COMMITTER_DATE="+date+"T10:00:00Z")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("2024-01-01", "init", "-q", "-b", "main")
	return func(date string, files map[string]string) {
		t.Helper()
		write(t, files)
		git(date, "add", "-A")
		git(date, "commit", "-q", "--allow-empty", "-m", "records of "+date)
	}
}

// write changes files in the working tree without committing.
func write(t *testing.T, files map[string]string) {
	t.Helper()
	for p, c := range files {
		if c == "" {
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func run(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = Main(args, Env{Stdout: &out, Stderr: &errb})
	return code, out.String(), errb.String()
}

const testSite = "title: 巡察整改公开\nbase_url: https://example.org/\nas_of: 2024-06-30\n"

func testRoundFile(problems ...string) string {
	return "id: r1\nnumber: 1\ntitle: 第一轮巡察\nfeedback: 2024-03-01\ntargets:\n  - id: t1\n    name: 某局党组\nproblems:\n" +
		strings.Join(problems, "")
}

func testProblem(id, status string, extra ...string) string {
	s := fmt.Sprintf("  - id: %s\n    target: t1\n    title: 问题%s\n    status: %s\n", id, id, status)
	for _, e := range extra {
		s += "    " + e + "\n"
	}
	return s
}

func baseRecords() map[string]string {
	return map[string]string{
		"data/site.yaml":         testSite,
		"data/qu/district.yaml":  "id: qu\nname: 某区\n",
		"data/qu/rounds/r1.yaml": testRoundFile(testProblem("p1", "in_progress"), testProblem("p2", "rectified"), testProblem("p3", "pending")),
		"data/qu/rounds/r2.yaml": strings.Replace(testRoundFile(testProblem("q1", "pending")), "id: r1\nnumber: 1", "id: r2\nnumber: 2", 1),
	}
}

func TestCheckSince(t *testing.T) {
	tests := []struct {
		name     string
		now      map[string]string // working-tree changes after the commit
		since    string
		code     int
		stderr   []string
		noStderr string
	}{
		{name: "nothing changed", since: "HEAD", code: 0},
		{name: "a problem rectified", since: "HEAD", code: 0,
			now: map[string]string{"data/qu/rounds/r1.yaml": testRoundFile(testProblem("p1", "rectified"), testProblem("p2", "rectified"), testProblem("p3", "pending"))}},
		{name: "a problem removed", since: "HEAD", code: 1,
			now:    map[string]string{"data/qu/rounds/r1.yaml": testRoundFile(testProblem("p1", "in_progress"), testProblem("p2", "rectified"))},
			stderr: []string{`data/qu/rounds/r1.yaml:1:1: problem "p3" of round "r1" was removed; problems are never deleted (整改不到位，问题不销号): set its status instead`, "1 error\n"}},
		{name: "a round file deleted", since: "HEAD", code: 1,
			now:    map[string]string{"data/qu/rounds/r2.yaml": ""},
			stderr: []string{`data/qu/rounds/r2.yaml:1:1: problem "q1" of round "r2" was removed`}},
		{name: "status moved back without a reason", since: "HEAD", code: 1,
			now:    map[string]string{"data/qu/rounds/r1.yaml": testRoundFile(testProblem("p1", "in_progress"), testProblem("p2", "in_progress"), testProblem("p3", "pending"))},
			stderr: []string{`data/qu/rounds/r1.yaml:16:13: problem "p2" of round "r1": status moved back from rectified to in_progress without a new history entry saying why`}},
		{name: "status moved back with a reason", since: "HEAD", code: 0,
			now: map[string]string{"data/qu/rounds/r1.yaml": testRoundFile(testProblem("p1", "in_progress"),
				testProblem("p2", "in_progress", "history:", "  - date: 2024-06-01", "    status: in_progress", "    note: 回访发现问题反弹"),
				testProblem("p3", "pending"))}},
		{name: "errors of check and of --since together", since: "HEAD", code: 1,
			now:    map[string]string{"data/qu/rounds/r1.yaml": testRoundFile(testProblem("p1", "in_progres"), testProblem("p2", "rectified"))},
			stderr: []string{`data/qu/rounds/r1.yaml:1:1: problem "p3" of round "r1" was removed`, `data/qu/rounds/r1.yaml:12:13: "status" must be one of`, "2 errors\n"}},
		{name: "an older revision", since: "HEAD~1", code: 0},
		{name: "before there was data", since: "HEAD~2", code: 0, stderr: []string{"note: there is no data folder at HEAD~2"}},
		{name: "unknown revision", since: "no-such-rev", code: 2, stderr: []string{`unknown revision "no-such-rev"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			commit := repo(t)
			commit("2024-01-01", map[string]string{"README.md": "x\n"})
			first := baseRecords()
			first["data/qu/rounds/r1.yaml"] = testRoundFile(testProblem("p1", "pending"), testProblem("p2", "rectified"), testProblem("p3", "pending"))
			commit("2024-02-01", first)
			commit("2024-03-01", baseRecords())
			write(t, tt.now)
			code, stdout, stderr := run("check", "--since", tt.since)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout, stderr)
			}
			for _, w := range tt.stderr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if code == 0 && !strings.HasPrefix(stdout, "ok: ") {
				t.Errorf("stdout:\n%s", stdout)
			}
			if code == 0 && !strings.Contains(tt.name, "before there was data") && !strings.Contains(stdout, "\nsince "+tt.since+": none of its ") {
				t.Errorf("no summary of the comparison:\n%s", stdout)
			}
		})
	}
}

func TestDiff(t *testing.T) {
	commit := repo(t)
	commit("2024-02-01", baseRecords())
	now := baseRecords()
	now["data/qu/rounds/r1.yaml"] = testRoundFile(testProblem("p1", "rectified"), testProblem("p2", "rectified"), testProblem("p3", "pending"), testProblem("p4", "pending"))
	commit("2024-03-01", now)
	write(t, map[string]string{"data/qu/rounds/r2.yaml": ""})

	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr []string
	}{
		{"markdown against the working tree", []string{"diff", "--from", "HEAD~1"}, 0,
			[]string{"<!-- bulletin-data-diff -->", "→ `工作区 (working tree)`", "| [某区](https://example.org/qu/) | 4 | 1 → 2 | 25.0% → 50.0% | 3 → 2 |",
				"### 新增问题（Opened） · 1", "[问题p4](https://example.org/qu/r1/p4/)", "### ⚠️ 问题被删除", "问题q1"}, nil},
		{"between two revisions", []string{"diff", "--from", "HEAD~1", "--to", "HEAD"}, 0,
			[]string{"对比 `HEAD~1 (", "→ `HEAD (", "### 已完成整改（Rectified） · 1"}, nil},
		{"json", []string{"diff", "--from", "HEAD~1", "--to", "HEAD", "--format", "json"}, 0, []string{`"opened": [`}, nil},
		{"no --from", []string{"diff"}, 2, nil, []string{"diff needs --from REV"}},
		{"bad format", []string{"diff", "--from", "HEAD", "--format", "html"}, 2, nil, []string{"--format must be markdown or json"}},
		{"unknown revision", []string{"diff", "--from", "nope"}, 2, nil, []string{`unknown revision "nope"`}},
		{"stray argument", []string{"diff", "--from", "HEAD", "extra"}, 2, nil, []string{`unexpected argument "extra"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout, stderr)
			}
			for _, w := range tt.stdout {
				if !strings.Contains(stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout)
				}
			}
			for _, w := range tt.stderr {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if strings.Contains(strings.Join(tt.args, " "), "json") {
				var v map[string]any
				if err := json.Unmarshal([]byte(stdout), &v); err != nil {
					t.Errorf("not JSON: %v", err)
				}
			}
		})
	}
}

func TestDiffInvalidSide(t *testing.T) {
	commit := repo(t)
	bad := baseRecords()
	bad["data/qu/rounds/r1.yaml"] = testRoundFile(testProblem("p1", "finished"))
	commit("2024-02-01", bad)
	commit("2024-03-01", baseRecords())
	tests := []struct {
		args   []string
		stderr string
	}{
		{[]string{"diff", "--from", "HEAD~1"}, "the records at HEAD~1 ("},
		{[]string{"diff", "--from", "HEAD", "--to", "HEAD~1"}, `data/qu/rounds/r1.yaml:12:13: "status" must be one of`},
	}
	for _, tt := range tests {
		code, _, stderr := run(tt.args...)
		if code != 1 || !strings.Contains(stderr, tt.stderr) {
			t.Errorf("%v: exit %d, stderr:\n%s", tt.args, code, stderr)
		}
	}
	// The working tree invalid.
	write(t, map[string]string{"data/qu/rounds/r1.yaml": "id: r1\ntitle: [\n"})
	code, _, stderr := run("diff", "--from", "HEAD")
	if code != 1 || !strings.Contains(stderr, "the records in data do not pass check") || !strings.Contains(stderr, "data/qu/rounds/r1.yaml:") {
		t.Errorf("invalid working tree: exit %d, stderr:\n%s", code, stderr)
	}
}
