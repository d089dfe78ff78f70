package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/xuncha/bulletin/generator/internal/aggregate"
	"github.com/xuncha/bulletin/generator/internal/cachedir"
	"github.com/xuncha/bulletin/generator/internal/calendar"
	"github.com/xuncha/bulletin/generator/internal/edition"
	"github.com/xuncha/bulletin/generator/internal/hugosite"
	"github.com/xuncha/bulletin/generator/internal/load"
	"github.com/xuncha/bulletin/generator/internal/markdown"
	"github.com/xuncha/bulletin/generator/internal/model"
	"github.com/xuncha/bulletin/generator/internal/outputs"
	"github.com/xuncha/bulletin/generator/internal/search"
	"github.com/xuncha/bulletin/generator/internal/view"
)

// A build with --shard-cache DIR keeps, beside each shard's rendered
// entry, a memo of what it computed from the shard's page data: the
// entry's cache key (shardCache.key, which encodes every page), and each
// district's rows of data/problems.csv, latest status changes for the
// feed (outputs.Part) and its part of the search index (search.PartOf
// of its documents: cut into keys and postings already). The
// memo is the file DIR/memo/<input key>, where the input key is a hash of
// everything the shard's page data is made from (memoInputs): when a
// later build finds the memo of a shard, it computes no page data of the
// shard's districts, and encodes none of its pages; it restores the
// entry and adds the districts' parts to the files. Page data is computed
// only for the shards without a memo (aggregate.Input.PagesOf's way: the
// figures of every district are computed from the records each time).
//
// A memo is written whole into a temporary file and renamed into place.
// One that cannot be read, or whose bytes do not match its checksums, is
// reported, removed, and its shard's page data computed again; so is the
// shard of a memo whose entry is missing.
const memoFolder = "memo"

// pageSource is what a build with --shard-cache computes page data from,
// for the shards whose memo it does not find (cachedBulletin).
type pageSource struct {
	data    *model.Data // the edition's records (redacted for the public one)
	cal     *calendar.Calendar
	ed      edition.Edition
	sums    *load.FileSums // the bytes of every record file read
	display string         // the data folder, as named in positions
}

// cachedBulletin is the Bulletin of a build with --shard-cache: every
// figure and row of the site, as Bulletin computes them, but no page data
// (aggregate.Input.TotalsOnly); src computes that of the shards that need
// it (memoSet).
func cachedBulletin(cfg Config, c *Checked, sums *load.FileSums) (*view.Bulletin, *pageSource) {
	data, ed := editionData(c, cfg.Edition)
	b := aggregate.Compute(aggregate.Input{Data: data, Calendar: c.Calendar, Markdown: markdown.New(), Edition: ed, TotalsOnly: true})
	return b, &pageSource{data: data, cal: c.Calendar, ed: ed, sums: sums, display: filepath.Clean(cfg.Data)}
}

// pages computes the districts of ids with their page data: each the same
// as Bulletin's (the page data of a district depends on its own records
// and the site's alone).
func (s *pageSource) pages(ids []string) map[string]*view.District {
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	sub := *s.data
	sub.Districts = nil
	for _, d := range s.data.Districts {
		if want[d.ID] {
			sub.Districts = append(sub.Districts, d)
		}
	}
	out := map[string]*view.District{}
	in := aggregate.Input{Data: &sub, Calendar: s.cal, Markdown: markdown.New(), Edition: s.ed}
	aggregate.EachDistrict(in, func(d *view.District) error { out[d.ID] = d; return nil })
	return out
}

// memoSet is the memos of a build's shards (groups of districts of b).
type memoSet struct {
	cache  *shardCache
	src    *pageSource
	b      *view.Bulletin
	groups [][]int
	dir    string
	log    io.Writer

	inputs []string     // per group: its input key, the memo's name
	keys   []string     // per group: the shard's cache key (the memo's, or shardCache.key's)
	memo   []memoHeader // per group: the memo found (hit)
	hit    []bool

	mu           sync.Mutex // guards hits and misses, counted in writeData's goroutine
	hits, misses int
}

// districtIDs are the ids of the districts of b at indexes g.
func districtIDs(b *view.Bulletin, g []int) []string {
	ids := make([]string, len(g))
	for k, i := range g {
		ids[k] = b.Districts[i].ID
	}
	return ids
}

