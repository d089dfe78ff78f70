package cli

import (
	"flag"
	"fmt"
	"strings"

	"github.com/xuncha/bulletin/generator/internal/edition"
	"github.com/xuncha/bulletin/generator/internal/ledger"
	"github.com/xuncha/bulletin/generator/internal/model"
	"github.com/xuncha/bulletin/generator/internal/pipeline"
)

const ledgerUsage = `usage:
  go run ./generator ledger export --round DISTRICT/ROUND [--out FILE.xlsx|FILE.csv]
                                   [--edition internal|public] [--data DIR] [--as-of YYYY-MM-DD]
  go run ./generator ledger import FILE.xlsx|FILE.csv [--date YYYY-MM-DD] [--dry-run]
                                   [--round DISTRICT/ROUND] [--data DIR] [--as-of YYYY-MM-DD]
`

// ledgerCmd is `ledger export` and `ledger import`: the round trip between
// a round's YAML file and the ledger (整改台账) staff keep in Excel or WPS.
func ledgerCmd(args []string, env Env) int {
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, ledgerUsage)
		return 2
	}
	switch args[0] {
	case "export":
		return ledgerExport(args[1:], env)
	case "import":
		return ledgerImport(args[1:], env)
	}
	fmt.Fprintf(env.Stderr, "unknown ledger command %q\n%s", args[0], ledgerUsage)
	return 2
}

func ledgerExport(args []string, env Env) int {
	fs := flag.NewFlagSet("ledger export", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var round, out, data string
	var asOf model.Date
	ed := edition.InternalEdition // a working file for staff
	fs.StringVar(&round, "round", "", "the round: DISTRICT/ROUND (required)")
	fs.StringVar(&out, "out", "", "file to write, .xlsx or .csv (default: DISTRICT-ROUND-台账.xlsx)")
	fs.Var(&ed, "edition", "internal (a working file for staff) or public")
	fs.StringVar(&data, "data", "data", "folder of the records")
	fs.Var(dateFlag{&asOf}, "as-of", "figures are as of this date")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(env.Stderr, "unexpected argument %q\n%s", fs.Arg(0), ledgerUsage)
		return 2
	case round == "" || !strings.Contains(round, "/"):
		fmt.Fprintf(env.Stderr, "ledger export needs --round DISTRICT/ROUND\n%s", ledgerUsage)
		return 2
	}
	if out == "" {
		out = strings.ReplaceAll(round, "/", "-") + "-台账.xlsx"
	}
	checked, errs := pipeline.Check(pipeline.Config{Data: data, AsOf: asOf})
	if len(errs) > 0 {
		printErrors(env.Stderr, errs)
		return 1
	}
	r := ledger.FindRound(checked.Data, round)
	if r == nil {
		fmt.Fprintf(env.Stderr, "ledger export: %s has no round %s\n", data, round)
		return 2
	}
	if err := ledger.Write(out, r, checked.Data.Site.AsOf, ed); err != nil {
		fmt.Fprintln(env.Stderr, "ledger export:", err)
		return 1
	}
	fmt.Fprintf(env.Stdout, "wrote the %s ledger of %s (%d problems) to %s\n", ed, round, len(ledger.Rows(r, ed)), out)
	return 0
}

func ledgerImport(args []string, env Env) int {
	fs := flag.NewFlagSet("ledger import", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var round, data string
	var date, asOf model.Date
	var dry bool
	fs.StringVar(&round, "round", "", "the round the ledger must belong to: DISTRICT/ROUND (default: the one its title row names)")
	fs.StringVar(&data, "data", "data", "folder of the records")
	fs.Var(dateFlag{&date}, "date", "date of status changes whose 完成日期 is empty")
	fs.Var(dateFlag{&asOf}, "as-of", "figures are as of this date")
	fs.BoolVar(&dry, "dry-run", false, "print the change report and write nothing")
	// The file may come before or after the flags.
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	rest := fs.Args()
	if file == "" && len(rest) > 0 {
		file, rest = rest[0], rest[1:]
		if err := fs.Parse(rest); err != nil {
			return 2
		}
		rest = fs.Args()
	}
	if file == "" || len(rest) > 0 {
		fmt.Fprintf(env.Stderr, "ledger import needs exactly one FILE.xlsx or FILE.csv\n%s", ledgerUsage)
		return 2
	}
	opts := []ledger.ImportOption{ledger.WithData(data), ledger.WithRound(round), ledger.WithDate(date), ledger.WithAsOf(asOf)}
	if dry {
		opts = append(opts, ledger.DryRun())
	}
	res, errs, err := ledger.Import(file, opts...)
	if err != nil {
		fmt.Fprintln(env.Stderr, "ledger import:", err)
		return 1
	}
	if len(errs) > 0 {
		for _, e := range errs {
			fmt.Fprintln(env.Stderr, e.Error())
		}
		fmt.Fprintf(env.Stderr, "%d error%s; nothing written\n", len(errs), map[bool]string{true: "", false: "s"}[len(errs) == 1])
		return 1
	}
	for _, n := range res.Notes {
		fmt.Fprintln(env.Stderr, "note:", n)
	}
	if len(res.Missing) > 0 {
		fmt.Fprintf(env.Stderr, "note: %d problems of the round are not in the ledger and were kept as they are: %s\n", len(res.Missing), strings.Join(res.Missing, ", "))
	}
	if res.Internal > 0 {
		fmt.Fprintf(env.Stderr, "note: %d internal problems are not in this public ledger and were kept as they are\n", res.Internal)
	}
	if res.Report == nil {
		fmt.Fprintf(env.Stdout, "nothing to change in %s: the ledger agrees with it\n", res.File)
		return 0
	}
	for _, l := range res.Log {
		fmt.Fprintln(env.Stdout, l)
	}
	fmt.Fprintln(env.Stdout)
	fmt.Fprint(env.Stdout, res.Report.Markdown())
	verb := "changed"
	if !res.Written {
		verb = "would change (dry run: nothing written)"
	}
	fmt.Fprintf(env.Stdout, "\n%s %s: %d problems changed, %d added\n", verb, res.File, len(res.Changed), len(res.Added))
	return 0
}
