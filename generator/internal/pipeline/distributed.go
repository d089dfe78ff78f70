package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"

	"github.com/xuncha/bulletin/generator/internal/aggregate"
	"github.com/xuncha/bulletin/generator/internal/diag"
	"github.com/xuncha/bulletin/generator/internal/edition"
	"github.com/xuncha/bulletin/generator/internal/history"
	"github.com/xuncha/bulletin/generator/internal/hugosite"
	"github.com/xuncha/bulletin/generator/internal/load"
	"github.com/xuncha/bulletin/generator/internal/markdown"
	"github.com/xuncha/bulletin/generator/internal/publish"
	"github.com/xuncha/bulletin/generator/internal/search"
	"github.com/xuncha/bulletin/generator/internal/view"
)

// ShardSpec is shard I of N of a build spread over machines (build
// --shard I/N); the zero value is the whole site.
type ShardSpec struct{ I, N int }

// ParseShard reads "I/N" (1 <= I <= N).
func ParseShard(s string) (ShardSpec, error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 1 || i > n {
		return ShardSpec{}, fmt.Errorf("--shard %q: want I/N with 1 <= I <= N, e.g. 2/4", s)
	}
	return ShardSpec{I: i, N: n}, nil
}

func (s ShardSpec) String() string { return fmt.Sprintf("%d/%d", s.I, s.N) }

// ShardManifest is the file a shard build leaves in its output for merge.
const ShardManifest = ".bulletin-shard.json"

// manifest is what merge needs to know of a shard.
type manifest struct {
	Hash      string                  `json:"hash"` // inputsHash of the data, templates and content it was built from
	Shard     string                  `json:"shard"`
	Districts []string                `json:"districts"` // the output folders of its districts
	Sitemap   []hugosite.SitemapEntry `json:"sitemap"`
}

// balancedShard is the districts (indexes, in site order) of shard spec:
// the districts, largest first, each go to the shard with the fewest
// problem pages so far (the lowest-numbered on a tie).
func balancedShard(ds []*view.District, spec ShardSpec) []int {
	order := make([]int, len(ds))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return problemCount(ds[order[a]]) > problemCount(ds[order[b]]) })
	load := make([]int, spec.N)
	var mine []int
	for _, i := range order {
		k := 0
		for j := range load {
			if load[j] < load[k] {
				k = j
			}
		}
		load[k] += problemCount(ds[i])
		if k == spec.I-1 {
			mine = append(mine, i)
		}
	}
	sort.Ints(mine)
	return mine
}

// shardBulletin is the Bulletin of shard spec of a build spread over
// machines: every figure and row of the site, as Bulletin computes them,
// but page data for the shard's own districts alone. Which districts are
// its own (balancedShard) is decided on their problem page counts, which a
// first pass computing the figures only gives; neither pass makes a page
// of another shard's district, so the cost beyond the shard's own is the
// records' figures.
func shardBulletin(c *Checked, ed edition.Edition, spec ShardSpec) *view.Bulletin {
	data, ed := editionData(c, ed)
	in := aggregate.Input{Data: data, Calendar: c.Calendar, Markdown: markdown.New(), Edition: ed, TotalsOnly: true}
	figures := aggregate.Compute(in)
	mine := map[string]bool{}
	for _, i := range balancedShard(figures.Districts, spec) {
		mine[figures.Districts[i].ID] = true
	}
	in.TotalsOnly, in.PagesOf = false, func(id string) bool { return mine[id] }
	return aggregate.Compute(in)
}

