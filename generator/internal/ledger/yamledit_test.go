package ledger

import (
	"testing"

	yaml "go.yaml.in/yaml/v3"
)

// TestEditorSet: a value replaced in every way YAML may write it; the rest
// of the text stays byte for byte.
func TestEditorSet(t *testing.T) {
	tests := []struct {
		name, src, key, value, want string
	}{
		{"plain with a comment", "a: 1\nk: old   # keep\nz: 2\n", "k", "新", "a: 1\nk: 新   # keep\nz: 2\n"},
		{"double quoted", "k: \"old\"\n", "k", `说"明"`, "k: \"说\\\"明\\\"\"\n"},
		{"single quoted", "k: 'old' # c\n", "k", "it's", "k: 'it''s' # c\n"},
		{"literal block", "k: |\n  one\n  two\nz: 2\n", "k", "新", "k: 新\nz: 2\n"},
		{"multi-line plain", "k: one\n  two\nz: 2\n", "k", "新", "k: 新\nz: 2\n"},
		{"to several lines", "k: old\nz: 2\n", "k", "一\n二", "k: |-\n  一\n  二\nz: 2\n"},
		{"needs quotes", "k: old\n", "k", "a: b", "k: 'a: b'\n"},
		{"absent key", "a: 1\nb:\n  c: 2\n# tail\n", "k", "v", "a: 1\nb:\n  c: 2\nk: v\n# tail\n"},
		{"flow mapping", "m: {a: 1, k: x}  # c\n", "", "", "m: {a: 1, k: v}  # c\n"},
		{"no final newline", "a: 1\nk: old", "k", "v", "a: 1\nk: v"},
		{"Windows line ends", "k: old # c\r\nz: 2\r\n", "k", "一\n二", "k: |- # c\r\n  一\r\n  二\r\nz: 2\r\n"},
		{"Windows line ends, new key", "a: 1\r\nb: 2\r\n", "k", "v", "a: 1\r\nb: 2\r\nk: v\r\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(tc.src), &doc); err != nil {
				t.Fatal(err)
			}
			d := &roundDoc{ed: newEditor([]byte(tc.src)), root: doc.Content[0], parent: map[*yaml.Node]*yaml.Node{}, origin: map[*yaml.Node]string{}}
			var walk func(n *yaml.Node)
			walk = func(n *yaml.Node) {
				for _, c := range n.Content {
					d.parent[c] = n
					walk(c)
				}
			}
			walk(d.root)
			m, k := d.root, tc.key
			if tc.key == "" {
				_, m = get(d.root, "m")
				k = "k"
				tc.value = "v"
			}
			if err := d.set(m, kv{key: k, value: tc.value}); err != nil {
				t.Fatal(err)
			}
			if err := d.flush(); err != nil {
				t.Fatal(err)
			}
			got, _ := d.ed.result()
			if string(got) != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
			var back map[string]any
			if err := yaml.Unmarshal(got, &back); err != nil {
				t.Fatalf("the result is not YAML: %v", err)
			}
			if tc.key != "" && back[tc.key] != tc.value {
				t.Errorf("%s reads back as %q, want %q", tc.key, back[tc.key], tc.value)
			}
		})
	}
}

