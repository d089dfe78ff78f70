//go:build unix

package load_test

import (
	"path/filepath"
	"syscall"
	"testing"
)

// TestFIFO checks that a FIFO named like a record is refused without being
// opened (opening it would block).
func TestFIFO(t *testing.T) {
	runCases(t, []tcase{{
		name:  "FIFO",
		files: round,
		setup: func(t *testing.T, root string) {
			if err := syscall.Mkfifo(filepath.Join(root, "data/d/rounds/pipe.yaml"), 0o644); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
		},
		want: []string{"data/d/rounds/pipe.yaml:1:1: not a regular file: not read"},
	}})
}
