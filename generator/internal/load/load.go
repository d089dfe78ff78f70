// Package load reads the record files under the data folder into the model.
//
// It checks everything that can be checked in one file or one value: where
// the files are, hostile input (size, encoding, anchors and aliases, nesting,
// several documents), YAML syntax, duplicate and unknown keys, required
// fields, types, dates, enumerations and ids. Relations between records
// (references, duplicate ids, figures that must agree, dates in order) are
// the business of package validate.
//
// The records are read from an fs.FS: the data folder on disk (Dir), a git
// revision (package gitrepo), an fstest.MapFS in tests. Every diagnostic is
// positioned as FILE:LINE:COL, where FILE is the path under the name the
// caller displays for the folder (for example
// "data/chancheng/rounds/2019-r1.yaml"), from the start: nothing is renamed
// afterwards.
package load

import (
	"cmp"
	"crypto/sha256"
	"io/fs"
	"runtime"
	"slices"
	"sync"

	"github.com/xuncha/bulletin/generator/internal/diag"
	"github.com/xuncha/bulletin/generator/internal/model"
	yaml "go.yaml.in/yaml/v3"
)

// MaxFileSize is the default largest record file Load reads, in bytes
// (16 MiB). Larger files are refused before they are read.
const MaxFileSize = 16 << 20

// MaxDepth is how deeply mappings and lists may nest in a record file. The
// deepest record of the data format nests about six levels; the limit leaves
// room for `internal:` maps.
const MaxDepth = 64

// MaxEntries bounds the lines, list items and keys of a record file (see
// startsEntry), so that a file of millions of tiny values is refused before
// the YAML parser spends seconds and gigabytes on it. The largest published
// round would need a tenth of it.
const MaxEntries = 200_000

// maxErrorsPerFile bounds the diagnostics of one file, so that a hostile or
// badly broken file cannot flood the output.
const maxErrorsPerFile = 100

type config struct {
	maxFileSize int64
	cache       *Cache
	workers     int
	sums        *FileSums
	disk        *DiskCache
}

// Cache remembers the parsed YAML of every file that parsed cleanly, keyed
// by its path and the SHA-256 of its bytes, so that a long-lived caller (the
// preview server) re-parses only the files that changed. Files with
// diagnostics are never cached. A Cache is safe for concurrent use.
type Cache struct {
	mu      sync.Mutex
	files   map[string]*cachedFile
	records bool // keep the decoded rounds and common problems too
}

type cachedFile struct {
	sum    [sha256.Size]byte
	blob   string // its BlobID, once read from a BlobFS; guarded by Cache.mu
	root   *yaml.Node
	spans  []diag.Span
	round  *model.Round
	common *model.CommonProblem
}

// NewCache returns an empty Cache.
func NewCache() *Cache { return &Cache{files: map[string]*cachedFile{}} }

// NewRecordCache returns an empty Cache that also keeps the round or common
// problem decoded from each file without diagnostics, and while the file
// does not change hands every load a copy of it instead of decoding it
// again (see handOutRound): the preview server and the history scan.
func NewRecordCache() *Cache { return &Cache{files: map[string]*cachedFile{}, records: true} }

// WithCache makes Load reuse the parses kept in c and keep new ones there.
func WithCache(c *Cache) Option { return func(cfg *config) { cfg.cache = c } }

// Option changes how Load reads files.
type Option func(*config)

// WithMaxFileSize sets the largest file Load reads, in bytes (default
// MaxFileSize). Values below 1 keep the default.
func WithMaxFileSize(n int64) Option {
	return func(c *config) {
		if n > 0 {
			c.maxFileSize = n
		}
	}
}

// WithWorkers sets how many round and common problem files Load reads and
// decodes at once (default: runtime.GOMAXPROCS, the cores Go may use).
// Values below 1 keep the default; 1 reads them one after another. The
// model and the diagnostics are the same whatever the number.
func WithWorkers(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.workers = n
		}
	}
}

// Load reads every record under the folder dir on disk: FS(Dir(dir), dir).
func Load(dir string, opts ...Option) (*model.Data, diag.List) {
	return FS(Dir(dir), dir, opts...)
}

// FS reads every record of fsys, whose root is the data folder, and returns
// the model with positions under display (the name the caller shows for the
// folder, "data" say), plus every diagnostic found (all files, all errors,
// sorted).
//
// The model is returned even when there are diagnostics, as complete as the
// records allow, so that later checks can report more problems in the same
// run: Site is never nil (defaults when site.yaml is missing or broken), a
// district folder without a readable district.yaml still holds its rounds,
// a record whose id is missing gets its file or folder name. Files refused as
// a whole (too large, not UTF-8, syntax errors …) are left out.
//
// The round and common problem files are read by several goroutines at
// once (see WithWorkers): fsys must be safe for concurrent use, as
// os.DirFS, fstest.MapFS and gitrepo.Tree are.
func FS(fsys fs.FS, display string, opts ...Option) (*model.Data, diag.List) {
	cfg := config{maxFileSize: MaxFileSize, workers: runtime.GOMAXPROCS(0)}
	for _, o := range opts {
		o(&cfg)
	}
	l := &loader{cfg: cfg, fsys: fsys, dir: display}
	lay := l.walk()
	data := &model.Data{Dir: display, Site: l.site(lay.site)}
	dfs := lay.districts()
	for _, df := range dfs {
		data.Districts = append(data.Districts, l.district(df))
	}
	l.records(data.Districts, dfs)
	slices.SortStableFunc(data.Districts, func(a, b *model.District) int { return cmp.Compare(a.ID, b.ID) })
	return data, l.errs.Sort()
}

// loader holds what one Load call shares between files.
type loader struct {
	cfg      config
	fsys     fs.FS  // the data folder
	dir      string // how diagnostics name it
	readable bool   // the data folder could be read
	errs     diag.List
	scratch  *scratch  // reused from file to file by one goroutine; nil: a new one for each file
	disk     *diskFile // the record file being loaded, with a DiskCache; nil: none
}
