package load_test

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/diag"
	"github.com/xuncha/bulletin/generator/internal/load"
	"github.com/xuncha/bulletin/generator/internal/model"
	"golang.org/x/tools/txtar"
)

// base is a valid site and district that cases add files to (or replace).
const base = `
-- data/site.yaml --
title: 巡察整改公开
-- data/d/district.yaml --
id: d
name: 某区
`

// round is the head of a valid round file data/d/rounds/r.yaml.
const round = "-- data/d/rounds/r.yaml --\nid: r\ntitle: 第一轮\n"

// materialise writes the files of the txtar archive text under dir. Later
// files replace earlier ones of the same name.
func materialise(t *testing.T, dir, text string) {
	t.Helper()
	for _, f := range txtar.Parse([]byte(text)).Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// loadText materialises base and text in a temporary folder, runs setup
// there, and loads "data" from it.
func loadText(t *testing.T, text string, setup func(t *testing.T, root string), opts ...load.Option) (*model.Data, diag.List) {
	t.Helper()
	root := t.TempDir()
	materialise(t, root, base+text)
	if setup != nil {
		setup(t, root)
	}
	t.Chdir(root)
	return load.Load("data", opts...)
}

// checkDiags asserts that every want is a substring of some diagnostic and
// every diagnostic contains some want.
func checkDiags(t *testing.T, got diag.List, want []string) {
	t.Helper()
	lines := make([]string, len(got))
	for i, e := range got {
		lines[i] = e.Error()
	}
	for _, w := range want {
		found := false
		for _, l := range lines {
			if strings.Contains(l, w) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("missing diagnostic %q", w)
		}
	}
	for _, l := range lines {
		matched := false
		for _, w := range want {
			if strings.Contains(l, w) {
				matched = true
				break
			}
		}
		if !matched {
			t.Errorf("unexpected diagnostic %q", l)
		}
	}
	if t.Failed() {
		t.Logf("all diagnostics:\n%s", strings.Join(lines, "\n"))
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symbolic links unavailable: %v", err)
	}
}

type tcase struct {
	name  string
	files string                          // txtar, added to base
	setup func(t *testing.T, root string) // run in the temporary folder before loading
	opts  []load.Option                   //
	want  []string                        // FILE:LINE:COL: message substrings
}

func runCases(t *testing.T, cases []tcase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, got := loadText(t, c.files, c.setup, c.opts...)
			checkDiags(t, got, c.want)
		})
	}
}

