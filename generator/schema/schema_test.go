package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/xuncha/bulletin/generator/internal/load"
	yaml "go.yaml.in/yaml/v3"
)

// probe is how the loader is asked for the fields of one kind of record: a
// record file whose mapping of that kind holds only an unknown key. The
// loader then names the kind's fields ("unknown field … in problem; fields
// of a problem: id, target, …") and every required one it misses.
type probe struct {
	kind    string // the kind's name in the loader's messages
	file    string // where the record file goes, under data/
	yaml    string // the file, with ZZ where the probed mapping goes
	schemas []string
}

const unknownKey = "zzqqzzqqzz"

var probes = []probe{
	{"site.yaml", "site.yaml", "ZZ", []string{"site#"}},
	{"deadlines", "site.yaml", "title: t\ndeadlines:\n  ZZ", []string{"site#/properties/deadlines"}},
	{"contact", "site.yaml", "title: t\ncontact:\n  ZZ", []string{"site#/properties/contact"}},
	{"calendar year", "site.yaml", "title: t\ncalendar:\n  - ZZ", []string{"site#/$defs/calendarYear"}},
	{"district", "d/district.yaml", "ZZ", []string{"district#"}},
	{"outcomes", "d/district.yaml", "id: d\nname: n\noutcomes:\n  ZZ", []string{"district#/$defs/outcomes", "round#/$defs/outcomes"}},
	{"survey", "d/district.yaml", "id: d\nname: n\nsurveys:\n  - ZZ", []string{"district#/$defs/survey"}},
	{"common_summary", "d/district.yaml", "id: d\nname: n\ncommon_summary:\n  ZZ", []string{"district#/properties/common_summary"}},
	{"round", "d/rounds/r1.yaml", "ZZ", []string{"round#"}},
	{"source", "d/rounds/r1.yaml", "id: r1\ntitle: t\nsource:\n  ZZ",
		[]string{"site#/$defs/source", "district#/$defs/source", "round#/$defs/source", "common#/$defs/source"}},
	{"target", "d/rounds/r1.yaml", "id: r1\ntitle: t\ntargets:\n  - ZZ", []string{"round#/$defs/target"}},
	{"problem", "d/rounds/r1.yaml", "id: r1\ntitle: t\nproblems:\n  - ZZ", []string{"round#/$defs/problem"}},
	{"measure", "d/rounds/r1.yaml", "id: r1\ntitle: t\nproblems:\n  - id: p\n    target: t\n    title: t\n    status: pending\n    measures:\n      - ZZ",
		[]string{"round#/$defs/measure", "common#/$defs/measure"}},
	{"history entry", "d/rounds/r1.yaml", "id: r1\ntitle: t\nproblems:\n  - id: p\n    target: t\n    title: t\n    status: pending\n    history:\n      - ZZ",
		[]string{"round#/$defs/historyEntry", "common#/$defs/historyEntry"}},
	{"extension", "d/rounds/r1.yaml", "id: r1\ntitle: t\nproblems:\n  - id: p\n    target: t\n    title: t\n    status: pending\n    extensions:\n      - ZZ",
		[]string{"round#/$defs/extension"}},
	{"review", "d/rounds/r1.yaml", "id: r1\ntitle: t\nproblems:\n  - id: p\n    target: t\n    title: t\n    status: pending\n    reviews:\n      - ZZ",
		[]string{"round#/$defs/review"}},
	{"round deadlines", "d/rounds/r1.yaml", "id: r1\ntitle: t\ndeadlines:\n  ZZ", []string{"round#/properties/deadlines"}},
	{"summary", "d/rounds/r1.yaml", "id: r1\ntitle: t\nsummary:\n  ZZ", []string{"round#/properties/summary"}},
	{"common problem", "d/common/c1.yaml", "ZZ", []string{"common#"}},
	{"unit", "d/common/c1.yaml", "id: c1\ntitle: t\nunits:\n  - ZZ", []string{"common#/$defs/unit"}},
}

// loaderFields asks the loader for the fields of p's kind.
func loaderFields(t *testing.T, p probe) (fields, required []string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	files := map[string]string{"site.yaml": "title: t\n", "d/district.yaml": "id: d\nname: n\n"}
	files[p.file] = strings.Replace(p.yaml, "ZZ", unknownKey+": 1", 1) + "\n"
	for name, content := range files {
		full := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, errs := load.Load(dir)
	fieldsRE := regexp.MustCompile(`unknown field "` + unknownKey + `" in ` + regexp.QuoteMeta(p.kind) + `; fields of [^:]*: (.*)$`)
	requiredRE := regexp.MustCompile(`^` + regexp.QuoteMeta(p.kind) + ` is missing required field "([^"]+)"$`)
	found := false
	for _, e := range errs {
		if m := fieldsRE.FindStringSubmatch(e.Msg); m != nil {
			fields = strings.Split(m[1], ", ")
			found = true
		}
		if m := requiredRE.FindStringSubmatch(e.Msg); m != nil {
			required = append(required, m[1])
		}
	}
	if !found {
		t.Fatalf("%s: the loader did not list the fields of %q (has its message changed? then update this test):\n%v", p.file, p.kind, errs)
	}
	return fields, required
}

// schemaDocs reads the four schemas, by short name ("round").
func schemaDocs(t *testing.T) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for short, name := range Names {
		b, err := fs.ReadFile(Files, name)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[short] = doc
	}
	return out
}

