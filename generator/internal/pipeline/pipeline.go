// Package pipeline runs the phases in order — load, validate, aggregate,
// render, publish — the way Zola does: check is load and validate only, and
// every error of a phase is reported together.
package pipeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/xuncha/bulletin/generator/internal/aggregate"
	"github.com/xuncha/bulletin/generator/internal/check"
	"github.com/xuncha/bulletin/generator/internal/diag"
	"github.com/xuncha/bulletin/generator/internal/edition"
	"github.com/xuncha/bulletin/generator/internal/history"
	"github.com/xuncha/bulletin/generator/internal/hugosite"
	"github.com/xuncha/bulletin/generator/internal/load"
	"github.com/xuncha/bulletin/generator/internal/markdown"
	"github.com/xuncha/bulletin/generator/internal/model"
	"github.com/xuncha/bulletin/generator/internal/outputs"
	"github.com/xuncha/bulletin/generator/internal/progress"
	"github.com/xuncha/bulletin/generator/internal/publish"
	"github.com/xuncha/bulletin/generator/internal/search"
	"github.com/xuncha/bulletin/generator/internal/view"
)

// Config is a run of the generator. The zero value of a folder means its
// default.
type Config struct {
	Data      string          // default "data"
	Content   string          // default "content"
	Templates string          // default "templates"
	Out       string          // default "public"
	Edition   edition.Edition // the zero value is the public edition
	AsOf      model.Date
	Log       io.Writer   // Hugo's warnings; nil discards
	Cache     *load.Cache // parsed records kept between checks (the preview's)
	// ShardProblems caps the problem pages one Hugo site renders: the
	// districts are rendered in shards of at most that many (a larger
	// district alone), which bounds Hugo's memory by the largest shard.
	// 0 renders the whole site at once. The output is the same.
	ShardProblems int
	// Shard, when set, renders only the districts of that shard, with a
	// manifest for Merge (build --shard I/N).
	Shard ShardSpec
	// ShardCache, when set, is a folder where each shard's output is kept,
	// keyed by a hash of its inputs, and reused while they do not change
	// (build --shard-cache DIR).
	ShardCache string
	// ShardCachePrune, with ShardCache, removes the cache's entries that a
	// successful build did not use, so that a cache kept from build to
	// build (by CI) holds the current shards only (build
	// --shard-cache-prune).
	ShardCachePrune bool
	// used collects the cache keys of the build's shards, for the prune.
	used *cacheUse
	// ready is told the folders the shard cache restored, world-readable
	// already (publish.Staging.Ready).
	ready func(dir string)
	// taken are the cache entries moved into the staging folder, put back
	// after publishing.
	taken *takenEntries
	// pages, with ShardCache, computes the page data of the shards whose
	// memo the cache does not hold (cachedBulletin).
	pages *pageSource
	// Generator identifies the program that renders, for the shard cache:
	// an entry is reused only by the program that made it (another version
	// may render the same inputs otherwise). Default: a hash of the running
	// executable.
	Generator string
}

func (c *Config) defaults() {
	if c.Data == "" {
		c.Data = "data"
	}
	if c.Content == "" {
		c.Content = "content"
	}
	if c.Templates == "" {
		c.Templates = "templates"
	}
	if c.Out == "" {
		c.Out = "public"
	}
	if c.Edition == "" {
		c.Edition = edition.PublicEdition
	}
}

// Checked is the outcome of a successful check.
type Checked = check.Checked

// Check checks the records of the working tree (check.WorkingTree): nil and
// every diagnostic when they do not pass.
func Check(cfg Config) (*Checked, diag.List) {
	return checkRecords(cfg)
}

// checkRecords is Check with more options for the loader.
func checkRecords(cfg Config, opts ...load.Option) (*Checked, diag.List) {
	cfg.defaults()
	if cfg.Cache != nil {
		opts = append(opts, load.WithCache(cfg.Cache))
	}
	c, errs := check.WorkingTree(cfg.Data, cfg.AsOf, opts...)
	if len(errs) > 0 {
		return nil, errs
	}
	return c, nil
}

// Bulletin computes the view data of edition ed from checked records. For
// the public edition the records go through edition.Redact first.
func Bulletin(c *Checked, ed edition.Edition) *view.Bulletin {
	return bulletin(c, ed, markdown.New(), nil)
}

// Totals computes the figures of the records (both editions have the same)
// without rendering any problem page's data: what check reports.
func Totals(c *Checked) *view.Bulletin {
	return aggregate.Compute(aggregate.Input{Data: c.Data, Calendar: c.Calendar, Markdown: markdown.New(), Edition: edition.InternalEdition, TotalsOnly: true})
}

