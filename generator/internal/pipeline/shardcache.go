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
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/xuncha/bulletin/generator/internal/cachedir"
	"github.com/xuncha/bulletin/generator/internal/hugosite"
	"github.com/xuncha/bulletin/generator/internal/load"
	"github.com/xuncha/bulletin/generator/internal/search"
	"github.com/xuncha/bulletin/generator/internal/view"
)

// shardCache reuses a shard's output when its inputs did not change
// (--shard-cache DIR): the folder DIR/<key> holds the shard's folders as
// rendered and its sitemap entries (see packShard), keyed by a hash of
// everything its pages are made of.
type shardCache struct {
	dir  string
	base string    // hash of what every shard shares: templates, content, site parameters, site-wide pages
	log  io.Writer // where a damaged entry is reported; nil: nowhere
	used *cacheUse // the keys of this build's shards, for --shard-cache-prune; nil: not kept
	// ready is told each shard folder a restore made world-readable
	// (publish.Staging.Ready); nil: no one is.
	ready func(dir string)
	// taken, when set, has the restores move the entries' folders into
	// the site (takeShard) and puts them back once it is published;
	// without it they are linked (unpackShard).
	taken *takenEntries
	// index writes the search index through the store DIR/search (see
	// search.NewStoreWriter): after an edit, most of its files are those
	// of the build before, and are linked rather than written.
	index *search.Writer

	mu           sync.Mutex // shards are restored while others render
	hits, misses int
}

// oldEntryExt names the entries of the generator's versions that kept
// each in one tar file (DIR/<key>.tar): none is read, the prune removes
// them.
const oldEntryExt = ".tar"

// searchStore is the folder of the search index's files in the cache.
const searchStore = "search"

// newShardCache is nil when dir is "".
func newShardCache(cfg Config, b *view.Bulletin, site hugosite.Site) (*shardCache, error) {
	if cfg.ShardCache == "" {
		return nil, nil
	}
	gen, err := cfg.generator()
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	io.WriteString(h, "bulletin-shard-cache-v3\n")
	fmt.Fprintf(h, "generator %s\n", gen)
	if err := hashFolders(h, cfg.Templates, cfg.Content); err != nil {
		return nil, err
	}
	// The site's parameters (every page reads site.Params.bulletin), its
	// languages and sitemap setting, and the site-wide pages that shard
	// pages link to (their paths and titles: the templates read nothing
	// else of them from a shard's page).
	shared := struct {
		Site      view.Site
		Languages []hugosite.Language
		Sitemap   bool
		Pages     []any
	}{b.Site, site.Languages, site.Sitemap, nil}
	for _, p := range site.Pages {
		fm := map[string]any{}
		for k, v := range p.FrontMatter {
			if k != "params" {
				fm[k] = v
			}
		}
		shared.Pages = append(shared.Pages, []any{p.Path, fm})
	}
	if err := json.NewEncoder(h).Encode(shared); err != nil {
		return nil, err
	}
	if cfg.taken != nil {
		cfg.taken.log = cfg.Log
	}
	return &shardCache{dir: cfg.ShardCache, base: hex.EncodeToString(h.Sum(nil)), log: cfg.Log, used: cfg.used, ready: cfg.ready, taken: cfg.taken,
		index: search.NewStoreWriter(filepath.Join(cfg.ShardCache, searchStore), cfg.used.addIndexFile)}, nil
}

// key is the cache key of a shard: its pages as Hugo gets them (path,
// front matter: the view data and the place in the site, and languages).
func (c *shardCache) key(sh hugosite.Shard) (string, error) {
	h := sha256.New()
	io.WriteString(h, c.base)
	enc := json.NewEncoder(h)
	for _, p := range sh.Pages() {
		if err := enc.Encode([]any{p.Path, p.FrontMatter, p.DefaultLanguageOnly}); err != nil {
			return "", err
		}
	}
	key := hex.EncodeToString(h.Sum(nil))
	c.used.add(key)
	return key, nil
}

