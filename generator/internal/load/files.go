package load

import (
	"errors"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/xuncha/bulletin/generator/internal/diag"
)

// maxDirDepth bounds how deep the walk goes below the data folder. Records
// are at most three levels down; deeper folders are reported, not read.
const maxDirDepth = 16

// ref is one YAML file found under the data folder.
type ref struct {
	rel  string // slash-separated, relative to the data folder
	real string // rel with its symbolic links resolved: what is read
	path string // rel under the displayed folder name: what diagnostics show
}

// stem is the file name without .yaml or .yml.
func (r *ref) stem() string {
	base := path.Base(r.rel)
	return strings.TrimSuffix(base, path.Ext(base))
}

// layout is the record files found, by what they are.
type layout struct {
	site *ref
	dirs map[string]*districtFiles // by folder name directly under data
}

// districtFiles are the files of one folder directly under data.
type districtFiles struct {
	name     string
	district *ref   // district.yaml
	units    *ref   // units.yaml
	rounds   []*ref // rounds/*.yaml
	commons  []*ref // common/*.yaml
	stray    []*ref // any other YAML file below the folder
}

// districts returns the district folders in name order.
func (lay *layout) districts() []*districtFiles {
	var out []*districtFiles
	for _, name := range sortedKeys(lay.dirs) {
		out = append(out, lay.dirs[name])
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// isYAMLName reports whether a file name ends in .yaml or .yml, in any case.
func isYAMLName(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return ext == ".yaml" || ext == ".yml"
}

// walker walks the data folder in sorted order, following symbolic links
// that stay inside it and each real folder once.
type walker struct {
	l       *loader
	visited map[string]string // real folder → rel path it was read as
	lay     *layout
}

func (l *loader) fileErr(p string, format string, args ...any) {
	l.errs.Add(diag.Pos{File: p, Line: 1, Col: 1}, format, args...)
}

// display is how diagnostics name the file or folder rel of the data folder.
func (l *loader) display(rel string) string {
	return filepath.Join(l.dir, filepath.FromSlash(rel))
}

// walk finds every record file under the data folder and reports the files
// and links that cannot be records.
func (l *loader) walk() *layout {
	lay := &layout{dirs: map[string]*districtFiles{}}
	st, err := fs.Stat(l.fsys, ".")
	if err != nil {
		l.fileErr(l.dir, "cannot read the data folder: %v", cleanErr(err))
		return lay
	}
	if !st.IsDir() {
		l.fileErr(l.dir, "the data folder is not a folder")
		return lay
	}
	l.readable = true
	w := &walker{l: l, visited: map[string]string{".": "."}, lay: lay}
	w.dir(".", ".", 0)
	l.classify(lay)
	return lay
}

// dir reads the folder rel (whose real path is real) and everything below.
func (w *walker) dir(rel, real string, depth int) {
	entries, err := fs.ReadDir(w.l.fsys, real)
	if err != nil {
		w.l.fileErr(w.l.display(rel), "cannot read folder: %v", cleanErr(err))
		return
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		childRel, childReal := path.Join(rel, name), path.Join(real, name)
		switch {
		case e.Type()&fs.ModeSymlink != 0:
			w.link(childRel, childReal, depth+1)
		case e.IsDir():
			w.subdir(childRel, childReal, depth+1)
		case isYAMLName(name):
			if !e.Type().IsRegular() {
				w.l.fileErr(w.l.display(childRel), "not a regular file: not read")
				continue
			}
			w.found(childRel, childReal)
		}
	}
}

// link follows the symbolic link rel (at real) when it stays inside the
// data folder.
func (w *walker) link(rel, real string, depth int) {
	full := w.l.display(rel)
	yamlName := isYAMLName(rel)
	target, err := resolve(w.l.fsys, real)
	switch {
	case errors.Is(err, errOutside):
		if st, serr := fs.Stat(w.l.fsys, real); yamlName || (serr == nil && st.IsDir()) {
			dest, _ := fs.ReadLink(w.l.fsys, real)
			w.l.fileErr(full, "symbolic link points outside the data folder (to %q): not read", dest)
		}
		return
	case err != nil:
		if yamlName {
			w.l.fileErr(full, "broken symbolic link: not read")
		}
		return
	}
	st, err := fs.Stat(w.l.fsys, target)
	if err != nil {
		if yamlName {
			w.l.fileErr(full, "cannot read: %v", cleanErr(err))
		}
		return
	}
	switch {
	case st.IsDir():
		w.subdir(rel, target, depth)
	case !yamlName:
	case !st.Mode().IsRegular():
		w.l.fileErr(full, "not a regular file: not read")
	default:
		w.found(rel, target)
	}
}

// subdir walks a folder once, refusing loops and folders already read
// through another link.
func (w *walker) subdir(rel, real string, depth int) {
	full := w.l.display(rel)
	if first, seen := w.visited[real]; seen {
		if first == "." || strings.HasPrefix(rel, first+"/") {
			w.l.fileErr(full, "symbolic link loop: it points to a folder that contains it; not followed")
		} else {
			w.l.fileErr(full, "same folder as %s (a symbolic link leads to it): read only once", w.l.display(first))
		}
		return
	}
	if depth > maxDirDepth {
		w.l.fileErr(full, "folder nested more than %d levels deep: not read", maxDirDepth)
		return
	}
	w.visited[real] = rel
	w.dir(rel, real, depth)
}

// found files a YAML file by where it is.
func (w *walker) found(rel, real string) {
	r := &ref{rel: rel, real: real, path: w.l.display(rel)}
	parts := strings.Split(rel, "/")
	if len(parts) == 1 {
		if rel == "site.yaml" {
			w.lay.site = r
			return
		}
		w.l.misplaced(r, "")
		return
	}
	df := w.lay.dirs[parts[0]]
	if df == nil {
		df = &districtFiles{name: parts[0]}
		w.lay.dirs[parts[0]] = df
	}
	switch {
	case len(parts) == 2 && parts[1] == "district.yaml":
		df.district = r
	case len(parts) == 2 && parts[1] == "units.yaml":
		df.units = r
	case len(parts) == 3 && parts[1] == "rounds":
		df.rounds = append(df.rounds, r)
	case len(parts) == 3 && parts[1] == "common":
		df.commons = append(df.commons, r)
	default:
		df.stray = append(df.stray, r)
	}
}

// classify reports the files of folders that are not districts and the
// stray files of those that are, and district folders without
// district.yaml. Folders named rounds or common without a district.yaml are
// not districts: their files are round or common files put one level too
// high.
func (l *loader) classify(lay *layout) {
	for _, name := range sortedKeys(lay.dirs) {
		df := lay.dirs[name]
		if df.district == nil && (name == "rounds" || name == "common") {
			for _, r := range slices.Concat(df.rounds, df.commons, df.stray) {
				l.misplaced(r, "")
			}
			delete(lay.dirs, name)
			continue
		}
		if df.district == nil {
			l.fileErr(filepath.Join(l.dir, name, "district.yaml"),
				"district folder %q has no district.yaml: add one with the district's id and name", name)
		}
		for _, r := range df.stray {
			l.misplaced(r, name)
		}
	}
}

// misplaced reports a YAML file that is not where records go. district is
// the district folder it is in, or "" when it is in none.
func (l *loader) misplaced(r *ref, district string) {
	d := district
	if d == "" {
		d = "<district>"
	}
	dest := func(sub string) string {
		return filepath.ToSlash(filepath.Join(l.dir, d, sub)) + "/"
	}
	parts := strings.Split(r.rel, "/")
	base := strings.ToLower(parts[len(parts)-1])
	switch {
	case len(parts) == 1 && (base == "site.yml" || base == "site.yaml"):
		l.fileErr(r.path, "the site file must be named exactly site.yaml")
	case district != "" && len(parts) == 2 && (base == "district.yml" || base == "district.yaml"):
		l.fileErr(r.path, "the district file must be named exactly district.yaml")
	case district != "" && len(parts) == 2 && (base == "units.yml" || base == "units.yaml"):
		l.fileErr(r.path, "the units file must be named exactly units.yaml")
	case base == "units.yaml" || base == "units.yml":
		l.fileErr(r.path, "units file in the wrong place: it goes directly in the district's folder, %s", filepath.ToSlash(filepath.Join(l.dir, d, "units.yaml")))
	case slices.Contains(parts[:len(parts)-1], "rounds"):
		l.fileErr(r.path, "round file outside a district's rounds/ folder: move it to %s", dest("rounds"))
	case slices.Contains(parts[:len(parts)-1], "common"):
		l.fileErr(r.path, "common problem file outside a district's common/ folder: move it to %s", dest("common"))
	case base == "district.yaml" || base == "district.yml":
		l.fileErr(r.path, "district file in the wrong place: it goes directly in the district's folder, %s", filepath.ToSlash(filepath.Join(l.dir, d, "district.yaml")))
	case district != "":
		l.fileErr(r.path, "unexpected YAML file in district %q: a round file goes in %s, a common problem in %s; directly in the district's folder go only district.yaml and units.yaml", district, dest("rounds"), dest("common"))
	default:
		l.fileErr(r.path, "unexpected YAML file: a round file goes in %s, a common problem in %s; the only record file directly in %s is site.yaml",
			dest("rounds"), dest("common"), filepath.ToSlash(l.dir))
	}
}

// cleanErr drops the path from a *fs.PathError: diagnostics already show it.
func cleanErr(err error) error {
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return pe.Err
	}
	return err
}
