// Package check is "check", written once: load the records, settle as_of,
// validate, normalise visibility (Records). Every command that reads records
// goes through it — `check`, `check --since`, `build`, `serve`, `diff`, the
// history scan, the fuzz target — whether the records come from the working
// tree (WorkingTree), a git revision (Revision) or memory, so they agree by
// construction.
package check

import (
	"fmt"
	"io/fs"

	"github.com/xuncha/bulletin/generator/internal/calendar"
	"github.com/xuncha/bulletin/generator/internal/diag"
	"github.com/xuncha/bulletin/generator/internal/edition"
	"github.com/xuncha/bulletin/generator/internal/load"
	"github.com/xuncha/bulletin/generator/internal/model"
	"github.com/xuncha/bulletin/generator/internal/validate"
)

// Checked is a version of the records after check: as_of set, visibility
// normalised (edition.Normalize).
type Checked struct {
	Data     *model.Data
	Calendar *calendar.Calendar
}

// Source is where the records are read from.
type Source struct {
	FS      fs.FS  // its root is the data folder
	Display string // how positions name the folder: "data"
	// AsOf, when set, replaces site.yaml's as_of (--as-of).
	AsOf model.Date
	// DefaultAsOf gives as_of when neither AsOf nor site.yaml does (the
	// date of the last commit that changed the folder); its error is
	// reported at site.yaml. Nil: as_of is required.
	DefaultAsOf func() (model.Date, error)
	Load        []load.Option
}

// Records runs check on src. It never stops at the first error: the
// diagnostics are every one found, sorted. The Checked is returned with
// them, as complete as the records allow (Data and Data.Site are never
// nil), for callers that compare what loaded; nothing may be built from it
// when there are diagnostics.
func Records(src Source) (*Checked, diag.List) {
	data, errs := load.FS(src.FS, src.Display, src.Load...)
	switch {
	case !src.AsOf.IsZero():
		data.Site.AsOf = src.AsOf
	case !data.Site.AsOf.IsZero():
	default:
		err := fmt.Errorf("no date of the last change is known")
		if src.DefaultAsOf != nil {
			data.Site.AsOf, err = src.DefaultAsOf()
		}
		if err != nil {
			// Reported with everything else; validation skips the as_of rules.
			errs.Add(diag.Pos{File: data.Site.File, Line: 1, Col: 1},
				"as_of is not set and cannot be taken from git (%v): set as_of in site.yaml or pass --as-of", err)
		}
	}
	cal := calendar.New(data.Site.Calendar)
	// Relations between records are checked on what loaded cleanly too, so
	// that one run reports everything.
	errs.Append(validate.Validate(data, cal))
	errs.Redact(data.InternalScopes().Contains) // errors in internal matter quote no record text
	edition.Normalize(data)                     // settle visibility once, for every edition
	return &Checked{Data: data, Calendar: cal}, errs.Sort()
}
