package pipeline

import (
	"github.com/xuncha/bulletin/generator/internal/pageurl"
	"path/filepath"
	"sort"
	"strings"

	"github.com/xuncha/bulletin/generator/internal/hugosite"
	"github.com/xuncha/bulletin/generator/internal/notices"
	"github.com/xuncha/bulletin/generator/internal/view"
)

// recordLanguage is the language the records are written in: the default
// interface language, and the only one a problem page is rendered in.
const recordLanguage = "zh-cn"

// recordLanguageOnly restricts a generated page to recordLanguage. A problem
// page is its record's text around a few labels: an English copy of each
// would cost half the build and tell an English reader nothing the English
// district and round pages (labels, figures, navigation) do not; their lists
// link to the Chinese problem pages.
var recordLanguageOnly = map[string]any{"matrix": map[string]any{"languages": []string{recordLanguage}}}

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

// sitePages are the site-wide pages: home, history, search and notices.
func sitePages(b *view.Bulletin) []hugosite.Page {
	pages := []hugosite.Page{{
		Path:        pageurl.Section(""),
		FrontMatter: map[string]any{"title": b.Site.Title, "params": map[string]any{"home": b.Home}},
	}, {
		Path:        pageurl.Leaf(pageurl.History),
		FrontMatter: map[string]any{"title": "整改进展", "type": "history", "params": map[string]any{"history": b.History}},
	}, {
		Path:        pageurl.Leaf(pageurl.Search),
		FrontMatter: map[string]any{"title": "搜索", "type": "search"},
	}}
	return append(pages, noticePages(b)...)
}

// districtPages are the pages of district d, the i-th of the Bulletin (its
// weight, which orders Hugo's lists and sitemap): its own, its rounds',
// problems', units' and common problems'.
func districtPages(i int, d *view.District) []hugosite.Page {
	pages := []hugosite.Page{{
		Path: pageurl.Section(d.URL),
		FrontMatter: map[string]any{
			"title": d.Name, "type": "district", "weight": i + 1,
			"params": map[string]any{"district": d},
		},
	}}
	for j, r := range d.RoundPages {
		pages = append(pages, hugosite.Page{
			Path: pageurl.Section(r.URL),
			FrontMatter: map[string]any{
				"title": r.Title, "type": "round", "weight": j + 1,
				"params": map[string]any{"round": r},
			},
		})
		for k, p := range r.ProblemPages {
			pages = append(pages, hugosite.Page{
				Path: pageurl.Leaf(p.URL),
				FrontMatter: map[string]any{
					"title": p.Title, "type": "problem", "weight": k + 1,
					"params": map[string]any{"problem": p},
					"sites":  recordLanguageOnly,
				},
			})
		}
	}
	if len(d.CommonPages) > 0 {
		pages = append(pages, hugosite.Page{
			Path: pageurl.Section(pageurl.Commons(d.ID)),
			FrontMatter: map[string]any{
				"title": d.Name + " · 共性问题", "type": "commons", "weight": len(d.RoundPages) + 1,
				"params": map[string]any{"commons": view.Commons{District: d.Link, List: d.Commons}},
			},
		})
	}
	if len(d.UnitPages) > 0 {
		pages = append(pages, hugosite.Page{
			Path: pageurl.Section(pageurl.Units(d.ID)),
			FrontMatter: map[string]any{
				"title": d.Name + " · 被巡察单位", "type": "units", "weight": len(d.RoundPages) + 2,
				"params": map[string]any{"units": view.Units{District: d.Link, List: d.Units}},
			},
		})
	}
	for k, u := range d.UnitPages {
		pages = append(pages, hugosite.Page{
			Path: pageurl.Leaf(u.URL),
			FrontMatter: map[string]any{
				"title": u.Title, "type": "unit", "weight": k + 1,
				"params": map[string]any{"unit": u},
			},
		})
	}
	for k, c := range d.CommonPages {
		pages = append(pages, hugosite.Page{
			Path: pageurl.Leaf(c.URL),
			FrontMatter: map[string]any{
				"title": c.Title, "type": "common", "weight": k + 1,
				"params": map[string]any{"common": c},
			},
		})
	}
	return pages
}

// noticePages are the list of notices, each notice (a section, so that its
// comparison with the current figures sits below it) and that comparison.
func noticePages(b *view.Bulletin) []hugosite.Page {
	if len(b.Notices) == 0 {
		return nil
	}
	pages := []hugosite.Page{{
		Path:        pageurl.Section(pageurl.Notices),
		FrontMatter: map[string]any{"title": "整改情况通报", "type": "notices", "params": map[string]any{"notices": b.Home.Notices}},
	}}
	for i, n := range b.Notices {
		pages = append(pages, hugosite.Page{
			Path:        pageurl.Section(n.URL),
			FrontMatter: map[string]any{"title": n.AsOf, "type": "notice", "weight": i + 1, "params": map[string]any{"notice": n}},
		}, hugosite.Page{
			Path:        pageurl.Leaf(n.CompareURL),
			FrontMatter: map[string]any{"title": n.AsOf, "type": "compare", "params": map[string]any{"compare": notices.Compare(n, b)}},
		})
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
