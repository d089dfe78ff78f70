// Package hugosite renders pages with Hugo used as a library. It is the only
// package of the generator that imports Hugo, so a Hugo upgrade touches this
// folder alone.
//
// Hugo never reads the records. Its project lives in memory: a configuration
// and one generated page per district, round, problem and common problem
// whose front matter carries that page's view data (package view). The
// templates folder is a Hugo theme (layouts/, i18n/, assets/, static/) that
// the project imports by its path on disk, and the content folder is mounted
// from disk, so Hugo reads both through its own module mounts and its errors
// name the real files. Its output goes to a staging folder that package
// publish swaps in.
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
	"github.com/bep/overlayfs"
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
	// DefaultLanguageOnly renders the page in the default language (the
	// first of Site.Languages) only; else it is rendered in every language.
	// The page goes to a folder mounted for that language alone, so its
	// front matter needs no "sites" matrix of its own.
	DefaultLanguageOnly bool
}

// Site is everything Hugo needs for one build.
type Site struct {
	Templates string // the templates/ folder, a Hugo theme: layouts/, i18n/, assets/, static/
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
	pages := s.Pages
	s.Pages = nil
	if err := s.build(pages); err != nil {
		return err
	}
	return s.copyStatic()
}

// build renders the pages into s.OutDir (without the static files). Once
// written for Hugo, the pages are not referenced from here: unless the
// caller keeps them, their view data can go while Hugo renders.
func (s Site) build(pages []Page) error {
	src, err := s.sources()
	if err != nil {
		return err
	}
	for _, p := range pages {
		if err := writePage(src, p, encodePage(p)); err != nil {
			return err
		}
	}
	sites, err := s.newSites(src)
	if err != nil {
		return err
	}
	// Close stops the goroutine of Hugo's memory cache, which otherwise
	// runs for the life of the process and keeps the whole site (every
	// page, its front matter and output) reachable: a sharded build would
	// then hold every shard it rendered.
	defer sites.Close()
	if err := sites.Build(hugolib.BuildCfg{}); err != nil {
		return s.buildError(err)
	}
	return nil
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

// sources is Hugo's source file system: the in-memory project (its
// configuration and generated pages) over the disk, where the templates and
// content folders are read in place.
func (s Site) sources() (afero.Fs, error) {
	mem := afero.NewMemMapFs()
	cfg, err := s.config()
	if err != nil {
		return nil, err
	}
	data, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	if err := afero.WriteFile(mem, workDir+"/hugo.json", data, 0o644); err != nil {
		return nil, err
	}
	for _, dir := range []string{genDir, genDefaultDir} {
		if err := mem.MkdirAll(path.Join(workDir, dir), 0o755); err != nil {
			return nil, err
		}
	}
	return overlayfs.New(overlayfs.Options{Fss: []afero.Fs{mem, afero.NewOsFs()}, FirstWritable: true}), nil
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

// The folders of the generated pages, both mounted as content: genDir in
// every language, genDefaultDir in the default language only.
const (
	genDir        = "gen"
	genDefaultDir = "gen-default"
)

// pagePath is the file of generated page p in Hugo's source file system.
func pagePath(p Page) string {
	if p.DefaultLanguageOnly {
		return path.Join(workDir, genDefaultDir, p.Path)
	}
	return path.Join(workDir, genDir, p.Path)
}

func writePage(src afero.Fs, p Page, data []byte) error {
	name := pagePath(p)
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
		if fe, ok := s.fileError(err); ok {
			return nil, fe
		}
		return nil, fmt.Errorf("hugo config: %w", err)
	}
	hfs := hugofs.NewFromSourceAndDestination(src, afero.NewOsFs(), configs.LoadingInfo.Cfg)
	sites, err := hugolib.NewHugoSites(deps.DepsCfg{Configs: configs, Fs: hfs, LogLevel: logger.Level(), StdErr: logOut, StdOut: logOut})
	if err != nil {
		return nil, s.buildError(err)
	}
	return sites, nil
}

// buildError is err as a diag.Error when it is about a file of the
// templates or content folder, else Hugo's message.
func (s Site) buildError(err error) error {
	if fe, ok := s.fileError(err); ok {
		return fe
	}
	return fmt.Errorf("hugo: %w", err)
}

func (s Site) config() (map[string]any, error) {
	theme, err := filepath.Abs(s.Templates)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(theme); err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
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
	mounts := []map[string]any{
		{"source": genDir, "target": "content", "sites": map[string]any{"matrix": map[string]any{"languages": codes}}},
		{"source": genDefaultDir, "target": "content", "sites": map[string]any{"matrix": map[string]any{"languages": codes[:1]}}},
	}
	if s.Content != "" {
		content, err := filepath.Abs(s.Content)
		if err != nil {
			return nil, err
		}
		if _, err := os.Stat(content); err == nil {
			mounts = append(mounts, map[string]any{"source": content, "target": "content"})
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
		"module": map[string]any{
			// The templates folder is a theme: Hugo mounts each of its
			// component folders (layouts, i18n, assets, static) itself.
			"imports": []map[string]any{{"path": theme}},
			"mounts":  mounts,
		},
	}, nil
}
