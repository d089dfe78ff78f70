//go:build unix

package pipeline

import (
	"io/fs"

	"golang.org/x/sys/unix"
)

// readInto reads the file p into buf's storage (grown when too small),
// with the system calls themselves (see writeNew).
func readInto(buf []byte, p string) ([]byte, error) {
	fd, err := unix.Open(p, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return buf, &fs.PathError{Op: "open", Path: p, Err: err}
	}
	defer unix.Close(fd)
	buf = buf[:0]
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := unix.Read(fd, buf[len(buf):cap(buf)])
		switch {
		case err == unix.EINTR:
		case err != nil:
			return buf, &fs.PathError{Op: "read", Path: p, Err: err}
		case n == 0:
			return buf, nil
		default:
			buf = buf[:len(buf)+n]
		}
	}
}

// writeNew writes data into a new file p: one that exists is an error.
// It goes straight to the system calls: an *os.File would add a call (the
// poller's) and a finalizer per file, a fifth of a restore's time.
func writeNew(p string, data []byte) error {
	fd, err := unix.Open(p, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_CLOEXEC, 0o644)
	if err != nil {
		return &fs.PathError{Op: "open", Path: p, Err: err}
	}
	for len(data) > 0 && err == nil {
		var n int
		n, err = unix.Write(fd, data)
		if n > 0 {
			data = data[n:]
		}
		if err == unix.EINTR {
			err = nil
		}
	}
	if cerr := unix.Close(fd); err == nil {
		err = cerr
	}
	if err != nil {
		return &fs.PathError{Op: "write", Path: p, Err: err}
	}
	return nil
}

// regularStat is the size and the mode bits of the regular file p (the
// permission bits, and setuid, setgid and sticky when set: then not a
// published file's), not followed if a symbolic link (that is an error,
// as is a folder).
func regularStat(p string) (int64, fs.FileMode, error) {
	var st unix.Stat_t
	for {
		err := unix.Lstat(p, &st)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return 0, 0, &fs.PathError{Op: "lstat", Path: p, Err: err}
		}
		break
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		return 0, 0, &fs.PathError{Op: "lstat", Path: p, Err: errNotRegular}
	}
	return st.Size, fs.FileMode(st.Mode & 0o7777), nil
}