// inputsHash identifies what a site is built from, so that merge can
// refuse shards built from anything else: the bytes of every record file
// as the loader read them, with their paths (sums, filled by
// load.WithFileSums while checking), the edition, as_of as the build
// settled it (--as-of, site.yaml or git), the templates and content
// folders' files, and the Bulletin's site-wide data (b without its pages:
// the figures and rows of every district, the history and notices read
// from git) that every shard renders its pages beside. It reads no page
// data, so a shard computes it without the other shards' pages; one
// problem's text changed changes the bytes of its round's file.
func inputsHash(cfg Config, c *Checked, sums *load.FileSums, b *view.Bulletin) (string, error) {
	h := sha256.New()
	io.WriteString(h, "bulletin-inputs-v3\n")
	fmt.Fprintf(h, "edition %s\nas_of %s\nrecords %d\n", cfg.Edition, c.Data.Site.AsOf, sums.Len())
	if _, err := sums.WriteTo(h); err != nil {
		return "", err
	}
	if err := hashFolders(h, cfg.Templates, cfg.Content); err != nil {
		return "", err
	}
	io.WriteString(h, "site\n")
	if err := json.NewEncoder(h).Encode(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// districtDir is a district's output folder.
func districtDir(d *view.District) string { return strings.TrimSuffix(d.URL, "/") }

// buildShard renders the districts of shard cfg.Shard of b (a
// shardBulletin) into dir with a manifest for merge; hash is inputsHash.
func buildShard(cfg Config, b *view.Bulletin, hash, dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	// The records of the whole data are garbage by now: give their memory
	// back before Hugo's peak, which is then this shard's own.
	debug.FreeOSMemory()
	site := hugoSite(cfg, b, abs, Languages(cfg.Templates))
	site.Pages = sitePages(b)
	mine := balancedShard(b.Districts, cfg.Shard)
	m := manifest{Hash: hash, Shard: cfg.Shard.String(), Districts: []string{}, Sitemap: []hugosite.SitemapEntry{}}
	for _, i := range mine {
		m.Districts = append(m.Districts, districtDir(b.Districts[i]))
	}
	var sub view.Bulletin
	sub.Districts = make([]*view.District, 0, len(mine))
	for _, i := range mine {
		sub.Districts = append(sub.Districts, b.Districts[i])
	}
	cache, err := newShardCache(cfg, b, site)
	if err != nil {
		return err
	}
	var groups [][]int
	for _, g := range shardGroups(sub.Districts, cfg.ShardProblems) {
		idx := make([]int, len(g))
		for k, j := range g {
			idx[k] = mine[j]
		}
		groups = append(groups, idx)
	}
	if cache != nil {
		// The site-wide pages are merge's to render.
		entries, err := cache.buildAll(site, b, groups, nil, func() error { return nil })
		if err != nil {
			return err
		}
		m.Sitemap = append(m.Sitemap, entries...)
		cache.report(cfg.Log)
	} else {
		for _, idx := range groups {
			entries, err := hugosite.BuildShard(site, shardOf(b, idx))
			if err != nil {
				return err
			}
			m.Sitemap = append(m.Sitemap, entries...)
			debug.FreeOSMemory() // see render
		}
	}
	data, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(abs, ShardManifest), data, 0o644)
}

// MismatchError is merge's refusal of shards built from other inputs, or
// that do not cover every district exactly once.
type MismatchError struct{ Msg string }

func (e *MismatchError) Error() string { return e.Msg }

// Merge checks the records, renders the site-wide pages and data, adds the
// districts of the shard builds in shardDirs and publishes the whole as
// cfg.Out: the same bytes as Build of the same inputs. Shards built from
// other records, templates or content (another content hash), or that miss
// or repeat a district, are refused with a *MismatchError and nothing is
// written. The districts' pages are the shards': merge computes no page
// data but what the search index, data/problems.csv and the feed read,
// one district at a time (mergeBulletin), and hard-links the shards'
// files into the site where it can (linkTree), leaving the shard folders
// as they were.
func Merge(cfg Config, shardDirs []string) (diag.List, error) {
	cfg.defaults()
	if err := GuardOut(cfg); err != nil {
		return nil, err
	}
	sums := load.NewFileSums()
	git := openHistory(cfg)
	checked, errs := checkRecords(cfg, append(git.loadOptions(), load.WithFileSums(sums))...)
	if len(errs) > 0 {
		return errs, ErrInvalid
	}
	scan, err := readHistory(cfg, git, checked)
	if err != nil {
		return nil, fmt.Errorf("reading the data's git history: %w", err)
	}
	b, each := mergeBulletin(checked, cfg.Edition)
	hist, err := addHistory(cfg, scan, checked, b)
	if err != nil {
		return nil, err
	}
	hash, err := inputsHash(cfg, checked, sums, b)
	if err != nil {
		return nil, err
	}
	manifests, err := readManifests(b, hash, shardDirs)
	if err != nil {
		return nil, err
	}
	stage, err := publish.Stage(cfg.Out)
	if err != nil {
		return nil, err
	}
	if err := merge(cfg, b, each, hist, stage.Dir(), shardDirs, manifests); err != nil {
		stage.Abort()
		return nil, err
	}
	return nil, stage.Commit()
}

// mergeBulletin is what merge computes of edition ed: b, every figure and
// row of the site with no page data (what the site-wide pages, totals.json,
// the feed from git and inputsHash read), and each, which computes the
// districts again one at a time with their page data (what the search
// index, data/problems.csv and the feed from the records' history read),
// for writeData. So merge holds the pages of one district at a time, never
// the whole site's.
func mergeBulletin(c *Checked, ed edition.Edition) (*view.Bulletin, eachDistrict) {
	data, ed := editionData(c, ed)
	in := aggregate.Input{Data: data, Calendar: c.Calendar, Markdown: markdown.New(), Edition: ed}
	figures := in
	figures.TotalsOnly = true
	b := aggregate.Compute(figures)
	return b, func(fn func(*view.District) error) error { return aggregate.EachDistrict(in, fn) }
}

func readManifests(b *view.Bulletin, hash string, shardDirs []string) ([]manifest, error) {
	var ms []manifest
	owner := map[string]string{}
	for _, dir := range shardDirs {
		data, err := os.ReadFile(filepath.Join(dir, ShardManifest))
		if err != nil {
			return nil, &MismatchError{fmt.Sprintf("%s is not the output of build --shard (no %s)", dir, ShardManifest)}
		}
		var m manifest
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, &MismatchError{fmt.Sprintf("%s: %v", filepath.Join(dir, ShardManifest), err)}
		}
		if m.Hash != hash {
			return nil, &MismatchError{fmt.Sprintf("%s (shard %s) was built from other records, templates or content than these (content hash %.12s, here %.12s): build every shard from the same commit", dir, m.Shard, m.Hash, hash)}
		}
		for _, d := range m.Districts {
			if o, dup := owner[d]; dup {
				return nil, &MismatchError{fmt.Sprintf("district %s is in two shards: %s and %s", d, o, dir)}
			}
			owner[d] = dir
		}
		ms = append(ms, m)
	}
	var missing []string
	for _, d := range b.Districts {
		if _, ok := owner[districtDir(d)]; !ok {
			missing = append(missing, districtDir(d))
		}
		delete(owner, districtDir(d))
	}
	if len(missing) > 0 {
		return nil, &MismatchError{fmt.Sprintf("no shard has district(s) %s: give every shard of the build", strings.Join(missing, ", "))}
	}
	for d, dir := range owner {
		return nil, &MismatchError{fmt.Sprintf("%s has district %s, which these records do not", dir, d)}
	}
	return ms, nil
}

