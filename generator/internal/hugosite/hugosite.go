// Package hugosite renders pages with Hugo used as a library. It is the only
// package of the generator that imports Hugo, so a Hugo upgrade touches this
// folder alone.
//
// Hugo never reads the records. It gets a source file system built in
// memory: the project's templates (as layouts), its content pages, and one
// generated page per district, round, problem and common problem whose front
// matter carries that page's view data (package view). Its output goes to a
// staging folder that package publish swaps in.
package hugosite

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/bep/logg"
	"github.com/gohugoio/hugo/common/loggers"
	"github.com/gohugoio/hugo/config"
	"github.com/gohugoio/hugo/config/allconfig"
	"github.com/gohugoio/hugo/deps"
	"github.com/gohugoio/hugo/hugofs"
	"github.com/gohugoio/hugo/hugolib"
	"github.com/spf13/afero"
)

// Page is one generated content page.
type Page struct {
	// Path under content/, e.g. "chancheng/2019-r1/p001.md" or
	// "chancheng/_index.md" for a section.
	Path string
	// FrontMatter is written as JSON front matter.
	FrontMatter map[string]any
}

// Site is everything Hugo needs for one build.
type Site struct {
	Templates string // the templates/ folder: layouts, plus i18n/, assets/, static/ inside it
	Content   string // the content/ folder (markdown pages), may be ""
	OutDir    string // absolute folder Hugo writes to
	BaseURL   string
	Title     string
	Params    map[string]any // site.Params
	Pages     []Page
	Sitemap   bool // write sitemap.xml
	Robots    bool // write robots.txt (from the robots.txt template)
	Languages []Language
	Log       io.Writer // Hugo's warnings and errors; nil discards
	// Server, when set, renders for the preview server (live reload script,
	// loopback base URL).
	Server bool
}

// Language is one language of the interface. The first is the default.
type Language struct {
	Code   string // "zh-cn", "en"
	Locale string // "zh-CN", "en"
	Label  string
}

const workDir = "/site"

// Build renders the site into s.OutDir.
func Build(s Site) error {
	src := afero.NewMemMapFs()
	if err := s.writeSources(src); err != nil {
		return err
	}
	for _, p := range s.Pages {
		if err := writePage(src, p.Path, encodePage(p)); err != nil {
			return err
		}
	}
	sites, err := s.newSites(src)
	if err != nil {
		return err
	}
	if err := sites.Build(hugolib.BuildCfg{}); err != nil {
		return fmt.Errorf("hugo: %w", err)
	}
	return s.copyStatic()
}

// copyStatic copies templates/static/ into the output as it is (Hugo's
// library build leaves static files to its command line).
func (s Site) copyStatic() error {
	dir := filepath.Join(s.Templates, "static")
	if _, err := os.Stat(dir); err != nil {
		return nil
	}
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") || !d.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		target := filepath.Join(s.OutDir, rel)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
}

// writeSources copies the templates and content pages and writes the
// configuration into the in-memory source.
func (s Site) writeSources(src afero.Fs) error {
	if err := copyTree(src, s.Templates, workDir, templateDest); err != nil {
		return err
	}
	if s.Content != "" {
		if err := copyTree(src, s.Content, workDir+"/content", func(rel string) (string, bool) { return rel, true }); err != nil {
			return err
		}
	}
	cfg, err := json.Marshal(s.config())
	if err != nil {
		return err
	}
	return afero.WriteFile(src, workDir+"/hugo.json", cfg, 0o644)
}

func encodePage(p Page) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p.FrontMatter); err != nil {
		// The view types are plain data; this cannot happen.
		panic(fmt.Sprintf("page %s: %v", p.Path, err))
	}
	return buf.Bytes()
}

func pagePath(rel string) string { return path.Join(workDir, "gen", rel) }

func writePage(src afero.Fs, rel string, data []byte) error {
	name := pagePath(rel)
	if err := src.MkdirAll(path.Dir(name), 0o755); err != nil {
		return err
	}
	return afero.WriteFile(src, name, data, 0o644)
}

