package history

import (
	"cmp"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/xuncha/bulletin/generator/internal/check"
	"github.com/xuncha/bulletin/generator/internal/diag"
	"github.com/xuncha/bulletin/generator/internal/gitrepo"
	"github.com/xuncha/bulletin/generator/internal/model"
)

// A commit that changes the files of a few districts is checked in those
// districts only: what check finds in a folder directly under the data
// folder (a district's records and their diagnostics) depends on that
// folder's files, site.yaml and as_of alone, so the folders a commit did
// not touch keep what the last version's check found in them. A commit
// that changes anything else (site.yaml, a file directly in the data
// folder, a hidden folder), a tree with a symbolic link (a link may lead
// from one district into another), or a version whose as_of differs from
// the last one's is checked whole.

// folders is what check found in each folder of the data folder at the
// last version checked.
type folders struct {
	ok   bool // the last version was checked (whole or by folder)
	asOf model.Date
	dirs map[string]folderFinds // by folder name
}

// folderFinds is what check found in one folder directly under the data
// folder: its district (nil when it makes none) and the diagnostics
// positioned in it, after check's redaction.
type folderFinds struct {
	district *model.District
	errs     diag.List
}

// links follows the symbolic links of the data folder from commit to
// commit.
type links map[string]bool

func (l links) apply(changes []gitrepo.Change) {
	for _, c := range changes {
		if !c.Gone() && c.Link() {
			l[c.Path] = true
		} else {
			delete(l, c.Path)
		}
	}
}

// touched returns the folders directly under the data folder that changes
// change, and whether they change anything else.
func touched(changes []gitrepo.Change) (dirs map[string]bool, other bool) {
	dirs = map[string]bool{}
	for _, c := range changes {
		dir, rest, ok := strings.Cut(c.Path, "/")
		if !ok || rest == "" || dir == "" || strings.HasPrefix(dir, ".") {
			other = true
			continue
		}
		dirs[dir] = true
	}
	return dirs, other
}

// checkVersion checks tree, which changes have just changed: by folder when the last
// version's finds allow it (see above), else whole; and records in f what
// it found.
func (f *folders) checkVersion(cfg config, src check.Source, tree *gitrepo.Tree, changes []gitrepo.Change, lk links) (*check.Checked, diag.List) {
	dirs, other := touched(changes)
	if f.ok && !cfg.whole && !other && len(lk) == 0 {
		src.FS = only{tree, dirs}
		part, errs := check.Records(src)
		if part.Data.Site.AsOf == f.asOf {
			if cfg.saw != nil {
				cfg.saw(false)
			}
			return f.merge(part, errs, dirs, src.Display)
		}
	}
	if cfg.saw != nil {
		cfg.saw(true)
	}
	src.FS = tree
	c, errs := check.Records(src)
	f.record(c, errs, src.Display)
	return c, errs
}

// record replaces f's finds by those of a whole check.
func (f *folders) record(c *check.Checked, errs diag.List, display string) {
	f.asOf, f.dirs = c.Data.Site.AsOf, map[string]folderFinds{}
	f.ok = settled(f.split(c, errs, display), display)
}

// settled reports whether the diagnostics of no folder are all at files
// directly in the data folder, which every check by folder reads again. A
// diagnostic at a folder's own path (a folder that cannot be read, say)
// cannot be told from one at a file without the tree: the next version is
// checked whole.
func settled(global diag.List, display string) bool {
	for _, e := range global {
		rel, err := filepath.Rel(display, e.Pos.File)
		if err != nil || !isYAMLName(rel) {
			return false
		}
	}
	return true
}

// isYAMLName reports whether a file name ends in .yaml or .yml, in any
// case, as the loader reads them.
func isYAMLName(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return ext == ".yaml" || ext == ".yml"
}

// split files the districts of c and the diagnostics errs by folder into
// f.dirs (adding to what is there) and returns the diagnostics of no
// folder: site.yaml's, the data folder's, files directly in it.
func (f *folders) split(c *check.Checked, errs diag.List, display string) diag.List {
	var global diag.List
	for _, d := range c.Data.Districts {
		ff := f.dirs[d.Dir]
		ff.district = d
		f.dirs[d.Dir] = ff
	}
	for _, e := range errs {
		dir, ok := folderOf(display, e.Pos.File)
		if !ok {
			global = append(global, e)
			continue
		}
		ff := f.dirs[dir]
		ff.errs = append(ff.errs, e)
		f.dirs[dir] = ff
	}
	return global
}

// folderOf is the folder directly under the data folder (displayed as
// display) that the file or folder p is in or is, or false for the data
// folder itself and the files directly in it.
func folderOf(display, p string) (string, bool) {
	rel, err := filepath.Rel(display, p)
	if err != nil {
		return "", false
	}
	rel = filepath.ToSlash(rel)
	dir, rest, ok := strings.Cut(rel, "/")
	if !ok || rest == "" || dir == "." || dir == ".." || dir == "" {
		// A diagnostic at a folder itself is positioned at its path, a
		// file directly in the data folder at its own: only names
		// with a slash are surely in a folder.
		return "", false
	}
	return dir, true
}

// merge puts together the check of the folders dirs (part, errs) and what
// f found in the others, as a whole check would have found it, and keeps
// the result in f.
func (f *folders) merge(part *check.Checked, errs diag.List, dirs map[string]bool, display string) (*check.Checked, diag.List) {
	kept := f.dirs
	f.dirs = map[string]folderFinds{}
	for name, ff := range kept {
		if !dirs[name] {
			f.dirs[name] = ff
		}
	}
	all := f.split(part, errs, display)
	f.ok = settled(all, display)
	names := make([]string, 0, len(f.dirs))
	for name := range f.dirs {
		names = append(names, name)
	}
	slices.Sort(names)
	data := &model.Data{Dir: part.Data.Dir, Site: part.Data.Site}
	for _, name := range names {
		ff := f.dirs[name]
		if ff.district != nil {
			data.Districts = append(data.Districts, ff.district)
		}
		all = append(all, ff.errs...)
	}
	// As load orders them: by folder name, then by id.
	slices.SortStableFunc(data.Districts, func(a, b *model.District) int { return cmp.Compare(a.ID, b.ID) })
	return &check.Checked{Data: data, Calendar: part.Calendar}, slices.Clone(all).Sort()
}

// only is the tree with, directly under its root, the files and the
// folders dirs only: the other folders are not there.
type only struct {
	*gitrepo.Tree
	dirs map[string]bool
}

// ReadDir lists name; the root without the folders left out.
func (o only) ReadDir(name string) ([]fs.DirEntry, error) {
	es, err := o.Tree.ReadDir(name)
	if err != nil || path.Clean(name) != "." {
		return es, err
	}
	out := es[:0:0]
	for _, e := range es {
		if !e.IsDir() || o.dirs[e.Name()] {
			out = append(out, e)
		}
	}
	return out, nil
}
