package hugosite

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gohugoio/hugo/compare"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Shard is a part of a site that Hugo renders on its own (BuildShard): the
// pages below some top-level folders (districts), which link to each other
// and to the site-wide pages but are listed by no page outside them. A
// sharded build is Build of the site-wide pages, BuildShard of each shard
// and MergeSitemaps: byte for byte Build of all the pages.
type Shard struct {
	// Dirs are the top-level folders the shard's pages live in
	// ("chancheng"); it owns them in every language's output.
	Dirs []string
	// Pages makes the shard's pages when it renders, so that only one
	// shard's pages are in memory at a time.
	Pages func() []Page
}

// SitemapEntry is a shard page's entry in a language's sitemap, with what
// Hugo orders it by.
type SitemapEntry struct {
	File   string `json:"file"`  // the sitemap, in the output: "zh-cn/sitemap.xml"
	After  int    `json:"after"` // how many site-wide pages' entries precede it
	Text   string `json:"text"`  // <url>…</url>
	Weight int    `json:"weight"`
	Title  string `json:"title"`
	Path   string `json:"path"`
}

func (e SitemapEntry) key() sortKey { return sortKey{weight: e.Weight, title: e.Title, path: e.Path} }

// BuildShard renders the site-wide pages s.Pages and the shard's together
// in a folder inside s.OutDir, moves the shard's folders (in every
// language) into s.OutDir, and returns the shard's sitemap entries for
// MergeSitemaps. The site-wide pages' output is discarded.
func BuildShard(s Site, sh Shard) ([]SitemapEntry, error) {
	// Inside the output, so that the staging folder's removal takes it
	// with it if the build is interrupted.
	tmp, err := os.MkdirTemp(s.OutDir, ".shard-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	pages := sh.Pages()
	keys := make(map[string]sortKey, len(pages))
	for _, p := range pages {
		keys[pageURL(p.Path)] = keyOf(p)
	}
	ss := s
	ss.OutDir = tmp
	ss.Pages = nil
	// build lets go of the shard's pages once Hugo has them.
	if err := ss.build(append(append([]Page(nil), s.Pages...), pages...)); err != nil {
		return nil, err
	}
	var entries []SitemapEntry
	for _, f := range s.sitemapFiles() {
		m, err := readSitemap(filepath.Join(tmp, f.rel))
		if err != nil {
			return nil, err
		}
		base := strings.TrimSuffix(s.BaseURL, "/") + "/" + f.prefix
		after := 0
		for i, e := range m.fixed {
			l := m.fixedLocs[i]
			k, ok := keys[strings.TrimPrefix(l, base)]
			if !ok || !strings.HasPrefix(l, base) {
				after++ // a site-wide page
				continue
			}
			entries = append(entries, SitemapEntry{File: filepath.ToSlash(f.rel), After: after, Text: e, Weight: k.weight, Title: k.title, Path: k.path})
		}
	}
	for _, l := range s.LangDirs() {
		for _, d := range sh.Dirs {
			from, to := filepath.Join(tmp, l, d), filepath.Join(s.OutDir, l, d)
			if _, err := os.Stat(from); errors.Is(err, os.ErrNotExist) {
				continue
			}
			if _, err := os.Lstat(to); err == nil {
				return nil, fmt.Errorf("%s is written by the site-wide pages and by a shard's", path.Join(l, d))
			}
			if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
				return nil, err
			}
			if err := os.Rename(from, to); err != nil {
				return nil, err
			}
		}
	}
	return entries, nil
}

