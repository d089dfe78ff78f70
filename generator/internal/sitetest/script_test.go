package sitetest

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/txtar"
)

// TestScriptRejectsMistakes: a want script with a mistake in it fails
// before anything runs, instead of passing by asserting nothing.
func TestScriptRejectsMistakes(t *testing.T) {
	for _, line := range []string{
		"file public/index.html contain 一区", // the typo that once passed
		"file public/index.html includes 一区",
		"file public/index.html contains",
		"file",
		"stdout contain d1",
		"stderr has FILE:1:1: x",
		"stderr contains",
		"tree public has SECRET",
		"exit one",
		"exit",
		"!file",
		"!file a b",
		"modes public 755",
		"modes public 0755 rw",
		"cp data/a.yaml",
		"mkdir",
		"git",
		"frobnicate public",
		"> ",
	} {
		script := "> build\n" + line + "\n"
		if _, err := parseScript(script); err == nil {
			t.Errorf("script accepted:\n%s", script)
		} else if !strings.Contains(err.Error(), "want:2: ") {
			t.Errorf("error does not name the line, want:2:\n%v", err)
		}
	}
	if _, err := parseScript("exit 0\n> build\n"); err == nil {
		t.Error("an exit before any command was accepted")
	}
	_, err := parseScript("> build\nexit x\nfile a contain b\n")
	if err == nil || !strings.Contains(err.Error(), "want:2: ") || !strings.Contains(err.Error(), "want:3: ") {
		t.Errorf("want every mistake reported at once, got:\n%v", err)
	}
	if _, err := parseScript("> build\nexit 0\nstderr line\nfile public/index.html\nfile p !contains x y\n"); err != nil {
		t.Errorf("good script refused: %v", err)
	}
}

// recorder is a testing.TB that records failures instead of failing the
// test it wraps; Fatal ends the goroutine running the script.
type recorder struct {
	testing.TB
	mu     sync.Mutex
	failed []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failed = append(r.failed, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}

func (r *recorder) Fatal(args ...any) {
	r.Errorf("%s", fmt.Sprint(args...))
	runtime.Goexit()
}

// TestScriptAssertionsCanFail runs, on a real build of the minimal site,
// assertions that are each false: every one must be reported.
func TestScriptAssertionsCanFail(t *testing.T) {
	ar, err := txtar.ParseFile(filepath.Join("testdata", "sites", "minimal.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	wrong := []string{
		"exit 1",
		"stdout contains 不会出现的文字",
		"stdout !contains built",
		"stderr line built the public edition",
		"file public/index.html contains 不会出现的文字",
		"file public/index.html !contains 一区",
		"file public/nowhere.html",
		"!file public/index.html",
		"tree public !contains 一区",
		"modes public 0700 0600",
	}
	var script strings.Builder
	script.WriteString("> build\n")
	for _, w := range wrong {
		script.WriteString(w + "\n")
	}
	for i, f := range ar.Files {
		if f.Name == "want" {
			ar.Files[i].Data = []byte(script.String())
		}
	}
	rec := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		runScript(rec, ar)
	}()
	<-done
	for i, w := range wrong {
		where := fmt.Sprintf("want:%d: %s", i+2, w)
		found := false
		for _, f := range rec.failed {
			found = found || strings.HasPrefix(f, where)
		}
		if !found {
			t.Errorf("false assertion passed: %s\nreported:\n%s", where, strings.Join(rec.failed, "\n"))
		}
	}
}
