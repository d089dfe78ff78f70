package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/xuncha/bulletin/generator/internal/diag"
	"github.com/xuncha/bulletin/generator/internal/load"
	yaml "go.yaml.in/yaml/v3"
)

// probe places one mapping of a kind of record in a record file, so that
// the loader can be asked, by behaviour alone, which fields that kind has:
// a field the loader does not know is reported at the field's key; a
// required field that is missing is reported at the mapping. Only the
// positions of the loader's errors are read, never their wording.
type probe struct {
	kind    string // what the mapping is, for messages
	file    string // where the record file goes, under data/
	yaml    string // the file, with ZZ where the probed mapping goes
	schemas []string
}

// unknownKey is a field no kind of record has.
const unknownKey = "zzqqzzqqzz"

var probes = []probe{
	{"site.yaml", "site.yaml", "ZZ", []string{"site#"}},
	{"deadlines", "site.yaml", "title: t\ndeadlines:\n  ZZ", []string{"site#/properties/deadlines"}},
	{"contact", "site.yaml", "title: t\ncontact:\n  ZZ", []string{"site#/properties/contact"}},
	{"calendar year", "site.yaml", "title: t\ncalendar:\n  - ZZ", []string{"site#/$defs/calendarYear"}},
	{"district", "d/district.yaml", "ZZ", []string{"district#"}},
	{"outcomes", "d/district.yaml", "id: d\nname: n\noutcomes:\n  ZZ", []string{"district#/$defs/outcomes", "round#/$defs/outcomes"}},
	{"extra figure", "d/district.yaml", "id: d\nname: n\noutcomes:\n  extra:\n    - ZZ", []string{"district#/$defs/extraFigure", "round#/$defs/extraFigure"}},
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
	{"inspected unit", "d/units.yaml", "- ZZ", []string{"units#/$defs/unit"}},
	{"notice", "d/units.yaml", "- id: u\n  name: n\n  notices:\n    - ZZ", []string{"units#/$defs/notice"}},
}

// loadFile loads a data folder holding site.yaml and district d (as
// fixtures) and the file name with content, and returns the loader's
// diagnostics in that file.
func loadFile(name, content string) diag.List {
	fsys := fstest.MapFS{
		"site.yaml":       {Data: []byte("title: t\n")},
		"d/district.yaml": {Data: []byte("id: d\nname: n\n")},
	}
	fsys[name] = &fstest.MapFile{Data: []byte(content)}
	_, errs := load.FS(fsys, "data")
	var out diag.List
	for _, e := range errs {
		if e.Pos.File == "data/"+name {
			out = append(out, e)
		}
	}
	return out
}

// probed is a probe's file with the mapping holding keys, one per line,
// each with an empty value ("key: ~"), and where each key's line and the
// mapping start.
type probed struct {
	src     string
	keyLine map[string]int
	mapping diag.Pos // the position of the mapping (its first key)
}

func (p probe) with(keys []string) probed {
	before, after, _ := strings.Cut(p.yaml, "ZZ")
	lastLine := before[strings.LastIndex(before, "\n")+1:]
	indent := strings.Repeat(" ", len(lastLine))
	line := strings.Count(before, "\n") + 1
	out := probed{keyLine: map[string]int{}, mapping: diag.Pos{Line: line, Col: len(lastLine) + 1}}
	var b strings.Builder
	b.WriteString(before)
	for i, k := range keys {
		if i > 0 {
			b.WriteString("\n" + indent)
		}
		b.WriteString(k + ": ~")
		out.keyLine[k] = line + i
	}
	b.WriteString(after + "\n")
	out.src = b.String()
	return out
}

// at counts the diagnostics at line:col.
func at(errs diag.List, line, col int) int {
	n := 0
	for _, e := range errs {
		if e.Pos.Line == line && e.Pos.Col == col {
			n++
		}
	}
	return n
}