// at follows a reference like "round#/$defs/problem".
func at(t *testing.T, docs map[string]map[string]any, ref string) map[string]any {
	t.Helper()
	short, ptr, _ := strings.Cut(ref, "#")
	var v any = docs[short]
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		if tok == "" {
			continue
		}
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s: %q is not an object", ref, tok)
		}
		v = m[tok]
	}
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s: not in the schema", ref)
	}
	return m
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func strs(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	slices.Sort(out)
	return out
}

// TestSchemasMatchLoader fails when a field is known to the loader and not
// to the schema of that kind of record, or the other way round, or when
// they disagree on what is required; and when a schema has an object with
// fields that no kind of the loader accounts for.
func TestSchemasMatchLoader(t *testing.T) {
	docs := schemaDocs(t)
	covered := map[string]bool{}
	for _, p := range probes {
		fields, required := loaderFields(t, p)
		slices.Sort(fields)
		slices.Sort(required)
		for _, ref := range p.schemas {
			covered[ref] = true
			s := at(t, docs, ref)
			props, _ := s["properties"].(map[string]any)
			if got := keys(props); !slices.Equal(got, fields) {
				t.Errorf("%s (%s): schema fields %v, loader fields %v", ref, p.kind, got, fields)
			}
			var req []string
			if s["required"] != nil {
				req = strs(s["required"])
			}
			if !slices.Equal(req, required) {
				t.Errorf("%s (%s): schema requires %v, loader requires %v", ref, p.kind, req, required)
			}
			if s["additionalProperties"] != false {
				t.Errorf("%s: additionalProperties must be false (the loader refuses unknown fields)", ref)
			}
		}
	}
	// Every object with properties in the schemas is one of the probed kinds.
	var walk func(short, ptr string, v any)
	walk = func(short, ptr string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if _, ok := v["properties"]; ok && !covered[short+"#"+ptr] {
				t.Errorf("%s#%s: an object no kind of the loader is compared with: add it to probes", short, ptr)
			}
			for k, x := range v {
				walk(short, ptr+"/"+k, x)
			}
		case []any:
			for i, x := range v {
				walk(short, ptr+"/"+strconv.Itoa(i), x)
			}
		}
	}
	for short, doc := range docs {
		walk(short, "", doc)
	}
}

// toJSON converts a YAML document to the JSON value a YAML editor sees:
// plain integers, floats, booleans and null as such, everything else (dates
// included) as text.
func toJSON(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return toJSON(n.Content[0])
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := toJSON(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[n.Content[i].Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		l := []any{}
		for _, c := range n.Content {
			v, err := toJSON(c)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
		}
		return l, nil
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return nil, nil
		case "!!bool":
			return n.Value == "true", nil
		case "!!int", "!!float":
			return json.Number(n.Value), nil
		}
		return n.Value, nil
	}
	return nil, fmt.Errorf("line %d: aliases are not records", n.Line)
}