// TestEditorAppend: an item added to a block list, a flow list, an empty
// list, and a list that is not there yet.
func TestEditorAppend(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"block", "p:\n  h:\n    - d: 1\n      # c\n  z: 1\n", "p:\n  h:\n    - d: 1\n      n: 2\n      # c\n  z: 1\n"},
		{"dash at the key's indent", "p:\n  h:\n  - d: 1\n  z: 1\n", "p:\n  h:\n  - d: 1\n  - n: 2\n  z: 1\n"},
		{"flow", "p:\n  h: [{d: 1}]\n", "p:\n  h: [{d: 1}, {n: 2}]\n"},
		{"empty", "p:\n  h: []\n  z: 1\n", "p:\n  h: [{n: 2}]\n  z: 1\n"},
		{"absent", "p:\n  z: 1\n\nq: 2\n", "p:\n  z: 1\n  h:\n    - n: 2\n\nq: 2\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := parseRoundDoc([]byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			_, p := get(d.root, "p")
			if tc.name == "block" {
				// items of a block list continue at their own indent
				_, h := get(p, "h")
				if err := d.set(h.Content[0], kv{key: "n", value: "2", plain: true}); err != nil {
					t.Fatal(err)
				}
			} else if err := d.appendItem(p, "h", []kv{{key: "n", value: "2", plain: true}}, ""); err != nil {
				t.Fatal(err)
			}
			if err := d.flush(); err != nil {
				t.Fatal(err)
			}
			got, _ := d.ed.result()
			if string(got) != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	for in, want := range map[string]string{
		"2024-10-16": "2024-10-16", "2024/10/16": "2024/10/16", "2024年10月16日": "", "2024年1月6日": "2024-01-06",
		"2024-1-6": "2024-01-06", "2024.10.16": "2024-10-16", "２０２４／１０／１６": "2024-10-16",
		"2024-10-16 00:00:00": "2024-10-16", "45581": "2024-10-16", "45581.75": "2024-10-16", "59": "1900-02-28", "61": "1900-03-01",
	} {
		if want == "" || want == "2024/10/16" {
			want = "2024-10-16"
		}
		d, err := parseDate(in, false)
		if err != nil || d.String() != want {
			t.Errorf("parseDate(%q) = %s, %v; want %s", in, d, err, want)
		}
	}
	if d, _ := parseDate("0", true); d.String() != "" {
		// serial 0 is not a date in either system
		t.Errorf("0 → %s", d)
	}
	if d, err := parseDate("1", true); err != nil || d.String() != "1904-01-02" {
		t.Errorf("1904 system: %s %v", d, err)
	}
	for _, bad := range []string{"明年", "2024-13-01", "2024-02-30", "24-10-16", "2024年10月", "-5"} {
		if _, err := parseDate(bad, false); err == nil {
			t.Errorf("parseDate(%q) took it", bad)
		}
	}
}

func TestCellLines(t *testing.T) {
	for in, want := range map[string][]string{
		"1. 甲\n2. 乙":      {"甲", "乙"},
		"1、甲\n\n2）乙\n":    {"甲", "乙"},
		"134个村完成":         {"134个村完成"},
		"1. 甲\n3. 乙":      {"1. 甲", "3. 乙"},
		"2024. 年度计划\n另一条": {"2024. 年度计划", "另一条"},
	} {
		got := cellLines(in)
		if len(got) != len(want) {
			t.Errorf("cellLines(%q) = %q", in, got)
			continue
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("cellLines(%q) = %q, want %q", in, got, want)
			}
		}
	}
	if v, ok := perMeasureLines("区教育局", 3); !ok || v[0] != "区教育局" || v[2] != "区教育局" {
		t.Errorf("one line for all: %q", v)
	}
	if v, ok := perMeasureLines("1. 甲\n3. 丙", 3); !ok || v[0] != "甲" || v[1] != "" || v[2] != "丙" {
		t.Errorf("numbered: %q", v)
	}
	if _, ok := perMeasureLines("1. 甲\n4. 丁", 3); ok {
		t.Error("a fourth line for three measures")
	}
}

// TestEditorUnset: a key taken out of the first item of list m, in every
// way it may be written; the rest of the text stays byte for byte.
func TestEditorUnset(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"own line", "m:\n  - text: a\n    k: x   # c\n    z: 2\nq: 1\n", "m:\n  - text: a\n    z: 2\nq: 1\n"},
		{"last line, no final newline", "m:\n  - text: a\n    k: x", "m:\n  - text: a\n"},
		{"quoted over lines", "m:\n  - text: a\n    k: \"x\n      y\"\n    z: 2\n", "m:\n  - text: a\n    z: 2\n"},
		{"literal block", "m:\n  - text: a\n    k: |\n      x\n      y\n    z: 2\n", "m:\n  - text: a\n    z: 2\n"},
		{"after the dash", "m:\n  - k: x\n    text: a\n", "m:\n  - text: a\n"},
		{"flow", "m: [{text: a, k: x}]  # c\n", "m: [{text: a}]  # c\n"},
		{"absent", "m:\n  - text: a\n", "m:\n  - text: a\n"},
		{"Windows line ends", "m:\r\n  - text: a\r\n    k: x\r\n    z: 2\r\n", "m:\r\n  - text: a\r\n    z: 2\r\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := parseRoundDoc([]byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			_, m := get(d.root, "m")
			if err := d.unset(m.Content[0], "k", ""); err != nil {
				t.Fatal(err)
			}
			if err := d.flush(); err != nil {
				t.Fatal(err)
			}
			got, _ := d.ed.result()
			if string(got) != tc.want {
				t.Errorf("got:\n%q\nwant:\n%q", got, tc.want)
			}
		})
	}
	d, err := parseRoundDoc([]byte("m:\n  - k: x\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, m := get(d.root, "m")
	if err := d.unset(m.Content[0], "k", ""); err == nil {
		t.Error("the only key of an item was taken out")
	}
}
