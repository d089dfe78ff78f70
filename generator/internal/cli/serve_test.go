package cli

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// atServing is the terminal of a serve command that runs then (when set),
// inside the write of the line saying where it serves: before serve can
// do anything more. Without then it is a buffer safe to read while serve
// writes (its stderr).
type atServing struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	then func()
	base chan string
}

var servingRE = regexp.MustCompile(`serving public on http://localhost:(\d+)/`)

func (w *atServing) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if m := servingRE.FindSubmatch(p); m != nil && w.then != nil {
		w.then()
		w.then = nil
		w.base <- "http://127.0.0.1:" + string(m[1])
	}
	return len(p), nil
}

func (w *atServing) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// TestServeSeesAnEditAtOnce: a record saved the moment serve says where it
// serves shows in the page. serve used to start watching the files only
// after saying so, and never saw an edit saved in between (TestServe
// failed now and then on a busy machine when its edit came that early).
func TestServeSeesAnEditAtOnce(t *testing.T) {
	templates, err := filepath.Abs(filepath.Join("..", "..", "..", "templates"))
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	write(t, map[string]string{
		"data/site.yaml":         ledgerSite,
		"data/qu/district.yaml":  "id: qu\nname: 某区\n",
		"data/qu/rounds/r1.yaml": ledgerRound,
	})
	edited := strings.Replace(ledgerRound, "status: pending   # 未整改", "status: rectified", 1)
	stdout := &atServing{base: make(chan string, 1), then: func() {
		if err := os.WriteFile(filepath.Join("data", "qu", "rounds", "r1.yaml"), []byte(edited), 0o644); err != nil {
			t.Error(err)
		}
	}}
	var stderr atServing
	code := make(chan int, 1)
	go func() {
		code <- Main([]string{"serve", "--port", "0", "--templates", templates}, Env{Stdout: stdout, Stderr: &stderr})
	}()
	var base string
	select {
	case base = <-stdout.base:
	case c := <-code:
		t.Fatalf("serve ended with %d before serving: %s", c, stderr.String())
	}
	defer func() {
		syscall.Kill(os.Getpid(), syscall.SIGINT) // serve catches it: it ends and returns 0
		if c := <-code; c != 0 {
			t.Errorf("serve after Ctrl+C: exit %d: %s", c, stderr.String())
		}
	}()
	var body string
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get(base + "/qu/r1/p001/")
		if err != nil {
			continue
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if body = string(b); resp.StatusCode == 200 && strings.Contains(body, "status-rectified") {
			return
		}
	}
	t.Errorf("the edit saved as serve said where it serves never showed; stderr:\n%s", stderr.String())
}
