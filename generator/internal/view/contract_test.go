package view

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the generated part of templates/README.md")

const (
	readme    = "../../../templates/README.md"
	beginMark = "<!-- BEGIN GENERATED: go test ./generator/internal/view -update -->"
	endMark   = "<!-- END GENERATED -->"
	templates = "../../../templates"
)

// TestReadmeDocumentsEveryField regenerates the field reference of
// templates/README.md from view.go (names, JSON keys, types, comments) and
// fails when the committed document is stale.
func TestReadmeDocumentsEveryField(t *testing.T) {
	want := reference(t)
	b, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i, j := strings.Index(doc, beginMark), strings.Index(doc, endMark)
	if i < 0 || j < i {
		t.Fatalf("%s lacks the generated-section markers", readme)
	}
	got := doc[i+len(beginMark) : j]
	if got == want {
		return
	}
	if *update {
		doc = doc[:i+len(beginMark)] + want + doc[j:]
		if err := os.WriteFile(readme, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("templates/README.md is out of date with view.go: run go test ./generator/internal/view -update")
}

// reference renders one table per type of view.go.
func reference(t *testing.T) string {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "view.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("\n")
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, spec := range gd.Specs {
			ts := spec.(*ast.TypeSpec)
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				continue
			}
			b.WriteString("\n### " + ts.Name.Name + "\n\n")
			if gd.Doc != nil {
				b.WriteString(strings.TrimSpace(gd.Doc.Text()) + "\n\n")
			}
			b.WriteString("| key | type | meaning |\n|---|---|---|\n")
			for _, fld := range st.Fields.List {
				typ := exprString(fld.Type)
				if len(fld.Names) == 0 {
					b.WriteString("| *(all keys of " + typ + ")* | | embedded |\n")
					continue
				}
				key := jsonKey(fld)
				if key == "-" {
					continue
				}
				doc := ""
				if fld.Comment != nil {
					doc = strings.TrimSpace(fld.Comment.Text())
				} else if fld.Doc != nil {
					doc = strings.TrimSpace(fld.Doc.Text())
				}
				doc = strings.ReplaceAll(strings.ReplaceAll(doc, "\n", " "), "|", "\\|")
				b.WriteString("| `" + key + "` | " + typ + " | " + doc + " |\n")
			}
		}
	}
	b.WriteString("\n")
	return b.String()
}

func jsonKey(f *ast.Field) string {
	if f.Tag == nil {
		return f.Names[0].Name
	}
	tag := reflect.StructTag(strings.Trim(f.Tag.Value, "`")).Get("json")
	name, _, _ := strings.Cut(tag, ",")
	return name
}

func exprString(e ast.Expr) string {
	switch v := e.(type) {
	case *ast.Ident:
		return v.Name
	case *ast.StarExpr:
		return exprString(v.X) + " or null"
	case *ast.ArrayType:
		return "list of " + exprString(v.Elt)
	case *ast.MapType:
		return "map of " + exprString(v.Key) + " to " + exprString(v.Value)
	case *ast.SelectorExpr:
		return exprString(v.X) + "." + v.Sel.Name
	}
	return "?"
}

// partialKeys are the keys of dicts the templates pass to partials (each
// partial documents its context in its first line).
var partialKeys = map[string]bool{
	"t": true, "headline": true, "rate": true, "label": true, "pages": true, "show_round": true,
	// i18n arguments
	"as_of": true, "districts": true, "problems": true, "returns": true, "completed": true,
	"units": true, "respondents": true, "due": true,
	"id": true, "title": true, "counts": true, "total": true,
	"current": true, "translations": true, "page": true,
	"p": true, "published": true, "known": true, "missing": true, "count": true, "listed": true,
	"num": true, "den": true, "counts_only": true, "trail": true,
}