func merge(cfg Config, b *view.Bulletin, each eachDistrict, hist *history.History, dir string, shardDirs []string, ms []manifest) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	site := hugoSite(cfg, b, abs, Languages(cfg.Templates))
	site.Pages = sitePages(b)
	if err := renderWithIndex(site, b, each, hist, &search.Writer{}); err != nil {
		return err
	}
	var entries []hugosite.SitemapEntry
	for k, m := range ms {
		for _, l := range site.LangDirs() {
			for _, d := range m.Districts {
				from, to := filepath.Join(shardDirs[k], l, d), filepath.Join(abs, l, d)
				if _, err := os.Stat(from); errors.Is(err, fs.ErrNotExist) {
					continue
				}
				if _, err := os.Lstat(to); err == nil {
					return fmt.Errorf("%s is written by the site-wide pages and by shard %s", filepath.Join(l, d), m.Shard)
				}
				// The shard's files are shared, not copied, where they
				// can be (linkTree): merge reads and writes none of them.
				if err := os.MkdirAll(filepath.Dir(to), publish.DirMode); err != nil {
					return err
				}
				if err := linkTree(from, to, nil); err != nil {
					return err
				}
			}
		}
		entries = append(entries, m.Sitemap...)
	}
	return hugosite.MergeSitemaps(site, entries)
}
