package ledger

import (
	"bytes"
	"github.com/xuncha/bulletin/generator/internal/edition"
	"os"
	"path/filepath"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/pipeline"
	"github.com/xuncha/bulletin/generator/internal/synth"
	"github.com/xuri/excelize/v2"
)

// bigRound writes a data folder whose one round has 3,000 problems and
// returns the folder and the round.
func bigRound(b *testing.B) (string, string) {
	data := filepath.Join(b.TempDir(), "data")
	if err := synth.Write(data, synth.Options{Problems: 3000, Districts: 1, ProblemsPerRound: 3000}); err != nil {
		b.Fatal(err)
	}
	return data, "d001/r001"
}

// BenchmarkExport3000 exports the ledger of a round of 3,000 problems.
func BenchmarkExport3000(b *testing.B) {
	data, round := bigRound(b)
	checked, errs := pipeline.Check(pipeline.Config{Data: data})
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	r := FindRound(checked.Data, round)
	b.ResetTimer()
	for b.Loop() {
		var buf bytes.Buffer
		if err := WriteXLSX(&buf, r, checked.Data.Site.AsOf, edition.InternalEdition); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImport3000 imports a 3,000-row ledger, a third of whose rows
// changed status, into the round of 3,000 problems: read, compare, edit,
// check, write.
func BenchmarkImport3000(b *testing.B) {
	data, round := bigRound(b)
	checked, errs := pipeline.Check(pipeline.Config{Data: data})
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	r := FindRound(checked.Data, round)
	file := filepath.Join(filepath.Dir(data), "ledger.xlsx")
	if err := Write(file, r, checked.Data.Site.AsOf, edition.InternalEdition); err != nil {
		b.Fatal(err)
	}
	f, err := excelize.OpenFile(file)
	if err != nil {
		b.Fatal(err)
	}
	changed := 0
	for i, p := range r.Problems {
		if !p.Status.Completed() && i%2 == 0 {
			row := itoa(i + 3)
			f.SetCellValue(SheetName, "I"+row, "已完成整改")
			f.SetCellValue(SheetName, "J"+row, "2024-12-01")
			f.SetCellValue(SheetName, "K"+row, "整改完成")
			changed++
		}
	}
	if err := f.Save(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	orig, _ := os.ReadFile(r.File)
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		if err := os.WriteFile(r.File, orig, 0o644); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, errs, err := Import(file, WithData(data))
		if err != nil || len(errs) > 0 {
			b.Fatal(err, errs)
		}
		if len(res.Changed) != changed || !res.Written {
			b.Fatalf("changed %d, want %d", len(res.Changed), changed)
		}
	}
	b.ReportMetric(float64(changed), "rows-changed")
}