func TestLayout(t *testing.T) {
	runCases(t, []tcase{
		{
			name:  "valid minimal",
			files: round,
		},
		{
			name:  "site.yaml missing",
			files: round,
			setup: func(t *testing.T, root string) { os.Remove(filepath.Join(root, "data/site.yaml")) },
			want:  []string{"data/site.yaml:1:1: site.yaml is missing"},
		},
		{
			name:  "district folder without district.yaml",
			files: "-- data/x/rounds/r.yaml --\nid: r\ntitle: T\n",
			want:  []string{`data/x/district.yaml:1:1: district folder "x" has no district.yaml`},
		},
		{
			name:  "round file at data/rounds/x.yaml",
			files: "-- data/rounds/x.yaml --\nid: x\ntitle: T\n",
			want:  []string{"data/rounds/x.yaml:1:1: round file outside a district's rounds/ folder: move it to data/<district>/rounds/"},
		},
		{
			name:  "round file in a subfolder of rounds",
			files: "-- data/d/rounds/2019/x.yaml --\nid: x\ntitle: T\n",
			want:  []string{"data/d/rounds/2019/x.yaml:1:1: round file outside a district's rounds/ folder: move it to data/d/rounds/"},
		},
		{
			name:  "common file at data/common/x.yml",
			files: "-- data/common/x.yml --\nid: x\ntitle: T\n",
			want:  []string{"data/common/x.yml:1:1: common problem file outside a district's common/ folder: move it to data/<district>/common/"},
		},
		{
			name:  "YAML file loose in a district folder",
			files: "-- data/d/r.yaml --\nid: r\ntitle: T\n",
			want:  []string{`data/d/r.yaml:1:1: unexpected YAML file in district "d": a round file goes in data/d/rounds/, a common problem in data/d/common/`},
		},
		{
			name:  "YAML file loose in data",
			files: "-- data/notes.yml --\na: 1\n",
			want:  []string{"data/notes.yml:1:1: unexpected YAML file: a round file goes in data/<district>/rounds/"},
		},
		{
			name:  "site.yml instead of site.yaml",
			files: "-- data/site.yml --\ntitle: T\n",
			want:  []string{"data/site.yml:1:1: the site file must be named exactly site.yaml"},
		},
		{
			name: "non-YAML and hidden files are ignored; .yml rounds are read",
			files: "-- data/README.md --\n# x\n-- data/d/rounds/notes.txt --\nx: [\n" +
				"-- data/.git/config.yaml --\nx: [\n-- data/d/rounds/.draft.yaml --\nx: [\n" +
				"-- data/.hidden/rounds/x.yaml --\nx: [\n-- data/d/rounds/r2.yml --\nid: r2\ntitle: T\n",
		},
		{
			name:  "symlink outside the data folder",
			files: round + "-- outside.yaml --\nid: evil\ntitle: T\n",
			setup: func(t *testing.T, root string) {
				symlink(t, filepath.Join(root, "outside.yaml"), filepath.Join(root, "data/d/rounds/evil.yaml"))
			},
			want: []string{"data/d/rounds/evil.yaml:1:1: symbolic link points outside the data folder"},
		},
		{
			name:  "relative symlink escaping with ..",
			files: round + "-- secret/x.yaml --\nid: x\ntitle: T\n",
			setup: func(t *testing.T, root string) {
				symlink(t, "../../../secret/x.yaml", filepath.Join(root, "data/d/rounds/x.yaml"))
			},
			want: []string{`data/d/rounds/x.yaml:1:1: symbolic link points outside the data folder (to "../../../secret/x.yaml"): not read`},
		},
		{
			name:  "symlinked folder outside the data folder",
			files: round + "-- elsewhere/rounds/x.yaml --\nid: x\ntitle: T\n",
			setup: func(t *testing.T, root string) {
				symlink(t, filepath.Join(root, "elsewhere"), filepath.Join(root, "data/e"))
			},
			want: []string{"data/e:1:1: symbolic link points outside the data folder"},
		},
		{
			name:  "symlink inside the data folder is read",
			files: "-- data/d/r2.txt --\nid: r2\ntitle: T\n",
			setup: func(t *testing.T, root string) {
				os.MkdirAll(filepath.Join(root, "data/d/rounds"), 0o755)
				symlink(t, "../r2.txt", filepath.Join(root, "data/d/rounds/r2.yaml"))
			},
		},
		{
			// Both sides of the containment check are resolved by one rule
			// (realpath): the folder's own link and the target's path.
			name:  "absolute symlink inside a data folder reached through a link",
			files: "-- real/d/r2.txt --\nid: r2\ntitle: T\n-- real/site.yaml --\ntitle: T\nbase_url: https://example.org/\nas_of: 2024-12-31\n-- real/d/district.yaml --\nid: d\nname: D\n",
			setup: func(t *testing.T, root string) {
				os.RemoveAll(filepath.Join(root, "data"))
				os.MkdirAll(filepath.Join(root, "real/d/rounds"), 0o755)
				symlink(t, filepath.Join(root, "real"), filepath.Join(root, "data"))
				symlink(t, filepath.Join(root, "real/d/r2.txt"), filepath.Join(root, "real/d/rounds/r2.yaml"))
			},
		},
		{
			name:  "broken symlink",
			files: round,
			setup: func(t *testing.T, root string) {
				symlink(t, "nowhere.yaml", filepath.Join(root, "data/d/rounds/gone.yaml"))
			},
			want: []string{"data/d/rounds/gone.yaml:1:1: broken symbolic link: not read"},
		},
		{
			name:  "symlinked folder read twice",
			files: round,
			setup: func(t *testing.T, root string) {
				symlink(t, "d", filepath.Join(root, "data/e"))
			},
			want: []string{"data/e:1:1: same folder as data/d (a symbolic link leads to it): read only once"},
		},
		{
			name:  "YAML-named folder",
			files: round + "-- data/d/rounds/x.yaml/y.yaml --\nid: y\ntitle: T\n",
			want:  []string{"data/d/rounds/x.yaml/y.yaml:1:1: round file outside a district's rounds/ folder: move it to data/d/rounds/"},
		},
		{
			name:  "folders nested too deep",
			files: "-- data/d/" + strings.Repeat("x/", 20) + "r.yaml --\nid: r\n",
			want:  []string{"data/d/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x/x:1:1: folder nested more than 16 levels deep: not read"},
		},
		{
			name:  "symlinked folder loop",
			files: round,
			setup: func(t *testing.T, root string) {
				symlink(t, "..", filepath.Join(root, "data/d/rounds/loop"))
				symlink(t, ".", filepath.Join(root, "data/d/self"))
			},
			want: []string{
				"data/d/rounds/loop:1:1: symbolic link loop",
				"data/d/self:1:1: symbolic link loop",
			},
		},
	})
}

