package ledger

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/xuncha/bulletin/generator/internal/diag"
	"github.com/xuncha/bulletin/generator/internal/model"
	"github.com/xuncha/bulletin/generator/internal/pipeline"
)

// checkWith runs the project's check on the data folder as it would be
// with file (a path as diagnostics show it, under data) holding content.
// TODO(loader): check an overlay fs.FS once load reads from one.
func checkWith(data string, asOf model.Date, file string, content []byte) (*pipeline.Checked, diag.List, error) {
	tmp, err := os.MkdirTemp("", "ledger-check-")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(tmp)
	root := filepath.Join(tmp, filepath.Base(filepath.Clean(data)))
	rel, err := filepath.Rel(data, file)
	if err != nil {
		return nil, nil, err
	}
	err = filepath.WalkDir(data, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		r, _ := filepath.Rel(data, p)
		dst := filepath.Join(root, r)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		return nil, nil, err
	}
	if err := os.WriteFile(filepath.Join(root, rel), content, 0o644); err != nil {
		return nil, nil, err
	}
	checked, errs := pipeline.Check(pipeline.Config{Data: root, AsOf: asOf})
	for i := range errs {
		if r, err := filepath.Rel(root, errs[i].Pos.File); err == nil && !strings.HasPrefix(r, "..") {
			errs[i].Pos.File = filepath.Join(data, r)
		}
	}
	if checked != nil {
		checked.Data.Dir = data
		rename := func(f *string) {
			if r, err := filepath.Rel(root, *f); err == nil && !strings.HasPrefix(r, "..") {
				*f = filepath.Join(data, r)
			}
		}
		rename(&checked.Data.Site.File)
		for _, d := range checked.Data.Districts {
			rename(&d.File)
			for _, r := range d.Rounds {
				rename(&r.File)
			}
			for _, c := range d.Commons {
				rename(&c.File)
			}
		}
	}
	return checked, errs, nil
}
