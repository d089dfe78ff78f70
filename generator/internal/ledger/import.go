package ledger

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/xuncha/bulletin/generator/internal/changes"
	"github.com/xuncha/bulletin/generator/internal/check"
	"github.com/xuncha/bulletin/generator/internal/diag"
	"github.com/xuncha/bulletin/generator/internal/model"
)

// ImportOption changes how Import works.
type ImportOption func(*importConfig)

type importConfig struct {
	data   string
	round  string // "district/round" the ledger must belong to; "" = its marker
	date   model.Date
	asOf   model.Date
	dryRun bool
}

// WithData sets the data folder (default "data").
func WithData(dir string) ImportOption { return func(c *importConfig) { c.data = dir } }

// WithRound names the round the ledger must belong to: DISTRICT/ROUND.
func WithRound(id string) ImportOption { return func(c *importConfig) { c.round = id } }

// WithDate is the date of status changes whose 完成日期 is empty.
func WithDate(d model.Date) ImportOption { return func(c *importConfig) { c.date = d } }

// WithAsOf overrides as_of for the check (as check --as-of does).
func WithAsOf(d model.Date) ImportOption { return func(c *importConfig) { c.asOf = d } }

// DryRun computes everything and writes nothing.
func DryRun() ImportOption { return func(c *importConfig) { c.dryRun = true } }

// Result is what an import did (or, dry, would do).
type Result struct {
	File     string          // the round file
	Round    *model.Round    // the round before the import
	Changed  []string        // ids of problems changed
	Added    []string        // ids given to new problems
	Missing  []string        // problems of the round the ledger does not list: kept as they are (a public ledger's internal ones only counted)
	Notes    []string        // cells whose changes were not imported, and why
	Log      []string        // what changed, one line a change
	Report   *changes.Report // the change report (the one `diff` prints)
	Before   []byte          // the round file before
	After    []byte          // and after
	Written  bool
	Internal int // internal problems a public ledger leaves out by design, not named in Missing
}

// Import applies the ledger file to its round's YAML file. Every problem
// found is returned together — ledger errors at FILE:SHEET!CELL, records the
// import would break at the ledger cell that causes them — and then nothing
// is written. An error that is not about the input (a disk failure) is
// returned as err.
func Import(file string, opts ...ImportOption) (*Result, Errors, error) {
	cfg := importConfig{data: "data"}
	for _, o := range opts {
		o(&cfg)
	}
	var errs Errors
	st, err := os.Stat(file)
	if err != nil {
		return nil, nil, err
	}
	if st.Size() > MaxFileSize {
		errs.add(Cell{File: file}, "文件太大（%.1f MB）：台账文件最大 %d MB", mb(st.Size()), MaxFileSize>>20)
		return nil, errs, nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, err
	}
	sh, errs := readFile(file, b)
	if len(errs) > 0 {
		return nil, errs, nil
	}
	p, perrs := parse(sh)
	errs = append(sh.errs, perrs...)
	if p == nil {
		return nil, errs.sorted(), nil
	}
	checked, derrs := check.WorkingTree(cfg.data, cfg.asOf)
	if len(derrs) > 0 {
		for _, e := range derrs {
			errs = append(errs, Error{At: e.Pos.String(), Msg: e.Msg})
		}
		errs = append(errs, Error{At: file, Msg: fmt.Sprintf("%s 中的记录在导入前就没有通过 check（见上）：请先改正", cfg.data)})
		return nil, errs.sorted(), nil
	}
	round := findRound(checked.Data, cfg.round, p, &errs)
	if round == nil {
		return nil, errs.sorted(), nil
	}
	src, err := os.ReadFile(round.File)
	if err != nil {
		return nil, nil, err
	}
	doc, err := parseRoundDoc(src)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", round.File, err)
	}
	pl := &planner{p: p, round: round, doc: doc, date: cfg.date, errs: errs}
	pl.plan()
	if err := doc.flush(); err != nil {
		pl.errs.add(Cell{File: file}, "无法修改 %s：%v", round.File, err)
	}
	res := &Result{File: round.File, Round: round, Changed: pl.changed, Added: pl.added, Notes: pl.notes, Log: pl.log, Before: src}
	for _, pr := range round.Problems {
		if _, ok := pl.seen[pr.ID]; !ok {
			if pr.Visibility == model.Internal && p.public {
				res.Internal++ // a public ledger's output names no internal problem
				continue
			}
			res.Missing = append(res.Missing, pr.ID)
		}
	}
	after, spans := doc.ed.result()
	res.After = after
	if len(doc.ed.edits) == 0 {
		res.After = src
		return res, pl.errs.sorted(), nil
	}
	// The rows that could be applied are checked even when others could
	// not: every problem of the ledger is reported in one run.
	newChecked, cerrs, err := checkWith(cfg.data, checked.Data.Site.AsOf, round.File, after)
	if err != nil {
		return nil, nil, err
	}
	if len(pl.errs) > 0 || len(cerrs) > 0 {
		return res, append(pl.errs, mapErrors(cerrs, round.File, spans)...).sorted(), nil
	}
	res.Report = changeReport(checked, newChecked)
	if p.public {
		// A public ledger's report is diff's public one: internal problems
		// counted, never named.
		res.Report = res.Report.Public()
	}
	if cfg.dryRun {
		return res, nil, nil
	}
	if err := writeAtomic(round.File, after); err != nil {
		return nil, nil, err
	}
	res.Written = true
	return res, nil, nil
}

