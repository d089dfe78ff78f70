package sitetest

import (
	"encoding/json"
	"html"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/model"
)

// TestSearchLabels: a search result's status and kind of page are named in
// the reader's language: the index rows carry record text and a label key,
// and each language's search page names every key the rows use and every
// status there is. (The rows once carried the Chinese status, so English
// results read "云安区 · … · 已完成整改".)
func TestSearchLabels(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	if r := buildSample(t, out); r.code != 0 {
		t.Fatalf("build: exit %d\n%s", r.code, r.stderr)
	}
	used := map[string]bool{}
	for _, files := range globT(t, filepath.Join(out, "search", "docs", "*.json")) {
		var rs [][]any
		if err := json.Unmarshal([]byte(readFile(t, files)), &rs); err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if meta, _ := r[2].(string); strings.Contains(meta, "已完成整改") || strings.Contains(meta, "被巡察单位") || strings.Contains(meta, "共性问题") {
				t.Errorf("row %v: meta carries a label in Chinese", r)
			}
			if len(r) > 5 {
				used[r[5].(string)] = true
			}
		}
	}
	for _, want := range []string{"status_rectified", "target", "common_problem"} {
		if !used[want] {
			t.Errorf("no row has the label %q (labels used: %v)", want, used)
		}
	}
	dataText := regexp.MustCompile(`data-text="([^"]*)"`)
	for _, page := range []struct{ file, rectified string }{
		{filepath.Join(out, "search", "index.html"), "已完成整改"},
		{filepath.Join(out, "en", "search", "index.html"), "Rectified"},
	} {
		m := dataText.FindStringSubmatch(readFile(t, page.file))
		if m == nil {
			t.Fatalf("%s: no data-text", page.file)
		}
		var text struct{ Labels map[string]string }
		if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &text); err != nil {
			t.Fatal(err)
		}
		for key := range used {
			if text.Labels[key] == "" {
				t.Errorf("%s names no label %q", page.file, key)
			}
		}
		for _, s := range model.Statuses {
			if text.Labels["status_"+string(s)] == "" {
				t.Errorf("%s names no label for the status %s", page.file, s)
			}
		}
		if got := text.Labels["status_rectified"]; got != page.rectified {
			t.Errorf("%s: status_rectified is %q, want %q", page.file, got, page.rectified)
		}
	}
}

func globT(t *testing.T, pattern string) []string {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		t.Fatalf("%s: %v (%d files)", pattern, err, len(files))
	}
	return files
}