// TestHostile feeds files built to exhaust a naive loader. Each is refused
// by design before the expensive step: the billion laughs (9^30 values if
// expanded) before any alias is looked at, 100k-deep nesting by the depth
// limits, a million tiny values by counting before parsing (parsing them
// takes seconds and gigabytes), oversize files from their size on disk.
// There are no timed assertions; the whole test runs in well under a second.
func TestHostile(t *testing.T) {
	laughs := "id: r\ntitle: T\nlol: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
	prev := "a"
	for i := 0; i < 30; i++ {
		name := string(rune('b'+i%25)) + strings.Repeat("x", i/25)
		laughs += "l" + name + ": &" + name + " [" + strings.TrimSuffix(strings.Repeat("*"+prev+",", 9), ",") + "]\n"
		prev = name
	}
	runCases(t, []tcase{
		{
			name:  "billion laughs",
			files: "-- data/d/rounds/r.yaml --\n" + laughs,
			want: []string{
				"data/d/rounds/r.yaml:3:6: anchors and aliases are not allowed",
				"data/d/rounds/r.yaml:4:5: anchors and aliases are not allowed",
				"data/d/rounds/r.yaml:4:9: anchors and aliases are not allowed",
				"anchors and aliases are not allowed",
				"too many errors in this file",
			},
		},
		{
			name:  "alias of a scalar",
			files: round + "note: &n 说明\nsummary: {found: 1, rectified: *n}\n",
			want: []string{
				"data/d/rounds/r.yaml:3:7: anchors and aliases are not allowed",
				"data/d/rounds/r.yaml:4:32: anchors and aliases are not allowed",
			},
		},
		{
			name:  "100k-deep flow lists",
			files: round + "note: " + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + "\n",
			want:  []string{"data/d/rounds/r.yaml:3:70: nesting is deeper than 64 levels"},
		},
		{
			name:  "100k-deep flow mappings",
			files: "-- data/d/rounds/r.yaml --\n" + strings.Repeat("{a: ", 100_000) + "1" + strings.Repeat("}", 100_000) + "\n",
			want:  []string{"data/d/rounds/r.yaml:1:253: nesting is deeper than 64 levels"},
		},
		{
			name:  "100k-deep block lists",
			files: round + "note:\n" + strings.Repeat("- ", 100_000) + "x\n",
			want:  []string{"data/d/rounds/r.yaml:4:127: nesting is deeper than 64 levels"},
		},
		{
			name:  "100-deep nesting below the parser's own limit",
			files: round + "note: " + strings.Repeat("[", 100) + strings.Repeat("]", 100) + "\n",
			want:  []string{"data/d/rounds/r.yaml:3:70: nesting is deeper than 64 levels"},
		},
		{
			name:  "millions of tiny values",
			files: round + "note:\n" + strings.Repeat("- a\n", 1<<20),
			want:  []string{"data/d/rounds/r.yaml:100001:1: file has more than 200000 lines, list items and keys: split it"},
		},
		{
			name:  "oversize file",
			files: round + "note: " + strings.Repeat("长", 2000) + "\n",
			opts:  []load.Option{load.WithMaxFileSize(4096)},
			want:  []string{"data/d/rounds/r.yaml:1:1: file is larger than 4 KiB (6030 bytes): split it"},
		},
		{
			name:  "oversize file at the default limit",
			files: round,
			setup: func(t *testing.T, root string) {
				// Sparse: the size is refused from Stat, before any read.
				if err := os.Truncate(filepath.Join(root, "data/d/rounds/r.yaml"), load.MaxFileSize+1); err != nil {
					t.Fatal(err)
				}
			},
			want: []string{"data/d/rounds/r.yaml:1:1: file is larger than 16 MiB (16777217 bytes): split it"},
		},
		{
			name:  "empty file",
			files: "-- data/d/rounds/r.yaml --\n",
			want:  []string{"data/d/rounds/r.yaml:1:1: file is empty"},
		},
		{
			name:  "blank file",
			files: "-- data/d/rounds/r.yaml --\n  \n\n\t\n",
			want:  []string{"data/d/rounds/r.yaml:1:1: file is empty"},
		},
		{
			name:  "comments only",
			files: "-- data/d/rounds/r.yaml --\n# 第一轮\n# 待填写\n",
			want:  []string{"data/d/rounds/r.yaml:1:1: file is empty"},
		},
		{
			name:  "document marker only",
			files: "-- data/d/rounds/r.yaml --\n---\n",
			want:  []string{"data/d/rounds/r.yaml:1:1: file is empty"},
		},
		{
			name:  "byte-order mark",
			files: "-- data/d/rounds/r.yaml --\n\xEF\xBB\xBFid: r\ntitle: T\n",
			want:  []string{"data/d/rounds/r.yaml:1:1: byte-order mark: save the file as UTF-8 without BOM"},
		},
		{
			name:  "UTF-16",
			files: "-- data/d/rounds/r.yaml --\n\xFF\xFEi\x00d\x00\n",
			want:  []string{"data/d/rounds/r.yaml:1:1: UTF-16 byte-order mark"},
		},
		{
			name:  "invalid UTF-8 (GBK)",
			files: round + "note: 禅城\xb2\xe2\xca\xd4\n",
			want:  []string{"data/d/rounds/r.yaml:3:9: invalid UTF-8 (byte 0xB2): save the file as UTF-8"},
		},
		{
			name:  "tab in indentation",
			files: round + "summary:\n\tfound: 1\n  \trectified: 1\n",
			want: []string{
				"data/d/rounds/r.yaml:4:1: tab in indentation: indent with spaces",
				"data/d/rounds/r.yaml:5:3: tab in indentation: indent with spaces",
			},
		},
		{
			name:  "tab after a value is fine",
			files: round + "note: a\tb\t\n",
		},
		{
			name:  "raw control character",
			files: round + "note: a\x00b\n",
			want:  []string{"data/d/rounds/r.yaml:3:8: control character U+0000 is not allowed"},
		},
		{
			name:  "escaped control character",
			files: round + "note: \"a\\x01b\"\n",
			want:  []string{"data/d/rounds/r.yaml:3:7: text contains control character U+0001"},
		},
		{
			name:  "control character after Chinese text and punctuation",
			files: round + "note: 中文，“引号”\x00\n",
			want:  []string{"data/d/rounds/r.yaml:3:14: control character U+0000 is not allowed"},
		},
		{
			name:  "invisible line separator",
			files: round + "note: 甲\u2028乙\n",
			want:  []string{"data/d/rounds/r.yaml:3:8: invisible line separator U+2028"},
		},
		{
			name:  "several documents",
			files: round + "---\nid: r2\ntitle: T\n",
			want:  []string{"data/d/rounds/r.yaml:3:1: more than one YAML document in the file"},
		},
		{
			name:  "trailing document marker",
			files: round + "---\n",
			want:  []string{"data/d/rounds/r.yaml:3:1: more than one YAML document in the file"},
		},
		{
			name:  "merge key",
			files: round + "summary:\n  <<: {found: 1}\n  rectified: 0\n",
			want: []string{
				"data/d/rounds/r.yaml:4:3: merge keys (<<) are not allowed",
				"data/d/rounds/r.yaml:4:3: summary is missing required field \"found\"",
			},
		},
	})
}

