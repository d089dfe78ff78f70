package ledger

import (
	"github.com/xuncha/bulletin/generator/internal/edition"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/xuncha/bulletin/generator/internal/model"
	"github.com/xuri/excelize/v2"
)

// serial is d as an Excel serial day number (1900 system).
func serial(y int, m time.Month, d int) float64 {
	return float64(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24)
}

// TestRoundTripXLSX exports the round, edits the workbook the way a clerk
// would in WPS — with excelize directly, not this package's writer — and
// imports it: every column, every date format, rows reordered, a blank row,
// the title row moved to the bottom.
func TestRoundTripXLSX(t *testing.T) {
	data := project(t)
	file := exportTo(t, data, "ledger.xlsx", edition.InternalEdition)
	f, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatal(err)
	}
	r1, r2, r3 := rowOf(t, f, "p001"), rowOf(t, f, "p002"), rowOf(t, f, "p003")
	// p001: completed on a date typed as a number (an Excel serial), a
	// measure reworded and one added, one owner for all, one due for all.
	set(t, f, "I"+itoa(r1), "已完成整改")
	set(t, f, "J"+itoa(r1), serial(2024, 12, 14))
	set(t, f, "K"+itoa(r1), "资金已全部退回")
	set(t, f, "F"+itoa(r1), "1. 责令相关学校退回违规资金\n2. 修订并印发专项资金管理办法\n3. 建立资金使用台账")
	set(t, f, "G"+itoa(r1), "区教育局")
	set(t, f, "H"+itoa(r1), "2024/12/31")
	// p002 (measures written in flow style): in progress from a date in
	// Chinese, an owner.
	set(t, f, "I"+itoa(r2), "整改中")
	set(t, f, "J"+itoa(r2), "2024年10月16日")
	set(t, f, "G"+itoa(r2), "花溪村村委会")
	// p003: closed, date with slashes, a note over two lines; its title
	// edited (not imported: reported).
	set(t, f, "I"+itoa(r3), "已销号")
	set(t, f, "J"+itoa(r3), "2024/12/20")
	set(t, f, "K"+itoa(r3), "经四方会审同意销号\n资料已归档")
	set(t, f, "E"+itoa(r3), "校外培训机构监管不到位（改写）")
	// Swap p001 and p003, so rows are out of order.
	swapRows(t, f, r1, r3)
	// A new problem at the bottom, after a blank row: dates with dashes.
	n := 10
	set(t, f, "C"+itoa(n), "花溪村党总支")
	set(t, f, "D"+itoa(n), "作风建设")
	set(t, f, "E"+itoa(n), "村务公开不及时")
	set(t, f, "F"+itoa(n), "1. 每月公开村务\n2. 设立公开栏")
	set(t, f, "G"+itoa(n), "1. 花溪村党总支\n2. 镇纪委")
	set(t, f, "H"+itoa(n), "2024-12-31")
	set(t, f, "I"+itoa(n), "整改中")
	set(t, f, "J"+itoa(n), "2024-11-05")
	set(t, f, "K"+itoa(n), "已制定公开制度")
	// The title row moved below the table.
	title, _ := f.GetCellValue(SheetName, "A1")
	if err := f.UnmergeCell(SheetName, "A1", "K1"); err != nil {
		t.Fatal(err)
	}
	if err := f.RemoveRow(SheetName, 1); err != nil {
		t.Fatal(err)
	}
	set(t, f, "A14", title)
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()

	res, errs, err := Import(file, WithData(data))
	if err != nil || len(errs) > 0 {
		t.Fatalf("import: %v\n%v", err, errs)
	}
	if !res.Written || strings.Join(res.Changed, ",") != "p003,p002,p001" || strings.Join(res.Added, ",") != "p005" {
		t.Errorf("written %v, changed %v, added %v", res.Written, res.Changed, res.Added)
	}
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "ledger.xlsx:整改台账!E2: 问题的修改没有导入") {
		t.Errorf("notes: %q", res.Notes)
	}
	got, _ := os.ReadFile(roundFile(data))
	golden(t, "roundtrip.golden.yaml", got)
	// What `git diff` shows: the changed values and the added lines only.
	orig, _ := os.ReadFile("testdata/data/demo/rounds/r1.yaml")
	golden(t, "roundtrip.diff", []byte(lineDiff(string(orig), string(got))))

	r := loadRound(t, data)
	p1 := problem(r, "p001")
	if p1.Status != model.Rectified || last(p1).Date.String() != "2024-12-14" || last(p1).Note != "资金已全部退回" {
		t.Errorf("p001: %s %+v", p1.Status, last(p1))
	}
	if len(p1.Measures) != 3 || p1.Measures[1].Text != "修订并印发专项资金管理办法" || p1.Measures[2].Text != "建立资金使用台账" {
		t.Errorf("p001 measures: %+v", p1.Measures)
	}
	for _, m := range p1.Measures {
		if m.Owner != "区教育局" || m.Due.String() != "2024-12-31" {
			t.Errorf("p001 measure %q: owner %q due %s", m.Text, m.Owner, m.Due)
		}
	}
	p2 := problem(r, "p002")
	if p2.Status != model.InProgress || last(p2).Date.String() != "2024-10-16" || p2.Measures[0].Owner != "花溪村村委会" {
		t.Errorf("p002: %s %+v %+v", p2.Status, p2.History, p2.Measures)
	}
	p3 := problem(r, "p003")
	if p3.Status != model.Closed || last(p3).Date.String() != "2024-12-20" || last(p3).Note != "经四方会审同意销号\n资料已归档" || p3.Title != "校外培训机构日常监管不到位" {
		t.Errorf("p003: %s %+v %q", p3.Status, last(p3), p3.Title)
	}
	p5 := problem(r, "p005")
	if p5 == nil || p5.Target != "huaxi" || p5.Category != "作风建设" || p5.Status != model.InProgress || len(p5.Measures) != 2 ||
		p5.Measures[1].Owner != "镇纪委" || p5.Measures[1].Due.String() != "2024-12-31" || last(p5).Date.String() != "2024-11-05" {
		t.Errorf("p005: %+v", p5)
	}
	// Importing the same ledger again changes nothing more than the
	// history it already added: statuses now agree.
	before, _ := os.ReadFile(roundFile(data))
	res2, errs, err := Import(exportTo(t, data, "again.xlsx", edition.InternalEdition), WithData(data))
	if err != nil || len(errs) > 0 || res2.Written {
		t.Errorf("re-import of a fresh export: %v %v written=%v", err, errs, res2 != nil && res2.Written)
	}
	after, _ := os.ReadFile(roundFile(data))
	if string(before) != string(after) {
		t.Error("a fresh export re-imported changed the file")
	}
}

func last(p *model.Problem) model.HistoryEntry {
	if len(p.History) == 0 {
		return model.HistoryEntry{}
	}
	return p.History[len(p.History)-1]
}

func itoa(i int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(i)) }

func fmtInt(i int) string {
	s := ""
	for ; i > 0; i /= 10 {
		s = string(rune('0'+i%10)) + s
	}
	return s
}

// swapRows exchanges the values of two rows.
func swapRows(t *testing.T, f *excelize.File, a, b int) {
	rows, _ := f.GetRows(SheetName)
	ra, rb := rows[a-1], rows[b-1]
	for c := 0; c < int(numColumns); c++ {
		va, vb := "", ""
		if c < len(ra) {
			va = ra[c]
		}
		if c < len(rb) {
			vb = rb[c]
		}
		cell := func(r int) string { n, _ := excelize.CoordinatesToCellName(c+1, r); return n }
		set(t, f, cell(a), vb)
		set(t, f, cell(b), va)
	}
}
