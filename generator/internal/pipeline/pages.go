package pipeline

import (
	"path/filepath"
	"sort"
	"strings"

	"github.com/xuncha/bulletin/generator/internal/hugosite"
	"github.com/xuncha/bulletin/generator/internal/notices"
	"github.com/xuncha/bulletin/generator/internal/pageurl"
	"github.com/xuncha/bulletin/generator/internal/view"
)

// recordLanguage is the language the records are written in: the default
// interface language, and the only one a problem page is rendered in.
const recordLanguage = "zh-cn"

// Pages lays the Bulletin out as Hugo content: one section per district and
// round, one page per problem, common problem and unit. Each page's front matter
// carries its view data under params.<kind> (see templates/README.md).
func Pages(b *view.Bulletin) []hugosite.Page {
	pages := sitePages(b)
	for i, d := range b.Districts {
		pages = append(pages, districtPages(i, d)...)
	}
	return pages
}

// RenderSite is the Hugo site of an unsharded build of b into the folder
// out, with all its pages: what Build hands Hugo, without the files made in
// Go (data, search index, history). For the benchmark of Hugo's part alone.
func RenderSite(cfg Config, b *view.Bulletin, out string) hugosite.Site {
	cfg.defaults()
	site := hugoSite(cfg, b, out, Languages(cfg.Templates))
	site.Pages = Pages(b)
	return site
}

// sitePages are the site-wide pages: home, history, search and notices.
func sitePages(b *view.Bulletin) []hugosite.Page {
	pages := []hugosite.Page{{
		Path:        pageurl.Section(""),
		FrontMatter: map[string]any{"title": b.Site.Title, "params": map[string]any{"home": b.Home}},
	},
		page(pageurl.Leaf(pageurl.History), "history", "整改进展", 0, b.History),
		{Path: pageurl.Leaf(pageurl.Search), FrontMatter: map[string]any{"title": "搜索", "type": "search"}},
	}
	return append(pages, noticePages(b)...)
}

// page is one generated page: its front matter carries the view data v
// under params.<kind> and uses the layout of that kind (see
// templates/README.md). weight orders Hugo's lists (0: none).
func page(path, kind, title string, weight int, v any) hugosite.Page {
	fm := map[string]any{"title": title, "type": kind, "params": map[string]any{kind: v}}
	if weight > 0 {
		fm["weight"] = weight
	}
	return hugosite.Page{Path: path, FrontMatter: fm}
}

// districtPages are the pages of district d, the i-th of the Bulletin (its
// weight, which orders Hugo's lists and sitemap): its own, its rounds',
// problems', units' and common problems'.
func districtPages(i int, d *view.District) []hugosite.Page {
	pages := []hugosite.Page{page(pageurl.Section(d.URL), "district", d.Name, i+1, d)}
	for j, r := range d.RoundPages {
		pages = append(pages, page(pageurl.Section(r.URL), "round", r.Title, j+1, r))
		for k, p := range r.ProblemPages {
			pg := page(pageurl.Leaf(p.URL), "problem", p.Title, k+1, p)
			// In recordLanguage only (the default language: Languages
			// puts it first). A problem page is its record's text around a
			// few labels: an English copy of each would cost half the
			// build and tell an English reader nothing the English district
			// and round pages (labels, figures, navigation) do not; their
			// lists link to the Chinese problem pages.
			pg.DefaultLanguageOnly = true
			pages = append(pages, pg)
		}
	}
	if len(d.CommonPages) > 0 {
		pages = append(pages, page(pageurl.Section(pageurl.Commons(d.ID)), "commons", d.Name+" · 共性问题",
			len(d.RoundPages)+1, view.Commons{District: d.Link, List: d.Commons}))
	}
	if len(d.UnitPages) > 0 {
		pages = append(pages, page(pageurl.Section(pageurl.Units(d.ID)), "units", d.Name+" · 被巡察单位",
			len(d.RoundPages)+2, view.Units{District: d.Link, List: d.Units}))
	}
	for k, u := range d.UnitPages {
		pages = append(pages, page(pageurl.Leaf(u.URL), "unit", u.Title, k+1, u))
	}
	for k, c := range d.CommonPages {
		pages = append(pages, page(pageurl.Leaf(c.URL), "common", c.Title, k+1, c))
	}
	return pages
}

// noticePages are the list of notices, each notice (a section, so that its
// comparison with the current figures sits below it) and that comparison.
func noticePages(b *view.Bulletin) []hugosite.Page {
	if len(b.Notices) == 0 {
		return nil
	}
	pages := []hugosite.Page{page(pageurl.Section(pageurl.Notices), "notices", "整改情况通报", 0, b.Home.Notices)}
	for i, n := range b.Notices {
		pages = append(pages,
			page(pageurl.Section(n.URL), "notice", n.AsOf, i+1, n),
			page(pageurl.Leaf(n.CompareURL), "compare", n.AsOf, 0, notices.Compare(n, b)))
	}
	return pages
}

// knownLanguages names the interface languages the templates may carry.
var knownLanguages = map[string]hugosite.Language{
	"zh-cn": {Code: "zh-cn", Locale: "zh-CN", Label: "中文"},
	"en":    {Code: "en", Locale: "en", Label: "English"},
}

// Languages lists the interface languages: Chinese first, then every other
// language with a translation file in templates/i18n/. Records stay as
// written; only the interface is translated.
func Languages(templates string) []hugosite.Language {
	langs := []hugosite.Language{knownLanguages[recordLanguage]}
	files, _ := filepath.Glob(filepath.Join(templates, "i18n", "*.yaml"))
	sort.Strings(files)
	for _, f := range files {
		code := strings.ToLower(strings.TrimSuffix(filepath.Base(f), ".yaml"))
		if code == recordLanguage {
			continue
		}
		l, ok := knownLanguages[code]
		if !ok {
			l = hugosite.Language{Code: code, Locale: code, Label: code}
		}
		langs = append(langs, l)
	}
	return langs
}