func TestSyntax(t *testing.T) {
	runCases(t, []tcase{
		{
			name:  "colon in a plain value",
			files: round + "note: 整改要求: 立即整改\n",
			want:  []string{`data/d/rounds/r.yaml:3:11: YAML syntax error: mapping values are not allowed in this context (text containing ": " must be quoted`},
		},
		{
			name:  "list item indented wrongly",
			files: round + "targets:\n  - id: a\n    name: 甲\n  name: 乙\n",
			want:  []string{"data/d/rounds/r.yaml:6:3: YAML syntax error: did not find expected '-' indicator"},
		},
		{
			name:  "key indented less than its siblings",
			files: round + "summary:\n  found: 1\n rectified: 1\n",
			want:  []string{"data/d/rounds/r.yaml:5:2: YAML syntax error: did not find expected key"},
		},
		{
			name:  "list after a mapping",
			files: round + "- x\n",
			want:  []string{"data/d/rounds/r.yaml:3:1: YAML syntax error: did not find expected key"},
		},
		{
			name:  "unclosed quote",
			files: "-- data/d/rounds/r.yaml --\nid: r\ntitle: \"第一轮\nnote: x\n",
			want:  []string{"data/d/rounds/r.yaml:2:8: YAML syntax error: found unexpected end of stream"},
		},
		{
			name:  "unclosed bracket",
			files: round + "revisits: [a, b\nnote: x\n",
			want:  []string{"data/d/rounds/r.yaml:3:11: YAML syntax error: did not find expected ',' or ']' (a bracket opened here is never closed, or a comma is missing)"},
		},
		{
			name:  "character that cannot start a token",
			files: round + "note: @张三\n",
			want:  []string{"data/d/rounds/r.yaml:3:7: YAML syntax error: found character that cannot start any token"},
		},
		{
			name:  "error in a second document",
			files: round + "---\nnote: [\n",
			want:  []string{"data/d/rounds/r.yaml:4:1: YAML syntax error: did not find expected node content"},
		},
	})
}