func (s Site) newSites(src afero.Fs) (*hugolib.HugoSites, error) {
	logOut := s.Log
	if logOut == nil {
		logOut = io.Discard
	}
	logger := loggers.New(loggers.Options{StdOut: logOut, StdErr: logOut, Level: logg.LevelWarn, DistinctLevel: logg.LevelWarn})
	flags := config.New()
	flags.Set("workingDir", workDir)
	flags.Set("publishDir", s.OutDir)
	flags.Set("noBuildLock", true)
	if s.Server {
		flags.Set("internal", map[string]any{"running": true, "watch": true})
	}
	configs, err := allconfig.LoadConfig(allconfig.ConfigSourceDescriptor{
		Fs:      src,
		Flags:   flags,
		Logger:  logger,
		Environ: []string{"HUGO_BULLETIN=1"}, // non-empty: stray HUGO_* variables cannot change the build
	})
	if err != nil {
		return nil, fmt.Errorf("hugo config: %w", err)
	}
	hfs := hugofs.NewFromSourceAndDestination(src, afero.NewOsFs(), configs.LoadingInfo.Cfg)
	sites, err := hugolib.NewHugoSites(deps.DepsCfg{Configs: configs, Fs: hfs, LogLevel: logger.Level(), StdErr: logOut, StdOut: logOut})
	if err != nil {
		return nil, fmt.Errorf("hugo: %w", err)
	}
	return sites, nil
}

func (s Site) config() map[string]any {
	disable := []string{"taxonomy", "term", "rss"}
	if !s.Sitemap {
		disable = append(disable, "sitemap")
	}
	langs := map[string]any{}
	for i, l := range s.Languages {
		langs[l.Code] = map[string]any{"locale": l.Locale, "label": l.Label, "weight": i + 1}
	}
	def := "zh-cn"
	codes := []string{def}
	if len(s.Languages) > 0 {
		def = s.Languages[0].Code
		codes = codes[:0]
		for _, l := range s.Languages {
			codes = append(codes, l.Code)
		}
	}
	return map[string]any{
		"baseURL":                        s.BaseURL,
		"title":                          s.Title,
		"defaultContentLanguage":         def,
		"defaultContentLanguageInSubdir": false,
		"languages":                      langs,
		"disableKinds":                   disable,
		"enableRobotsTXT":                s.Robots,
		"enableGitInfo":                  false,
		"timeZone":                       "UTC",
		"capitalizeListTitles":           false,
		"pluralizeListTitles":            false,
		"params":                         s.Params,
		"sitemap":                        map[string]any{"changeFreq": "", "priority": -1, "disable": false},
		"markup": map[string]any{"goldmark": map[string]any{
			"renderer":   map[string]any{"unsafe": false},
			"parser":     map[string]any{"autoHeadingID": true, "attribute": map[string]any{"block": false, "title": false}},
			"extensions": map[string]any{"typographer": map[string]any{"disable": true}},
		}},
		"outputs": map[string]any{"home": []string{"html"}, "section": []string{"html"}, "page": []string{"html"}},
		"minify":  map[string]any{"minifyOutput": false},
		"security": map[string]any{
			"exec":  map[string]any{"allow": []string{"^$"}},
			"funcs": map[string]any{"getenv": []string{"^$"}},
			"http":  map[string]any{"urls": []string{"^$"}},
		},
		"module": map[string]any{"mounts": []map[string]any{
			{"source": "layouts", "target": "layouts"},
			{"source": "i18n", "target": "i18n"},
			{"source": "assets", "target": "assets"},
			{"source": "static", "target": "static"},
			{"source": "gen", "target": "content", "sites": map[string]any{"matrix": map[string]any{"languages": codes}}},
			{"source": "content", "target": "content"},
		}},
	}
}

// templateDest maps a file of templates/ into the Hugo project: i18n/,
// assets/ and static/ keep their place, everything else is a layout.
// Documentation (*.md) stays out.
func templateDest(rel string) (string, bool) {
	if strings.HasSuffix(rel, ".md") {
		return "", false
	}
	for _, dir := range []string{"i18n/", "assets/", "static/"} {
		if strings.HasPrefix(rel, dir) {
			return rel, true
		}
	}
	return "layouts/" + rel, true
}

// copyTree copies the regular files under dir into the memory fs at dest,
// mapped through to. A missing dir is not an error.
func copyTree(dst afero.Fs, dir, dest string, to func(rel string) (string, bool)) error {
	if dir == "" {
		return nil
	}
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		return nil
	}
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") || !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		target, ok := to(filepath.ToSlash(rel))
		if !ok {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		name := path.Join(dest, target)
		if err := dst.MkdirAll(path.Dir(name), 0o755); err != nil {
			return err
		}
		return afero.WriteFile(dst, name, b, 0o644)
	})
}
