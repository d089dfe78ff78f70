// Package cli is the command line: it parses flags, runs the pipeline and
// turns its outcome into output and an exit code (0 success, 1 invalid
// records or failed build, 2 wrong usage).
package cli

import (
	"errors"
	"flag"
	"fmt"
	"github.com/xuncha/bulletin/generator/internal/edition"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	checkpkg "github.com/xuncha/bulletin/generator/internal/check"
	"github.com/xuncha/bulletin/generator/internal/diag"
	"github.com/xuncha/bulletin/generator/internal/model"
	"github.com/xuncha/bulletin/generator/internal/pipeline"
)

// Env is where a command reads and writes; tests pass their own.
type Env struct {
	Stdout, Stderr io.Writer
}

const usage = `usage:
  go run ./generator check [--data DIR] [--as-of YYYY-MM-DD] [--since REV]
  go run ./generator build [--data DIR] [--content DIR] [--templates DIR] [--out DIR]
                           [--edition public|internal] [--as-of YYYY-MM-DD] [--shard-problems N]
                           [--shard I/N] [--shard-cache DIR [--shard-cache-prune]]
  go run ./generator merge [build flags] --out DIR SHARD_DIR...
  go run ./generator serve [--port 1313] [--district ID] [--edit] [build flags except --out]
  go run ./generator diff --from REV [--to REV] [--data DIR] [--format markdown|json]
  go run ./generator ledger export --round DISTRICT/ROUND [--out FILE.xlsx|FILE.csv] [--edition internal|public]
  go run ./generator ledger import FILE.xlsx|FILE.csv [--date YYYY-MM-DD] [--dry-run]
`

// Main runs the command in args (without the program name) and returns the
// exit code.
func Main(args []string, env Env) int {
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, usage)
		return 2
	}
	switch args[0] {
	case "check":
		return check(args[1:], env)
	case "build":
		return build(args[1:], env)
	case "merge":
		return merge(args[1:], env)
	case "diff":
		return diff(args[1:], env)
	case "serve":
		return serve(args[1:], env)
	case "ledger":
		return ledgerCmd(args[1:], env)
	case "help", "-h", "--help":
		fmt.Fprint(env.Stdout, usage)
		return 0
	}
	fmt.Fprintf(env.Stderr, "unknown command %q\n%s", args[0], usage)
	return 2
}

type dateFlag struct{ d *model.Date }

func (f dateFlag) String() string {
	if f.d == nil {
		return ""
	}
	return f.d.String()
}

func (f dateFlag) Set(s string) error {
	d, err := model.ParseDate(s)
	if err != nil {
		return err
	}
	*f.d = d
	return nil
}

func flags(name string, env Env, cfg *pipeline.Config, withBuild bool) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.StringVar(&cfg.Data, "data", "data", "folder of the records")
	fs.Var(dateFlag{&cfg.AsOf}, "as-of", "figures are as of this date (default: site.yaml as_of, else the last data commit)")
	if withBuild {
		fs.StringVar(&cfg.Content, "content", "content", "folder of the markdown pages")
		fs.StringVar(&cfg.Templates, "templates", "templates", "folder of the Hugo layouts")
		fs.StringVar(&cfg.Out, "out", "public", "folder to publish into")
		cfg.Edition = edition.PublicEdition
		fs.Var(&cfg.Edition, "edition", "public or internal")
	}
	return fs
}

func parse(fs *flag.FlagSet, args []string, env Env) bool {
	if err := fs.Parse(args); err != nil {
		return false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "unexpected argument %q\n%s", fs.Arg(0), usage)
		return false
	}
	if t := fs.Lookup("templates"); t != nil {
		// The templates folder is a Hugo theme: its layouts are in layouts/.
		dir := t.Value.String()
		if st, err := os.Stat(filepath.Join(dir, "layouts")); err != nil || !st.IsDir() {
			fmt.Fprintf(env.Stderr, "--templates %s: no layouts/ folder in it (templates are laid out as a Hugo theme: layouts/, i18n/, assets/, static/)\n", dir)
			return false
		}
	}
	return true
}

func printErrors(w io.Writer, errs diag.List) {
	for _, e := range errs {
		fmt.Fprintln(w, e.Error())
	}
	n := len(errs)
	fmt.Fprintf(w, "%d error%s\n", n, map[bool]string{true: "", false: "s"}[n == 1])
}

func check(args []string, env Env) int {
	var cfg pipeline.Config
	fs := flags("check", env, &cfg, false)
	since := fs.String("since", "", "also compare with the data at git revision `REV`: no problem may disappear, no status move back without a reason")
	if !parse(fs, args, env) {
		return 2
	}
	defer checkpkg.TuneGC()()
	checked, errs := pipeline.Check(cfg)
	var compared string
	if *since != "" {
		more, summary, code := sinceErrors(cfg.Data, *since, checked, env.Stderr)
		if code != 0 {
			return code
		}
		if len(more) > 0 {
			errs = append(errs, more...).Sort()
		}
		compared = summary
	}
	if len(errs) > 0 {
		printErrors(env.Stderr, errs)
		return 1
	}
	Report(env.Stdout, checked)
	if w := calendarWarning(checked); w != "" {
		fmt.Fprintln(env.Stderr, w)
	}
	if compared != "" {
		fmt.Fprintln(env.Stdout, compared)
	}
	return 0
}

