// Package cachedir holds the rules the folders of build --shard-cache
// share: every entry is named by a key, the lower-case hexadecimal of a
// SHA-256, and pruning removes only what is named so — anything else in
// the folder, and entries still being written (.new-*), stay.
package cachedir

import (
	"crypto/sha256"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// IsKey reports whether name is a cache key: 64 lower-case hexadecimal
// digits.
func IsKey(name string) bool {
	if len(name) != 2*sha256.Size {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// RemoveUnusedFiles removes the regular files of dir named as keys that
// used reports false for, and returns how many it removed. A folder that
// does not exist has none.
func RemoveUnusedFiles(dir string, used func(key string) bool) (int, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	removed := 0
	for _, e := range entries {
		if !e.Type().IsRegular() || !IsKey(e.Name()) || used(e.Name()) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return removed, err
		}
		removed++
	}
	return removed, nil
}
