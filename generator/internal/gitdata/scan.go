package gitdata

import (
	"cmp"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/xuncha/bulletin/generator/internal/diag"
	"github.com/xuncha/bulletin/generator/internal/load"
	"github.com/xuncha/bulletin/generator/internal/model"
)

// scanner rebuilds the data folder commit after commit, reading from git
// only the blobs that changed and parsing only the record files that
// changed.
//
// Package load reads a whole folder, so a changed file is loaded on its own
// from a small folder that holds only the changed files; what it reports
// about that file is exactly what a load of the whole folder reports, since
// the loader reads each record file on its own. The model of a version is
// then put together from the files' cached results the way load.Load puts
// it together (districts by id, rounds by number then id, common problems
// by id). Only a version whose layout load.Load would complain about (a
// misplaced file, a district folder without district.yaml, a missing
// site.yaml, a symbolic link …) is written out whole and loaded with
// load.Load, so its diagnostics are load's own.
type scanner struct {
	r     *Repo
	cf    *catFile
	tmp   string
	state tree               // the data folder at the current commit
	blobs map[string][]byte  // content of each file of state, by path
	files map[string]*parsed // record files parsed so far, by path

	// Folders are kept from one version to the next and only files are
	// written and removed: creating and removing folders costs more than
	// parsing a record file on some file systems.
	whole     string            // the whole data folder, for load.Load
	wholeShas map[string]string // what whole holds: path → blob
	part      string            // the changed record files only
	partFiles []string          // what part holds
}

// parsed is what loading one record file gave.
type parsed struct {
	sha      string
	errs     diag.List
	site     *model.Site
	district *model.District // district.yaml alone: no rounds, no common problems
	round    *model.Round
	common   *model.CommonProblem
}

// newScanner starts a scan of log: apply must be called with the changes
// of each of its commits, in order.
func (r *Repo) newScanner(log []rawCommit) (*scanner, error) {
	tmp, err := os.MkdirTemp("", "bulletin-history-*")
	if err != nil {
		return nil, err
	}
	cf, err := r.catFile()
	if err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	var shas []string
	for _, c := range log {
		for _, ch := range c.changes {
			if !ch.gone() {
				shas = append(shas, ch.sha)
			}
		}
	}
	cf.prefetch(shas)
	return &scanner{r: r, cf: cf, tmp: tmp, state: tree{}, blobs: map[string][]byte{}, files: map[string]*parsed{},
		whole: filepath.Join(tmp, "whole", "data"), wholeShas: map[string]string{},
		part: filepath.Join(tmp, "part", "data")}, nil
}

// gone reports whether the change deletes the file (or makes it a
// submodule, which is not a file of the data folder).
func (c rawChange) gone() bool { return c.mode == "000000" || c.mode == "160000" }

func (s *scanner) close() {
	s.cf.Close()
	os.RemoveAll(s.tmp)
}

// apply moves the state to the next commit.
func (s *scanner) apply(changes []rawChange) error {
	for _, c := range changes {
		if c.gone() {
			delete(s.state, c.path)
			delete(s.blobs, c.path)
			delete(s.files, c.path)
			continue
		}
		b, err := s.cf.read(c.sha)
		if err != nil {
			return err
		}
		s.state[c.path] = c.entry
		s.blobs[c.path] = b
	}
	return nil
}

// display is the path of a file of the data folder as diagnostics show it.
func (s *scanner) display(rel string) string {
	return filepath.Join(s.r.Display, filepath.FromSlash(rel))
}

// version loads the data folder of the current state.
func (s *scanner) version() (*model.Data, diag.List, error) {
	records, ok := recordFiles(s.state)
	if !ok {
		return s.loadWhole()
	}
	var stale []string
	for _, p := range records {
		if f := s.files[p]; f == nil || f.sha != s.state[p].sha {
			stale = append(stale, p)
		}
	}
	if len(stale) > 0 {
		if err := s.parse(stale); err != nil {
			return nil, nil, err
		}
	}
	data, errs := s.assemble(records)
	return data, errs, nil
}

// loadWhole brings the whole folder up to the state and loads it with
// load.Load.
func (s *scanner) loadWhole() (*model.Data, diag.List, error) {
	for _, p := range sortedPaths(s.wholeShas) {
		if _, ok := s.state[p]; !ok {
			if err := remove(s.whole, p); err != nil {
				return nil, nil, err
			}
			delete(s.wholeShas, p)
		}
	}
	if err := os.MkdirAll(s.whole, 0o755); err != nil {
		return nil, nil, err
	}
	for _, p := range sortedPaths(s.state) {
		e := s.state[p]
		if s.wholeShas[p] == e.mode+e.sha {
			continue
		}
		if err := write(s.whole, p, e, s.blobs[p]); err != nil {
			return nil, nil, err
		}
		s.wholeShas[p] = e.mode + e.sha
	}
	data, errs := load.Load(s.whole)
	n := renamer{from: s.whole, to: s.r.Display}
	n.data(data)
	return data, n.list(errs), nil
}

