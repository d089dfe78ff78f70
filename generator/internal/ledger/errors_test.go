package ledger

import (
	"bytes"
	"github.com/xuncha/bulletin/generator/internal/edition"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// editXLSX exports the round, lets edit change the workbook with excelize,
// and returns the file.
func editXLSX(t *testing.T, data, name string, edit func(f *excelize.File)) string {
	t.Helper()
	file := exportTo(t, data, name, edition.InternalEdition)
	f, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatal(err)
	}
	edit(f)
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return file
}

func messages(errs Errors, dir string) string {
	var lines []string
	for _, e := range errs {
		lines = append(lines, strings.ReplaceAll(e.Error(), dir+"/", ""))
	}
	return strings.Join(lines, "\n")
}

// TestImportErrors: every problem of a ledger is reported at its cell, all
// at once, and nothing is written.
func TestImportErrors(t *testing.T) {
	data := project(t)
	dir := strings.TrimSuffix(data, "/data")
	file := editXLSX(t, data, "ledger.xlsx", func(f *excelize.File) {
		r1, r2, r3 := rowOf(t, f, "p001"), rowOf(t, f, "p002"), rowOf(t, f, "p003")
		set(t, f, "I"+itoa(r1), "已完了")
		set(t, f, "I"+itoa(r2), "已完成整改") // no date anywhere
		set(t, f, "I"+itoa(r3), "已销号")
		set(t, f, "J"+itoa(r3), "2024-02-30")
		set(t, f, "B9", "p999")
		set(t, f, "E9", "不存在的问题")
		set(t, f, "C10", "不存在的单位")
		set(t, f, "E10", "新问题")
		set(t, f, "H"+itoa(r1), "明年")
		set(t, f, "C11", "花溪村党总支") // a new problem with an owner but no measure
		set(t, f, "E11", "新问题二")
		set(t, f, "G11", "区住建局")
		set(t, f, "C12", "花溪村党总支") // a new problem with two measures
		set(t, f, "E12", "新问题三")
		set(t, f, "F12", "1. 建立台账\n2. 公开结果")
		set(t, f, "G12", "1. 甲\n2. 乙\n3. 丙")
		set(t, f, "H12", "1. 2024-12-01\n2. 明年")
	})
	_, errs, err := Import(file, WithData(data))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		`ledger.xlsx:整改台账!H3: 整改时限 "明年" 不是日期（写作 2024-10-16、2024/10/16 或 2024年10月16日）`,
		`ledger.xlsx:整改台账!I3: 状态 "已完了" 不是有效状态（可选：` + strings.Join(statusChoices(), "、") + `）`,
		`ledger.xlsx:整改台账!I4: 状态从“未整改”改为“已完成整改”，但没有日期：请填写“完成日期”，或导入时给出 --date YYYY-MM-DD`,
		`ledger.xlsx:整改台账!J5: 完成日期 "2024-02-30" 不是真实的日期`,
		`ledger.xlsx:整改台账!B9: 问题编号 "p999" 不是本轮（demo/r1）的问题：新问题请把问题编号留空`,
		`ledger.xlsx:整改台账!C10: 被巡察单位 "不存在的单位" 不是本轮的被巡察单位（可选：区教育局党组、花溪村党总支、某内部单位）`,
		`ledger.xlsx:整改台账!G11: 这个问题没有整改措施，责任单位无处记录：请先在“整改措施”中写明措施`,
		`ledger.xlsx:整改台账!G12: 责任单位 的行数与整改措施（2 条）对不上：写一行（适用于全部措施），或每条措施一行并编号“1. ”“2. ”`,
		`ledger.xlsx:整改台账!H12: 整改时限 "明年" 不是日期（写作 2024-10-16、2024/10/16 或 2024年10月16日）`,
	}, "\n")
	if got := messages(errs, dir); got != want {
		t.Errorf("errors:\n%s\nwant:\n%s", got, want)
	}
	unchanged(t, data)
}

// TestImportCheckErrors: a change that the records' own rules refuse is
// reported at the ledger cell that made it.
func TestImportCheckErrors(t *testing.T) {
	data := project(t)
	dir := strings.TrimSuffix(data, "/data")
	file := editXLSX(t, data, "ledger.xlsx", func(f *excelize.File) {
		r3 := rowOf(t, f, "p003")
		set(t, f, "I"+itoa(r3), "已销号")
		set(t, f, "J"+itoa(r3), "2024-11-01") // before the last entry, 2024-12-06
		r1 := rowOf(t, f, "p001")
		set(t, f, "I"+itoa(r1), "已完成整改")
		set(t, f, "J"+itoa(r1), "2025-03-01") // after as_of
	})
	_, errs, err := Import(file, WithData(data))
	if err != nil {
		t.Fatal(err)
	}
	got := messages(errs, dir)
	for _, w := range []string{
		"ledger.xlsx:整改台账!J3: ",
		"2025-03-01",
		"ledger.xlsx:整改台账!J5: ",
		"before the previous entry's date 2024-12-06",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("errors lack %q:\n%s", w, got)
		}
	}
	unchanged(t, data)
}

// TestImportAllAtOnce: errors of the ledger and errors of check about the
// rows that could be applied come in one run; a check error about a line
// the import did not write is shown where that line is on disk.
func TestImportAllAtOnce(t *testing.T) {
	data := project(t)
	src, _ := os.ReadFile(roundFile(data))
	os.WriteFile(roundFile(data), bytes.Replace(src, []byte("  found: 10"), []byte("  found: 4"), 1), 0o644)
	dir := strings.TrimSuffix(data, "/data")
	file := editXLSX(t, data, "ledger.xlsx", func(f *excelize.File) {
		set(t, f, "I"+itoa(rowOf(t, f, "p001")), "已完了")
		set(t, f, "C10", "花溪村党总支")
		set(t, f, "E10", "新问题")
	})
	_, errs, err := Import(file, WithData(data))
	if err != nil {
		t.Fatal(err)
	}
	want := `data/demo/rounds/r1.yaml:60:10: round "r1": summary.found 4 is less than the 5 problems listed` + "\n" +
		`ledger.xlsx:整改台账!I3: 状态 "已完了" 不是有效状态（可选：` + strings.Join(statusChoices(), "、") + "）"
	if got := messages(errs, dir); got != want {
		t.Errorf("errors:\n%s\nwant:\n%s", got, want)
	}
	if b, _ := os.ReadFile(roundFile(data)); !bytes.Contains(b, []byte("  found: 4")) || bytes.Contains(b, []byte("新问题")) {
		t.Error("written")
	}
}

// TestImportDateFlag: --date dates a status change whose 完成日期 is empty.
func TestImportDateFlag(t *testing.T) {
	data := project(t)
	file := editXLSX(t, data, "ledger.xlsx", func(f *excelize.File) {
		set(t, f, "I"+itoa(rowOf(t, f, "p002")), "整改中")
	})
	d, _ := parseDate("2024-11-11", false)
	res, errs, err := Import(file, WithData(data), WithDate(d), DryRun())
	if err != nil || len(errs) > 0 {
		t.Fatal(err, errs)
	}
	if !strings.Contains(string(res.After), "      - date: 2024-11-11\n        status: in_progress\n") {
		t.Errorf("after:\n%s", res.After)
	}
	if strings.Join(res.Log, "\n") != "p002: 状态 未整改 → 整改中（2024-11-11）" {
		t.Errorf("log: %q", res.Log)
	}
	if md := res.Report.Markdown(); !strings.HasPrefix(md, "<!-- bulletin-data-diff -->") {
		t.Errorf("not the diff report:\n%s", md)
	}
	unchanged(t, data) // dry run
}
