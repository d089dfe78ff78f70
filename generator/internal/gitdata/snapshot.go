package gitdata

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/xuncha/bulletin/generator/internal/calendar"
	"github.com/xuncha/bulletin/generator/internal/diag"
	"github.com/xuncha/bulletin/generator/internal/load"
	"github.com/xuncha/bulletin/generator/internal/model"
	"github.com/xuncha/bulletin/generator/internal/validate"
)

// ErrNoData is returned (wrapped) when the data folder does not exist at a
// revision.
var ErrNoData = errors.New("the data folder does not exist at this revision")

// Version is the data folder at one revision.
type Version struct {
	Rev      string     // the revision as asked ("HEAD^", "origin/main" …)
	Commit   string     // its full hash
	Date     model.Date // date of the last commit at or before it that changed the data folder
	Data     *model.Data
	Calendar *calendar.Calendar
}

// Load reads the data folder dataDir of the work tree repo as it was at
// revision rev, with package load. Positions read as under dataDir, as for
// the working tree. The error is for git (unknown revision, ErrNoData …);
// the diagnostics are the records' own.
func Load(repo, dataDir, rev string) (*model.Data, diag.List, error) {
	r, err := Open(repo, dataDir)
	if err != nil {
		return nil, nil, err
	}
	return r.Load(rev)
}

// Load is the function Load on r.
func (r *Repo) Load(rev string) (*model.Data, diag.List, error) {
	commit, err := r.Resolve(rev)
	if err != nil {
		return nil, nil, err
	}
	return r.load(commit)
}

// Check loads the data folder at rev and validates it the way `check` does
// the working tree: as_of is asOf when given, else site.yaml's, else the date
// of the last commit at or before rev that changed the data folder. The
// Version is returned with the diagnostics too (as complete as the records
// allow), for callers that compare what loaded.
func Check(repo, dataDir, rev string, asOf model.Date) (*Version, diag.List, error) {
	r, err := Open(repo, dataDir)
	if err != nil {
		return nil, nil, err
	}
	return r.Check(rev, asOf)
}

// Check is the function Check on r.
func (r *Repo) Check(rev string, asOf model.Date) (*Version, diag.List, error) {
	commit, err := r.Resolve(rev)
	if err != nil {
		return nil, nil, err
	}
	data, errs, err := r.load(commit)
	if err != nil {
		return nil, nil, err
	}
	v := &Version{Rev: rev, Commit: commit, Data: data}
	if d, err := r.dataDate(commit); err == nil {
		v.Date = d
	}
	errs = slices.Clone(errs)
	switch {
	case !asOf.IsZero():
		data.Site.AsOf = asOf
	case data.Site.AsOf.IsZero() && !v.Date.IsZero():
		data.Site.AsOf = v.Date
	case data.Site.AsOf.IsZero():
		errs.Add(diag.Pos{File: data.Site.File, Line: 1, Col: 1},
			"as_of is not set and cannot be taken from git at %s: set as_of in site.yaml or pass --as-of", rev)
	}
	v.Calendar = calendar.New(data.Site.Calendar)
	errs.Append(validate.Validate(data, v.Calendar))
	return v, errs.Sort(), nil
}

// dataDate is the date of the last commit at or before commit that changed
// the data folder, as `check` takes it for the working tree.
func (r *Repo) dataDate(commit string) (model.Date, error) {
	out, err := r.git(append([]string{"log", "-1", "--format=%cs", commit}, r.pathspec()...)...)
	if err != nil {
		return model.Date{}, err
	}
	s := strings.TrimSpace(string(out))
	if s == "" {
		return model.Date{}, errors.New("no commit has touched the data folder")
	}
	return model.ParseDate(s)
}

// load writes the data folder at commit into a temporary folder and loads it.
func (r *Repo) load(commit string) (*model.Data, diag.List, error) {
	t, err := r.lsTree(commit)
	if err != nil {
		return nil, nil, err
	}
	if len(t) == 0 {
		return nil, nil, fmt.Errorf("%s at %.12s: %w", r.Display, commit, ErrNoData)
	}
	tmp, err := os.MkdirTemp("", "bulletin-rev-*")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(tmp)
	dir := filepath.Join(tmp, "data")
	if err := r.materialize(dir, t); err != nil {
		return nil, nil, err
	}
	data, errs := load.Load(dir)
	n := renamer{from: dir, to: r.Display}
	n.data(data)
	return data, n.list(errs), nil
}

// materialize writes every file of t under dir.
func (r *Repo) materialize(dir string, t tree) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	cf, err := r.catFile()
	if err != nil {
		return err
	}
	defer cf.Close()
	for _, rel := range sortedPaths(t) {
		e := t[rel]
		b, err := cf.blob(e.sha)
		if err != nil {
			return err
		}
		if err := write(dir, rel, e, b); err != nil {
			return err
		}
	}
	return nil
}

// sortedPaths returns the keys of m in order.
func sortedPaths[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for p := range m {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// DataDate is the date of the last commit that changed the data folder
// dataDir (the default of as_of), in the repository that holds it.
func DataDate(dataDir string) (model.Date, error) {
	r, err := Open(dataDir, ".")
	if err != nil {
		return model.Date{}, err
	}
	return r.dataDate("HEAD")
}
