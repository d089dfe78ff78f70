package pipeline

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/xuncha/bulletin/generator/internal/diag"
	"github.com/xuncha/bulletin/generator/internal/hugosite"
	"github.com/xuncha/bulletin/generator/internal/load"
	"github.com/xuncha/bulletin/generator/internal/markdown"
	"github.com/xuncha/bulletin/generator/internal/search"
	"github.com/xuncha/bulletin/generator/internal/view"
)

// Preview is the site behind `serve`: built once, then updated in place on
// every change, re-rendering only what the change touched.
type Preview struct {
	cfg      Config
	baseURL  string
	district string
	Dir      string // the folder being served
	hugo     *hugosite.Preview
	md       *markdown.Renderer
	index    *search.Writer
}

// NewPreview makes an empty preview rendering into a temporary folder.
// district, when set, limits the pages to one district (the home page keeps
// every district's totals).
func NewPreview(cfg Config, baseURL, district string) (*Preview, error) {
	cfg.defaults()
	// The records of every file that did not change since the last check
	// are kept, not decoded again: an edit costs the files it touched.
	cfg.Cache = load.NewRecordCache()
	dir, err := os.MkdirTemp("", "bulletin-preview-")
	if err != nil {
		return nil, err
	}
	return &Preview{cfg: cfg, baseURL: baseURL, district: district, Dir: dir, md: markdown.New(markdown.WithCache()), index: search.NewWriter()}, nil
}

// Close releases the Hugo site and removes the preview's folder.
func (p *Preview) Close() {
	p.hugo.Close()
	os.RemoveAll(p.Dir)
}

// Refresh checks the records again and updates the site. It returns the
// diagnostics when the records do not pass (the site is left as it was),
// and how many generated pages changed.
func (p *Preview) Refresh(sourcesChanged bool) (diag.List, int, error) {
	checked, errs := Check(p.cfg)
	if len(errs) > 0 {
		return errs, 0, nil
	}
	var pagesOf func(string) bool
	if p.district != "" {
		pagesOf = func(id string) bool { return id == p.district }
	}
	b := bulletin(checked, p.cfg.Edition, p.md, pagesOf)
	b.Site.BaseURL = p.baseURL
	if p.district != "" {
		var keep []*view.District
		for _, d := range b.Districts {
			if d.ID == p.district {
				keep = append(keep, d)
			}
		}
		if len(keep) == 0 {
			return nil, 0, fmt.Errorf("--district %q: no such district", p.district)
		}
		b.Districts = keep
	}
	pages := Pages(b)
	changed := len(pages)
	if p.hugo == nil {
		abs, err := filepath.Abs(p.Dir)
		if err != nil {
			return nil, 0, err
		}
		h, err := hugosite.NewPreview(p.site(b, abs))
		if err != nil {
			return nil, 0, err
		}
		p.hugo = h
	} else {
		n, err := p.hugo.Update(pages, sourcesChanged)
		if err != nil {
			return nil, n, err
		}
		changed = n
	}
	return nil, changed, writeData(p.Dir, b, districtsOf(b), p.index)
}

func (p *Preview) site(b *view.Bulletin, out string) hugosite.Site {
	// The preview renders the default language only: twice as fast, and
	// the records are the same in every language.
	s := hugoSite(p.cfg, b, out, Languages(p.cfg.Templates)[:1])
	s.Server = true
	s.Pages = Pages(b)
	return s
}