func build(args []string, env Env) int {
	var cfg pipeline.Config
	fs := flags("build", env, &cfg, true)
	var shard string
	fs.StringVar(&shard, "shard", "", "I/N: render only the districts of shard I of N, for merge (balanced by problems)")
	fs.StringVar(&cfg.ShardCache, "shard-cache", "", "keep each shard's output in this folder, keyed by a hash of its inputs, and reuse it while they do not change")
	fs.BoolVar(&cfg.ShardCachePrune, "shard-cache-prune", false, "with --shard-cache: after a successful build, remove the entries it did not use (for a cache CI keeps from build to build)")
	fs.IntVar(&cfg.ShardProblems, "shard-problems", pipeline.DefaultShardProblems, "render the districts in Hugo sites of at most this many problems each, which bounds memory (0: one site; with --shard-cache the default is one district each)")
	if !parse(fs, args, env) {
		return 2
	}
	if cfg.ShardCachePrune && cfg.ShardCache == "" {
		fmt.Fprintf(env.Stderr, "%s: --shard-cache-prune needs --shard-cache DIR\n", fs.Name())
		return 2
	}
	capGiven := false
	fs.Visit(func(f *flag.Flag) { capGiven = capGiven || f.Name == "shard-problems" })
	if cfg.ShardCache != "" && !capGiven {
		// A cached build re-renders the shards an edit touched: with a
		// district in each, one edit re-renders one district.
		cfg.ShardProblems = pipeline.CachedShardProblems
	}
	if shard != "" {
		spec, err := pipeline.ParseShard(shard)
		if err != nil {
			fmt.Fprintln(env.Stderr, "build:", err)
			return 2
		}
		cfg.Shard = spec
	}
	if cfg.ShardProblems < 0 {
		fmt.Fprintln(env.Stderr, "build: --shard-problems must be 0 or more")
		return 2
	}
	outGiven := false
	fs.Visit(func(f *flag.Flag) { outGiven = outGiven || f.Name == "out" })
	if !cfg.Edition.Public() && !outGiven {
		fmt.Fprintln(env.Stderr, "build: the internal edition needs an explicit --out (it never goes to the public site's folder)")
		return 2
	}
	if err := pipeline.GuardOut(cfg); err != nil {
		fmt.Fprintln(env.Stderr, "build:", err)
		return 2
	}
	cfg.Log = env.Stderr
	// An interrupted build must not leave a half-written site: stop on the
	// first signal after removing the staging folder (a SIGKILL cannot be
	// caught; the next build removes what it leaves).
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-sig:
			pipeline.AbortStaging(cfg.Out)
			os.Exit(1)
		case <-done:
		}
	}()
	errs, err := pipeline.Build(cfg)
	if errors.Is(err, pipeline.ErrInvalid) {
		printErrors(env.Stderr, errs)
		return 1
	}
	var fileErr diag.Error // a template or content page that Hugo cannot use
	if errors.As(err, &fileErr) {
		printErrors(env.Stderr, diag.List{fileErr})
		return 1
	}
	if err != nil {
		fmt.Fprintln(env.Stderr, "build failed:", err)
		return 1
	}
	if cfg.Shard.N > 0 {
		fmt.Fprintf(env.Stdout, "built shard %s of the %s edition into %s\n", cfg.Shard, cfg.Edition, cfg.Out)
		return 0
	}
	fmt.Fprintf(env.Stdout, "built the %s edition into %s\n", cfg.Edition, cfg.Out)
	return 0
}

// calendarWarning says, when as_of is within three months of the last year
// the working-day calendar knows, how to extend it; "" otherwise. It is a
// warning: check still passes.
func calendarWarning(c *pipeline.Checked) string {
	if c == nil || c.Calendar == nil || c.Data == nil || c.Data.Site == nil {
		return ""
	}
	asOf := c.Data.Site.AsOf
	last, soon := c.Calendar.RunsOutSoon(asOf)
	if !soon {
		return ""
	}
	next := last + 1
	return fmt.Sprintf("%s: warning: the working-day calendar knows the official holiday schedules up to %d, and as_of %s is within three months of its end: "+
		"a deadline counted into %d will be refused. Update it before then: a newer github.com/6tail/lunar-go with the %d schedule "+
		"(go get github.com/6tail/lunar-go@latest && go mod tidy; Dependabot opens that pull request), "+
		"or the year %d under calendar: in site.yaml (see generator/docs/DATA-FORMAT.md, site.yaml)",
		c.Data.Site.File, last, asOf, next, next, next)
}

// Report prints what check found, per district: the totals and how many
// problems the public edition will not detail, and why.
func Report(w io.Writer, c *pipeline.Checked) {
	full := pipeline.Totals(c)
	t := full.Home.Totals
	fmt.Fprintf(w, "ok: %d districts, %d problems listed; as of %s\n", len(full.Districts), t.Listed, full.Site.AsOf)
	for _, d := range full.Districts {
		dt := d.Totals
		fmt.Fprintf(w, "  %-14s %s  %s", d.ID, d.Name, Coverage(dt))
		if dt.Withheld > 0 {
			var reasons []string
			for _, r := range dt.ByReason {
				key := r.Key
				if key == "" {
					key = "no reason given"
				}
				reasons = append(reasons, fmt.Sprintf("%s %d", key, r.Count))
			}
			sort.Strings(reasons)
			fmt.Fprintf(w, "; internal only: %d (%s)", dt.Withheld, strings.Join(reasons, ", "))
		}
		if d.Illustrative {
			fmt.Fprint(w, " [illustrative: not in the overall totals]")
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "  %-14s %s; internal only %d\n", "overall", Coverage(t), t.Withheld)
}
