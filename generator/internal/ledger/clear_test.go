package ledger

import (
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/xuncha/bulletin/generator/internal/edition"
)

// TestClearOwnerAndDue: a clerk empties the 责任单位 and 整改时限 cells the
// ledger had filled, and the import takes them out of the round file (an
// empty cell that was empty in the export changes nothing).
func TestClearOwnerAndDue(t *testing.T) {
	data := project(t)
	edit := func(name string, cells map[string]string) *Result {
		t.Helper()
		file := exportTo(t, data, name, edition.InternalEdition)
		f, err := excelize.OpenFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for cell, v := range cells {
			col, id, _ := strings.Cut(cell, "@")
			set(t, f, col+itoa(rowOf(t, f, id)), v)
		}
		if err := f.Save(); err != nil {
			t.Fatal(err)
		}
		f.Close()
		res, errs, err := Import(file, WithData(data))
		if err != nil || len(errs) > 0 {
			t.Fatalf("import: %v\n%v", err, errs)
		}
		return res
	}
	// First give p001 (block style) and p002 (flow style) owners and dates.
	edit("fill.xlsx", map[string]string{"G@p001": "区教育局", "H@p001": "2024-12-31", "G@p002": "花溪村村委会", "H@p002": "2024-12-31"})
	filled, _ := os.ReadFile(roundFile(data))
	// Then empty p001's two cells and p002's owner.
	res := edit("clear.xlsx", map[string]string{"G@p001": "", "H@p001": "", "G@p002": ""})
	if strings.Join(res.Changed, ",") != "p001,p002" {
		t.Errorf("changed %v, want p001,p002", res.Changed)
	}
	for _, want := range []string{"p001: 第 1 条整改措施的责任单位已清空", "p001: 第 2 条整改措施的整改时限已清空", "p002: 第 1 条整改措施的责任单位已清空"} {
		if !strings.Contains(strings.Join(res.Log, "\n"), want) {
			t.Errorf("log lacks %q:\n%s", want, strings.Join(res.Log, "\n"))
		}
	}
	r := loadRound(t, data)
	for _, m := range problem(r, "p001").Measures {
		if m.Owner != "" || !m.Due.IsZero() {
			t.Errorf("p001 measure %q kept owner %q due %s", m.Text, m.Owner, m.Due)
		}
	}
	if m := problem(r, "p002").Measures[0]; m.Owner != "" || m.Due.String() != "2024-12-31" {
		t.Errorf("p002 measure: owner %q due %s, want no owner and the due date kept", m.Owner, m.Due)
	}
	// Only the lines of the cleared values went.
	got, _ := os.ReadFile(roundFile(data))
	diff := lineDiff(string(filled), string(got))
	for _, l := range strings.Split(strings.TrimSpace(diff), "\n") {
		if strings.HasPrefix(l, "+") && !strings.Contains(l, "measures: [{text: 重新履行民主程序") {
			t.Errorf("clearing added a line: %s\n%s", l, diff)
		}
	}
	// A fresh export shows the cells empty, and importing it changes nothing.
	before, _ := os.ReadFile(roundFile(data))
	if res := edit("again.xlsx", nil); res.Written {
		t.Error("a fresh export re-imported changed the file")
	}
	after, _ := os.ReadFile(roundFile(data))
	if string(before) != string(after) {
		t.Errorf("file changed:\n%s", lineDiff(string(before), string(after)))
	}
}