func TestKeys(t *testing.T) {
	runCases(t, []tcase{
		{
			name:  "duplicate key",
			files: round + "note: a\nnote: b\n",
			want:  []string{`data/d/rounds/r.yaml:4:1: duplicate key "note" (first at line 3)`},
		},
		{
			name: "duplicate key in a problem",
			files: round + "targets: [{id: a, name: 甲}]\nproblems:\n  - id: p1\n    target: a\n    title: 问题\n" +
				"    status: pending\n    status: rectified\n",
			want: []string{`data/d/rounds/r.yaml:9:5: duplicate key "status" (first at line 8)`},
		},
		{
			name:  "duplicate key inside internal",
			files: round + "internal:\n  a: 1\n  a: 2\n",
			want:  []string{`data/d/rounds/r.yaml:5:3: duplicate key (internal: not shown) (first at line 4)`},
		},
		{
			// more keys than keyIndex scans: found through its map
			name:  "duplicate key in a large mapping",
			files: round + "internal:\n" + manyKeys(40) + "  k5: again\n  k39: again\n",
			want: []string{
				`data/d/rounds/r.yaml:44:3: duplicate key (internal: not shown) (first at line 9)`,
				`data/d/rounds/r.yaml:45:3: duplicate key (internal: not shown) (first at line 43)`,
			},
		},
		{
			name: "unknown field with suggestion",
			files: round + "targets: [{id: a, name: 甲}]\nproblems:\n  - id: p1\n    target: a\n    title: 问题\n" +
				"    staus: pending\n",
			want: []string{
				`data/d/rounds/r.yaml:8:5: unknown field "staus" in problem; did you mean "status"?`,
				`data/d/rounds/r.yaml:5:5: problem is missing required field "status"`,
			},
		},
		{
			name:  "unknown field of another kind of record",
			files: round + "targets:\n  - id: a\n    name: 甲\n    status: pending\n",
			want:  []string{`data/d/rounds/r.yaml:6:5: unknown field "status" in target; it is a field of a problem`},
		},
		{
			name:  "unknown field without suggestion",
			files: round + "负责人: 张三\n",
			want:  []string{`data/d/rounds/r.yaml:3:1: unknown field "负责人" in round; fields of a round: id, title, number`},
		},
		{
			name:  "unknown site field",
			files: "-- data/site.yaml --\ntitle: T\nbaseurl: https://example.org/\n",
			want:  []string{`data/site.yaml:2:1: unknown field "baseurl" in site.yaml; did you mean "base_url"?`},
		},
		{
			name:  "anything goes inside internal",
			files: round + "internal:\n  负责人: 张三\n  staus: x\n",
		},
		{
			name:  "missing required fields",
			files: "-- data/d/rounds/r.yaml --\nnumber: 1\n",
			want: []string{
				`data/d/rounds/r.yaml:1:1: round is missing required field "id"`,
				`data/d/rounds/r.yaml:1:1: round is missing required field "title"`,
			},
		},
		{
			name:  "required field left empty",
			files: "-- data/d/rounds/r.yaml --\nid: r\ntitle:\nsummary: {found: 1, rectified: \"\"}\n",
			want: []string{
				`data/d/rounds/r.yaml:2:7: "title" must not be empty`,
				`data/d/rounds/r.yaml:3:32: "rectified" must be a whole number without quotes, got ""`,
			},
		},
		{
			name:  "required text blank",
			files: "-- data/d/rounds/r.yaml --\nid: r\ntitle: \"  \"\n",
			want:  []string{`data/d/rounds/r.yaml:2:8: "title" must not be empty`},
		},
		{
			name:  "optional field left empty is absent",
			files: round + "note:\nsource: ~\n",
		},
		{
			name:  "root is not a mapping",
			files: "-- data/d/rounds/r.yaml --\n- id: r\n",
			want:  []string{"data/d/rounds/r.yaml:1:1: round must be a mapping (key: value lines), got a list"},
		},
		{
			name:  "key that is not text",
			files: round + "? [a, b]\n: 1\n",
			want:  []string{"data/d/rounds/r.yaml:3:3: a key must be plain text, not a list"},
		},
	})
}