// bulletin is Bulletin with a given markdown renderer (the preview keeps one
// with a cache) and, when pagesOf is set, page data for the districts it
// reports true for alone (aggregate.Input.PagesOf).
func bulletin(c *Checked, ed edition.Edition, md *markdown.Renderer, pagesOf func(district string) bool) *view.Bulletin {
	data, ed := editionData(c, ed)
	return aggregate.Compute(aggregate.Input{Data: data, Calendar: c.Calendar, Markdown: md, Edition: ed, PagesOf: pagesOf})
}

// editionData is the records edition ed is computed from: for the public
// edition, redacted (edition.Redact).
func editionData(c *Checked, ed edition.Edition) (*model.Data, edition.Edition) {
	if ed.Public() {
		return edition.Redact(c.Data), edition.PublicEdition
	}
	return c.Data, ed
}

// ErrInvalid is returned by Build when the records do not pass check; the
// diagnostics are returned alongside.
var ErrInvalid = errors.New("invalid records")

// Build checks the records and, if they pass, renders the edition into a
// staging folder and swaps it in as cfg.Out.
func Build(cfg Config) (_ diag.List, err error) {
	cfg.defaults()
	if err := GuardOut(cfg); err != nil {
		return nil, err
	}
	bar := progress.New("build", 5) // silent unless stderr is a terminal outside CI
	defer bar.Done()
	bar.Phase("build: checking the records")
	var sums *load.FileSums
	git := openHistory(cfg)
	opts := git.loadOptions()
	if cfg.Shard.N > 0 || cfg.ShardCache != "" {
		sums = load.NewFileSums() // for the content hash, and the memos' input keys
		opts = append(opts, load.WithFileSums(sums))
	}
	records, err := recordCache(&cfg)
	if err != nil {
		return nil, err
	}
	if records != nil {
		opts = append(opts, load.WithDiskCache(records))
		defer records.Report(cfg.Log) // after the shard cache's report
	}
	checked, errs := checkRecords(cfg, opts...)
	if len(errs) > 0 {
		return errs, ErrInvalid
	}
	bar.Phase("build: reading the data's git history")
	scan, err := readHistory(cfg, git, checked)
	if err != nil {
		return nil, fmt.Errorf("reading the data's git history: %w", err)
	}
	bar.Phase("build: computing the figures")
	var b *view.Bulletin
	switch {
	case cfg.Shard.N > 0:
		b = shardBulletin(checked, cfg.Edition, cfg.Shard)
	case cfg.ShardCache != "":
		b, cfg.pages = cachedBulletin(cfg, checked, sums) // the page data of the shards that need it comes later
	default:
		b = Bulletin(checked, cfg.Edition)
	}
	hist, err := addHistory(cfg, scan, checked, b)
	if err != nil {
		return nil, err
	}
	stage, err := publish.Stage(cfg.Out)
	if err != nil {
		return nil, err
	}
	cfg.ready = stage.Ready
	cfg.taken = &takenEntries{}
	if cfg.ShardCache != "" && cfg.ShardCachePrune {
		cfg.used = &cacheUse{keys: map[string]bool{}, records: records}
		defer func() {
			if err == nil {
				err = pruneShardCache(cfg.ShardCache, cfg.used, cfg.Log)
			}
			if err == nil {
				err = pruneMemos(cfg.ShardCache, cfg.used, cfg.Log)
			}
		}()
	}
	if cfg.Shard.N > 0 {
		bar.Phase(fmt.Sprintf("build: rendering shard %s", cfg.Shard))
		hash, err := inputsHash(cfg, checked, sums, b)
		if err == nil {
			err = buildShard(cfg, b, hash, stage.Dir())
		}
		if err != nil {
			cfg.taken.giveBack()
			stage.Abort()
			return nil, err
		}
		return nil, stage.CommitThen(cfg.taken.putBack)
	}
	if cfg.pages != nil {
		bar.Phase("build: rendering the shards that changed")
	} else {
		bar.Phase(fmt.Sprintf("build: rendering %d pages", countPages(b)))
	}
	if err := render(cfg, b, hist, stage.Dir()); err != nil {
		cfg.taken.giveBack()
		stage.Abort()
		return nil, err
	}
	bar.Phase("build: publishing")
	return nil, stage.CommitThen(cfg.taken.putBack)
}

// recordsFolder is the folder of the shard cache where the records loaded
// are kept (load.DiskCache).
const recordsFolder = "records"