// MergeSitemaps adds the shards' entries to the sitemaps that Build wrote
// into s.OutDir for the site-wide pages, each in its place in Hugo's page
// order.
func MergeSitemaps(s Site, entries []SitemapEntry) error {
	files := s.sitemapFiles()
	byFile := map[string][]SitemapEntry{}
	for _, e := range entries {
		byFile[e.File] = append(byFile[e.File], e)
	}
	for _, f := range files {
		rel := filepath.ToSlash(f.rel)
		m, err := readSitemap(filepath.Join(s.OutDir, f.rel))
		if err != nil {
			return err
		}
		gaps := make([][]SitemapEntry, len(m.fixed)+1)
		for _, e := range byFile[rel] {
			if e.After < 0 || e.After > len(m.fixed) {
				return fmt.Errorf("%s: a shard's entry for %s is out of place (built from other pages?)", rel, loc(e.Text))
			}
			gaps[e.After] = append(gaps[e.After], e)
		}
		delete(byFile, rel)
		tag, err := language.Parse(f.lang)
		if err != nil {
			tag = language.English
		}
		coll := collate.New(tag)
		var buf bytes.Buffer
		buf.WriteString(m.head)
		for i, g := range gaps {
			sort.SliceStable(g, func(a, b int) bool { return less(coll, g[a].key(), g[b].key()) })
			for _, e := range g {
				buf.WriteString(e.Text)
			}
			if i < len(m.fixed) {
				buf.WriteString(m.fixed[i])
			}
		}
		buf.WriteString(m.tail)
		if err := os.WriteFile(filepath.Join(s.OutDir, f.rel), buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	for rel := range byFile {
		return fmt.Errorf("a shard has entries for %s, which this site does not write", rel)
	}
	return nil
}

// LangDirs are the output folders of the languages: "" for the default
// language, its code for the others.
func (s Site) LangDirs() []string {
	prefixes := []string{""}
	for i, l := range s.Languages {
		if i > 0 {
			prefixes = append(prefixes, l.Code)
		}
	}
	return prefixes
}

// pageURL is the path of a generated page's URL below its language's root:
// "chancheng/_index.md" → "chancheng/", "chancheng/r1/p.md" → "chancheng/r1/p/".
func pageURL(content string) string {
	if d, f := path.Split(content); f == "_index.md" {
		return d
	}
	return strings.TrimSuffix(content, ".md") + "/"
}

// sortKey is what Hugo's default page order compares for a generated page
// (no date, no linkTitle): weight (0 last), title by the language's
// collation, then the content path.
type sortKey struct {
	weight int
	title  string
	path   string
}

func keyOf(p Page) sortKey {
	k := sortKey{path: "/" + strings.ToLower(p.Path)}
	k.title, _ = p.FrontMatter["title"].(string)
	switch w := p.FrontMatter["weight"].(type) {
	case int:
		k.weight = w
	case float64:
		k.weight = int(w)
	}
	return k
}

func less(coll *collate.Collator, a, b sortKey) bool {
	if a.weight == b.weight {
		c := coll.CompareString(a.title, b.title)
		if c == 0 {
			return compare.LessStrings(a.path, b.path)
		}
		return c < 0
	}
	if b.weight == 0 {
		return true
	}
	if a.weight == 0 {
		return false
	}
	return a.weight < b.weight
}

// sitemapFile is where a language's sitemap is in the output.
type sitemapFile struct {
	rel    string // "sitemap.xml", or "zh-cn/sitemap.xml" with several languages
	lang   string // the language's code
	prefix string // its URL folder: "" or "en/"
}

func (s Site) sitemapFiles() []sitemapFile {
	if !s.Sitemap {
		return nil
	}
	langs := s.Languages
	if len(langs) == 0 {
		langs = []Language{{Code: "zh-cn"}}
	}
	var files []sitemapFile
	for i, l := range langs {
		f := sitemapFile{rel: "sitemap.xml", lang: l.Code}
		if len(langs) > 1 {
			f.rel = filepath.Join(l.Code, "sitemap.xml")
		}
		if i > 0 {
			f.prefix = l.Code + "/"
		}
		files = append(files, f)
	}
	return files
}

// sitemap is a sitemap Hugo wrote, split into its entries (<url>…</url>,
// written one after the other) and what is around them.
type sitemap struct {
	head, tail string
	fixed      []string // the entries
	fixedLocs  []string // and their locations
}

func readSitemap(file string) (*sitemap, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	text := string(b)
	m := &sitemap{}
	first, last := strings.Index(text, "<url>"), strings.LastIndex(text, "</url>")
	if first < 0 || last < 0 {
		return nil, fmt.Errorf("%s: no <url> entry", file)
	}
	m.head, m.tail = text[:first], text[last+len("</url>"):]
	for _, e := range strings.SplitAfter(text[first:last+len("</url>")], "</url>") {
		if e == "" {
			continue
		}
		if !strings.HasPrefix(e, "<url>") {
			return nil, fmt.Errorf("%s: unexpected text between entries: %.40q", file, e)
		}
		m.fixed = append(m.fixed, e)
		m.fixedLocs = append(m.fixedLocs, loc(e))
	}
	return m, nil
}

func loc(entry string) string {
	i := strings.Index(entry, "<loc>")
	j := strings.Index(entry, "</loc>")
	if i < 0 || j < i {
		return ""
	}
	return entry[i+len("<loc>") : j]
}
