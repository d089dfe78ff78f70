package view

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// docs are the documents of the template contract.
var docs = []string{"view.go", readme}

// exported lists the exported names declared in the package in dir (its
// non-test files), or nil when dir holds no Go package.
func exported(t *testing.T, dir string) map[string]bool {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	names := map[string]bool{}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil && d.Name.IsExported() {
					names[d.Name.Name] = true
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						names[s.Name.Name] = true
					case *ast.ValueSpec:
						for _, n := range s.Names {
							names[n.Name] = true
						}
					}
				}
			}
		}
	}
	if len(files) == 0 {
		return nil
	}
	return names
}

// TestDocsCiteRealCode checks that every Go name the contract documents cite
// (edition.Redact, aggregate.Compute …) is declared in that package, and
// every generator/internal/X folder they name exists.
func TestDocsCiteRealCode(t *testing.T) {
	ident := regexp.MustCompile(`\b([a-z]+)\.([A-Z][A-Za-z0-9_]*)\b`)
	folder := regexp.MustCompile(`generator/internal/([a-z]+)`)
	var bad []string
	cited := 0
	for _, doc := range docs {
		b, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		for _, m := range folder.FindAllStringSubmatch(text, -1) {
			if _, err := os.Stat(filepath.Join("..", m[1])); err != nil {
				bad = append(bad, doc+": "+m[0]+" does not exist")
			}
		}
		for _, m := range ident.FindAllStringSubmatch(text, -1) {
			names := exported(t, filepath.Join("..", m[1]))
			if names == nil {
				continue // not one of the generator's packages (site.Params …)
			}
			cited++
			if !names[m[2]] {
				bad = append(bad, doc+": "+m[0]+" is not declared in generator/internal/"+m[1])
			}
		}
	}
	sort.Strings(bad)
	if len(bad) > 0 {
		t.Errorf("the template contract cites code that does not exist:\n%s", strings.Join(bad, "\n"))
	}
	if cited == 0 {
		t.Errorf("no citation of the generator's code found in %v: is the pattern broken?", docs)
	}
}

// TestURLRuleIsTheTemplates checks that view.go's Link.URL, the README's
// rule on URLs and the templates name the same Hugo function for a page's
// url, and that no template links a page's url any other way: the one
// exception, relURL for a problem page (which exists in the records'
// language only), must say so with hreflang in the same link.
func TestURLRuleIsTheTemplates(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "view.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var doc string
	ast.Inspect(f, func(n ast.Node) bool {
		ts, ok := n.(*ast.TypeSpec)
		if !ok || ts.Name.Name != "Link" {
			return true
		}
		for _, fl := range ts.Type.(*ast.StructType).Fields.List {
			if len(fl.Names) == 1 && fl.Names[0].Name == "URL" && fl.Comment != nil {
				doc = fl.Comment.Text()
			}
		}
		return false
	})
	m := regexp.MustCompile(`pass it through (\w+)`).FindStringSubmatch(doc)
	if m == nil {
		t.Fatalf("view.go: Link.URL's comment does not say which function to pass it through: %q", doc)
	}
	fn := m[1]
	b, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	for _, rule := range []string{"`{{ .url | " + fn + " }}`", `<a href="{{ .url | relURL }}" hreflang=`} {
		if !strings.Contains(string(b), rule) {
			t.Errorf("%s does not give the rule %s", readme, rule)
		}
	}
	pipe := regexp.MustCompile(`\.url \| (\w+)`)
	tag := regexp.MustCompile(`<a\s(?:[^<>{]|{{[^}]*}})*>`)
	uses := 0
	err = filepath.Walk(filepath.Join(templates, "layouts"), func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		src := string(b)
		for _, m := range pipe.FindAllStringSubmatchIndex(src, -1) {
			uses++
			got := src[m[2]:m[3]]
			if got == fn {
				continue
			}
			// The exception: relURL in a link that names its language.
			ok := false
			for _, a := range tag.FindAllStringIndex(src, -1) {
				if a[0] < m[0] && m[1] < a[1] && got == "relURL" && strings.Contains(src[a[0]:a[1]], "hreflang=") {
					ok = true
				}
			}
			if !ok {
				t.Errorf("%s: %s, but the contract says %s (or relURL with hreflang, for a problem page)", p, src[m[0]:m[1]], fn)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if uses == 0 {
		t.Errorf("no template links a page's url through %s: is the pattern broken?", fn)
	}
}