// buildAll renders the site-wide pages (siteWide) and the shards of
// groups into site.OutDir, and returns the shards' sitemap entries in the
// order of groups. The shards the cache holds are restored while the
// site-wide pages and the other shards render, and a rendered shard is
// stored while the next one renders: restoring and storing are mostly the
// kernel's work of creating and reading files, which leaves Hugo's cores
// to Hugo. memo, when set, has the keys of the shards whose memo the
// cache holds (memoSet.shard).
func (c *shardCache) buildAll(site hugosite.Site, b *view.Bulletin, groups [][]int, memo *memoSet, siteWide func() error) ([]hugosite.SitemapEntry, error) {
	type shard struct {
		sh       hugosite.Shard
		key      string
		entries  []hugosite.SitemapEntry
		cached   bool // the cache has an entry
		restored bool
		err      error
	}
	shards := make([]shard, len(groups))
	next := make(chan int, len(groups))
	for i, g := range groups {
		sh, key, err := memo.shard(c, b, i, g)
		if err != nil {
			return nil, err
		}
		shards[i] = shard{sh: sh, key: key}
		if _, err := os.Stat(c.entry(key)); err == nil {
			shards[i].cached = true
			next <- i
		}
	}
	close(next)

	var stop atomic.Bool // set when the build fails: the restorers and the storer stop
	var restorers sync.WaitGroup
	for range min(len(next), runtime.GOMAXPROCS(0)) {
		restorers.Go(func() {
			for i := range next {
				if stop.Load() {
					continue
				}
				s := &shards[i]
				s.entries, s.restored, s.err = c.restore(s.key, site, s.sh.Dirs)
				if s.err != nil {
					stop.Store(true)
				}
			}
		})
	}
	// A rendered shard is stored in the background, one at a time.
	stores := make(chan *shard, len(shards))
	var storer sync.WaitGroup
	var storeErr error
	storer.Go(func() {
		for s := range stores {
			if storeErr == nil && !stop.Load() {
				storeErr = c.store(s.key, site.OutDir, site.LangDirs(), s.sh.Dirs, s.entries)
			}
		}
	})
	render := func(i int) error {
		s := &shards[i]
		var err error
		if s.entries, err = hugosite.BuildShard(site, s.sh); err != nil {
			return fmt.Errorf("shard %d of %d: %w", i+1, len(shards), err)
		}
		c.mu.Lock()
		c.misses++
		c.mu.Unlock()
		stores <- s
		// Give the shard's memory back before the next renders: the peak
		// is then one shard's, not the sum of what the collector has not
		// yet returned.
		debug.FreeOSMemory()
		return nil
	}

	err := siteWide()
	for i := range shards {
		if err == nil && !shards[i].cached {
			err = render(i)
		}
	}
	if err != nil {
		stop.Store(true)
	}
	restorers.Wait()
	for i := range shards {
		if err == nil && shards[i].err != nil {
			err = fmt.Errorf("shard %d of %d: %w", i+1, len(shards), shards[i].err)
		}
		if err == nil && shards[i].cached && !shards[i].restored {
			err = render(i) // a damaged entry
		}
	}
	if err != nil {
		stop.Store(true)
	}
	close(stores)
	storer.Wait()
	if err == nil {
		err = storeErr
	}
	if err != nil {
		return nil, err
	}
	var entries []hugosite.SitemapEntry
	for i := range shards {
		entries = append(entries, shards[i].entries...)
	}
	return entries, nil
}

