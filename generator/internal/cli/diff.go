package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/xuncha/bulletin/generator/internal/changes"
	records "github.com/xuncha/bulletin/generator/internal/check"
	"github.com/xuncha/bulletin/generator/internal/diag"
	"github.com/xuncha/bulletin/generator/internal/edition"
	"github.com/xuncha/bulletin/generator/internal/gitrepo"
	"github.com/xuncha/bulletin/generator/internal/model"
	"github.com/xuncha/bulletin/generator/internal/pipeline"
)

// workingTree is how reports name the data folder on disk.
const workingTree = "工作区 (working tree)"

// diff compares the data at --from with the data at --to (default: the
// working tree) and prints what changed, as Markdown for a pull-request
// comment or as JSON. Exit codes: 0 report printed, 1 invalid records at
// either side (or git failed), 2 wrong command line.
func diff(args []string, env Env) int {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var from, to, data, format string
	ed := edition.PublicEdition
	fs.StringVar(&from, "from", "", "git revision to compare from (required), e.g. origin/main")
	fs.StringVar(&to, "to", "", "git revision to compare to (default: the data folder in the working tree)")
	fs.StringVar(&data, "data", "data", "folder of the records")
	fs.StringVar(&format, "format", "markdown", "markdown or json")
	fs.Var(&ed, "edition", "public (internal problems counted, never named: what CI posts) or internal")
	if !parse(fs, args, env) {
		return 2
	}
	switch {
	case from == "":
		fmt.Fprintf(env.Stderr, "diff needs --from REV\n%s", usage)
		return 2
	case format != "markdown" && format != "json":
		fmt.Fprintf(env.Stderr, "--format must be markdown or json, not %q\n", format)
		return 2
	}
	repo, err := gitrepo.Open(".", data)
	if err != nil {
		fmt.Fprintln(env.Stderr, "diff:", err)
		return 1
	}
	old, code := sideAt(repo, from, env)
	if code != 0 {
		return code
	}
	var new changes.Side
	if to != "" {
		if new, code = sideAt(repo, to, env); code != 0 {
			return code
		}
	} else {
		checked, errs := pipeline.Check(pipeline.Config{Data: data})
		if len(errs) > 0 {
			fmt.Fprintf(env.Stderr, "the records in %s do not pass check:\n", data)
			printErrors(env.Stderr, errs)
			return 1
		}
		new = changes.Side{Label: workingTree, Data: checked.Data, Calendar: checked.Calendar}
	}
	r := changes.Compare(old, new)
	if ed.Public() {
		r = r.Public()
	}
	if format == "json" {
		b, err := r.JSON()
		if err != nil {
			fmt.Fprintln(env.Stderr, "diff:", err)
			return 1
		}
		env.Stdout.Write(b)
		return 0
	}
	fmt.Fprint(env.Stdout, r.Markdown())
	return 0
}

// sideAt loads and checks the data at rev. A revision without the data
// folder is an empty side (everything at the other side is new).
func sideAt(repo *gitrepo.Repo, rev string, env Env) (changes.Side, int) {
	v, errs, err := records.Revision(repo, rev, model.Date{})
	switch {
	case errors.Is(err, gitrepo.ErrUnknownRevision):
		fmt.Fprintln(env.Stderr, "diff:", err)
		return changes.Side{}, 2
	case errors.Is(err, gitrepo.ErrNoData):
		return changes.Side{Label: label(rev, ""), Data: &model.Data{Dir: repo.Display, Site: &model.Site{}}}, 0
	case err != nil:
		fmt.Fprintln(env.Stderr, "diff:", err)
		return changes.Side{}, 1
	case len(errs) > 0:
		fmt.Fprintf(env.Stderr, "the records at %s do not pass check:\n", label(rev, v.Commit))
		printErrors(env.Stderr, errs)
		return changes.Side{}, 1
	}
	return changes.Side{Label: label(rev, v.Commit), Data: v.Data, Calendar: v.Calendar}, 0
}

// label names a revision in reports: "origin/main (1a2b3c4)".
func label(rev, commit string) string {
	if len(commit) >= 7 && commit[:7] != rev {
		return fmt.Sprintf("%s (%s)", rev, commit[:7])
	}
	return rev
}

// sinceErrors is `check --since REV`: the problems at rev that the records
// now remove or move back without a reason. checked is nil when the records
// did not pass check; they are then checked again and compared as far as
// they go, so that one run reports everything. summary says what was compared, for when
// there is no error; code is 2 for an unknown revision.
func sinceErrors(data, rev string, checked *pipeline.Checked, stderr io.Writer) (errs diag.List, summary string, code int) {
	repo, err := gitrepo.Open(".", data)
	if err != nil {
		fmt.Fprintf(stderr, "check --since: %v\n", err)
		return nil, "", 1
	}
	old, oldErrs, err := records.Revision(repo, rev, model.Date{})
	switch {
	case errors.Is(err, gitrepo.ErrUnknownRevision):
		fmt.Fprintf(stderr, "check --since: %v\n", err)
		return nil, "", 2
	case errors.Is(err, gitrepo.ErrNoData):
		fmt.Fprintf(stderr, "note: there is no %s folder at %s: nothing to compare\n", data, rev)
		return nil, "", 0
	case err != nil:
		fmt.Fprintf(stderr, "check --since: %v\n", err)
		return nil, "", 1
	}
	if len(oldErrs) > 0 {
		fmt.Fprintf(stderr, "note: the records at %s have %d errors of their own; compared what loaded\n", rev, len(oldErrs))
	}
	if checked == nil {
		checked, _ = records.WorkingTree(data, model.Date{})
	}
	n := 0
	for _, d := range old.Data.Districts {
		for _, r := range d.Rounds {
			n += len(r.Problems)
		}
	}
	summary = fmt.Sprintf("since %s: none of its %d problems removed, no status moved back without a reason", rev, n)
	return changes.Guard(old.Data, checked.Data), summary, 0
}