// recordCache is the cache of loaded records of a build with a shard cache
// (nil without one), for the program cfg.Generator, which it sets to a hash
// of the running executable when it is not set.
func recordCache(cfg *Config) (*load.DiskCache, error) {
	if cfg.ShardCache == "" {
		return nil, nil
	}
	gen, err := cfg.generator()
	if err != nil {
		return nil, err
	}
	return load.NewDiskCache(filepath.Join(cfg.ShardCache, recordsFolder), gen), nil
}

// generator is cfg.Generator, which it sets to a hash of the running
// executable when it is not set: what the shard cache's entries, memos and
// records are told apart by.
func (cfg *Config) generator() (string, error) {
	if cfg.Generator == "" {
		gen, err := executableHash()
		if err != nil {
			return "", fmt.Errorf("--shard-cache: cannot tell which program this is, so cannot tell its entries from another version's: %w", err)
		}
		cfg.Generator = gen
	}
	return cfg.Generator, nil
}

// hugoSite is what Hugo gets for b: the templates and the content pages;
// the caller adds the generated pages (Pages, or sitePages and shards).
func hugoSite(cfg Config, b *view.Bulletin, out string, langs []hugosite.Language) hugosite.Site {
	return hugosite.Site{
		Templates: cfg.Templates,
		Content:   cfg.Content,
		OutDir:    out,
		BaseURL:   b.Site.BaseURL,
		Title:     b.Site.Title,
		Params:    map[string]any{"bulletin": b.Site},
		Sitemap:   !b.Site.Internal,
		Robots:    true,
		Languages: langs,
		Log:       cfg.Log,
	}
}

func countPages(b *view.Bulletin) int {
	n := 3 + 2*len(b.Notices)
	if len(b.Notices) > 0 {
		n++
	}
	for _, d := range b.Districts {
		n += 1 + len(d.CommonPages)
		for _, r := range d.RoundPages {
			n += 1 + len(r.ProblemPages)
		}
	}
	return n
}

// Render writes the whole site of b into dir (which must be empty): as
// one Hugo site, or in shards of districts when they have more than
// cfg.ShardProblems problems.
func render(cfg Config, b *view.Bulletin, hist *history.History, dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	site := hugoSite(cfg, b, abs, Languages(cfg.Templates))
	groups := shardGroups(b.Districts, cfg.ShardProblems)
	if len(groups) <= 1 && cfg.ShardCache == "" {
		site.Pages = Pages(b)
		return renderWithData(site, b, hist)
	}
	site.Pages = sitePages(b)
	cache, err := newShardCache(cfg, b, site)
	if err != nil {
		return err
	}
	var entries []hugosite.SitemapEntry
	if cache != nil {
		memo := lookupMemos(cfg, cache, b, groups)
		entries, err = cache.buildAll(site, b, groups, memo, func() error { return renderWithParts(site, b, memo.parts(b), hist, cache.index) })
		if err != nil {
			return err
		}
		cache.report(cfg.Log)
		memo.report(cfg.Log)
		return hugosite.MergeSitemaps(site, entries)
	}
	if err := renderWithData(site, b, hist); err != nil {
		return err
	}
	for i, g := range groups {
		e, err := hugosite.BuildShard(site, shardOf(b, g))
		if err != nil {
			return fmt.Errorf("shard %d of %d: %w", i+1, len(groups), err)
		}
		entries = append(entries, e...)
		// Give the shard's memory back before the next renders: the peak
		// is then one shard's, not the sum of what the collector has not
		// yet returned.
		debug.FreeOSMemory()
	}
	return hugosite.MergeSitemaps(site, entries)
}

// renderWithData renders site (all pages, or the site-wide ones of a
// sharded build) into site.OutDir and writes the data files of b beside it.
func renderWithData(site hugosite.Site, b *view.Bulletin, hist *history.History) error {
	return renderWithIndex(site, b, districtsOf(b), hist, &search.Writer{})
}

// renderWithIndex is renderWithData with the districts' page data from
// each (see writeData) rather than from b, writing the search index with
// idx.
func renderWithIndex(site hugosite.Site, b *view.Bulletin, each eachDistrict, hist *history.History, idx *search.Writer) error {
	return renderWithParts(site, b, withPages(each), hist, idx)
}

