package load

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/xuncha/bulletin/generator/internal/realpath"
)

// Dir is the folder dir on disk as an fs.FS for FS: os.DirFS, plus what
// symbolic links need there. A link whose target is an absolute path is
// followed when that path lies inside dir (once both are resolved); every
// other link is followed as written, inside the folder only.
func Dir(dir string) fs.FS {
	return diskFS{FS: os.DirFS(dir), dir: dir}
}

type diskFS struct {
	fs.FS // os.DirFS(dir)
	dir   string
}

func (d diskFS) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(d.FS, name) }
func (d diskFS) Stat(name string) (fs.FileInfo, error) {
	if name == "." {
		return os.Stat(d.dir) // os.DirFS says "not a directory" as an error
	}
	return fs.Stat(d.FS, name)
}
func (d diskFS) Lstat(name string) (fs.FileInfo, error) { return fs.Lstat(d.FS, name) }
func (d diskFS) ReadLink(name string) (string, error)   { return fs.ReadLink(d.FS, name) }

// inside returns the absolute path abs relative to the folder (slash-
// separated), or false when it lies outside.
func (d diskFS) inside(abs string) (string, bool) {
	return realpath.Rel(d.dir, abs)
}

// absLinker is a file system whose symbolic links may name absolute paths
// that lie inside it (the disk).
type absLinker interface {
	inside(abs string) (string, bool)
}

var (
	errOutside = errors.New("symbolic link points outside the data folder")
	errLoop    = errors.New("too many symbolic links")
)

// maxLinks bounds the symbolic links followed to resolve one path.
const maxLinks = 40

// resolve returns name (a valid fs.FS path) with every symbolic link in it
// followed, inside fsys: errOutside when a link leads out of it, errLoop for
// links that never end, the error of fs.Lstat for a path that does not
// exist. A file system without links (no fs.ReadLinkFS) resolves every
// path to itself.
func resolve(fsys fs.FS, name string) (string, error) {
	if _, ok := fsys.(fs.ReadLinkFS); !ok {
		return name, nil
	}
	hops := 0
	var walk func(name string) (string, error)
	walk = func(name string) (string, error) {
		cur := "."
		for part := range strings.SplitSeq(name, "/") {
			if part == "." {
				continue
			}
			next := path.Join(cur, part)
			st, err := fs.Lstat(fsys, next)
			if err != nil {
				return "", err
			}
			if st.Mode()&fs.ModeSymlink == 0 {
				cur = next
				continue
			}
			if hops++; hops > maxLinks {
				return "", errLoop
			}
			target, err := fs.ReadLink(fsys, next)
			if err != nil {
				return "", err
			}
			if path.IsAbs(target) || filepath.IsAbs(target) {
				al, ok := fsys.(absLinker)
				if !ok {
					return "", errOutside
				}
				if target, ok = al.inside(target); !ok {
					return "", errOutside
				}
			} else {
				target = path.Join(cur, filepath.ToSlash(target))
			}
			if target == ".." || strings.HasPrefix(target, "../") {
				return "", errOutside
			}
			if cur, err = walk(target); err != nil {
				return "", err
			}
		}
		return cur, nil
	}
	return walk(name)
}