func TestValues(t *testing.T) {
	problem := func(extra string) string {
		return round + "targets: [{id: a, name: 甲}]\nproblems:\n  - id: p1\n    target: a\n    title: 问题\n    status: pending\n" + extra
	}
	runCases(t, []tcase{
		{
			name:  "whole numbers",
			files: round + "number: abc\ntarget_count: 1.5\nsummary:\n  found: \"3\"\n  rectified: -1\n",
			want: []string{
				`data/d/rounds/r.yaml:3:9: "number" must be a whole number, got "abc"`,
				`data/d/rounds/r.yaml:4:15: "target_count" must be a whole number, got "1.5"`,
				`data/d/rounds/r.yaml:6:10: "found" must be a whole number without quotes, got "3"`,
				`data/d/rounds/r.yaml:7:14: "rectified" must be 0 or more, got -1`,
			},
		},
		{
			name:  "huge number",
			files: round + "number: 99999999999999999999999\n",
			want:  []string{`data/d/rounds/r.yaml:3:9: "number" is too large: at most 1000000000`},
		},
		{
			name:  "booleans",
			files: round + "illustrative: yes\n",
			want:  []string{`data/d/rounds/r.yaml:3:15: "illustrative" must be true or false, got "yes"`},
		},
		{
			name:  "quoted boolean",
			files: problem("    common: \"true\"\n"),
			want:  []string{`data/d/rounds/r.yaml:9:13: "common" must be true or false, got "true"`},
		},
		{
			name:  "dates",
			files: round + "started: 2019-13-45\nended: 2019/04/26\nfeedback: 2019-02-30\n",
			want: []string{
				`data/d/rounds/r.yaml:3:10: "started": "2019-13-45" is not a real date`,
				`data/d/rounds/r.yaml:4:8: "ended": "2019/04/26" is not a date: write YYYY-MM-DD`,
				`data/d/rounds/r.yaml:5:11: "feedback": "2019-02-30" is not a real date`,
			},
		},
		{
			name:  "quoted date is fine",
			files: round + "started: \"2019-03-04\"\n",
		},
		{
			name:  "wrong shapes",
			files: round + "targets: {id: a}\nnote: [a]\nsource: 某报道\nsummary: [1, 2]\n",
			want: []string{
				`data/d/rounds/r.yaml:3:10: "targets" must be a list, got a mapping`,
				`data/d/rounds/r.yaml:4:7: "note" must be text, got a list`,
				`data/d/rounds/r.yaml:5:9: "source" must be a mapping (key: value lines), got "某报道"`,
				`data/d/rounds/r.yaml:6:10: "summary" must be a mapping (key: value lines), got a list`,
			},
		},
		{
			name:  "list item of the wrong shape",
			files: problem("    measures:\n      - 完成整改\n      -\n"),
			want: []string{
				`data/d/rounds/r.yaml:10:9: each item of "measures" must be a measure with fields (text, owner, due, done), got text`,
				`data/d/rounds/r.yaml:11:8: measure must be a mapping (key: value lines), got nothing`,
			},
		},
		{
			name:  "measure due is a date, owner is text",
			files: problem("    measures:\n      - {text: 整改, owner: [甲], due: 2019-11-31}\n      - {text: 整改, due: 下月底}\n"),
			want: []string{
				`data/d/rounds/r.yaml:10:27: "owner" must be text, got a list`,
				`data/d/rounds/r.yaml:10:37: "due": "2019-11-31" is not a real date`,
				`data/d/rounds/r.yaml:11:25: "due": "下月底" is not a date: write YYYY-MM-DD`,
			},
		},
		{
			name:  "status enumeration with suggestion",
			files: problem("    history:\n      - {date: 2019-05-30, status: rectifed}\n      - {date: 2019-06-30, status: 已整改}\n"),
			want: []string{
				`data/d/rounds/r.yaml:10:36: "status" must be one of pending, in_progress, basically_done, long_term, rectified, closed; got "rectifed"; did you mean "rectified"?`,
				`data/d/rounds/r.yaml:11:36: "status" must be one of pending, in_progress, basically_done, long_term, rectified, closed; got "已整改"; did you mean "rectified"?`,
			},
		},
		{
			name:  "other enumerations",
			files: problem("    visibility: secret\n    withheld: secret\n    reviews: [{date: 2019-09-05, result: return}]\n") + "kind: Special\n",
			want: []string{
				`data/d/rounds/r.yaml:9:17: "visibility" must be one of public, internal; got (internal: not shown)`,
				`data/d/rounds/r.yaml:10:15: "withheld" must be one of state_secret, unannounced_case, hostile_hype, mass_petition, major_sensitive; got (internal: not shown)`,
				`data/d/rounds/r.yaml:11:42: "result" must be one of passed, returned; got (internal: not shown); did you mean "returned"?`,
				`data/d/rounds/r.yaml:12:7: "kind" must be one of regular, special, mobile, revisit; got "Special"; did you mean "special"?`,
			},
		},
		{
			name:  "target type",
			files: round + "targets:\n  - {id: a, name: 甲, type: departement, visibility: internal}\n",
			want:  []string{`data/d/rounds/r.yaml:4:28: "type" must be one of department, town, street, village, community, enterprise, other; got (internal: not shown); did you mean "department"?`},
		},
		{
			name:  "outcomes and surveys",
			files: "-- data/d/district.yaml --\nid: d\nname: 某区\noutcomes:\n  funds_recovered: -5\n  cases_filed: 1.0\n  leads_found: abc\nsurveys:\n  - title: 测评\n    respondents: -1\n    awareness: 120\n    approval: 九十\n",
			want: []string{
				`data/d/district.yaml:4:20: "funds_recovered" must be 0 or more, got -5`,
				`data/d/district.yaml:5:16: "cases_filed" must be a whole number, got "1.0"`,
				`data/d/district.yaml:6:16: "leads_found" must be a whole number, got "abc"`,
				`data/d/district.yaml:9:18: "respondents" must be 0 or more, got -1`,
				`data/d/district.yaml:10:16: "awareness" must be a percentage between 0 and 100, got 120`,
				`data/d/district.yaml:11:15: "approval" must be a number, got "九十"`,
			},
		},
		{
			name:  "source needs a title",
			files: round + "source:\n  url: javascript:alert(1)\n",
			want:  []string{`data/d/rounds/r.yaml:4:3: source is missing required field "title"`},
		},
	})
}