// renderWithParts is renderWithIndex with the districts' parts of the
// data files from each (see writeParts).
func renderWithParts(site hugosite.Site, b *view.Bulletin, each eachPart, hist *history.History, idx *search.Writer) error {
	// The files made in Go only read b and never share a path with Hugo's
	// output: write them while Hugo renders, which leaves a core idle for
	// much of its build.
	// The goroutine holds the out folder, not site: site's pages go once
	// Hugo has them, b once the data is written.
	data, dir := make(chan error, 1), site.OutDir
	go func() {
		err := writeParts(dir, b, each, idx)
		if err == nil && hist != nil {
			err = history.WriteHistoryJSON(dir, hist)
		}
		data <- err
	}()
	err := hugosite.Build(site)
	if dataErr := <-data; err == nil {
		err = dataErr
	}
	return err
}

// eachDistrict hands every district of a Bulletin, with its page data and
// in the Bulletin's order, to fn, and stops at fn's first error.
type eachDistrict func(fn func(*view.District) error) error

// districtsOf is b's own districts.
func districtsOf(b *view.Bulletin) eachDistrict {
	return func(fn func(*view.District) error) error {
		for _, d := range b.Districts {
			if err := fn(d); err != nil {
				return err
			}
		}
		return nil
	}
}

// writeData writes the files made in Go rather than by Hugo: the
// machine-readable outputs and the search index, from the site-wide data
// of b and the page data of the districts each hands out, one at a time
// (merge computes them then, so that it never holds the pages of them
// all; outputs.Files and search.Index keep no district).
func writeData(dir string, b *view.Bulletin, each eachDistrict, idx *search.Writer) error {
	return writeParts(dir, b, withPages(each), idx)
}

// districtPart is what one district adds to the files writeData writes:
// its page data, or what a memo kept of it (see memoFolder).
type districtPart struct {
	d     *view.District
	part  *outputs.Part // without d: its rows and changes
	index *search.Part  // without d: its part of the search index
}

// eachPart hands every district of a Bulletin, in the Bulletin's order,
// to fn, and stops at fn's first error.
type eachPart func(fn func(districtPart) error) error

// withPages is each's districts with their page data.
func withPages(each eachDistrict) eachPart {
	return func(fn func(districtPart) error) error {
		return each(func(d *view.District) error { return fn(districtPart{d: d}) })
	}
}

// writeParts is writeData with the districts from each, with their page
// data or their parts.
func writeParts(dir string, b *view.Bulletin, each eachPart, idx *search.Writer) error {
	files, err := outputs.Create(dir, b)
	if err != nil {
		return err
	}
	x := search.NewIndex()
	err = each(func(p districtPart) error {
		if p.d == nil {
			x.AddPart(*p.index)
			return files.AddPart(*p.part)
		}
		for _, doc := range search.DistrictDocs(p.d) {
			x.Add(doc)
		}
		return files.Add(p.d)
	})
	if cerr := files.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return idx.WriteIndex(dir, x)
}

// GuardOut refuses an --out that a build must not replace (see
// publish.CheckOut: the records, content and templates, a folder holding
// them or a git repository, a file, a non-empty folder no build wrote), and
// the internal edition where the public site lives: without an explicit
// --out, into a folder named "public", or into any folder a public build
// wrote. Its errors are usage errors (exit 2).
func GuardOut(cfg Config) error {
	cfg.defaults()
	legacy := func(dir string) bool { return EditionOf(dir) != "" } // written before the marker existed
	if err := publish.CheckOut(cfg.Out, []string{cfg.Data, cfg.Content, cfg.Templates}, legacy); err != nil {
		return err
	}
	if cfg.Edition.Public() {
		return nil
	}
	if filepath.Base(filepath.Clean(cfg.Out)) == "public" {
		return fmt.Errorf("refusing to write the internal edition into %s: that is the public site's folder", cfg.Out)
	}
	if ed := EditionOf(cfg.Out); ed == edition.PublicEdition {
		return fmt.Errorf("refusing to write the internal edition into %s: a public build wrote it", cfg.Out)
	}
	return nil
}

// EditionOf tells which edition a build wrote into dir ("" if none).
func EditionOf(dir string) edition.Edition {
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(outputs.TotalsPath)))
	if err != nil {
		return ""
	}
	var t struct {
		Edition edition.Edition `json:"edition"`
	}
	if json.Unmarshal(b, &t) != nil {
		return ""
	}
	return t.Edition
}

// AbortStaging removes the staging folders of a build into out that is
// being interrupted.
func AbortStaging(out string) {
	parent, base := filepath.Dir(filepath.Clean(out)), filepath.Base(filepath.Clean(out))
	matches, _ := filepath.Glob(filepath.Join(parent, "."+base+".staging-*"))
	for _, m := range matches {
		os.RemoveAll(m)
	}
}