// candidates are the field names a kind might have: every property of
// every schema, every key of the sample data and every field name
// generator/docs/DATA-FORMAT.md documents. A field the loader reads is in
// one of them once it is documented or used.
func candidates(t *testing.T, docs map[string]map[string]any) []string {
	t.Helper()
	set := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if props, ok := v["properties"].(map[string]any); ok {
				for k := range props {
					set[k] = true
				}
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	for _, d := range docs {
		walk(d)
	}
	name := regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	keyRE := regexp.MustCompile(`(?m)^[\s-]*([a-z][a-z0-9_]*):`)
	root := filepath.Join("..", "..", "data")
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(p) == ".yaml" {
			b, _ := os.ReadFile(p)
			for _, m := range keyRE.FindAllStringSubmatch(string(b), -1) {
				set[m[1]] = true
			}
		}
		return nil
	})
	doc, err := os.ReadFile(filepath.Join("..", "docs", "DATA-FORMAT.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile("`([a-z][a-z0-9_]*)`").FindAllStringSubmatch(string(doc), -1) {
		if name.MatchString(m[1]) {
			set[m[1]] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
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

// at0 follows a reference like "round#/$defs/problem".
func at0(t *testing.T, docs map[string]map[string]any, ref string) map[string]any {
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

// TestSchemasMatchLoader asks the loader, by behaviour, which fields each
// kind of record has and which are required, and compares with the schema
// of that kind: a field the loader reads and the schema lacks (or the other
// way round), or a disagreement on what is required, fails; so does a
// schema object with fields that no probe compares with the loader.
func TestSchemasMatchLoader(t *testing.T) {
	docs := schemaDocs(t)
	cands := candidates(t, docs)
	covered := map[string]bool{}
	for _, p := range probes {
		first := at0(t, docs, p.schemas[0])
		props, _ := first["properties"].(map[string]any)
		fields := keys(props)
		// The probe reaches the mapping: an unknown key is refused there.
		ctl := p.with(append(slices.Clone(fields), unknownKey))
		if at(loadFile(p.file, ctl.src), ctl.keyLine[unknownKey], ctl.mapping.Col) == 0 {
			t.Fatalf("%s: the loader did not refuse %q in %s at its key:\n%s", p.kind, unknownKey, p.file, ctl.src)
		}
		// Which candidates the loader knows: it refuses an unknown one at its key.
		var known []string
		for _, c := range cands {
			keys := slices.DeleteFunc(slices.Clone(fields), func(f string) bool { return f == c })
			pr := p.with(append(keys, c))
			if at(loadFile(p.file, pr.src), pr.keyLine[c], pr.mapping.Col) == 0 {
				known = append(known, c)
			}
		}
		// Which fields are required: leaving one out adds an error at the
		// mapping (relative to all of them there: a rule on the whole mapping,
		// such as "a contact gives at least one way to reach it", reports
		// there too). A required field the schema lacks is a field it lacks.
		all := p.with(fields)
		base := at(loadFile(p.file, all.src), all.mapping.Line, all.mapping.Col)
		var required []string
		for _, f := range fields {
			rest := slices.DeleteFunc(slices.Clone(fields), func(x string) bool { return x == f })
			if len(rest) == 0 {
				continue
			}
			pr := p.with(rest)
			if at(loadFile(p.file, pr.src), pr.mapping.Line, pr.mapping.Col) > base {
				required = append(required, f)
			}
		}
		for _, ref := range p.schemas {
			covered[ref] = true
			s := at0(t, docs, ref)
			props, _ := s["properties"].(map[string]any)
			if got := keys(props); !slices.Equal(got, known) {
				t.Errorf("%s (%s): schema fields %v, fields the loader reads %v", ref, p.kind, got, known)
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
	case len(parts) == 2 && parts[1] == "units.yaml":
		return "units"
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

// TestSchemasRefuse puts sample documents, valid and invalid, through both
// the schema and the loader: the schemas are not vacuous, and they refuse
// what the loader refuses and accept what it accepts.
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
		{"round", "id: r1\ntitle: t\noutcomes: {funds_recovered: 7.132, extra: [{label: 党纪处分, value: 42, unit: 人}]}\n", true},
		{"round", "id: r1\ntitle: t\noutcomes: {extra: [{value: 42, unit: 人}]}\n", false},
		{"round", "id: r1\ntitle: t\ntargets: [{id: t1, unit: water}]\n", true},
		{"round", "id: r1\ntitle: t\ntargets: [{id: t1, type: town}]\n", false},
		{"units", "- {id: water, name: n, former_names: [m], notices: [{title: t, date: 2024-05-04}]}\n", true},
		{"units", "- {id: water, name: n, notices: [{date: 2024-05-04}]}\n", false},
		{"units", "water: {name: n}\n", false},
	}
	// Where the document goes: a record's id is its folder or file name.
	idRE := regexp.MustCompile(`(?m)^id: (\S+)`)
	fileFor := func(kind, doc string) string {
		id := "x"
		if m := idRE.FindStringSubmatch(doc); m != nil {
			id = m[1]
		}
		return map[string]string{"site": "site.yaml", "district": id + "/district.yaml",
			"round": "d/rounds/" + id + ".yaml", "common": "d/common/" + id + ".yaml", "units": "d/units.yaml"}[kind]
	}
	for _, tt := range tests {
		err := schemas[tt.kind].Validate(instance(t, []byte(tt.yaml)))
		if (err == nil) != tt.ok {
			t.Errorf("%s %q: valid = %v, want %v (%v)", tt.kind, tt.yaml, err == nil, tt.ok, err)
		}
		// The loader agrees: it accepts what the schema accepts and
		// refuses what the schema refuses.
		errs := loadFile(fileFor(tt.kind, tt.yaml), tt.yaml)
		if (len(errs) == 0) != tt.ok {
			t.Errorf("%s %q: the loader accepts = %v, want %v (%v)", tt.kind, tt.yaml, len(errs) == 0, tt.ok, errs)
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
		"*/units.yaml":    "# yaml-language-server: $schema=../../generator/schema/units.schema.json",
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
