//go:build !linux

package publish

// exchange: this system has no atomic swap of two folders; Commit renames
// the old site aside and the new one into place instead.
func exchange(a, b string) error { return errNoExchange }