func TestIDs(t *testing.T) {
	runCases(t, []tcase{
		{
			name: "bad ids",
			files: round + "targets:\n  - {id: ../../etc, name: 甲}\n  - {id: ｐ001, name: 乙}\n  - {id: p 001, name: 丙}\n" +
				"  - {id: -a, name: 丁}\n  - {id: " + strings.Repeat("a", 65) + ", name: 戊}\n  - {id: A1, name: 己}\n",
			want: []string{
				`data/d/rounds/r.yaml:4:10: id "../../etc" is not URL-safe: use a-z, 0-9 and "-", starting with a letter or digit`,
				`data/d/rounds/r.yaml:5:10: id "ｐ001" is not URL-safe`,
				`data/d/rounds/r.yaml:6:10: id "p 001" is not URL-safe`,
				`data/d/rounds/r.yaml:7:10: id "-a" is not URL-safe`,
				`data/d/rounds/r.yaml:8:10: id "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…" is too long: at most 64 characters`,
				`data/d/rounds/r.yaml:9:10: id "A1" is not URL-safe`,
			},
		},
		{
			name: "ids in references",
			files: round + "kind: revisit\nrevisits: [2019-r1, \"2019 r2\"]\ntargets: [{id: a, name: 甲}]\nproblems:\n" +
				"  - {id: p1, target: 甲, title: T, status: pending, common_ref: 公路}\n" +
				"  - id: p2\n    target: a\n    title: T\n    status: pending\n    history: [{date: 2020-01-01, status: pending, revisit: R1}]\n",
			want: []string{
				`data/d/rounds/r.yaml:4:21: id "2019 r2" is not URL-safe`,
				`data/d/rounds/r.yaml:7:22: id "甲" is not URL-safe`,
				`data/d/rounds/r.yaml:7:64: id "公路" is not URL-safe`,
				`data/d/rounds/r.yaml:12:60: id "R1" is not URL-safe`,
			},
		},
		{
			name:  "round id must equal the file name",
			files: "-- data/d/rounds/2019-r1.yaml --\nid: 2019-r2\ntitle: T\n",
			want:  []string{`data/d/rounds/2019-r1.yaml:1:5: round id "2019-r2" must equal the file name without .yaml, "2019-r1"`},
		},
		{
			name:  "round file name that is not an id",
			files: "-- data/d/rounds/2019 R1.yaml --\nid: 2019-r1\ntitle: T\n",
			want:  []string{`data/d/rounds/2019 R1.yaml:1:5: round id "2019-r1" must equal the file name without .yaml, "2019 R1", which is not a valid id: rename it to 2019-r1.yaml`},
		},
		{
			name:  "reserved round id",
			files: "-- data/d/rounds/common.yaml --\nid: common\ntitle: T\n",
			want:  []string{`data/d/rounds/common.yaml:1:5: round id "common" is reserved`},
		},
		{
			name:  "district id must equal the folder name",
			files: "-- data/d/district.yaml --\nid: e\nname: 某区\n",
			want:  []string{`data/d/district.yaml:1:5: district id "e" must equal its folder name "d"`},
		},
		{
			name:  "reserved district id",
			files: "-- data/data/district.yaml --\nid: data\nname: 某区\n",
			want:  []string{`data/data/district.yaml:1:5: district id "data" is reserved: the site uses /data/ itself`},
		},
		{
			name:  "reserved district id 404",
			files: "-- data/404/district.yaml --\nid: 404\nname: 某区\n",
			want:  []string{`data/404/district.yaml:1:5: district id "404" is reserved`},
		},
		{
			name:  "bad district id",
			files: "-- data/d/district.yaml --\nid: 禅城\nname: 某区\n",
			want:  []string{`data/d/district.yaml:1:5: id "禅城" is not URL-safe`},
		},
		{
			name:  "common problem id must equal the file name",
			files: "-- data/d/common/road.yaml --\nid: roads\ntitle: T\nunits:\n  - {id: u 1, name: 甲, status: done}\n",
			want: []string{
				`data/d/common/road.yaml:1:5: common problem id "roads" must equal the file name without .yaml, "road"`,
				`data/d/common/road.yaml:4:10: id "u 1" is not URL-safe`,
				`data/d/common/road.yaml:4:32: "status" must be one of pending, in_progress, basically_done, long_term, rectified, closed; got "done"`,
			},
		},
	})
}

func TestSite(t *testing.T) {
	runCases(t, []tcase{
		{
			name: "site values",
			files: "-- data/site.yaml --\ntitle: T\nbase_url: example.org\nas_of: 2021-3-31\n" +
				"deadlines:\n  measures_working_days: -1\n  report_months: many\n" +
				"calendar:\n  - year: 1800\n    holidays: [2027-01-01]\n  - year: 2027\n    holidays: [2027-01-01, 2026-12-31]\n    workdays: [2027-02-30, x]\n",
			want: []string{
				`data/site.yaml:2:11: "base_url" must be an absolute http:// or https:// URL such as https://example.org/, got "example.org"`,
				`data/site.yaml:3:8: "as_of": "2021-3-31" is not a date: write YYYY-MM-DD`,
				`data/site.yaml:5:26: "measures_working_days" must be 0 or more, got -1`,
				`data/site.yaml:6:18: "report_months" must be a whole number, got "many"`,
				`data/site.yaml:8:11: "year" must be between 1900 and 2200, got 1800`,
				`data/site.yaml:11:28: holiday 2026-12-31 is not in 2027: list it under year 2026`,
				`data/site.yaml:12:16: "workdays": "2027-02-30" is not a real date`,
				`data/site.yaml:12:28: "workdays": "x" is not a date`,
			},
		},
		{
			name:  "base_url javascript",
			files: "-- data/site.yaml --\ntitle: T\nbase_url: javascript:alert(1)\n",
			want:  []string{`data/site.yaml:2:11: "base_url" must be an absolute http:// or https:// URL`},
		},
		{
			name: "contact values",
			files: "-- data/site.yaml --\ntitle: T\ncontact:\n  phone: 举报电话12388\n  mailbox: 巡察办 <jubao@example.org>\n" +
				"  url: www.12388.gov.cn\n  illustrative: yes\n  fax: 1\n",
			want: []string{
				`data/site.yaml:3:10: "phone" must be one telephone number such as 12388 or 0766-1234567 (digits, spaces, hyphens, parentheses), got "举报电话12388"`,
				`data/site.yaml:4:12: "mailbox" looks like an e-mail address but is not one such as jubao@example.org, got "巡察办 <jubao@example.org>"`,
				`data/site.yaml:5:8: "url" must be an absolute http:// or https:// URL such as https://www.12388.gov.cn/, got "www.12388.gov.cn"`,
				`data/site.yaml:6:17: "illustrative" must be true or false, got "yes"`,
				`data/site.yaml:7:3: unknown field "fax" in contact`,
			},
		},
		{
			name:  "contact with nothing to reach the office by",
			files: "-- data/site.yaml --\ntitle: T\ncontact:\n  name: 区委巡察办\n  note: 工作日受理\n",
			want:  []string{`data/site.yaml:3:3: contact must give at least one of phone, mailbox, address, url`},
		},
		{
			name:  "contact that is text",
			files: "-- data/site.yaml --\ntitle: T\ncontact: 12388\n",
			want:  []string{`data/site.yaml:2:10: "contact" must be a mapping (key: value lines), got "12388"`},
		},
		{
			name:  "contact that is valid",
			files: "-- data/site.yaml --\ntitle: T\ncontact:\n  phone: \"0766-1234567\"\n  mailbox: jubao@example.org\n  address: 示例市示例路1号\n  url: https://www.12388.gov.cn/\n",
		},
		{
			name:  "site is a list",
			files: "-- data/site.yaml --\n- title: T\n",
			want:  []string{"data/site.yaml:1:1: site.yaml must be a mapping"},
		},
	})
}

