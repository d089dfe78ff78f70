package markdown

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestRenderIsInert(t *testing.T) {
	r := New()
	cases := []struct {
		name, in    string
		want        []string
		mustNotHave []string
	}{
		{"raw script", "<script>alert(1)</script>", nil, []string{"<script"}},
		{"inline html", "a <img src=x onerror=alert(1)> b", []string{"a "}, []string{"<img", "onerror"}},
		{"iframe", "<iframe src=\"https://evil.example\"></iframe>", nil, []string{"<iframe"}},
		{"javascript link", "[点我](javascript:alert(1))", []string{"点我"}, []string{"javascript:", "<a"}},
		{"JaVaScRiPt entity link", "[x](jav&#x61;script:alert(1))", []string{"x"}, []string{"<a"}},
		{"data link", "[x](data:text/html;base64,PHNjcmlwdD4=)", []string{"x"}, []string{"data:", "<a"}},
		{"data image", "![x](data:image/png;base64,AAAA)", []string{"x"}, []string{"<img", "data:"}},
		{"remote image becomes link", "![图](https://evil.example/t.png)", []string{`<a href="https://evil.example/t.png">图</a>`}, []string{"<img"}},
		{"protocol-relative link", "[x](//evil.example/)", []string{"x"}, []string{"<a"}},
		{"autolink js", "<javascript:alert(1)>", nil, []string{"<a"}},
		{"http link kept", "[来源](https://www.gov.cn/)", []string{`<a href="https://www.gov.cn/">来源</a>`}, nil},
		{"heading shifted", "# 标题", []string{"<h3>标题</h3>"}, []string{"<h1"}},
		{"attribute injection", "[x](https://a.example/\"onmouseover=\"alert(1))", nil, []string{`"onmouseover`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := r.Render(c.in)
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("Render(%q) = %q, want it to contain %q", c.in, got, w)
				}
			}
			for _, w := range c.mustNotHave {
				if strings.Contains(strings.ToLower(got), strings.ToLower(w)) {
					t.Errorf("Render(%q) = %q, must not contain %q", c.in, got, w)
				}
			}
		})
	}
}

func TestSafeURL(t *testing.T) {
	for u, want := range map[string]bool{
		"https://example.org/":                            true,
		"http://www.gdjct.gd.gov.cn/xunshixc/82531.jhtml": true,
		"mailto:a@example.org":                            true,
		"/about/":                                         true,
		"javascript:alert(1)":                             false,
		" JavaScript:alert(1)":                            false,
		"data:text/html,<b>":                              false,
		"vbscript:x":                                      false,
		"//evil.example/":                                 false,
		"https:///nohost":                                 false,
		"java\tscript:alert(1)":                           false,
		"":                                                false,
	} {
		if got := SafeURL(u); got != want {
			t.Errorf("SafeURL(%q) = %v, want %v", u, got, want)
		}
	}
}

// FuzzRender checks that no input yields live markup: only harmless tags,
// no event-handler or style attribute, and no link other than http(s),
// mailto or site-relative.
func FuzzRender(f *testing.F) {
	for _, s := range []string{"# t", "[a](javascript:x)", "<script>x</script>", "![i](https://e/x.png)", "a *b* `c`", "| a | b |\n|---|---|\n| 1 | 2 |", "<a href=x onclick=y>", "www.example.org",
		`[](http://0"0000)`, // rendered href="http://0%220000": harmless, once a false stop
	} {
		f.Add(s)
	}
	r := New()
	f.Fuzz(func(t *testing.T, src string) {
		if problem := checkInert(r.Render(src)); problem != "" {
			t.Fatalf("Render(%q): %s", src, problem)
		}
	})
}

var allowedTags = map[string]bool{
	"p": true, "br": true, "hr": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"em": true, "strong": true, "del": true, "code": true, "pre": true, "blockquote": true,
	"ul": true, "ol": true, "li": true, "a": true, "table": true, "thead": true, "tbody": true,
	"tr": true, "th": true, "td": true, "dl": true, "dt": true, "dd": true, "input": true,
}

func checkInert(out string) string {
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			if !allowedTags[tok.Data] {
				return "tag <" + tok.Data + "> in " + out
			}
			for _, a := range tok.Attr {
				k := strings.ToLower(a.Key)
				switch {
				case strings.HasPrefix(k, "on"), k == "style", k == "src", k == "srcdoc", k == "formaction":
					return "attribute " + k + " in " + out
				case k == "href" && !inertLink(a.Val):
					return "link " + a.Val + " in " + out
				}
			}
		}
	}
}

// inertLink judges an href (attribute value, entities decoded) the way a
// browser reads it (WHATWG URL parsing), independently of SafeURL: an
// http(s) or mailto link, or a link within this site. The scheme is what
// makes a link live (javascript:, data:, vbscript: …), and a link starting
// with two slashes or backslashes leaves the site. How an http(s) URL's host
// or path is encoded does not matter: at worst the link goes nowhere.
func inertLink(href string) bool {
	// Browsers strip leading and trailing C0 controls and spaces, and drop
	// tabs and newlines anywhere.
	href = strings.TrimFunc(href, func(r rune) bool { return r <= 0x20 })
	href = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(href)
	scheme := ""
	for i, r := range href {
		alpha := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if r == ':' && i > 0 {
			scheme = strings.ToLower(href[:i])
			break
		}
		if !alpha && (i == 0 || !(r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.')) {
			break // not a scheme: a relative reference
		}
	}
	switch scheme {
	case "http", "https", "mailto":
		return true
	case "":
		rest := strings.ReplaceAll(href, "\\", "/")
		return href != "" && !strings.HasPrefix(rest, "//")
	}
	return false
}

func TestCheckInertCatches(t *testing.T) {
	for _, bad := range []string{
		`<a href="javascript:x">`, `<a href="JaVaScRiPt:x">`, `<a href=" java&#x09;script:x">`, `<a href="vbscript:x">`,
		`<a href="data:text/html,x">`, `<a href="//evil.example/">`, `<a href="\\evil.example/">`, `<a href="/\\evil.example/">`,
		`<a href="a:b">`, `<a href="">`, `<p onclick="x">`, `<script>`, `<img src=x>`,
	} {
		if checkInert(bad) == "" {
			t.Errorf("checkInert(%q) found nothing", bad)
		}
	}
	for _, ok := range []string{
		`<a href="http://0%220000">x</a>`, `<a href="https://example.org/a?b#c">x</a>`, `<a href="mailto:a@example.org">x</a>`,
		`<a href="/d1/r1/">x</a>`, `<a href="p1/">x</a>`, `<a href="#top">x</a>`, `<a href="?q=1">x</a>`, `<a href="a/b:c">x</a>`,
	} {
		if problem := checkInert(ok); problem != "" {
			t.Errorf("checkInert(%q) = %q, want nothing: the link is harmless", ok, problem)
		}
	}
}
