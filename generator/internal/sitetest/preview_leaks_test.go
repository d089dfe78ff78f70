package sitetest

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/xuncha/bulletin/generator/internal/pipeline"
	"github.com/xuncha/bulletin/generator/internal/preview"
)

// TestPreviewGuardsInternalMatter (issue #11 item 5): the preview behind
// `serve` answers only requests that name this machine by a loopback name
// (a page elsewhere can point its own host name at 127.0.0.1 — DNS
// rebinding — and read the internal edition), and a problem made internal
// while it runs loses its page at once instead of keeping it until restart.
func TestPreviewGuardsInternalMatter(t *testing.T) {
	ar, err := txtar.ParseFile(filepath.Join("testdata", "sites", "minimal.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := project(t, ar)
	old, _ := os.Getwd()
	os.Chdir(dir)
	defer os.Chdir(old)

	p, err := pipeline.NewPreview(pipeline.Config{}, "http://localhost:1313/", "")
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if errs, _, err := p.Refresh(true); err != nil || len(errs) > 0 {
		t.Fatalf("first build: %v %v", errs, err)
	}
	srv := preview.NewServer(p.Dir, 1313)
	get := func(host, path string) (int, string) {
		req := httptest.NewRequest("GET", path, nil)
		req.Host = host
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}

	for _, host := range []string{"localhost:1313", "127.0.0.1:1313", "[::1]:1313", "LOCALHOST:1313", "localhost"} {
		if code, body := get(host, "/d1/r1/p2/"); code != 200 || !strings.Contains(body, "问题二") {
			t.Errorf("Host %s: %d, want the page", host, code)
		}
	}
	for _, host := range []string{"evil.example:1313", "evil.example", "127.0.0.1.nip.io:1313", "localhost.evil.example", "", "10.0.0.1:1313"} {
		for _, path := range []string{"/d1/r1/p2/", "/data/problems.csv", "/_preview/wait"} {
			code, body := get(host, path)
			if code != 421 && code != 403 {
				t.Errorf("Host %q %s: %d, want 421 or 403", host, path, code)
			}
			if strings.Contains(body, "问题二") {
				t.Errorf("Host %q %s: the page was served", host, path)
			}
		}
	}

	// p2 becomes internal while the preview runs.
	round := filepath.Join(dir, "data", "d1", "rounds", "r1.yaml")
	src := readFile(t, round)
	edited := strings.Replace(src, "    title: 问题二\n    status: in_progress\n",
		"    title: 问题二\n    status: in_progress\n    visibility: internal\n", 1)
	if edited == src {
		t.Fatal("edit did not apply")
	}
	os.WriteFile(round, []byte(edited), 0o644)
	if errs, _, err := p.Refresh(false); err != nil || len(errs) > 0 {
		t.Fatalf("refresh: %v %v", errs, err)
	}
	if code, body := get("localhost:1313", "/d1/r1/p2/"); code != 404 || strings.Contains(body, "问题二") {
		t.Errorf("the page of a problem made internal is still served: %d\n%s", code, clip(body))
	}
	if _, err := os.Stat(filepath.Join(p.Dir, "d1", "r1", "p2")); !os.IsNotExist(err) {
		t.Errorf("the folder of the page that went is still there: %v", err)
	}
	if code, _ := get("localhost:1313", "/d1/r1/p1/"); code != 200 {
		t.Errorf("p1 went too: %d", code)
	}
	_, round1 := get("localhost:1313", "/d1/r1/")
	if strings.Contains(round1, "问题二") {
		t.Errorf("the round page still names the internal problem")
	}
	walkFiles(t, p.Dir, func(rel string, data []byte) {
		if strings.Contains(string(data), "问题二") {
			t.Errorf("%s still carries the internal problem's title", rel)
		}
	})
}
