package pipeline

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestPreviewKeepsRecordsOfUnchangedFiles: the preview keeps the records
// decoded from files that did not change, and after every edit, one after
// another, its records are exactly what a fresh check gives and its pages
// show the edit. The edits include ones that change a kept round through
// another file: a unit of units.yaml made public (its targets and their
// problems are internal only while it is), and the district renamed.
func TestPreviewKeepsRecordsOfUnchangedFiles(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(data, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const (
		units = `- {id: secret, name: 某保密单位, type: department, visibility: %s}
- {id: water, name: 区水利局, type: department}
`
		round = `id: r
number: 1
title: 第一轮巡察
started: 2024-03-01
feedback: 2024-06-01
targets:
  - {id: t, unit: secret}
  - {id: w, unit: water}
problems:
  - {id: p, target: t, title: 保密单位的问题, status: pending}
  - {id: q, target: w, title: 水利局的问题, status: %s}
`
	)
	write("site.yaml", "title: T\nbase_url: https://example.org/\nas_of: 2024-12-31\n")
	write("d/district.yaml", "id: d\nname: 甲区\n")
	write("d/units.yaml", strings.Replace(units, "%s", "internal", 1))
	write("d/rounds/r.yaml", strings.Replace(round, "%s", "pending", 1))
	write("d/rounds/s.yaml", "id: s\nnumber: 2\ntitle: 第二轮巡察\nstarted: 2024-07-01\ntargets:\n  - {id: w, unit: water}\nproblems:\n  - {id: a, target: w, title: 另一个问题, status: in_progress}\n")
	write("d/common/c.yaml", "id: c\ntitle: 共性问题\nunits: [{id: u, name: 某单位, status: pending}]\n")

	cfg := Config{Data: data, Templates: filepath.Join(root, "templates"), Content: filepath.Join(root, "content")}
	p, err := NewPreview(cfg, "http://localhost:1313/", "")
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	page := func(path string) string {
		b, err := os.ReadFile(filepath.Join(p.Dir, filepath.FromSlash(path), "index.html"))
		if err != nil {
			return ""
		}
		return string(b)
	}
	for _, step := range []struct {
		name  string
		edit  func()
		check func() string // what the preview's pages must show; "" when they do
	}{
		{"as written", func() {}, func() string {
			if page("d/r/p") != "" {
				return "the problem of an internal unit has a public page"
			}
			return ""
		}},
		{"nothing changed", func() {}, func() string { return "" }},
		{"a status edit", func() { write("d/rounds/r.yaml", strings.Replace(round, "%s", "closed", 1)) }, func() string {
			if !strings.Contains(page("d/r/q"), "status-closed") {
				return "problem q does not show its new status"
			}
			return ""
		}},
		{"the unit made public (units.yaml only)", func() { write("d/units.yaml", strings.Replace(units, "%s", "public", 1)) }, func() string {
			if !strings.Contains(page("d/r/p"), "保密单位的问题") {
				return "the problem of a unit made public has no page"
			}
			return ""
		}},
		{"the district renamed", func() { write("d/district.yaml", "id: d\nname: 乙区\n") }, func() string {
			if !strings.Contains(page("d/s/a"), "乙区") {
				return "a problem page of an unchanged round does not show the district's new name"
			}
			return ""
		}},
		{"the unit internal again", func() { write("d/units.yaml", strings.Replace(units, "%s", "internal", 1)) }, func() string {
			if page("d/r/p") != "" {
				return "the problem of a unit made internal again keeps its public page"
			}
			return ""
		}},
		{"a broken round", func() { write("d/rounds/r.yaml", "id: r\ntitle: [\n") }, nil},
		{"the round mended", func() { write("d/rounds/r.yaml", strings.Replace(round, "%s", "in_progress", 1)) }, func() string {
			if !strings.Contains(page("d/r/q"), "status-in_progress") {
				return "problem q does not show its status after the round was mended"
			}
			return ""
		}},
	} {
		step.edit()
		errs, _, err := p.Refresh(false)
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if step.check == nil {
			if len(errs) == 0 {
				t.Fatalf("%s: no diagnostics", step.name)
			}
			continue
		}
		if len(errs) > 0 {
			t.Fatalf("%s: %v", step.name, errs)
		}
		if msg := step.check(); msg != "" {
			t.Errorf("%s: %s", step.name, msg)
		}
		// What the preview's next check sees (its cache after this refresh)
		// is what a check without any cache sees.
		got, gotErrs := Check(p.cfg)
		want, wantErrs := Check(cfg)
		if !reflect.DeepEqual(gotErrs, wantErrs) {
			t.Fatalf("%s: diagnostics with the preview's cache %v, without %v", step.name, gotErrs, wantErrs)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the records the preview kept differ from a fresh check's", step.name)
		}
	}
}