// parse loads the record files paths (all of them regular files in a clean
// layout) from a folder holding only them, and caches what each gave.
func (s *scanner) parse(paths []string) error {
	for _, p := range s.partFiles {
		if err := os.Remove(filepath.Join(s.part, filepath.FromSlash(p))); err != nil {
			return err
		}
	}
	s.partFiles = nil
	if err := os.MkdirAll(s.part, 0o755); err != nil {
		return err
	}
	byFile := map[string]*parsed{}
	for _, p := range paths {
		if err := write(s.part, p, s.state[p], s.blobs[p]); err != nil {
			return err
		}
		s.partFiles = append(s.partFiles, p)
		f := &parsed{sha: s.state[p].sha}
		s.files[p] = f
		byFile[s.display(p)] = f
	}
	data, errs := load.Load(s.part)
	n := renamer{from: s.part, to: s.r.Display}
	n.data(data)
	// Diagnostics about files that are not in the small folder (site.yaml
	// or a district.yaml left out) are not about the real data folder.
	for _, e := range n.list(errs) {
		if f := byFile[e.Pos.File]; f != nil {
			f.errs = append(f.errs, e)
		}
	}
	if f := byFile[data.Site.File]; f != nil {
		f.site = data.Site
	}
	for _, d := range data.Districts {
		if f := byFile[d.File]; f != nil {
			h := *d
			h.Rounds, h.Commons = nil, nil
			f.district = &h
		}
		for _, rd := range d.Rounds {
			if f := byFile[rd.File]; f != nil {
				f.round = rd
			}
		}
		for _, cp := range d.Commons {
			if f := byFile[cp.File]; f != nil {
				f.common = cp
			}
		}
	}
	return nil
}

// assemble puts the model of the current state together from the cached
// files, as load.Load would. The rounds and common problems are shared with
// the cache (their District is set to this version's district), so a
// version's model is good until the next one is assembled.
func (s *scanner) assemble(records []string) (*model.Data, diag.List) {
	var errs diag.List
	for _, p := range records {
		errs = append(errs, s.files[p].errs...)
	}
	site := *s.files["site.yaml"].site
	data := &model.Data{Dir: s.r.Display, Site: &site}
	byDir := map[string][]string{}
	var dirs []string
	for _, p := range records {
		if d, _, ok := strings.Cut(p, "/"); ok {
			if byDir[d] == nil {
				dirs = append(dirs, d)
			}
			byDir[d] = append(byDir[d], p)
		}
	}
	slices.Sort(dirs)
	for _, name := range dirs {
		d := *s.files[name+"/district.yaml"].district
		for _, p := range byDir[name] {
			f := s.files[p]
			switch {
			case f.round != nil:
				f.round.District = &d
				d.Rounds = append(d.Rounds, f.round)
			case f.common != nil:
				f.common.District = &d
				d.Commons = append(d.Commons, f.common)
			}
		}
		slices.SortStableFunc(d.Rounds, func(a, b *model.Round) int {
			return cmp.Or(cmp.Compare(a.Number, b.Number), cmp.Compare(a.ID, b.ID))
		})
		slices.SortStableFunc(d.Commons, func(a, b *model.CommonProblem) int { return cmp.Compare(a.ID, b.ID) })
		data.Districts = append(data.Districts, &d)
	}
	slices.SortStableFunc(data.Districts, func(a, b *model.District) int { return cmp.Compare(a.ID, b.ID) })
	return data, errs.Sort()
}

// maxDirDepth is load's limit on folder nesting.
const maxDirDepth = 16

// recordFiles returns the record files of t in path order, and whether t
// is laid out the way load.Load accepts without a word: site.yaml, and
// folders each with a district.yaml and round and common problem files in
// rounds/ and common/; no other YAML file, no symbolic link, nothing nested
// too deep. Files and folders whose name starts with "." are skipped, and
// files that are not YAML ignored, as load.Load does.
func recordFiles(t tree) ([]string, bool) {
	var out []string
	hasSite := false
	districts := map[string]bool{} // folder → has district.yaml
	for _, p := range sortedPaths(t) {
		parts := strings.Split(p, "/")
		if slices.ContainsFunc(parts, func(s string) bool { return strings.HasPrefix(s, ".") }) {
			continue
		}
		if t[p].mode == "120000" || len(parts)-1 > maxDirDepth {
			return nil, false
		}
		if !isYAMLName(parts[len(parts)-1]) {
			continue
		}
		switch {
		case len(parts) == 1 && p == "site.yaml":
			hasSite = true
		case len(parts) == 2 && parts[1] == "district.yaml":
			districts[parts[0]] = true
		case len(parts) == 3 && (parts[1] == "rounds" || parts[1] == "common"):
			if _, seen := districts[parts[0]]; !seen {
				districts[parts[0]] = false
			}
		default:
			return nil, false
		}
		out = append(out, p)
	}
	if !hasSite {
		return nil, false
	}
	for _, ok := range districts {
		if !ok {
			return nil, false
		}
	}
	return out, true
}

// isYAMLName is load's test of a record file's name.
func isYAMLName(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return ext == ".yaml" || ext == ".yml"
}
