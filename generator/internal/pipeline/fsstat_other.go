//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package pipeline

import (
	"io/fs"
	"os"
)

// lstatOf is what the cache needs to know of the path p, not followed if a
// symbolic link. Here the change time is not known (0): no folder is
// taken as unchanged from its stamp, each is listed (see dirStamp).
func lstatOf(p string) (fileStat, error) {
	fi, err := os.Lstat(p)
	if err != nil {
		return fileStat{}, err
	}
	s := fileStat{size: fi.Size(), perm: fi.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)}
	switch {
	case fi.IsDir():
		s.kind = kindDir
	case fi.Mode().IsRegular():
		s.kind = kindFile
	}
	return s, nil
}

// fsNow is 0: the change times of folders are not known here.
func fsNow(string) int64 { return 0 }
