package ledger

import (
	"io/fs"
	"path/filepath"
	"testing/fstest"

	"github.com/xuncha/bulletin/generator/internal/check"
	"github.com/xuncha/bulletin/generator/internal/diag"
	"github.com/xuncha/bulletin/generator/internal/load"
	"github.com/xuncha/bulletin/generator/internal/model"
)

// checkWith runs the project's one check on the data folder as it would be
// with file (a path as diagnostics show it, under data) holding content:
// the folder on disk with that one file replaced in memory. Positions read
// exactly as for the folder on disk.
func checkWith(data string, asOf model.Date, file string, content []byte) (*check.Checked, diag.List, error) {
	rel, err := filepath.Rel(data, file)
	if err != nil {
		return nil, nil, err
	}
	o := overlay{base: load.Dir(data), name: filepath.ToSlash(rel), file: fstest.MapFS{filepath.ToSlash(rel): {Data: content, Mode: 0o644}}}
	c, errs := check.Records(check.Source{FS: o, Display: data, AsOf: asOf})
	return c, errs, nil
}

// overlay is base with one regular file's content replaced.
type overlay struct {
	base fs.FS
	name string
	file fstest.MapFS
}

func (o overlay) Open(name string) (fs.File, error) {
	if name == o.name {
		return o.file.Open(name)
	}
	return o.base.Open(name)
}

func (o overlay) Stat(name string) (fs.FileInfo, error) {
	if name == o.name {
		return o.file.Stat(name)
	}
	return fs.Stat(o.base, name)
}

func (o overlay) ReadDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(o.base, name) }

func (o overlay) Lstat(name string) (fs.FileInfo, error) {
	if name == o.name {
		return o.file.Stat(name)
	}
	return fs.Lstat(o.base, name)
}

func (o overlay) ReadLink(name string) (string, error) { return fs.ReadLink(o.base, name) }
