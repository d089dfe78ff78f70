package cli

import (
	"errors"
	"fmt"

	"github.com/xuncha/bulletin/generator/internal/diag"
	"github.com/xuncha/bulletin/generator/internal/pipeline"
)

// merge is `merge --out DIR SHARD_DIR...`: the site-wide pages and data of
// the records, with the districts the shard builds rendered, published as
// one site.
func merge(args []string, env Env) int {
	var cfg pipeline.Config
	fs := flags("merge", env, &cfg, true)
	// The shard folders may come before, between or after the flags.
	var shards []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		shards = append(shards, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if !parse(fs, nil, env) {
		return 2
	}
	if len(shards) == 0 {
		fmt.Fprintln(env.Stderr, "merge: give the shard builds' folders: merge --out DIR SHARD_DIR...")
		return 2
	}
	if err := pipeline.GuardOut(cfg); err != nil {
		fmt.Fprintln(env.Stderr, "merge:", err)
		return 2
	}
	cfg.Log = env.Stderr
	errs, err := pipeline.Merge(cfg, shards)
	if errors.Is(err, pipeline.ErrInvalid) {
		printErrors(env.Stderr, errs)
		return 1
	}
	var fileErr diag.Error
	if errors.As(err, &fileErr) {
		printErrors(env.Stderr, diag.List{fileErr})
		return 1
	}
	var mismatch *pipeline.MismatchError
	if errors.As(err, &mismatch) {
		fmt.Fprintln(env.Stderr, "merge: refused, nothing written:", mismatch.Msg)
		return 1
	}
	if err != nil {
		fmt.Fprintln(env.Stderr, "merge failed:", err)
		return 1
	}
	fmt.Fprintf(env.Stdout, "merged %d shards of the %s edition into %s\n", len(shards), cfg.Edition, cfg.Out)
	return 0
}
