//go:build !unix

package pipeline

import (
	"bytes"
	"io/fs"
	"os"
)

// readInto reads the file p into buf's storage (grown when too small).
func readInto(buf []byte, p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return buf, err
	}
	defer f.Close()
	b := bytes.NewBuffer(buf[:0])
	_, err = b.ReadFrom(f)
	return b.Bytes(), err
}

// writeNew writes data into a new file p: one that exists is an error.
func writeNew(p string, data []byte) error {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// regularStat is the size and the mode bits of the regular file p (the
// permission bits, and setuid, setgid and sticky when set: then not a
// published file's), not followed if a symbolic link (that is an error,
// as is a folder).
func regularStat(p string) (int64, fs.FileMode, error) {
	fi, err := os.Lstat(p)
	if err != nil {
		return 0, 0, err
	}
	if !fi.Mode().IsRegular() {
		return 0, 0, &fs.PathError{Op: "lstat", Path: p, Err: errNotRegular}
	}
	return fi.Size(), fi.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky), nil
}