// restore writes the shard stored under key into site.OutDir: ok is false
// when the cache has no such entry, or an unreadable one (then nothing of
// it is left in site.OutDir, and the shard is to be rendered).
func (c *shardCache) restore(key string, site hugosite.Site, dirs []string) (entries []hugosite.SitemapEntry, ok bool, err error) {
	if c.taken != nil && !c.taken.crossDevice.Load() {
		var ts *takenShard
		entries, ts, err = takeShard(c.entry(key), site.OutDir, site.LangDirs(), dirs, c.ready, c.taken.fsNow(c.dir))
		if err == nil {
			c.taken.add(c.entry(key), site.OutDir, ts)
		} else if isCrossDevice(err) {
			// The cache on another file system than the site: the
			// folders cannot move, their files are linked or copied;
			// the later shards of this build go straight to that.
			if c.taken.crossDevice.CompareAndSwap(false, true) && c.log != nil {
				c.mu.Lock()
				fmt.Fprintf(c.log, "build: the shard cache %s is on another file system than %s: its files are copied into the site\n", c.dir, site.OutDir)
				c.mu.Unlock()
			}
			entries, err = unpackShard(c.entry(key), site.OutDir, site.LangDirs(), dirs, c.ready)
		}
	} else {
		entries, err = unpackShard(c.entry(key), site.OutDir, site.LangDirs(), dirs, c.ready)
	}
	if err != nil {
		// A damaged entry (a cache restored in part, a disk error) is
		// rendered again and replaced; what it wrote goes first, and so
		// does the entry.
		for _, l := range site.LangDirs() {
			for _, d := range dirs {
				if err := os.RemoveAll(filepath.Join(site.OutDir, l, d)); err != nil {
					return nil, false, err
				}
			}
		}
		if c.log != nil {
			c.mu.Lock()
			fmt.Fprintf(c.log, "build: %s: %v; rendering the shard again\n", c.entry(key), err)
			c.mu.Unlock()
		}
		if err := os.RemoveAll(c.entry(key)); err != nil {
			return nil, false, err
		}
		return nil, false, nil
	}
	c.mu.Lock()
	c.hits++
	c.mu.Unlock()
	return entries, true, nil
}

// entry is the folder of the cache entry under key.
func (c *shardCache) entry(key string) string { return filepath.Join(c.dir, key) }

