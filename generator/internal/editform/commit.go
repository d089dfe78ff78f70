package editform

import (
	"bytes"
	"fmt"
	"net/http"
	"os/exec"
	"sort"
	"strings"

	"github.com/xuncha/bulletin/generator/internal/realpath"
)

// git runs git in dir and returns its output.
func git(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	return out.String(), nil
}

// commit commits the files this session wrote, with a message listing the
// changes, the author from git's configuration. It refuses when the working
// tree has changes the session did not make: they would be mixed in, or
// left behind without the clerk knowing.
func (s *Server) commit(w http.ResponseWriter, r *http.Request) {
	state := &formState{Action: "commit", Fields: map[string]*field{}}
	fail := func(msg string) {
		state.Errors = append(state.Errors, msg)
		s.showErrors(w, r, state)
	}
	out, err := git(s.data, "rev-parse", "--show-toplevel")
	if err != nil {
		fail("数据文件夹不在 git 仓库中，无法提交：" + err.Error())
		return
	}
	top := strings.TrimSpace(out)
	s.mu.Lock()
	mine := map[string]bool{}
	for f := range s.written {
		if rel, ok := realpath.Rel(top, f); ok {
			mine[rel] = true
		}
	}
	pending := append([]string(nil), s.pending...)
	s.mu.Unlock()
	status, err := git(top, "status", "--porcelain", "-z", "--untracked-files=all")
	if err != nil {
		fail(err.Error())
		return
	}
	var changed, unrelated []string
	entries := strings.Split(status, "\x00")
	for i := 0; i < len(entries); i++ {
		e := entries[i]
		if len(e) < 4 {
			continue
		}
		p := e[3:]
		if e[0] == 'R' || e[0] == 'C' {
			i++ // the rename's source follows
		}
		if xy := e[:2]; mine[p] && (xy == " M" || xy == "M " || xy == "MM") {
			changed = append(changed, p)
		} else {
			unrelated = append(unrelated, p)
		}
	}
	sort.Strings(unrelated)
	switch {
	case len(unrelated) > 0:
		fail("工作区还有不是本次网页编辑所做的改动，未提交：" + strings.Join(unrelated, "、") + "。请先在终端中提交或撤销它们（git status 查看）。")
		return
	case len(changed) == 0:
		fail("没有需要提交的改动。")
		return
	}
	msg := fmt.Sprintf("网页编辑：%d 处整改情况更新\n\n", len(pending))
	for _, p := range pending {
		msg += "- " + p + "\n"
	}
	args := append([]string{"commit", "-q", "-m", msg, "--"}, changed...)
	if _, err := git(top, args...); err != nil {
		fail("git commit 失败：" + err.Error())
		return
	}
	hash, _ := git(top, "rev-parse", "--short", "HEAD")
	s.mu.Lock()
	s.written = map[string]bool{}
	s.pending = nil
	s.flash = fmt.Sprintf("已提交 %s：%d 处更新", strings.TrimSpace(hash), len(pending))
	s.mu.Unlock()
	http.Redirect(w, r, back(r), http.StatusSeeOther)
}
