package sitetest

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/tools/txtar"
)

var (
	genOnce sync.Once
	genPath string
	genErr  error
	genOut  []byte
)

// generatorBinary builds the generator's command once per test run (in a
// folder TestMain removes) and returns its path.
func generatorBinary(t testing.TB) string {
	t.Helper()
	genOnce.Do(func() {
		var dir string
		if dir, genErr = os.MkdirTemp("", "bulletin-bin-"); genErr != nil {
			return
		}
		binDirs = append(binDirs, dir)
		genPath = filepath.Join(dir, "generator")
		cmd := exec.Command("go", "build", "-o", genPath, "./generator")
		cmd.Dir = root(t)
		genOut, genErr = cmd.CombinedOutput()
	})
	if genErr != nil {
		t.Fatalf("go build: %v\n%s", genErr, genOut)
	}
	return genPath
}

// syncBuffer is a bytes.Buffer safe for a process to write while the test
// reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestServe runs the real `serve` command on a free loopback port, as a
// member of staff would, and follows the page in a client: an edited record
// shows, a broken record shows its FILE:LINE:COL errors instead of the site,
// fixing it brings the site back; a template edit shows, a broken template
// names its file; Ctrl+C stops it cleanly.
func TestServe(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the generator binary")
	}
	ar, err := txtar.ParseFile(filepath.Join("testdata", "sites", "minimal.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := project(t, ar)
	cmd := exec.Command(generatorBinary(t), "serve", "--port", "0")
	cmd.Dir = dir
	var stderr syncBuffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	defer func() {
		if !stopped {
			cmd.Process.Kill()
			cmd.Wait()
		}
	}()
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()

	// The command says where it serves.
	var base string
	servingRE := regexp.MustCompile(`^serving public on http://localhost:(\d+)/`)
	deadline := time.After(3 * time.Minute)
	for base == "" {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("serve ended before serving; stderr:\n%s", stderr.String())
			}
			if m := servingRE.FindStringSubmatch(l); m != nil {
				base = "http://127.0.0.1:" + m[1]
			}
		case <-deadline:
			t.Fatalf("serve did not start; stderr:\n%s", stderr.String())
		}
	}
	go func() { // keep reading, so the command never blocks on its output
		for range lines {
		}
	}()

	get := func(path string) (int, string) {
		resp, err := http.Get(base + path)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	// until polls path until ok holds for what it serves.
	until := func(what, path string, ok func(code int, body string) bool) {
		t.Helper()
		end := time.Now().Add(90 * time.Second)
		var code int
		var body string
		for time.Now().Before(end) {
			if code, body = get(path); ok(code, body) {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatalf("%s: %s never did; last answer %d:\n%s\nstderr:\n%s", path, what, code, clip(body), stderr.String())
	}
	write := func(rel, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(rel)), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	until("show the problem in progress with the reload script", "/d1/r1/p2/", func(code int, body string) bool {
		return code == 200 && strings.Contains(body, "status-in_progress") && strings.Contains(body, "/_preview/wait")
	})

	// Edit a record: the page and the home page's totals follow.
	round := "data/d1/rounds/r1.yaml"
	src := readFile(t, filepath.Join(dir, round))
	edited := strings.Replace(src, "    title: 问题二\n    status: in_progress\n",
		"    title: 问题二\n    status: rectified\n    history:\n      - date: 2024-12-01\n        status: rectified\n", 1)
	if edited == src {
		t.Fatal("edit did not apply")
	}
	write(round, edited)
	until("show the edited status", "/d1/r1/p2/", func(code int, body string) bool {
		return code == 200 && strings.Contains(body, "status-rectified")
	})
	until("show the new rate on the home page", "/", func(code int, body string) bool {
		return code == 200 && strings.Contains(body, "100.0%")
	})

	// Break it: every page is the error page, naming the file, line and column.
	broken := strings.Replace(edited, "status: rectified\n    history", "status: rectifed\n    history", 1)
	write(round, broken)
	errRE := regexp.MustCompile(`data/d1/rounds/r1\.yaml:\d+:\d+: [^<]*rectifed`)
	until("show the error page", "/d1/r1/p2/", func(code int, body string) bool {
		return code == 500 && errRE.MatchString(body)
	})
	if code, body := get("/"); code != 500 || !errRE.MatchString(body) {
		t.Errorf("home page while the records are broken: %d\n%s", code, clip(body))
	}
	if !errRE.MatchString(stderr.String()) {
		t.Errorf("the terminal does not show the error:\n%s", stderr.String())
	}

	// Fix it: the site comes back, with the fix.
	write(round, edited)
	until("come back after the fix", "/d1/r1/p2/", func(code int, body string) bool {
		return code == 200 && strings.Contains(body, "status-rectified")
	})

	// A template edit shows; a broken template names its file; fixing it
	// brings the site back.
	layout := "templates/layouts/problem/page.html"
	orig := readFile(t, filepath.Join(dir, layout))
	article := `<article class="problem-page">`
	marked := strings.Replace(orig, article, article+`<p id="serve-test">marker</p>`, 1)
	markedLine := fmt.Sprintf("templates/layouts/problem/page.html:%d:", 1+strings.Count(orig[:max(strings.Index(orig, article), 0)], "\n"))
	if marked == orig {
		t.Fatal("template edit did not apply")
	}
	write(layout, marked)
	until("show the template edit", "/d1/r1/p2/", func(code int, body string) bool {
		return code == 200 && strings.Contains(body, `<p id="serve-test">marker</p>`)
	})
	write(layout, strings.Replace(marked, `<p id="serve-test">`, `{{ .x ( }}<p id="serve-test">`, 1))
	until("name the broken template", "/d1/r1/p2/", func(code int, body string) bool {
		return code == 500 && strings.Contains(body, markedLine)
	})
	write(layout, orig)
	until("come back after the template fix", "/d1/r1/p2/", func(code int, body string) bool {
		return code == 200 && strings.Contains(body, "status-rectified") && !strings.Contains(body, "serve-test")
	})

	// Ctrl+C: the command ends with 0 and removes its temporary folder.
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		stopped = true
		if err != nil {
			t.Errorf("serve after Ctrl+C: %v\nstderr:\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop on Ctrl+C")
	}
	if _, err := http.Get(base + "/"); err == nil {
		t.Error("still serving after Ctrl+C")
	}
}
