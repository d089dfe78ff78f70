package load

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/xuncha/bulletin/generator/internal/cachedir"
)

// DiskCache keeps, in a folder, what loading each round and common problem
// file gave (its record, or that it was refused, and its diagnostics), so
// that a later Load by the same program takes a file whose bytes did not
// change from there instead of parsing it again (build --shard-cache DIR
// keeps it in DIR/records). An entry is one file, named by the SHA-256 of
// everything the load of a file depends on: the program, the kind of
// record, the file's path as diagnostics show it, its district's id (in
// messages), the loader's size limit and the SHA-256 of the file's bytes.
// It holds the record codec's bytes (see encodeStored) between a header
// that repeats its name and a SHA-256 of the whole: an entry that is
// damaged, cut short or not this one is a miss, parsed again and written
// anew, never a wrong record. Entries are written to a temporary file and
// renamed into place, so that a reader sees a whole entry or none.
//
// The loader's in-memory Cache is filled from it as from a parse: the
// scan of the git history still reuses the working tree's records.
// A DiskCache is safe for concurrent use.
type DiskCache struct {
	dir     string
	program string

	mkdir sync.Once
	mu    sync.Mutex
	used  map[string]bool // the entries this process read or wrote

	hits, misses, fails atomic.Int64
}

// NewDiskCache returns the cache in folder dir (made when the first entry
// is written) of the program identified by program, a hash of its
// executable say: entries of another program are never read.
func NewDiskCache(dir, program string) *DiskCache {
	return &DiskCache{dir: dir, program: program, used: map[string]bool{}}
}

// WithDiskCache makes Load take the round and common problem files whose
// bytes did not change from c, and put the others there once loaded.
func WithDiskCache(c *DiskCache) Option { return func(cfg *config) { cfg.disk = c } }

// entryMagic starts every entry; its last byte is the layout's version.
var entryMagic = []byte("bulletin-records\x01")

// slot is where the load of one record file goes in a DiskCache.
type slot struct {
	c   *DiskCache
	key [sha256.Size]byte
}

// slotFor is the entry of the file f of kind k (roundKind, commonKind) in
// district district, whose bytes have the SHA-256 sum.
func (c *DiskCache) slotFor(k *kind, f *file, district string, maxSize int64, sum [sha256.Size]byte) slot {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%q\x00%q\x00%d\x00", entryMagic, c.program, k.name, f.path, district, maxSize)
	h.Write(sum[:])
	var s slot
	s.c = c
	h.Sum(s.key[:0])
	return s
}

func (s slot) name() string { return hex.EncodeToString(s.key[:]) }

func (s slot) path() string { return filepath.Join(s.c.dir, s.name()) }

func (s slot) use() {
	s.c.mu.Lock()
	s.c.used[s.name()] = true
	s.c.mu.Unlock()
}

// get reads the entry, or false when there is none that reads back whole.
func (s slot) get() (*stored, bool) {
	s.use()
	b, err := os.ReadFile(s.path())
	if err != nil {
		s.c.misses.Add(1)
		return nil, false
	}
	body, ok := s.open(b)
	if !ok {
		s.c.misses.Add(1)
		return nil, false
	}
	st, ok := decodeStored(body)
	if !ok {
		s.c.misses.Add(1)
		return nil, false
	}
	s.c.hits.Add(1)
	return st, true
}

// open checks an entry's header and sum and returns its body.
func (s slot) open(b []byte) ([]byte, bool) {
	head := len(entryMagic) + len(s.key)
	if len(b) < head+sha256.Size || !bytes.HasPrefix(b, entryMagic) || !bytes.Equal(b[len(entryMagic):head], s.key[:]) {
		return nil, false
	}
	end := len(b) - sha256.Size
	if sum := sha256.Sum256(b[:end]); !bytes.Equal(sum[:], b[end:]) {
		return nil, false
	}
	return b[head:end], true
}

// put writes the entry, replacing any. A cache that cannot be written is
// no error: the next build parses the file again.
func (s slot) put(st *stored) {
	s.use()
	b := make([]byte, 0, 4096)
	b = append(b, entryMagic...)
	b = append(b, s.key[:]...)
	b = encodeStored(b, st)
	sum := sha256.Sum256(b)
	b = append(b, sum[:]...)
	if err := s.c.write(s.name(), b); err != nil {
		s.c.fails.Add(1)
	}
}

// write puts b into the folder as name: into a temporary file first,
// renamed into place once whole.
func (c *DiskCache) write(name string, b []byte) error {
	var err error
	c.mkdir.Do(func() { err = os.MkdirAll(c.dir, 0o755) })
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(c.dir, ".new-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(b)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(c.dir, name))
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// Report writes how many files were taken from the cache, parsed (not in
// it, or changed) and could not be written to it.
func (c *DiskCache) Report(w io.Writer) {
	if w == nil {
		return
	}
	fmt.Fprintf(w, "build: %d record files taken from %s, %d parsed", c.hits.Load(), c.dir, c.misses.Load())
	if n := c.fails.Load(); n > 0 {
		fmt.Fprintf(w, " (%d could not be stored there)", n)
	}
	fmt.Fprintln(w)
}

// Counts is how many record files were taken from the cache and how many
// parsed (not in it, or unreadable there).
func (c *DiskCache) Counts() (taken, parsed int) {
	return int(c.hits.Load()), int(c.misses.Load())
}

// Prune removes the entries that this process did not read or write: the
// records of files that changed or went since. Only files named as entries
// are (64 hexadecimal digits); anything else, and entries being written
// (.new-*), stay. It returns how many it removed.
func (c *DiskCache) Prune() (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return cachedir.RemoveUnusedFiles(c.dir, func(key string) bool { return c.used[key] })
}

// diskFile is the round or common problem file a loader is loading with a
// DiskCache: what its entry is keyed by besides its bytes, and, once they
// were read and the cache had no entry, the entry to write when it is
// loaded.
type diskFile struct {
	kind     *kind
	district string
	slot     *slot
}

// restore gives f what loading it gave before, as st has it: its
// diagnostics, and its record (round and common take it from f.stored).
// The in-memory record Cache gets a record without diagnostics, as if it
// had been parsed, so that the scan of the git history reuses it.
func (l *loader) restore(f *file, st *stored, sum [sha256.Size]byte, blob string) {
	f.stored = st
	f.errs.Append(st.errs)
	f.count = len(st.errs)
	c := l.cfg.cache
	if c == nil || !c.records || len(st.errs) > 0 || st.round == nil && st.common == nil {
		return
	}
	kept := &cachedFile{sum: sum, blob: blob, round: st.round, common: st.common}
	if st.round != nil {
		kept.spans = st.round.InternalLines
	} else {
		kept.spans = st.common.InternalLines
	}
	c.mu.Lock()
	c.files[f.path] = kept
	c.mu.Unlock()
	f.cached, f.spans = kept, kept.spans
}
