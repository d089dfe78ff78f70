package sitetest

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/tools/txtar"
)

// TestHostileTextIsInert builds both editions from records full of markup
// and scans every output file: no script, frame or event handler from a
// record is live, no link runs code, and the CSV defuses formulas.
func TestHostileTextIsInert(t *testing.T) {
	ar, err := txtar.ParseFile(filepath.Join("testdata", "hostile.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := project(t, ar)
	if r := run(t, dir, "build"); r.code != 0 {
		t.Fatalf("public build: %d %s", r.code, r.stderr)
	}
	if r := run(t, dir, "build", "--edition", "internal", "--out", "internal-site"); r.code != 0 {
		t.Fatalf("internal build: %s", r.stderr)
	}
	for _, out := range []string{"public", "internal-site"} {
		scanned := 0
		walkFiles(t, filepath.Join(dir, out), func(rel string, data []byte) {
			scanned++
			switch {
			case strings.HasSuffix(rel, ".html"):
				for _, p := range liveMarkup(data) {
					t.Errorf("%s/%s: %s", out, rel, p)
				}
			case strings.HasSuffix(rel, ".xml"):
				if err := wellFormedXML(data); err != nil {
					t.Errorf("%s/%s is not well-formed XML: %v", out, rel, err)
				}
				if bytes.Contains(data, []byte("<script")) {
					t.Errorf("%s/%s carries a raw <script", out, rel)
				}
			case strings.HasSuffix(rel, ".json"):
				if !json.Valid(data) {
					t.Errorf("%s/%s is not valid JSON", out, rel)
				}
				if bytes.Contains(data, []byte("<script")) {
					t.Errorf("%s/%s carries a raw <script", out, rel)
				}
			case strings.HasSuffix(rel, ".csv"):
				checkCSV(t, out+"/"+rel, data)
			}
		})
		if scanned < 8 {
			t.Errorf("%s: only %d files", out, scanned)
		}
	}
	// The text is shown, escaped, not dropped.
	p := readFile(t, filepath.Join(dir, "public", "d1", "r1", "p1", "index.html"))
	if !strings.Contains(p, "&lt;script&gt;alert(&#39;xss-title&#39;)&lt;/script&gt;") {
		t.Errorf("the problem page does not show the title as text")
	}
	if strings.Contains(p, `<a href="https://evil.example`) && strings.Contains(p, "<img") {
		t.Errorf("remote image rendered")
	}
}

// liveMarkup lists what in an HTML page could run code or load another
// host's content.
func liveMarkup(data []byte) []string {
	var problems []string
	z := html.NewTokenizer(bytes.NewReader(data))
	inScript := false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				problems = append(problems, "tokenizer: "+z.Err().Error())
			}
			return problems
		case html.TextToken:
			if inScript && bytes.Contains(z.Text(), []byte("xss")) {
				problems = append(problems, "record text inside <script>")
			}
		case html.EndTagToken:
			inScript = false
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			switch tok.Data {
			case "script":
				inScript = true
				for _, a := range tok.Attr {
					if a.Key == "src" && (strings.Contains(a.Val, "//") || strings.Contains(a.Val, "xss")) {
						problems = append(problems, "script from "+a.Val)
					}
				}
			case "iframe", "object", "embed", "frame", "img", "form", "base":
				if tok.Data == "form" && attr(tok, "id") == "search-form" {
					break // the site's own search form
				}
				problems = append(problems, "<"+tok.Data+">")
			}
			for _, a := range tok.Attr {
				k, v := strings.ToLower(a.Key), strings.ToLower(strings.TrimSpace(a.Val))
				if strings.HasPrefix(k, "on") {
					problems = append(problems, "event attribute "+k)
				}
				if (k == "href" || k == "src" || k == "action" || k == "formaction") &&
					(strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "data:") || strings.HasPrefix(v, "vbscript:")) {
					problems = append(problems, k+"="+v)
				}
				if k == "src" && strings.Contains(v, "evil.example") {
					problems = append(problems, "loads "+v)
				}
			}
		}
	}
}

func attr(tok html.Token, key string) string {
	for _, a := range tok.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func wellFormedXML(data []byte) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func checkCSV(t *testing.T, name string, data []byte) {
	if !bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		t.Errorf("%s has no byte-order mark", name)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(rows) < 2 {
		t.Fatalf("%s: %d rows", name, len(rows))
	}
	for i, row := range rows {
		for j, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("%s row %d column %d starts a formula: %q", name, i+1, j+1, cell)
			}
		}
	}
	joined := string(data)
	if !strings.Contains(joined, "'+cmd|") || !strings.Contains(joined, `'=HYPERLINK(`) {
		t.Errorf("%s: formulas not neutralised with a leading quote", name)
	}
}

// TestLiveMarkupCatches keeps the scanner honest.
func TestLiveMarkupCatches(t *testing.T) {
	for _, bad := range []string{
		`<script>alert('xss')</script>`, `<p onclick="x">`, `<a href="javascript:x">`,
		`<a href=" data:text/html,x">`, `<iframe src="https://evil.example/">`, `<img src=x>`,
		`<script src="https://cdn.example/x.js"></script>`,
	} {
		if len(liveMarkup([]byte(bad))) == 0 {
			t.Errorf("liveMarkup(%q) found nothing", bad)
		}
	}
	if p := liveMarkup([]byte(`<p>&lt;script&gt;alert('xss')&lt;/script&gt;</p><a href="https://example.org/">x</a>`)); len(p) > 0 {
		t.Errorf("escaped text flagged: %v", p)
	}
}
