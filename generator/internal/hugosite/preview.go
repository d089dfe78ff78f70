package hugosite

import (
	"bytes"
	"fmt"
	"os"
	"path"

	"github.com/fsnotify/fsnotify"
	"github.com/gohugoio/hugo/hugolib"
	"github.com/spf13/afero"
)

// Preview keeps one Hugo site alive for the preview server, so that a
// changed record re-renders only the pages that depend on it.
type Preview struct {
	site  Site
	src   afero.Fs
	sites *hugolib.HugoSites
	pages map[string][]byte // content path → encoded page
}

// NewPreview renders s (with s.Server set) and keeps it for Update.
func NewPreview(s Site) (*Preview, error) {
	s.Server = true
	p := &Preview{site: s, src: afero.NewMemMapFs(), pages: map[string][]byte{}}
	if err := s.writeSources(p.src); err != nil {
		return nil, err
	}
	for _, pg := range s.Pages {
		data := encodePage(pg)
		p.pages[pg.Path] = data
		if err := writePage(p.src, pg.Path, data); err != nil {
			return nil, err
		}
	}
	sites, err := s.newSites(p.src)
	if err != nil {
		return nil, err
	}
	if err := sites.Build(hugolib.BuildCfg{}); err != nil {
		return nil, fmt.Errorf("hugo: %w", err)
	}
	if err := s.copyStatic(); err != nil {
		return nil, err
	}
	p.sites = sites
	return p, nil
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
		old, ok := p.pages[pg.Path]
		if ok && bytes.Equal(old, data) {
			continue
		}
		p.pages[pg.Path] = data
		if err := writePage(p.src, pg.Path, data); err != nil {
			return 0, err
		}
		op := fsnotify.Write
		if !ok {
			op = fsnotify.Create
		}
		events = append(events, fsnotify.Event{Name: pagePath(pg.Path), Op: op})
	}
	for rel := range p.pages {
		if !seen[rel] {
			delete(p.pages, rel)
			p.src.Remove(pagePath(rel))
			events = append(events, fsnotify.Event{Name: pagePath(rel), Op: fsnotify.Remove})
		}
	}
	changed := len(events)
	if sourcesChanged {
		before := map[string][]byte{}
		afero.Walk(p.src, workDir, func(name string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() && !isGenerated(name) {
				before[name], _ = afero.ReadFile(p.src, name)
			}
			return nil
		})
		for name := range before {
			p.src.Remove(name)
		}
		if err := p.site.writeSources(p.src); err != nil {
			return 0, err
		}
		afero.Walk(p.src, workDir, func(name string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() || isGenerated(name) {
				return nil
			}
			data, _ := afero.ReadFile(p.src, name)
			if old, ok := before[name]; !ok || !bytes.Equal(old, data) {
				events = append(events, fsnotify.Event{Name: name, Op: fsnotify.Write})
			}
			delete(before, name)
			return nil
		})
		for name := range before {
			events = append(events, fsnotify.Event{Name: name, Op: fsnotify.Remove})
		}
	}
	if len(events) == 0 {
		return 0, nil
	}
	if err := p.sites.Build(hugolib.BuildCfg{}, events...); err != nil {
		return changed, fmt.Errorf("hugo: %w", err)
	}
	if sourcesChanged {
		return changed, p.site.copyStatic()
	}
	return changed, nil
}

func isGenerated(name string) bool {
	dir := path.Join(workDir, "gen") + "/"
	return len(name) > len(dir) && name[:len(dir)] == dir
}
