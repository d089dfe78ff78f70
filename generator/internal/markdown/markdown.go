// Package markdown renders the markdown written inside records (problem
// descriptions, notes) with goldmark, configured like Hugo's renderer for
// content/ but stricter, because the text comes from records:
//
//   - raw HTML is never rendered (goldmark's safe mode omits it);
//   - links keep only http, https and mailto destinations and site-relative
//     paths; anything else (javascript:, data:, vbscript:, file: …) becomes text;
//   - images become links to the image, so a page never loads anything from
//     another host;
//   - headings are shifted down two levels so a record cannot add an <h1>.
package markdown

import (
	"bytes"
	stdhtml "html"
	"net/url"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Renderer renders record markdown. It is safe for concurrent use.
type Renderer struct {
	md    goldmark.Markdown
	cache *sync.Map // source → HTML, when WithCache
}

// Option configures a Renderer.
type Option func(*Renderer)

// WithCache remembers every rendering, for a long-lived renderer such as the
// preview server's, where most text is the same from one build to the next.
func WithCache() Option { return func(r *Renderer) { r.cache = &sync.Map{} } }

// New returns a Renderer with the project's settings.
func New(opts ...Option) *Renderer {
	md := goldmark.New(
		goldmark.WithExtensions(
			extension.Table,
			extension.Strikethrough,
			extension.Linkify,
			extension.TaskList,
			extension.DefinitionList,
		),
		goldmark.WithParserOptions(
			parser.WithASTTransformers(util.Prioritized(sanitizer{}, 0)),
		),
		goldmark.WithRendererOptions(html.WithXHTML()),
	)
	r := &Renderer{md: md}
	for _, o := range opts {
		o(r)
	}
	return r
}

// Render returns the HTML for src. It never fails: input it cannot parse
// is impossible for CommonMark, and a render error yields escaped text.
func (r *Renderer) Render(src string) string {
	if strings.TrimSpace(src) == "" {
		return ""
	}
	if r.cache != nil {
		if h, ok := r.cache.Load(src); ok {
			return h.(string)
		}
		h := r.render(src)
		r.cache.Store(src, h)
		return h
	}
	return r.render(src)
}

func (r *Renderer) render(src string) string {
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		return "<p>" + escape(src) + "</p>"
	}
	return buf.String()
}

func escape(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&#34;")
		case '\'':
			b.WriteString("&#39;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// SafeURL reports whether u may be linked from a page: an absolute http(s)
// or mailto URL, or a path on this site. Fragments and queries are allowed.
func SafeURL(u string) bool {
	u = strings.TrimSpace(u)
	if u == "" {
		return false
	}
	for _, r := range u {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	p, err := url.Parse(u)
	if err != nil {
		return false
	}
	switch strings.ToLower(p.Scheme) {
	case "http", "https":
		return p.Host != ""
	case "mailto":
		return p.Opaque != ""
	case "":
		// A relative reference; "//host/..." is not relative to this site.
		return p.Host == "" && !strings.HasPrefix(u, "//") && !strings.HasPrefix(u, `\`)
	}
	return false
}

// safeDestination checks a destination as the browser will see it: with
// backslash escapes and character references resolved.
func safeDestination(dest []byte) bool {
	return SafeURL(stdhtml.UnescapeString(string(util.UnescapePunctuations(dest))))
}

type sanitizer struct{}

func (sanitizer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	var drop []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch v := n.(type) {
		case *ast.Heading:
			v.Level = min(v.Level+2, 6)
		case *ast.Link:
			if !safeDestination(v.Destination) {
				drop = append(drop, v)
			}
		case *ast.AutoLink:
			if !safeDestination(v.URL(reader.Source())) {
				drop = append(drop, v)
			}
		case *ast.Image:
			drop = append(drop, v)
		}
		return ast.WalkContinue, nil
	})
	src := reader.Source()
	for _, n := range drop {
		parent := n.Parent()
		if parent == nil {
			continue
		}
		switch v := n.(type) {
		case *ast.Image:
			if safeDestination(v.Destination) {
				link := ast.NewLink()
				link.Destination = v.Destination
				link.Title = v.Title
				moveChildren(v, link)
				if !link.HasChildren() {
					link.AppendChild(link, ast.NewString(v.Destination))
				}
				parent.ReplaceChild(parent, v, link)
				continue
			}
			replaceWithChildren(parent, v)
		case *ast.AutoLink:
			parent.ReplaceChild(parent, v, ast.NewString(v.Label(src)))
		default:
			replaceWithChildren(parent, n)
		}
	}
}

func moveChildren(from, to ast.Node) {
	for c := from.FirstChild(); c != nil; {
		next := c.NextSibling()
		from.RemoveChild(from, c)
		to.AppendChild(to, c)
		c = next
	}
}

// replaceWithChildren puts n's children where n was.
func replaceWithChildren(parent, n ast.Node) {
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling()
		n.RemoveChild(n, c)
		parent.InsertBefore(parent, n, c)
		c = next
	}
	parent.RemoveChild(parent, n)
}
