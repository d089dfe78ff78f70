//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package pipeline

import (
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// lstatOf is what the cache needs to know of the path p, not followed if a
// symbolic link: one lstat, nothing allocated for it.
func lstatOf(p string) (fileStat, error) {
	var st unix.Stat_t
	for {
		err := unix.Lstat(p, &st)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return fileStat{}, &fs.PathError{Op: "lstat", Path: p, Err: err}
		}
		break
	}
	s := fileStat{size: st.Size, perm: fs.FileMode(st.Mode & 0o7777), dev: uint64(st.Dev), ino: uint64(st.Ino),
		ctime: int64(st.Ctim.Sec)*1e9 + int64(st.Ctim.Nsec)}
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFDIR:
		s.kind = kindDir
	case unix.S_IFREG:
		s.kind = kindFile
	}
	return s, nil
}

// fsNow is the file system's time now, as it stamps a change (the change
// time of a file made in dir, then removed); 0 when it cannot tell.
func fsNow(dir string) int64 {
	f, err := os.CreateTemp(dir, ".now-")
	if err != nil {
		return 0
	}
	defer os.Remove(f.Name())
	defer f.Close()
	st, err := lstatOf(f.Name())
	if err != nil {
		return 0
	}
	return st.ctime
}