// lookupMemos finds the memos of the shards of groups in the cache c,
// and computes into b the page data of the districts of the shards it
// finds none of. Without src (a Bulletin with its page data), it is nil.
func lookupMemos(cfg Config, c *shardCache, b *view.Bulletin, groups [][]int) *memoSet {
	if cfg.pages == nil || c == nil {
		return nil
	}
	m := &memoSet{cache: c, src: cfg.pages, b: b, groups: groups, dir: filepath.Join(c.dir, memoFolder), log: c.log,
		inputs: make([]string, len(groups)), keys: make([]string, len(groups)), memo: make([]memoHeader, len(groups)), hit: make([]bool, len(groups))}
	in := memoInputs(m.src, c.base, b)
	var missing []string
	for gi, g := range groups {
		m.inputs[gi] = in.key(b, g)
		c.used.addMemo(m.inputs[gi])
		h, err := readMemoHeader(m.path(gi))
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			m.damaged(gi, err)
		case !slices.Equal(h.districts, districtIDs(b, g)):
			m.damaged(gi, fmt.Errorf("the memo is of districts %s", strings.Join(h.districts, ", ")))
		default:
			if _, err := os.Stat(c.entry(h.key)); err == nil {
				m.hit[gi], m.keys[gi], m.memo[gi] = true, h.key, h
			}
		}
		if !m.hit[gi] {
			missing = append(missing, districtIDs(b, g)...)
		}
	}
	if len(missing) > 0 {
		pages := m.src.pages(missing)
		for gi, g := range groups {
			if !m.hit[gi] {
				for _, i := range g {
					b.Districts[i] = pages[b.Districts[i].ID]
				}
			}
		}
	}
	return m
}

// path is the memo file of group gi.
func (m *memoSet) path(gi int) string { return filepath.Join(m.dir, m.inputs[gi]) }

// damaged reports and removes the memo of group gi, which cannot be
// read: its shard's page data is computed again.
func (m *memoSet) damaged(gi int, err error) {
	if m.log != nil {
		m.cache.mu.Lock() // the restores write to the same log
		fmt.Fprintf(m.log, "build: %s: %v; computing the shard's page data again\n", m.path(gi), err)
		m.cache.mu.Unlock()
	}
	os.Remove(m.path(gi))
}

// shard is the Hugo shard of group gi and its cache key (buildAll's):
// of a shard with a memo, the memo's key, and pages computed only if it
// renders (its entry turned out damaged); of the others, shardCache.key.
// m may be nil (no memos: every shard's key is computed).
func (m *memoSet) shard(c *shardCache, b *view.Bulletin, gi int, g []int) (hugosite.Shard, string, error) {
	sh := shardOf(b, g)
	if m == nil || !m.hit[gi] {
		key, err := c.key(sh)
		if m != nil {
			m.keys[gi] = key
		}
		return sh, key, err
	}
	c.used.add(m.keys[gi])
	sh.Pages = func() []hugosite.Page {
		pages := m.src.pages(districtIDs(b, g))
		var out []hugosite.Page
		for _, i := range g {
			out = append(out, districtPages(i, pages[b.Districts[i].ID])...)
		}
		return out
	}
	return sh, m.keys[gi], nil
}

// parts hands writeData every district of b in order: from the memo of
// its shard, or from its page data, whose parts are then kept in a new
// memo. m may be nil: b's own districts, with their page data.
func (m *memoSet) parts(b *view.Bulletin) eachPart {
	if m == nil {
		return withPages(districtsOf(b))
	}
	return func(fn func(districtPart) error) error {
		for gi, g := range m.groups {
			var ds []memoDistrict
			if m.hit[gi] {
				var err error
				if ds, err = readMemo(m.path(gi), m.memo[gi]); err != nil {
					m.damaged(gi, err)
					ds = nil
				}
			}
			if ds == nil {
				var err error
				if ds, err = m.compute(gi, g); err != nil {
					return err
				}
			} else {
				m.count(true)
			}
			for k := range ds {
				if err := fn(districtPart{part: &ds[k].Part, index: &ds[k].Index}); err != nil {
					return err
				}
			}
		}
		return nil
	}
}

