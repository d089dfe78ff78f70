package ledger

import (
	"bytes"
	"flag"
	"fmt"
	"github.com/xuncha/bulletin/generator/internal/edition"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/model"
	"github.com/xuncha/bulletin/generator/internal/pipeline"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// project copies testdata/data into a temporary folder (imports write
// there) and returns its data folder.
func project(t testing.TB) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "data")
	err := filepath.WalkDir("testdata/data", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("testdata/data", p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// roundFile is the test round's YAML file.
func roundFile(data string) string { return filepath.Join(data, "demo", "rounds", "r1.yaml") }

// exportTo exports the test round into dir and returns the file.
func exportTo(t testing.TB, data, name string, ed edition.Edition) string {
	return exportRound(t, data, "demo/r1", name, ed)
}

func exportRound(t testing.TB, data, round, name string, ed edition.Edition) string {
	t.Helper()
	checked, errs := pipeline.Check(pipeline.Config{Data: data})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	r := FindRound(checked.Data, round)
	if r == nil {
		t.Fatal("no round", round)
	}
	out := filepath.Join(filepath.Dir(data), name)
	if err := Write(out, r, checked.Data.Site.AsOf, ed); err != nil {
		t.Fatal(err)
	}
	return out
}

// loadRound checks data and returns the round demo/r1.
func loadRound(t testing.TB, data string) *model.Round {
	t.Helper()
	checked, errs := pipeline.Check(pipeline.Config{Data: data})
	if len(errs) > 0 {
		t.Fatalf("after import, check fails:\n%v", errs)
	}
	return FindRound(checked.Data, "demo/r1")
}

func problem(r *model.Round, id string) *model.Problem {
	for _, p := range r.Problems {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// rowOf is the sheet row (1-based) whose column B is id.
func rowOf(t testing.TB, f *excelize.File, id string) int {
	t.Helper()
	rows, err := f.GetRows(SheetName)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > 1 && r[1] == id {
			return i + 1
		}
	}
	t.Fatalf("no row for %s", id)
	return 0
}

func set(t testing.TB, f *excelize.File, cell string, v any) {
	t.Helper()
	if err := f.SetCellValue(SheetName, cell, v); err != nil {
		t.Fatal(err)
	}
}

// unchanged fails unless the round file is as it was in testdata and no
// stray file (a temporary file of an atomic write) was left beside it.
func unchanged(t testing.TB, data string) {
	t.Helper()
	want, _ := os.ReadFile("testdata/data/demo/rounds/r1.yaml")
	got, err := os.ReadFile(roundFile(data))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the round file was written:\n%s", got)
	}
	entries, _ := os.ReadDir(filepath.Dir(roundFile(data)))
	if len(entries) != 2 { // r1.yaml, r2.yaml
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("files beside the round file: %s", strings.Join(names, ", "))
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run with -update and look at the diff):\n%s", name, got)
	}
}

func encodeGB18030(b []byte) ([]byte, error) {
	return simplifiedchinese.GB18030.NewEncoder().Bytes(b)
}

// lineDiff is a minimal unified-style diff of two texts, line by line
// ("-" removed, "+" added, unchanged lines left out, "@@ N" where a run of
// changes starts in the old text): what `git diff` would show.
func lineDiff(a, b string) string {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	n, m := len(x), len(y)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out strings.Builder
	i, j, inRun := 0, 0, false
	hunk := func() {
		if !inRun {
			fmt.Fprintf(&out, "@@ %d\n", i+1)
			inRun = true
		}
	}
	for i < n || j < m {
		switch {
		case i < n && j < m && x[i] == y[j]:
			i, j, inRun = i+1, j+1, false
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			hunk()
			out.WriteString("+" + y[j] + "\n")
			j++
		default:
			hunk()
			out.WriteString("-" + x[i] + "\n")
			i++
		}
	}
	return out.String()
}
