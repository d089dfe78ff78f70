package load

import (
	"crypto/sha256"
	"fmt"
	"io"
	"sync"
)

// FileSums collects the SHA-256 of the bytes of every record file a Load
// read, by its path in the data folder: the identity of the records a
// build was made from (the content hash of build --shard and merge). It is
// safe for the concurrent reads of one Load.
type FileSums struct {
	mu   sync.Mutex
	sums map[string][sha256.Size]byte
}

// NewFileSums returns an empty FileSums.
func NewFileSums() *FileSums { return &FileSums{sums: map[string][sha256.Size]byte{}} }

// WithFileSums makes Load put into s the SHA-256 of every file it reads,
// as read (a file refused before reading has none).
func WithFileSums(s *FileSums) Option { return func(cfg *config) { cfg.sums = s } }

func (s *FileSums) put(rel string, sum [sha256.Size]byte) {
	s.mu.Lock()
	s.sums[rel] = sum
	s.mu.Unlock()
}

// Len is how many files were read.
func (s *FileSums) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sums)
}

// WriteTo writes one line per file read, in path order: its path (slash-
// separated, relative to the data folder, quoted) and its SHA-256.
func (s *FileSums) WriteTo(w io.Writer) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var n int64
	for _, rel := range sortedKeys(s.sums) {
		k, err := fmt.Fprintf(w, "%q %x\n", rel, s.sums[rel])
		n += int64(k)
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// Each calls fn for every file read, in path order, with its path (as
// WriteTo writes it) and its SHA-256.
func (s *FileSums) Each(fn func(rel string, sum [sha256.Size]byte)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, rel := range sortedKeys(s.sums) {
		fn(rel, s.sums[rel])
	}
}
