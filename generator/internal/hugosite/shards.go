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

// Shard is a part of a site that Hugo renders on its own: the pages below
// some top-level folders (districts), which link to each other and to the
// site-wide pages but are listed by no page outside them.
type Shard struct {
	// Dirs are the top-level folders the shard's pages live in
	// ("chancheng"); it owns them in every language's output.
	Dirs []string
	// Pages makes the shard's pages when it renders, so that only one
	// shard's pages are in memory at a time.
	Pages func() []Page
}

// BuildSharded renders s into s.OutDir as Build does, one Hugo site per
// shard so that Hugo holds one shard's pages at a time. s.Pages are the
// site-wide pages: Hugo renders them once, and again (for their links
// and navigation, then discarded) beside each shard's pages. The sitemaps
// are merged in Hugo's own page order, so the output is byte for byte
// Build's of s.Pages and every shard's pages together.
func BuildSharded(s Site, shards []Shard) error {
	if err := Build(s); err != nil {
		return err
	}
	maps, err := s.readSitemaps(s.OutDir)
	if err != nil {
		return err
	}
	for i, sh := range shards {
		if err := s.buildShard(sh, maps); err != nil {
			return fmt.Errorf("shard %d of %d: %w", i+1, len(shards), err)
		}
	}
	for _, m := range maps {
		if err := m.write(); err != nil {
			return err
		}
	}
	return nil
}

func (s Site) buildShard(sh Shard, maps []*sitemap) error {
	// Inside the output, so that the staging folder's removal takes it
	// with it if the build is interrupted.
	tmp, err := os.MkdirTemp(s.OutDir, ".shard-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	pages := sh.Pages()
	ss := s
	ss.OutDir = tmp
	ss.Pages = append(append([]Page(nil), s.Pages...), pages...)
	if err := ss.build(); err != nil {
		return err
	}
	keys := make(map[string]sortKey, len(pages))
	for _, p := range pages {
		keys[pageURL(p.Path)] = keyOf(p)
	}
	for _, m := range maps {
		shard, err := readSitemap(filepath.Join(tmp, m.rel), m.lang)
		if err != nil {
			return err
		}
		if err := m.add(shard, keys, s.BaseURL); err != nil {
			return err
		}
	}
	ss.Pages = nil // the shard's pages may go before the next renders
	for _, l := range s.langPrefixes() {
		for _, d := range sh.Dirs {
			from, to := filepath.Join(tmp, l, d), filepath.Join(s.OutDir, l, d)
			if _, err := os.Stat(from); errors.Is(err, os.ErrNotExist) {
				continue
			}
			if _, err := os.Lstat(to); err == nil {
				return fmt.Errorf("%s is written by the site-wide pages and by a shard's", path.Join(l, d))
			}
			if err := os.Rename(from, to); err != nil {
				return err
			}
		}
	}
	return nil
}

// langPrefixes are the output folders of the languages: "" for the
// default language, its code for the others.
func (s Site) langPrefixes() []string {
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

// sitemap is one language's sitemap.xml being merged: the site-wide pages'
// entries in their order, and between each two the shards' entries.
type sitemap struct {
	file, rel  string // its path in the output, and relative to it
	lang       string // its language's code
	prefix     string // its language's URL folder ("" or "en/")
	coll       *collate.Collator
	head, tail string
	fixed      []string  // the site-wide pages' entries
	fixedLocs  []string  // and their locations
	gaps       [][]entry // gaps[i]: the shards' entries before fixed[i] (the last: after all)
}

type entry struct {
	text string
	key  sortKey
}

// readSitemaps reads the sitemaps of the site-wide build in dir.
func (s Site) readSitemaps(dir string) ([]*sitemap, error) {
	if !s.Sitemap {
		return nil, nil
	}
	var maps []*sitemap
	langs := s.Languages
	if len(langs) == 0 {
		langs = []Language{{Code: "zh-cn"}}
	}
	for i, l := range langs {
		rel := "sitemap.xml"
		if len(langs) > 1 {
			rel = filepath.Join(l.Code, "sitemap.xml")
		}
		m, err := readSitemap(filepath.Join(dir, rel), l.Code)
		if err != nil {
			return nil, err
		}
		m.file, m.rel = filepath.Join(dir, rel), rel
		if i > 0 {
			m.prefix = l.Code + "/"
		}
		tag, err := language.Parse(l.Code)
		if err != nil {
			tag = language.English
		}
		m.coll = collate.New(tag)
		m.gaps = make([][]entry, len(m.fixed)+1)
		maps = append(maps, m)
	}
	return maps, nil
}

// readSitemap splits a sitemap Hugo wrote into its entries (<url>…</url>,
// written one after the other) and what is around them.
func readSitemap(file, lang string) (*sitemap, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	text := string(b)
	m := &sitemap{lang: lang}
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

// add places a shard's sitemap entries: the site-wide pages are in it in
// the same order, and its own pages fall between them.
func (m *sitemap) add(shard *sitemap, keys map[string]sortKey, baseURL string) error {
	base := strings.TrimSuffix(baseURL, "/") + "/" + m.prefix
	gap := 0
	for i, e := range shard.fixed {
		l := shard.fixedLocs[i]
		if gap < len(m.fixed) && l == m.fixedLocs[gap] {
			if e != m.fixed[gap] {
				return fmt.Errorf("sitemap: the entry of %s differs between the site-wide build and a shard", l)
			}
			gap++
			continue
		}
		k, ok := keys[strings.TrimPrefix(l, base)]
		if !ok || !strings.HasPrefix(l, base) {
			return fmt.Errorf("sitemap: %s is neither a site-wide page nor one of the shard's", l)
		}
		m.gaps[gap] = append(m.gaps[gap], entry{e, k})
	}
	if gap != len(m.fixed) {
		return fmt.Errorf("sitemap: a shard's %s lacks %s", m.rel, m.fixedLocs[gap])
	}
	return nil
}

func (m *sitemap) write() error {
	var buf bytes.Buffer
	buf.WriteString(m.head)
	for i, g := range m.gaps {
		sort.SliceStable(g, func(a, b int) bool { return less(m.coll, g[a].key, g[b].key) })
		for _, e := range g {
			buf.WriteString(e.text)
		}
		if i < len(m.fixed) {
			buf.WriteString(m.fixed[i])
		}
	}
	buf.WriteString(m.tail)
	return os.WriteFile(m.file, buf.Bytes(), 0o644)
}