// store makes the shard's folders in out (dirs in every language) and
// its sitemap entries the cache entry under key. It is written whole or
// not at all: into a folder of its own, renamed into place when complete.
func (c *shardCache) store(key, out string, langDirs, dirs []string, entries []hugosite.SitemapEntry) error {
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(c.dir, ".new-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp) // gone once renamed
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if err := packShard(tmp, out, langDirs, dirs, entries); err != nil {
		return err
	}
	if err := os.Rename(tmp, c.entry(key)); err != nil {
		if _, serr := os.Stat(filepath.Join(c.entry(key), entryManifest)); serr == nil {
			return nil // another build sharing the cache stored it meanwhile
		}
		return err
	}
	return nil
}

func (c *shardCache) report(w io.Writer) {
	if c != nil && w != nil {
		fmt.Fprintf(w, "build: %d of %d shards reused from %s\n", c.hits, c.hits+c.misses, c.dir)
	}
}

// hashFolders writes every file of the folders (path, size, bytes, in
// order) into h; a folder that does not exist adds nothing.
func hashFolders(h io.Writer, dirs ...string) error {
	for _, dir := range dirs {
		fmt.Fprintf(h, "folder\n")
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if errors.Is(err, fs.ErrNotExist) && p == dir {
				return nil
			}
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			fmt.Fprintf(h, "%q %d\n", filepath.ToSlash(rel), len(data))
			h.Write(data)
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// executableHash is the SHA-256 of the running program's file: a new
// version of the generator (its Go code, not only its templates) gets
// cache entries of its own.
func executableHash() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	f, err := os.Open(exe)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// cacheUse is the cache keys a build's shards have (Config.used), and
// the files of the search store its index has.
type cacheUse struct {
	mu      sync.Mutex
	keys    map[string]bool
	index   map[string]bool // nil: the build wrote no search index
	records *load.DiskCache // the records the build loaded; nil: none kept
	memos   map[string]bool // the memos' input keys; nil: the build used no memo
}

func (u *cacheUse) addIndexFile(name string) {
	if u != nil {
		u.addTo(&u.index, name)
	}
}

func (u *cacheUse) add(key string) {
	if u != nil {
		u.addTo(&u.keys, key)
	}
}

// addTo adds key to the set of u that set points to, making the set when
// it is nil (the callers leave a nil u alone: it keeps nothing).
func (u *cacheUse) addTo(set *map[string]bool, key string) {
	u.mu.Lock()
	if *set == nil {
		*set = map[string]bool{}
	}
	(*set)[key] = true
	u.mu.Unlock()
}

// pruneShardCache removes the entries of the cache folder dir that are
// not in used: only folders named as this program names its entries
// (<sha-256>), and files named as its earlier versions named theirs
// (<sha-256>.tar); and, when the build wrote a search index, the files of
// the search store that its index does not have. Anything else in the
// folder, and entries being written by another build (.new-*), stay.
func pruneShardCache(dir string, used *cacheUse, log io.Writer) error {
	names, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	removed := 0
	for _, e := range names {
		key, old := strings.CutSuffix(e.Name(), oldEntryExt)
		if !cachedir.IsKey(key) || used.keys[key] || (old && !e.Type().IsRegular()) || (!old && !e.IsDir()) {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		removed++
	}
	if log != nil {
		fmt.Fprintf(log, "build: %d cache entries this build did not use removed from %s\n", removed, dir)
	}
	if used.records != nil {
		n, err := used.records.Prune()
		if err != nil {
			return err
		}
		if log != nil && n > 0 {
			fmt.Fprintf(log, "build: %d record files this build did not load removed from %s\n", n, filepath.Join(dir, recordsFolder))
		}
	}
	if used.index == nil {
		return nil // a build of shards only (--shard I/N): the store is the whole build's
	}
	store := filepath.Join(dir, searchStore)
	removed, err = cachedir.RemoveUnusedFiles(store, func(key string) bool { return used.index[key] })
	if err != nil {
		return err
	}
	if log != nil && removed > 0 {
		fmt.Fprintf(log, "build: %d files of the search index this build did not use removed from %s\n", removed, store)
	}
	return nil
}

// takenEntries are the cache entries whose folders a build moved into
// its staging folder (takeShard): once the site is published they go
// back into the cache (putBack), from the site it replaced when that one
// holds the same files, else as links to the published ones; if the
// build fails, from the staging folder (giveBack). An entry that cannot
// be put back is removed, and its shard rendered again next time; so is
// one a killed build left without its folders (takeShard finds them
// missing).
type takenEntries struct {
	mu   sync.Mutex
	list []takenEntry
	log  io.Writer

	nowOnce sync.Once
	now     int64 // the file system's time before any entry was looked at (fsNow)

	// crossDevice: a take failed for the cache being on another file
	// system than the site; the later entries are unpacked, not taken.
	crossDevice atomic.Bool
}

type takenEntry struct {
	entry string // the entry's folder
	out   string // the staging folder the shard went into
	shard *takenShard
}

// fsNow is the file system's time before the first entry is taken (see
// dirStamp), the same for the whole build; dir is the cache folder.
func (t *takenEntries) fsNow(dir string) int64 {
	t.nowOnce.Do(func() { t.now = fsNow(dir) })
	return t.now
}

func (t *takenEntries) add(entry, out string, ts *takenShard) {
	t.mu.Lock()
	t.list = append(t.list, takenEntry{entry, out, ts})
	t.mu.Unlock()
}

// putBack is publish.Staging.CommitThen's: site is the published site,
// old the site it replaced ("" if none), removed afterwards. Each shard
// folder goes back from old when it holds the very same files as the
// published one (sameAsPublished), else as links to the published files
// (the manifest tells which: nothing is listed or looked at). The
// entry's stamps are written last: those of the folders it now holds, and
// of those published.
func (t *takenEntries) putBack(site, old string) {
	for _, e := range t.list {
		ts, m := e.shard, e.shard.m
		stamps := entryStamps{entry: make([]dirStamp, len(m.Dirs)), site: ts.pub, siteFiles: ts.pubFiles}
		var err error
		for _, top := range ts.tops {
			rel := filepath.FromSlash(m.Dirs[top])
			from, to := filepath.Join(site, rel), filepath.Join(e.entry, rel)
			if err = os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
				break
			}
			same, kept := false, map[int]dirStamp(nil)
			if old != "" {
				if ts.inodes {
					same, kept = sameAsPublished(old, ts, top, t.now)
				} else {
					same = sameTree(filepath.Join(old, rel), from, ts.count(top))
				}
			}
			if same {
				// The replaced site's copy: the same files, already
				// folders of their own. Nothing is made.
				if err = os.Rename(filepath.Join(old, rel), to); err != nil {
					break
				}
				for i, s := range kept {
					stamps.entry[i] = s
				}
			} else if err = linkShard(site, e.entry, ts, top); err != nil {
				break
			}
		}
		if err == nil && ts.inodes {
			err = writeStamps(e.entry, stamps)
		} else if err == nil {
			// No inodes nor change times here (Windows): no stamps
			// are kept, every folder is listed.
			err = removeStamps(e.entry)
		}
		if err != nil {
			t.drop(e.entry, err)
		}
	}
	t.list = nil
}

// linkShard makes the shard folder top (an index in ts.m.Dirs) in entry
// hold links to the files of the one published in site: the manifest's
// folders and files, which the site holds as taken from the entry. Each
// folder's files are linked right after it is made, as a walk would: its
// blocks are then at hand (all folders first, then all files, took twice
// the system time at 200,000 problems). A file that cannot be linked (a
// file system without hard links, too many links) is copied (linkFile).
func linkShard(site, entry string, ts *takenShard, top int) error {
	m := ts.m
	filesOf := make(map[int][]int)
	for i, p := range m.fileParent {
		if ts.topOf[p] == top {
			filesOf[p] = append(filesOf[p], i)
		}
	}
	for i, d := range m.Dirs {
		if ts.topOf[i] != top {
			continue
		}
		if err := os.Mkdir(filepath.Join(entry, filepath.FromSlash(d)), 0o755); err != nil {
			return err
		}
		for _, f := range filesOf[i] {
			rel := filepath.FromSlash(m.Files[f].Path)
			if _, err := linkFile(filepath.Join(site, rel), filepath.Join(entry, rel)); err != nil {
				return err
			}
		}
	}
	return nil
}

// count is how many folders and files the shard folder top holds, itself
// included.
func (ts *takenShard) count(top int) int {
	n := 0
	for _, t := range ts.topOf {
		if t == top {
			n++
		}
	}
	for _, p := range ts.m.fileParent {
		if ts.topOf[p] == top {
			n++
		}
	}
	return n
}

// giveBack puts the taken folders back from the staging folder of a
// build that failed. The entry's stamps still hold: its folders are the
// same, changed in nothing but their place.
func (t *takenEntries) giveBack() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, e := range t.list {
		for _, top := range e.shard.tops {
			rel := filepath.FromSlash(e.shard.m.Dirs[top])
			if err := os.Rename(filepath.Join(e.out, rel), filepath.Join(e.entry, rel)); err != nil {
				t.drop(e.entry, err)
				break
			}
		}
	}
	t.list = nil
}

// drop removes an entry that could not be put back whole.
func (t *takenEntries) drop(entry string, err error) {
	if t.log != nil {
		fmt.Fprintf(t.log, "build: %s: %v; the entry is removed (its shard is rendered again next time)\n", entry, err)
	}
	os.RemoveAll(entry)
}
