package ledger

import (
	"path/filepath"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/check"
	"github.com/xuncha/bulletin/generator/internal/edition"
	"github.com/xuncha/bulletin/generator/internal/model"
)

// TestSampleRoundTrip: every round of the project's sample data, exported
// (both editions, .xlsx and CSV) and imported untouched, changes nothing
// and reports no error.
func TestSampleRoundTrip(t *testing.T) {
	data := filepath.Join("..", "..", "..", "data")
	c, errs := check.WorkingTree(data, model.Date{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	dir := t.TempDir()
	n := 0
	for _, d := range c.Data.Districts {
		for _, r := range d.Rounds {
			for _, ed := range []edition.Edition{edition.InternalEdition, edition.PublicEdition} {
				for _, ext := range []string{".xlsx", ".csv"} {
					file := filepath.Join(dir, d.ID+"-"+r.ID+"-"+string(ed)+ext)
					if err := Write(file, r, c.Data.Site.AsOf, ed); err != nil {
						t.Fatal(err)
					}
					res, errs, err := Import(file, WithData(data), DryRun())
					if err != nil || len(errs) > 0 {
						t.Errorf("%s: %v %v", file, err, errs)
						continue
					}
					n++
					if res.Report != nil || len(res.Log) > 0 || len(res.Notes) > 0 {
						t.Errorf("%s: a fresh ledger changes %q, notes %q", file, res.Log, res.Notes)
					}
				}
			}
		}
	}
	if n < 8 {
		t.Errorf("only %d ledgers round-tripped", n)
	}
	t.Logf("%d ledgers round-tripped", n)
}
