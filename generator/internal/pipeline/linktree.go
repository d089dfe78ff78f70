package pipeline

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/xuncha/bulletin/generator/internal/publish"
)

// linkTree makes the folder to (which must not exist; its parent must)
// hold what the folder from holds: the same folders, and every regular
// file hard-linked to from's (see linkFile). Anything else in from (a
// symbolic link, a device) is an error. visit, when set, is called for
// each folder and file made, parents first, with its slash path relative
// to from ("." for from itself) and a file's size.
//
// The two trees then share their files' storage: whoever holds one of
// them must replace a file (write a new one, rename it over) and never
// rewrite it in place, or the other tree changes too.
func linkTree(from, to string, visit func(rel string, dir bool, size int64)) error {
	return filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, p)
		if err != nil {
			return err
		}
		target := filepath.Join(to, rel)
		switch {
		case d.IsDir():
			if err := os.Mkdir(target, 0o755); err != nil {
				return err
			}
			if visit != nil {
				visit(filepath.ToSlash(rel), true, 0)
			}
			return nil
		case !d.Type().IsRegular():
			return fmt.Errorf("%s: not a regular file or folder", p)
		}
		size, err := linkFile(p, target)
		if err != nil {
			return err
		}
		if visit != nil {
			visit(filepath.ToSlash(rel), false, size)
		}
		return nil
	})
}

// linkFile makes the new file to a hard link to the regular file from, or
// a copy of it where a link cannot be made (another file system, one
// without links, too many links to the file), and returns its size. An
// existing to is an error, as is a from that is not a regular file.
//
// A file is linked only when its mode is already a published file's
// (publish.FileMode), else copied: publishing the tree it joins
// (publish.Commit) gives every file that mode, which through a link would
// change the other tree's file too (merge links the shard folders, which
// are not its own).
func linkFile(from, to string) (int64, error) {
	size, perm, err := regularStat(from)
	if err != nil {
		return 0, err
	}
	_, err = linkOrCopy(from, to, size, perm, perm == publish.FileMode)
	return size, err
}

// linkFileMode is linkFile whatever from's mode, with the permission bits
// of the file made: from's when linked, 0 (not known) when copied.
func linkFileMode(from, to string) (int64, fs.FileMode, error) {
	size, perm, err := regularStat(from)
	if err != nil {
		return 0, 0, err
	}
	perm, err = linkOrCopy(from, to, size, perm, true)
	if err != nil {
		return 0, 0, err
	}
	return size, perm, nil
}

// linkOrCopy makes to a hard link to from (of size and mode perm) when
// link is set and the link can be made, else a copy; it returns perm when
// linked, 0 when copied.
func linkOrCopy(from, to string, size int64, perm fs.FileMode, link bool) (fs.FileMode, error) {
	if link {
		lerr := os.Link(from, to)
		if lerr == nil {
			return perm, nil
		}
		if errors.Is(lerr, fs.ErrExist) {
			return 0, lerr
		}
	}
	// Copy: what the link could not share.
	data, err := readInto(nil, from)
	if err != nil {
		return 0, err
	}
	if int64(len(data)) != size {
		return 0, fmt.Errorf("%s: changed while being copied", from)
	}
	return 0, writeNew(to, data)
}

// regularStat is the size and the mode bits of the regular file p (the
// permission bits, and setuid, setgid and sticky when set: then not a
// published file's), not followed if a symbolic link (that is an error,
// as is a folder): one lstat (lstatOf).
func regularStat(p string) (int64, fs.FileMode, error) {
	st, err := lstatOf(p)
	if err != nil {
		return 0, 0, err
	}
	if st.kind != kindFile {
		return 0, 0, &fs.PathError{Op: "lstat", Path: p, Err: errNotRegular}
	}
	return st.size, st.perm, nil
}

// errNotRegular: a path that should be a regular file is something else.
var errNotRegular = errors.New("not a regular file")