// changeReport is the report `diff` prints, from the records on disk to the
// records after the import.
func changeReport(before, after *check.Checked) *changes.Report {
	return changes.Compare(
		changes.Side{Label: "导入前 (before)", Data: before.Data, Calendar: before.Calendar},
		changes.Side{Label: "导入后 (after)", Data: after.Data, Calendar: after.Calendar})
}

// findRound is the round the ledger belongs to.
func findRound(d *model.Data, want string, p *parsed, errs *Errors) *model.Round {
	whole := Cell{File: p.sheet.file}
	id := ""
	if p.district != "" {
		id = p.district + "/" + p.round
	}
	switch {
	case want != "" && id != "" && want != id:
		errs.add(whole, "这是另一轮巡察的台账（台账编号：%s），不是 --round 给出的 %s", id, want)
		return nil
	case want == "" && id == "":
		errs.add(whole, "找不到台账编号（导出时写在标题行：“%s区/轮次”）：请用 --round 区/轮次 指明这是哪一轮的台账", markerLabel)
		return nil
	case want != "":
		id = want
	}
	if r := FindRound(d, id); r != nil {
		return r
	}
	errs.add(whole, "台账属于 %s，但 %s 中没有这一轮巡察", id, d.Dir)
	return nil
}

// mapErrors puts diagnostics about the edited round file at the ledger cell
// whose change caused them; lines the import did not write are shown as
// the file on disk numbers them.
func mapErrors(list diag.List, file string, spans []span) Errors {
	var out Errors
	for _, e := range list {
		if filepath.Clean(e.Pos.File) != filepath.Clean(file) {
			out = append(out, Error{At: e.Pos.String(), Msg: e.Msg})
			continue
		}
		shift := 0
		var at string
		for _, s := range spans {
			if e.Pos.Line >= s.first && e.Pos.Line <= s.last {
				at = s.origin
				break
			}
			if s.last < e.Pos.Line {
				shift += s.shift
			}
		}
		if at == "" {
			pos := e.Pos
			pos.Line -= shift
			at = pos.String()
		}
		out = append(out, Error{At: at, Msg: e.Msg})
	}
	return out.sorted()
}

// writeAtomic replaces file with b: a temporary file in the same folder,
// synced, then renamed over it, so that a reader never sees half a file.
func writeAtomic(file string, b []byte) error {
	// A round file reached through a symbolic link is replaced where it
	// lives; the link stays.
	if real, err := filepath.EvalSymlinks(file); err == nil {
		file = real
	}
	mode := os.FileMode(0o644)
	if st, err := os.Stat(file); err == nil {
		mode = st.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".tmp-*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	defer os.Remove(name)
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(name, file)
}