// TestTemplatesUseOnlyDocumentedKeys reads every template and checks that
// each lower-case field it reads (.totals.found, $p.due_state …) is a JSON
// key of the view types, or a documented partial argument. Hugo's own
// methods are capitalised, so a lower-case name is always our data.
func TestTemplatesUseOnlyDocumentedKeys(t *testing.T) {
	keys := map[string]bool{}
	for _, v := range []any{Bulletin{}, Site{}, Home{}, District{}, Round{}, Problem{}, CommonProblem{}, Commons{}, History{}, NoticeCompare{}, Unit{}, Units{}} {
		collectKeys(reflect.TypeOf(v), keys, map[reflect.Type]bool{})
	}
	// Keys of the page kinds, read as .Params.<kind>, and site.Params.bulletin.
	for _, k := range []string{"home", "district", "round", "problem", "common", "commons", "bulletin", "history", "notice", "notices", "compare", "unit", "units"} {
		keys[k] = true
	}
	ref := regexp.MustCompile(`(?:\.|(\$[A-Za-z0-9_]*)\.)([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*)`)
	var bad []string
	checked := 0
	err := filepath.Walk(templates, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(p, ".html") && !strings.HasSuffix(p, ".txt") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, action := range regexp.MustCompile(`{{(.*?)}}`).FindAllStringSubmatch(string(b), -1) {
			code := action[1]
			code = regexp.MustCompile(`"[^"]*"`).ReplaceAllString(code, `""`)
			for _, m := range ref.FindAllStringSubmatch(code, -1) {
				if _, ok := dictPartials[m[1]]; ok {
					continue // TestDictPartialKeys
				}
				for _, k := range strings.Split(m[2], ".") {
					checked++
					if !keys[k] && !partialKeys[k] {
						bad = append(bad, p+": ."+k)
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(bad)
	if len(bad) > 0 {
		t.Errorf("templates read keys that are not in the view contract:\n%s", strings.Join(bad, "\n"))
	}
	if checked < 100 {
		t.Errorf("only %d references checked: is the pattern broken?", checked)
	}
}

// dictPartials are the variables through which templates read the dicts
// some partials return (rather than view data), and those partials.
var dictPartials = map[string]string{
	"$frame": "problem-frame.html",  // what a problem page shares with its round
	"$L":     "problem-labels.html", // a problem page's labels
}

// TestDictPartialKeys checks that every key a template reads from a dict a
// partial returns ($L.measures) is one that partial puts in it, and that
// every label problem-labels.html takes through T is in every language's
// i18n file: a key it lacks would print nothing, where T would say so.
func TestDictPartialKeys(t *testing.T) {
	literal := regexp.MustCompile(`"([a-z][a-z0-9_]*)"`)
	keysOf := map[string]map[string]bool{}
	for v, name := range dictPartials {
		b, err := os.ReadFile(filepath.Join(templates, "layouts", "_partials", name))
		if err != nil {
			t.Fatal(err)
		}
		keys := map[string]bool{}
		for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
			keys[m[1]] = true
		}
		keysOf[v] = keys
	}
	ref := regexp.MustCompile(`(\$[A-Za-z0-9_]*)\.([a-z][a-z0-9_]*)`)
	var bad []string
	checked := 0
	err := filepath.Walk(filepath.Join(templates, "layouts"), func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, action := range regexp.MustCompile(`{{(.*?)}}`).FindAllStringSubmatch(string(b), -1) {
			for _, m := range ref.FindAllStringSubmatch(action[1], -1) {
				if keys, ok := keysOf[m[1]]; ok {
					checked++
					if !keys[m[2]] {
						bad = append(bad, fmt.Sprintf("%s: %s.%s is not a key of %s", p, m[1], m[2], dictPartials[m[1]]))
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 20 {
		t.Errorf("only %d keys of dict partials read: is the pattern broken?", checked)
	}
	// The labels problem-labels.html takes through T: the list it ranges over.
	b, err := os.ReadFile(filepath.Join(templates, "layouts", "_partials", dictPartials["$L"]))
	if err != nil {
		t.Fatal(err)
	}
	list := regexp.MustCompile(`(?s){{-? range slice (.*?)-?}}`).FindStringSubmatch(string(b))
	if list == nil {
		t.Fatalf("%s: no {{ range slice … }} of label keys", dictPartials["$L"])
	}
	labels := literal.FindAllStringSubmatch(list[1], -1)
	files, _ := filepath.Glob(filepath.Join(templates, "i18n", "*.yaml"))
	if len(files) == 0 || len(labels) < 10 {
		t.Fatalf("%d i18n files, %d labels", len(files), len(labels))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range labels {
			if !regexp.MustCompile(`(?m)^` + l[1] + `:`).Match(b) {
				bad = append(bad, fmt.Sprintf("%s: no label %s (problem-labels.html takes it)", f, l[1]))
			}
		}
	}
	sort.Strings(bad)
	if len(bad) > 0 {
		t.Errorf("dict partials:\n%s", strings.Join(bad, "\n"))
	}
}

func collectKeys(t reflect.Type, keys map[string]bool, seen map[reflect.Type]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t] {
		return
	}
	seen[t] = true
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous {
			collectKeys(f.Type, keys, seen)
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		keys[name] = true
		collectKeys(f.Type, keys, seen)
	}
}
