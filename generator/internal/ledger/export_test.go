package ledger

import (
	"bytes"
	"encoding/csv"
	"github.com/xuncha/bulletin/generator/internal/edition"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestExportXLSX: what a clerk sees when opening the ledger.
func TestExportXLSX(t *testing.T) {
	data := project(t)
	file := exportTo(t, data, "ledger.xlsx", edition.InternalEdition)
	f, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 1 || got[0] != SheetName {
		t.Errorf("sheets: %q", got)
	}
	rows, _ := f.GetRows(SheetName)
	if want := "测试区 区委第一轮巡察 整改台账（截至 2024-12-31 · 内部版 · 台账编号：demo/r1）"; rows[0][0] != want {
		t.Errorf("title %q, want %q", rows[0][0], want)
	}
	if strings.Join(rows[1], "|") != "序号|问题编号|被巡察单位|问题类别|问题|整改措施|责任单位|整改时限|状态|完成日期|情况说明" {
		t.Errorf("header: %q", rows[1])
	}
	if len(rows) != 6 || rows[5][1] != "p004" {
		t.Errorf("the internal ledger lists every problem: %d rows", len(rows))
	}
	want := []string{"1", "p001", "区教育局党组", "资金管理", "学生营养餐专项资金使用不规范", "1. 责令相关学校退回违规资金\n2. 修订专项资金管理办法", "", "", "整改中", "", "报送整改措施"}
	if strings.Join(rows[2], "|") != strings.Join(want, "|") {
		t.Errorf("p001's row:\n%q\nwant\n%q", rows[2], want)
	}
	if rows[4][9] != "2024-12-06" {
		t.Errorf("p003's 完成日期 %q", rows[4][9])
	}
	panes, _ := f.GetPanes(SheetName)
	if !panes.Freeze || panes.YSplit != 2 {
		t.Errorf("panes: %+v", panes)
	}
	dvs, _ := f.GetDataValidations(SheetName)
	if len(dvs) != 1 || !strings.HasPrefix(dvs[0].Sqref, "I3:") || dvs[0].Formula1 != `"`+strings.Join(statusChoices(), ",")+`"` {
		t.Errorf("status drop-down: %+v", dvs)
	}
	layout, _ := f.GetPageLayout(SheetName)
	if *layout.Size != 9 || *layout.Orientation != "landscape" {
		t.Errorf("page: size %d %s", *layout.Size, *layout.Orientation)
	}
	found := false
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" && dn.Scope == SheetName && strings.HasSuffix(dn.RefersTo, "!$2:$2") {
			found = true
		}
	}
	if !found {
		t.Errorf("no print titles: %+v", f.GetDefinedName())
	}
	for c, min := range map[string]float64{"B": 6, "E": 30, "F": 20} {
		if w, _ := f.GetColWidth(SheetName, c); w < min {
			t.Errorf("column %s is %.0f wide", c, w)
		}
	}
}

// TestExportPublic: the public ledger leaves out what the public edition
// leaves out — here the problem of an internal unit.
func TestExportPublic(t *testing.T) {
	data := project(t)
	b, _ := os.ReadFile(exportTo(t, data, "ledger.csv", edition.PublicEdition))
	if !bytes.HasPrefix(b, []byte("\ufeff")) {
		t.Error("no byte-order mark")
	}
	for _, bad := range []string{"p004", "内部问题", "张三", "某内部单位"} {
		if bytes.Contains(b, []byte(bad)) {
			t.Errorf("the public ledger carries %q", bad)
		}
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rows[0][0], "公开版") || len(rows) != 5 || len(rows[1]) != int(numColumns) {
		t.Errorf("rows: %q", rows)
	}
	// Imported, it keeps the internal problem it does not list.
	res, errs, err := Import(exportTo(t, data, "public.xlsx", edition.PublicEdition), WithData(data))
	if err != nil || len(errs) > 0 {
		t.Fatal(err, errs)
	}
	if len(res.Missing) != 0 || res.Internal != 1 || res.Written {
		t.Errorf("missing %v (internal %d), written %v", res.Missing, res.Internal, res.Written)
	}
	unchanged(t, data)
	// A change through a public ledger: the report is the public one.
	file := exportTo(t, data, "public2.xlsx", edition.PublicEdition)
	f, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatal(err)
	}
	set(t, f, "I"+itoa(rowOf(t, f, "p001")), "已完成整改")
	set(t, f, "J"+itoa(rowOf(t, f, "p001")), "2024-12-20")
	f.Save()
	f.Close()
	res, errs, err = Import(file, WithData(data), DryRun())
	if err != nil || len(errs) > 0 {
		t.Fatal(err, errs)
	}
	if res.Report.Edition != edition.PublicEdition {
		t.Errorf("report edition %q", res.Report.Edition)
	}
}

// TestCSVFormulaCells: a cell a spreadsheet would run as a formula is
// defused in the CSV with a leading quote, and import takes it off: the
// round trip changes nothing.
func TestCSVFormulaCells(t *testing.T) {
	data := project(t)
	src, _ := os.ReadFile(roundFile(data))
	src = bytes.Replace(src, []byte("- text: 开展专项检查"), []byte("- text: \"=HYPERLINK(\\\"http://x\\\")\""), 1)
	os.WriteFile(roundFile(data), src, 0o644)
	file := exportTo(t, data, "ledger.csv", edition.InternalEdition)
	b, _ := os.ReadFile(file)
	if !bytes.Contains(b, []byte(`"'=HYPERLINK(""http://x"")"`)) {
		t.Errorf("not defused:\n%s", b)
	}
	res, errs, err := Import(file, WithData(data))
	if err != nil || len(errs) > 0 || res.Written || len(res.Log) > 0 {
		t.Errorf("round trip: %v %v %q", err, errs, res.Log)
	}
}

// TestRoundTripCSV: the CSV ledger imports the same way, whether saved as
// UTF-8 with a BOM or, as WPS does on Chinese Windows, in GB18030.
func TestRoundTripCSV(t *testing.T) {
	for _, enc := range []string{"utf-8", "gb18030"} {
		t.Run(enc, func(t *testing.T) {
			data := project(t)
			file := exportTo(t, data, "ledger.csv", edition.InternalEdition)
			b, _ := os.ReadFile(file)
			rows, _ := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
			for _, r := range rows {
				if len(r) > 1 && r[1] == "p002" {
					r[ColStatus], r[ColDone], r[ColNote] = "整改中", "2024/10/16", "已启动民主程序"
					r[ColMeasures] = "重新履行民主程序\n张榜公示"
				}
			}
			rows = append(rows, make([]string, numColumns))
			var out bytes.Buffer
			w := csv.NewWriter(&out)
			w.WriteAll(rows)
			if enc == "gb18030" {
				gb, err := encodeGB18030(out.Bytes())
				if err != nil {
					t.Fatal(err)
				}
				out.Reset()
				out.Write(gb)
			}
			os.WriteFile(file, out.Bytes(), 0o644)
			res, errs, err := Import(file, WithData(data))
			if err != nil || len(errs) > 0 {
				t.Fatal(err, errs)
			}
			want := "p002: 状态 未整改 → 整改中（2024-10-16）\np002: 新增第 2 条整改措施“张榜公示”"
			if strings.Join(res.Log, "\n") != want {
				t.Errorf("log:\n%s", strings.Join(res.Log, "\n"))
			}
			p2 := problem(loadRound(t, data), "p002")
			if len(p2.Measures) != 2 || last(p2).Note != "已启动民主程序" {
				t.Errorf("p002: %+v", p2)
			}
		})
	}
}