// TestPositionsWithCRLF checks that Windows line endings count as one line
// break.
// TestContact checks that a valid contact reaches the model as written.
func TestContact(t *testing.T) {
	data, errs := loadText(t, "-- data/site.yaml --\ntitle: T\ncontact:\n  name: 区委巡察办\n  phone: 12388\n  mailbox: 示例市邮政信箱100号\n"+
		"  address: 示例市示例路1号\n  url: https://www.12388.gov.cn/\n  note: 工作日受理\n  illustrative: true\n", nil)
	checkDiags(t, errs, nil)
	want := model.Contact{Name: "区委巡察办", Phone: "12388", Mailbox: "示例市邮政信箱100号", Address: "示例市示例路1号",
		URL: "https://www.12388.gov.cn/", Note: "工作日受理", Illustrative: true}
	got := data.Site.Contact
	if got == nil {
		t.Fatal("no contact")
	}
	got.Node = model.Node{}
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("contact = %+v, want %+v", *got, want)
	}
	data, _ = loadText(t, "", nil)
	if data.Site.Contact != nil {
		t.Errorf("site.yaml without contact gives %+v, want nil", data.Site.Contact)
	}
}

func TestPositionsWithCRLF(t *testing.T) {
	_, got := loadText(t, "-- data/d/rounds/r.yaml --\nid: r\r\ntitle: T\r\nnumber: x\r\n", nil)
	checkDiags(t, got, []string{`data/d/rounds/r.yaml:3:9: "number" must be a whole number, got "x"`})
}

// TestManyFilesAllErrors checks that every file's errors are reported, not
// only the first file's.
func TestManyFilesAllErrors(t *testing.T) {
	_, got := loadText(t, "-- data/d/rounds/a.yaml --\nid: a\ntitle: T\nnumber: x\n"+
		"-- data/d/rounds/b.yaml --\nid: b\n"+
		"-- data/e/district.yaml --\nid: e\n", nil)
	checkDiags(t, got, []string{
		`data/d/rounds/a.yaml:3:9: "number" must be a whole number`,
		`data/d/rounds/b.yaml:1:1: round is missing required field "title"`,
		`data/e/district.yaml:1:1: district is missing required field "name"`,
	})
}

// TestNoDataFolder checks that a missing data folder is one error, not one
// per missing file.
func TestNoDataFolder(t *testing.T) {
	t.Chdir(t.TempDir())
	d, errs := load.Load("data")
	checkDiags(t, errs, []string{"data:1:1: cannot read the data folder: no such file or directory"})
	if d == nil || d.Site == nil {
		t.Fatal("Load must return a model with a site")
	}
}

// manyKeys is n lines "  kI: v" of a mapping indented by two spaces.
func manyKeys(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "  k%d: v\n", i)
	}
	return b.String()
}

// TestInternalLinesFound: the lines of internal matter are found whether
// the key is written plainly, quoted or with escapes (mayHoldInternal
// must not skip the last), and a file without internal matter has none.
func TestInternalLinesFound(t *testing.T) {
	problem := "problems:\n  - id: p1\n    target: t1\n    title: 问题\n    status: pending\n"
	for _, tt := range []struct {
		name, text string
		internal   bool
	}{
		{"plain", problem + "    visibility: internal\n", true},
		{"quoted", problem + "    \"visibility\": internal\n", true},
		{"escaped", problem + "    \"visib\\u0069lity\": internal\n", true},
		{"escaped withheld", problem + "    \"with\\x68eld\": personal\n", true},
		{"public", problem + "    category: 党的建设\n", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			text := round + "targets:\n  - id: t1\n    name: 某局\n" + tt.text
			data, _ := loadText(t, text, nil)
			if len(data.Districts) != 1 || len(data.Districts[0].Rounds) != 1 {
				t.Fatalf("round not loaded")
			}
			lines := data.Districts[0].Rounds[0].InternalLines
			if got := len(lines) > 0; got != tt.internal {
				t.Errorf("internal lines %v, want some: %v", lines, tt.internal)
			}
		})
	}
}