func compile(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	out := map[string]*jsonschema.Schema{}
	for short, name := range Names {
		b, err := fs.ReadFile(Files, name)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		url := "file:///schema/" + name
		if err := c.AddResource(url, doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		s, err := c.Compile(url)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[short] = s
	}
	return out
}

func instance(t *testing.T, src []byte) any {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal(src, &n); err != nil {
		t.Fatal(err)
	}
	v, err := toJSON(&n)
	if err != nil {
		t.Fatal(err)
	}
	// Through JSON text, as an editor would hand it over.
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

// kindOf tells which schema a file under data/ follows ("" for none).
func kindOf(rel string) string {
	parts := strings.Split(filepath.ToSlash(rel), "/")
	switch {
	case len(parts) == 1 && parts[0] == "site.yaml":
		return "site"
	case len(parts) == 2 && parts[1] == "district.yaml":
		return "district"
	case len(parts) == 3 && parts[1] == "rounds":
		return "round"
	case len(parts) == 3 && parts[1] == "common":
		return "common"
	}
	return ""
}

// TestSampleDataValid validates every record file of data/ against its
// schema.
func TestSampleDataValid(t *testing.T) {
	schemas := compile(t)
	root := filepath.Join("..", "..", "data")
	seen := map[string]int{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || (filepath.Ext(p) != ".yaml" && filepath.Ext(p) != ".yml") {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		kind := kindOf(rel)
		if kind == "" {
			return nil
		}
		seen[kind]++
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := schemas[kind].Validate(instance(t, src)); err != nil {
			t.Errorf("%s does not follow %s:\n%v", p, Names[kind], err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for kind := range Names {
		if seen[kind] == 0 {
			t.Errorf("no %s file in %s", kind, root)
		}
	}
}

// TestSchemasRefuse checks that the schemas are not vacuous: they refuse
// what the loader refuses in the simple cases.
func TestSchemasRefuse(t *testing.T) {
	schemas := compile(t)
	tests := []struct {
		kind, yaml string
		ok         bool
	}{
		{"site", "title: t\nas_of: 2024-12-31\n", true},
		{"site", "title: t\nas_of: 2024-12-31T10:00:00\n", false},
		{"site", "title: t\nbase_url: ftp://example.org/\n", false},
		{"site", "publisher: p\n", false},
		{"district", "id: shili\nname: 示例区\ninternal: {联络人: 张三, nested: {a: [1]}}\n", true},
		{"district", "id: Shili\nname: 示例区\n", false},
		{"district", "id: shili\nname: 示例区\nsurveys: [{title: s, approval: 101}]\n", false},
		{"round", "id: 2019\ntitle: t\n", true}, // an unquoted number is a fine id
		{"round", "id: r1\ntitle: t\nkind: special\nproblems: [{id: p1, target: t1, title: t, status: closed}]\n", true},
		{"round", "id: r1\ntitle: t\nproblems: [{id: p1, target: t1, title: t, status: done}]\n", false},
		{"round", "id: r1\ntitle: t\nproblems: [{id: p1, target: t1, title: t, status: pending, owner: x}]\n", false},
		{"round", "id: r1\ntitle: t\nsummary: {rectified: 10}\n", false},
		{"round", "id: r1\ntitle: t\nsummary: {found: 723}\n", true},
		{"round", "id: r1\ntitle: t\nsummary: {rate: \"98\"}\n", true},
		{"round", "id: r1\ntitle: t\nsummary: {rate: 98}\n", false},
		{"round", "id: r1\ntitle: t\nlevel: provincial\ndeadlines: {report_months: 2}\n", true},
		{"round", "id: r1\ntitle: t\nlevel: province\n", false},
		{"round", "id: r1\ntitle: t\nproblems: [{id: p1, target: t1, title: t, status: basically_done}]\n", true},
		{"round", "id: r1\ntitle: t\noutcomes: {funds_recovered: 667.5, cases_filed: -1}\n", false},
		{"common", "id: c1\ntitle: t\nunits: [{id: u1, name: n, status: rectified, self_found: 3}]\n", true},
		{"common", "id: c1\ntitle: t\nunits: [{id: u1, name: n}]\n", false},
	}
	for _, tt := range tests {
		err := schemas[tt.kind].Validate(instance(t, []byte(tt.yaml)))
		if (err == nil) != tt.ok {
			t.Errorf("%s %q: valid = %v, want %v (%v)", tt.kind, tt.yaml, err == nil, tt.ok, err)
		}
	}
}

// TestSampleDataNamesItsSchema: every sample record starts with the
// yaml-language-server comment, so editors complete and flag its fields.
func TestSampleDataNamesItsSchema(t *testing.T) {
	root := filepath.Join("..", "..", "data")
	want := map[string]string{
		"site.yaml":       "# yaml-language-server: $schema=../generator/schema/site.schema.json",
		"*/district.yaml": "# yaml-language-server: $schema=../../generator/schema/district.schema.json",
		"*/rounds/*.yaml": "# yaml-language-server: $schema=../../../generator/schema/round.schema.json",
		"*/common/*.yaml": "# yaml-language-server: $schema=../../../generator/schema/common.schema.json",
	}
	n := 0
	for pattern, line := range want {
		files, _ := filepath.Glob(filepath.Join(root, pattern))
		for _, f := range files {
			n++
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			first, _, _ := strings.Cut(string(b), "\n")
			if first != line {
				t.Errorf("%s: first line %q, want %q", f, first, line)
			}
			// The path in the comment resolves to the schema file.
			target := filepath.Join(filepath.Dir(f), strings.TrimPrefix(line, "# yaml-language-server: $schema="))
			if _, err := os.Stat(target); err != nil {
				t.Errorf("%s: %v", f, err)
			}
		}
	}
	if n < 10 {
		t.Errorf("only %d sample files", n)
	}
}
