package check

import (
	"github.com/xuncha/bulletin/generator/internal/diag"
	"github.com/xuncha/bulletin/generator/internal/gitrepo"
	"github.com/xuncha/bulletin/generator/internal/load"
	"github.com/xuncha/bulletin/generator/internal/model"
)

// WorkingTree checks the data folder dir on disk. as_of is asOf when given,
// else site.yaml's, else the date of the last commit that changed the
// folder.
func WorkingTree(dir string, asOf model.Date, opts ...load.Option) (*Checked, diag.List) {
	return Records(Source{FS: load.Dir(dir), Display: dir, AsOf: asOf, Load: opts,
		DefaultAsOf: func() (model.Date, error) {
			r, err := gitrepo.Open(dir, ".")
			if err != nil {
				return model.Date{}, err
			}
			return r.DataDate("HEAD")
		}})
}

// Version is the data folder checked at one revision.
type Version struct {
	*Checked
	Rev    string     // the revision as asked ("HEAD^", "origin/main" …)
	Commit string     // its full hash
	Date   model.Date // of the last commit at or before it that changed the data folder
}

// Revision checks the data folder of r as it was at rev, read straight from
// git (gitrepo.Tree): as_of is asOf when given, else site.yaml's, else
// Date. Positions read as for the working tree. opts go to the loader (a
// load.WithCache shared with other versions saves parsing the files they
// have in common). The error is git's (an
// unknown revision, gitrepo.ErrNoData …); the diagnostics are the records'.
func Revision(r *gitrepo.Repo, rev string, asOf model.Date, opts ...load.Option) (*Version, diag.List, error) {
	commit, err := r.Resolve(rev)
	if err != nil {
		return nil, nil, err
	}
	t, err := r.Tree(commit)
	if err != nil {
		return nil, nil, err
	}
	defer t.Close()
	v := &Version{Rev: rev, Commit: commit}
	date, dateErr := r.DataDate(commit)
	v.Date = date
	c, errs := Records(Source{FS: t, Display: r.Display, AsOf: asOf,
		DefaultAsOf: func() (model.Date, error) { return date, dateErr }, Load: opts})
	v.Checked = c
	return v, errs, nil
}