// compute makes the parts of group gi from its districts' page data and
// writes its memo.
func (m *memoSet) compute(gi int, g []int) ([]memoDistrict, error) {
	ds := make([]memoDistrict, 0, len(g))
	var pages map[string]*view.District
	if m.hit[gi] { // a damaged memo: b has no page data of the group
		pages = m.src.pages(districtIDs(m.b, g))
	}
	for _, i := range g {
		d := m.b.Districts[i]
		if pages != nil {
			d = pages[d.ID]
		}
		part, err := outputs.PartOf(m.b.Site.BaseURL, d)
		if err != nil {
			return nil, err
		}
		ds = append(ds, memoDistrict{ID: d.ID, Part: part, Index: search.PartOf(search.DistrictDocs(d))})
	}
	m.count(false)
	return ds, writeMemo(m.dir, m.inputs[gi], m.keys[gi], ds)
}

func (m *memoSet) count(hit bool) {
	m.mu.Lock()
	if hit {
		m.hits++
	} else {
		m.misses++
	}
	m.mu.Unlock()
}

func (m *memoSet) report(w io.Writer) {
	if m != nil && w != nil {
		fmt.Fprintf(w, "build: page data of %d of %d shards reused from %s\n", m.hits, m.hits+m.misses, m.dir)
	}
}

// inputs is what the input key of a shard is made of (memoInputs).
type inputs struct {
	common  []byte            // what every shard shares
	folders map[string][]byte // per folder of the data: its files' paths and SHA-256
}

// memoInputs gathers what a shard's page data and its parts can depend
// on: the shard cache's base (the generator, templates, content, the
// site's parameters, languages and site-wide pages, see newShardCache),
// the edition, as_of, the data folder's name, and the record files
// outside the district folders (site.yaml: the site's rules, calendar
// and base URL) by path and SHA-256; key adds the shard's districts,
// their places in the site and their folders' files. Nothing else goes
// into a district's page data: aggregate computes it from the district's
// records and the site's, and the data's git history only into the
// site-wide pages (the history, notices and feed: addHistory).
func memoInputs(src *pageSource, base string, b *view.Bulletin) *inputs {
	in := &inputs{folders: map[string][]byte{}}
	districts := map[string]bool{}
	for _, d := range b.Districts {
		districts[d.ID] = true
	}
	common := fmt.Appendf(nil, "bulletin-memo-v1\nshard-cache %s\nedition %s\nas_of %s\ndata %q\n", base, src.ed, src.data.Site.AsOf, src.display)
	src.sums.Each(func(rel string, sum [sha256.Size]byte) {
		folder, _, inFolder := strings.Cut(rel, "/")
		line := fmt.Appendf(nil, "%q %x\n", rel, sum)
		if inFolder && districts[folder] {
			in.folders[folder] = append(in.folders[folder], line...)
		} else {
			common = append(common, line...)
		}
	})
	in.common = common
	return in
}

// key is the input key of the shard of the districts of b at indexes g.
func (in *inputs) key(b *view.Bulletin, g []int) string {
	h := sha256.New()
	h.Write(in.common)
	for _, i := range g {
		d := b.Districts[i]
		fmt.Fprintf(h, "district %d %q %q\n", i, d.ID, d.URL)
		h.Write(in.folders[d.ID])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// addMemo keeps the input key of a memo the build uses or writes, for
// --shard-cache-prune.
func (u *cacheUse) addMemo(key string) {
	if u != nil {
		u.addTo(&u.memos, key)
	}
}

// pruneMemos removes the memos of the cache folder dir that the build
// did not use, when it used memos (a build of a shard, --shard I/N, has
// none): only files named as memos are (<sha-256>); anything else, and
// memos being written (.new-*), stays.
func pruneMemos(dir string, used *cacheUse, log io.Writer) error {
	if used.memos == nil {
		return nil
	}
	memos := filepath.Join(dir, memoFolder)
	removed, err := cachedir.RemoveUnusedFiles(memos, func(key string) bool { return used.memos[key] })
	if err != nil {
		return err
	}
	if log != nil && removed > 0 {
		fmt.Fprintf(log, "build: %d memos this build did not use removed from %s\n", removed, memos)
	}
	return nil
}
