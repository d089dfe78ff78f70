package editform

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const round = `# 第一轮
id: r1
title: 第一轮巡察
feedback: 2024-09-27
targets:
  - id: t1
    name: 区教育局党组
problems:
  - id: p001
    target: t1
    title: 问题一
    status: pending   # 未整改
    measures:
      - text: 措施一
`

// project writes a data folder in a git repository and a preview folder
// with the problem's page, and returns the edit server and the repository.
func project(t *testing.T) (*Server, string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	files := map[string]string{
		"data/site.yaml":             "title: t\nas_of: 2024-12-31\n",
		"data/qu/district.yaml":      "id: qu\nname: 某区\n",
		"data/qu/rounds/r1.yaml":     round,
		"site/qu/r1/p001/index.html": "<!DOCTYPE html><html><body><main><h1>问题一</h1></main></body></html>",
		"site/qu/r1/index.html":      "<!DOCTYPE html><html><body><main><h1>第一轮</h1></main></body></html>",
	}
	for p, c := range files {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755)
		os.WriteFile(filepath.Join(dir, p), []byte(c), 0o644)
	}
	os.WriteFile(filepath.Join(dir, ".gitignore"), []byte("site/\n"), 0o644)
	env := slices.DeleteFunc(os.Environ(), func(s string) bool { return strings.HasPrefix(s, "GIT_") })
	env = append(env, "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"config", "user.name", "文员"}, {"config", "user.email", "c@example.org"}, {"add", "-A"}, {"commit", "-q", "-m", "records"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir, cmd.Env = dir, env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v %s", args, err, out)
		}
	}
	t.Setenv("GIT_CONFIG_GLOBAL", "/dev/null")
	s, err := New(filepath.Join(dir, "data"), filepath.Join(dir, "site"))
	if err != nil {
		t.Fatal(err)
	}
	return s, dir
}

func post(s *Server, path string, form url.Values, mod func(*http.Request)) *httptest.ResponseRecorder {
	r := httptest.NewRequest("POST", "http://localhost:1313"+path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.RemoteAddr = "127.0.0.1:5555"
	if mod != nil {
		mod(r)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

func statusForm(s *Server, date string) url.Values {
	return url.Values{"csrf": {s.token}, "action": {"status"}, "round": {"qu/r1"}, "problem": {"p001"},
		"back": {"/qu/r1/p001/"}, "status": {"in_progress"}, "date": {date}, "note": {"已制定方案"}}
}

// TestRefused: only same-origin loopback requests with the token are heard.
func TestRefused(t *testing.T) {
	s, dir := project(t)
	for name, mod := range map[string]func(*http.Request){
		"no token":        func(r *http.Request) { r.Body = http.NoBody; r.ContentLength = 0 },
		"another host":    func(r *http.Request) { r.Host = "evil.example:1313" },
		"cross-site":      func(r *http.Request) { r.Header.Set("Sec-Fetch-Site", "cross-site") },
		"another origin":  func(r *http.Request) { r.Header.Set("Origin", "http://evil.example") },
		"not on loopback": func(r *http.Request) { r.RemoteAddr = "192.0.2.7:5555" },
	} {
		w := post(s, "/_edit/save", statusForm(s, "2024-10-16"), mod)
		if w.Code != http.StatusForbidden {
			t.Errorf("%s: %d", name, w.Code)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "data/qu/rounds/r1.yaml")); string(b) != round {
		t.Error("a refused request wrote the file")
	}
}

// TestSaveAndCommit: a bad date is shown beside its field and nothing is
// written; a good one is written like an import; 提交 refuses unrelated
// changes, then commits.
func TestSaveAndCommit(t *testing.T) {
	s, dir := project(t)
	file := filepath.Join(dir, "data/qu/rounds/r1.yaml")
	w := post(s, "/_edit/save", statusForm(s, "2024-13-45"), nil)
	body := w.Body.String()
	re := regexp.MustCompile(`<div id="status-date-err" role="alert"><p class="err">日期有误（未保存）：[^<]*/data/qu/rounds/r1\.yaml:\d+:\d+: [^<]*2024-13-45[^<]*</p></div>`)
	if w.Code != http.StatusUnprocessableEntity || !re.MatchString(body) || !strings.Contains(body, `aria-describedby="status-date-err" autofocus`) || !strings.Contains(body, `value="2024-13-45"`) {
		t.Errorf("bad date: %d\n%s", w.Code, body)
	}
	if b, _ := os.ReadFile(file); string(b) != round {
		t.Error("a bad date wrote the file")
	}
	w = post(s, "/_edit/save", statusForm(s, "2024-10-16"), nil)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/qu/r1/p001/" {
		t.Fatalf("save: %d %s", w.Code, w.Body)
	}
	want := strings.Replace(round, "status: pending   # 未整改", "status: in_progress   # 未整改", 1) +
		"    history:\n      - date: 2024-10-16\n        status: in_progress\n        note: 已制定方案\n"
	if b, _ := os.ReadFile(file); string(b) != want {
		t.Errorf("file:\n%s", b)
	}
	page := s.Inject("/qu/r1/p001/", "<html><body><main>x</main></body></html>")
	if !strings.Contains(page, "已保存：qu/r1/p001 状态 未整改 → 整改中（2024-10-16）") || !strings.Contains(page, `<label for="status-date">`) {
		t.Errorf("page after save:\n%s", page)
	}
	// 提交 with an unrelated change in the working tree: refused.
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644)
	w = post(s, "/_edit/commit", url.Values{"csrf": {s.token}, "back": {"/qu/r1/p001/"}}, nil)
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "工作区还有不是本次网页编辑所做的改动，未提交：notes.txt") {
		t.Errorf("commit with unrelated changes: %d\n%s", w.Code, w.Body)
	}
	os.Remove(filepath.Join(dir, "notes.txt"))
	w = post(s, "/_edit/commit", url.Values{"csrf": {s.token}, "back": {"/qu/r1/p001/"}}, nil)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("commit: %d %s", w.Code, w.Body)
	}
	out, _ := exec.Command("git", "-C", dir, "log", "-1", "--format=%an|%s|%b").Output()
	if got := string(out); !strings.HasPrefix(got, "文员|网页编辑：1 处整改情况更新|- qu/r1/p001 状态 未整改 → 整改中（2024-10-16）") {
		t.Errorf("commit: %q", got)
	}
}

// TestNewProblem: the round page's form adds a problem with the next id.
func TestNewProblem(t *testing.T) {
	s, dir := project(t)
	form := url.Values{"csrf": {s.token}, "action": {"problem"}, "round": {"qu/r1"}, "back": {"/qu/r1/"},
		"target": {"t1"}, "title": {"新问题: 带冒号"}, "status": {"pending"}}
	if w := post(s, "/_edit/save", form, nil); w.Code != http.StatusSeeOther {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "data/qu/rounds/r1.yaml"))
	if !strings.HasSuffix(string(b), "  - id: p002\n    target: t1\n    title: '新问题: 带冒号'\n    status: pending\n") {
		t.Errorf("file:\n%s", b)
	}
}
