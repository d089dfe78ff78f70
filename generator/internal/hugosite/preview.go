package hugosite

import (
	"bytes"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/fsnotify/fsnotify"
	"github.com/gohugoio/hugo/hugolib"
	"github.com/spf13/afero"
)

// Preview keeps one Hugo site alive for the preview server, so that a
// changed record re-renders only the pages that depend on it.
type Preview struct {
	site    Site
	src     afero.Fs
	sites   *hugolib.HugoSites
	pages   map[string]written // content path → the page as written
	sources map[string][]byte  // template or content file on disk → its bytes at the last build
}

// written is a generated page as the preview last wrote it.
type written struct {
	file string // in Hugo's source file system
	data []byte
}

// NewPreview renders s (with s.Server set) and keeps it for Update.
func NewPreview(s Site) (*Preview, error) {
	s.Server = true
	src, err := s.sources()
	if err != nil {
		return nil, err
	}
	pages := s.Pages
	s.Pages = nil // the preview keeps them encoded only
	p := &Preview{site: s, src: src, pages: map[string]written{}, sources: s.sourceFiles()}
	for _, pg := range pages {
		data := encodePage(pg)
		p.pages[pg.Path] = written{pagePath(pg), data}
		if err := writePage(p.src, pg, data); err != nil {
			return nil, err
		}
	}
	sites, err := s.newSites(p.src)
	if err != nil {
		return nil, err
	}
	if err := sites.Build(hugolib.BuildCfg{}); err != nil {
		sites.Close()
		return nil, s.buildError(err)
	}
	if err := s.copyStatic(); err != nil {
		sites.Close()
		return nil, err
	}
	p.sites = sites
	return p, nil
}

// Close releases the Hugo site (its cache goroutine keeps every page
// reachable until then).
func (p *Preview) Close() {
	if p != nil && p.sites != nil {
		p.sites.Close()
		p.sites = nil
	}
}

// Update renders the new pages, telling Hugo only about the pages whose data
// changed, and about the template and content files when sourcesChanged.
// It returns how many generated pages changed.
func (p *Preview) Update(pages []Page, sourcesChanged bool) (int, error) {
	var events []fsnotify.Event
	seen := map[string]bool{}
	for _, pg := range pages {
		seen[pg.Path] = true
		data := encodePage(pg)
		file := pagePath(pg)
		old, ok := p.pages[pg.Path]
		if ok && old.file == file && bytes.Equal(old.data, data) {
			continue
		}
		if ok && old.file != file { // now in another language's folder
			p.src.Remove(old.file)
			events = append(events, fsnotify.Event{Name: old.file, Op: fsnotify.Remove})
			ok = false
		}
		p.pages[pg.Path] = written{file, data}
		if err := writePage(p.src, pg, data); err != nil {
			return 0, err
		}
		op := fsnotify.Write
		if !ok {
			op = fsnotify.Create
		}
		events = append(events, fsnotify.Event{Name: file, Op: op})
	}
	var gone []string
	for rel, w := range p.pages {
		if !seen[rel] {
			delete(p.pages, rel)
			p.src.Remove(w.file)
			events = append(events, fsnotify.Event{Name: w.file, Op: fsnotify.Remove})
			gone = append(gone, rel)
		}
	}
	// Hugo never deletes from its output folder: without this, a page that
	// is gone (a problem made internal) would be served until restart.
	defer p.removeOutput(gone)
	changed := len(events)
	if sourcesChanged {
		now := p.site.sourceFiles()
		for name, data := range now {
			if old, ok := p.sources[name]; !ok || !bytes.Equal(old, data) {
				events = append(events, fsnotify.Event{Name: name, Op: fsnotify.Write})
			}
		}
		for name := range p.sources {
			if _, ok := now[name]; !ok {
				events = append(events, fsnotify.Event{Name: name, Op: fsnotify.Remove})
			}
		}
		p.sources = now
	}
	if len(events) == 0 {
		return 0, nil
	}
	if err := p.sites.Build(hugolib.BuildCfg{}, events...); err != nil {
		return changed, p.site.buildError(err)
	}
	if sourcesChanged {
		return changed, p.site.copyStatic()
	}
	return changed, nil
}

// removeOutput deletes what was rendered for the generated pages gone
// (content paths such as "d1/r1/p2.md" or "d1/r1/_index.md"): the page's
// index.html, and its folder once empty. Deeper pages go first, so that a
// section that went with its pages leaves no folder behind.
func (p *Preview) removeOutput(gone []string) {
	slices.SortFunc(gone, func(a, b string) int { return strings.Count(b, "/") - strings.Count(a, "/") })
	for _, rel := range gone {
		dir := strings.TrimSuffix(rel, ".md")
		if path.Base(dir) == "_index" {
			dir = path.Dir(dir)
		}
		if dir == "." || dir == "" {
			continue // the home page never goes
		}
		out := filepath.Join(p.site.OutDir, filepath.FromSlash(dir))
		os.Remove(filepath.Join(out, "index.html"))
		os.Remove(out) // only when empty
	}
}

// sourceFiles reads the files of the templates and content folders, by
// absolute path (the names Hugo knows them by).
func (s Site) sourceFiles() map[string][]byte {
	files := map[string][]byte{}
	for _, dir := range []string{s.Templates, s.Content} {
		if dir == "" {
			continue
		}
		abs, err := filepath.Abs(dir)
		if err != nil {
			continue
		}
		filepath.WalkDir(abs, func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return nil
			}
			if b, err := os.ReadFile(p); err == nil {
				files[p] = b
			}
			return nil
		})
	}
	return files
}
