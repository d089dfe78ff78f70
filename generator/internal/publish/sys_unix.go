//go:build unix

package publish

import (
	"os"

	"golang.org/x/sys/unix"
)

// tryLock takes f's exclusive lock, or fails at once when another process
// holds it.
func tryLock(f *os.File) error { return unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) }

func unlockFile(f *os.File) { unix.Flock(int(f.Fd()), unix.LOCK_UN) }
