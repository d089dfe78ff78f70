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

// TestPreviewFollowsEdits drives the preview behind `serve`: a status edit
// shows on the next refresh, a broken edit shows its errors instead of a
// stale site, and fixing it brings the site back.
func TestPreviewFollowsEdits(t *testing.T) {
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
	get := func(path string) (int, string) {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest("GET", "http://localhost:1313"+path, nil))
		return rec.Code, rec.Body.String()
	}
	if code, body := get("/d1/r1/p2/"); code != 200 || !strings.Contains(body, "status-in_progress") || !strings.Contains(body, "/_preview/wait") {
		t.Fatalf("p2 before the edit: %d\n%s", code, clip(body))
	}

	round := filepath.Join(dir, "data", "d1", "rounds", "r1.yaml")
	src := readFile(t, round)
	edited := strings.Replace(src, "    title: 问题二\n    status: in_progress\n",
		"    title: 问题二\n    status: rectified\n    history:\n      - date: 2024-12-01\n        status: rectified\n", 1)
	if edited == src {
		t.Fatal("edit did not apply")
	}
	os.WriteFile(round, []byte(edited), 0o644)
	errs, n, err := p.Refresh(false)
	if err != nil || len(errs) > 0 {
		t.Fatalf("refresh: %v %v", errs, err)
	}
	if n == 0 || n > 5 {
		t.Errorf("%d pages changed, want the problem, its round, district and home", n)
	}
	srv.SetErrors(nil)
	if _, body := get("/d1/r1/p2/"); !strings.Contains(body, "status-rectified") {
		t.Errorf("the edit does not show:\n%s", clip(body))
	}
	if _, body := get("/"); !strings.Contains(body, "100.0%") {
		t.Errorf("home totals did not follow the edit")
	}

	os.WriteFile(round, []byte(strings.Replace(edited, "status: rectified\n    history", "status: rectifed\n    history", 1)), 0o644)
	errs, _, err = p.Refresh(false)
	if err != nil || len(errs) == 0 {
		t.Fatalf("a broken edit refreshed without errors: %v", err)
	}
	var lines []string
	for _, e := range errs {
		lines = append(lines, e.Error())
	}
	srv.SetErrors(lines)
	code, body := get("/d1/r1/p2/")
	if code != 500 || !strings.Contains(body, "data/d1/rounds/r1.yaml:") || !strings.Contains(body, "rectifed") {
		t.Errorf("the error page does not show FILE:LINE:COL errors: %d\n%s", code, clip(body))
	}
}
