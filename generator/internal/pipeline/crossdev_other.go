//go:build !windows

package pipeline

import (
	"errors"
	"syscall"
)

// isCrossDevice tells err is a rename or link that failed for its two
// paths being on different file systems.
func isCrossDevice(err error) bool { return errors.Is(err, syscall.EXDEV) }
