package ledger

import (
	"archive/zip"
	"bytes"
	"github.com/xuncha/bulletin/generator/internal/edition"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// rezip rewrites the parts of an .xlsx for which change returns new bytes.
func rezip(t *testing.T, file string, change func(name string, b []byte) []byte) {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(src), int64(len(src)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, zf := range zr.File {
		rc, _ := zf.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if nb := change(zf.Name, b); nb != nil {
			b = nb
		}
		w, _ := zw.Create(zf.Name)
		w.Write(b)
	}
	zw.Close()
	if err := os.WriteFile(file, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBadInput: each kind of bad file gets its message, and nothing is
// written.
func TestBadInput(t *testing.T) {
	cases := []struct {
		name string
		make func(t *testing.T, data string) string // returns the file to import
		opts []ImportOption
		want string // the message, after the file name
	}{{
		name: "not a ledger",
		make: func(t *testing.T, data string) string {
			f := excelize.NewFile()
			f.SetCellValue("Sheet1", "A1", "姓名")
			f.SetCellValue("Sheet1", "B1", "电话")
			p := filepath.Join(filepath.Dir(data), "other.xlsx")
			if err := f.SaveAs(p); err != nil {
				t.Fatal(err)
			}
			return p
		},
		want: "other.xlsx: 不是整改台账：没有名为“整改台账”的工作表，也没有工作表带有台账的表头（序号、问题编号、被巡察单位、问题类别、问题、整改措施、责任单位、整改时限、状态、完成日期、情况说明）",
	}, {
		name: "another round's ledger",
		make: func(t *testing.T, data string) string {
			return exportRound(t, data, "demo/r2", "ledger.xlsx", edition.InternalEdition)
		},
		opts: []ImportOption{WithRound("demo/r1")},
		want: "ledger.xlsx: 这是另一轮巡察的台账（台账编号：demo/r2），不是 --round 给出的 demo/r1",
	}, {
		name: "rows of another round without a marker",
		make: func(t *testing.T, data string) string {
			return editXLSX(t, data, "ledger.xlsx", func(f *excelize.File) {
				f.SetCellValue(SheetName, "A1", "台账")
				f.SetCellValue(SheetName, "B3", "q001")
			})
		},
		opts: []ImportOption{WithRound("demo/r1")},
		want: "ledger.xlsx:整改台账!B3: 问题编号 \"q001\" 不是本轮（demo/r1）的问题：新问题请把问题编号留空",
	}, {
		name: "no marker and no --round",
		make: func(t *testing.T, data string) string {
			return editXLSX(t, data, "ledger.xlsx", func(f *excelize.File) { f.SetCellValue(SheetName, "A1", "台账") })
		},
		want: "ledger.xlsx: 找不到台账编号（导出时写在标题行：“台账编号：区/轮次”）：请用 --round 区/轮次 指明这是哪一轮的台账",
	}, {
		name: "cells merged across rows",
		make: func(t *testing.T, data string) string {
			return editXLSX(t, data, "ledger.xlsx", func(f *excelize.File) {
				if err := f.MergeCell(SheetName, "C3", "C4"); err != nil {
					t.Fatal(err)
				}
			})
		},
		want: "ledger.xlsx:整改台账!C3: 单元格 C3:C4 跨行合并：请取消合并单元格，每个问题占一行、每格写全",
	}, {
		name: "a formula without a saved value",
		make: func(t *testing.T, data string) string {
			return editXLSX(t, data, "ledger.xlsx", func(f *excelize.File) {
				set(t, f, "I4", nil)
				if err := f.SetCellFormula(SheetName, "I4", `IF(1,"已销号")`); err != nil {
					t.Fatal(err)
				}
			})
		},
		want: "ledger.xlsx:整改台账!I4: 单元格是公式（=IF(1,\"已销号\")）且没有保存计算结果：请在 WPS 或 Excel 中打开并保存，或复制后“选择性粘贴 → 数值”",
	}, {
		name: "a 20 MB sheet",
		make: func(t *testing.T, data string) string {
			file := exportTo(t, data, "ledger.xlsx", edition.InternalEdition)
			rezip(t, file, func(name string, b []byte) []byte {
				if name != "xl/worksheets/sheet1.xml" {
					return nil
				}
				line := []byte("<!-- padding ---------------------------------------------------------- -->\n")
				pad := bytes.Repeat(line, (20<<20)/len(line)+1)
				return bytes.Replace(b, []byte("<sheetData>"), append([]byte("<sheetData>"), pad...), 1)
			})
			return file
		},
		want: "ledger.xlsx: 文件中的 xl/worksheets/sheet1.xml 解压后有 20.0 MB，超过上限 16 MB：台账不应这么大（是否是压缩炸弹或混入了大量数据？）",
	}, {
		name: "a 20 MB file",
		make: func(t *testing.T, data string) string {
			p := filepath.Join(filepath.Dir(data), "big.csv")
			os.WriteFile(p, bytes.Repeat([]byte("序号,问题编号\n"), 20<<20/20), 0o644)
			return p
		},
		want: "big.csv: 文件太大（20.0 MB）：台账文件最大 16 MB",
	}, {
		name: "a zip bomb named .xlsx",
		make: func(t *testing.T, data string) string {
			var b bytes.Buffer
			zw := zip.NewWriter(&b)
			zeros := make([]byte, 1<<20)
			for i := range 6 {
				w, _ := zw.Create("xl/worksheets/sheet" + string(rune('1'+i)) + ".xml")
				for range 10 {
					w.Write(zeros)
				}
			}
			zw.Close()
			p := filepath.Join(filepath.Dir(data), "bomb.xlsx")
			os.WriteFile(p, b.Bytes(), 0o644)
			if b.Len() > 1<<20 {
				t.Fatalf("the bomb is %d bytes", b.Len())
			}
			return p
		},
		want: "bomb.xlsx: 文件解压后超过 48 MB：台账不应这么大（是否是压缩炸弹？）",
	}, {
		name: "a zip bomb that lies about its size",
		make: func(t *testing.T, data string) string {
			var deflated bytes.Buffer
			{
				var tmp bytes.Buffer
				zw := zip.NewWriter(&tmp)
				w, _ := zw.Create("x")
				w.Write(make([]byte, 64<<20))
				zw.Close()
				zr, _ := zip.NewReader(bytes.NewReader(tmp.Bytes()), int64(tmp.Len()))
				rc, _ := zr.File[0].OpenRaw()
				io.Copy(&deflated, rc)
			}
			var b bytes.Buffer
			zw := zip.NewWriter(&b)
			w, _ := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate,
				CompressedSize64: uint64(deflated.Len()), UncompressedSize64: 100})
			w.Write(deflated.Bytes())
			zw.Close()
			p := filepath.Join(filepath.Dir(data), "liar.xlsx")
			os.WriteFile(p, b.Bytes(), 0o644)
			return p
		},
		want: "liar.xlsx: 不是有效的 .xlsx 文件：",
	}, {
		name: "a password-protected file",
		make: func(t *testing.T, data string) string {
			file := exportTo(t, data, "ledger.xlsx", edition.InternalEdition)
			f, err := excelize.OpenFile(file)
			if err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(filepath.Dir(data), "secret.xlsx")
			if err := f.SaveAs(p, excelize.Options{Password: "123456"}); err != nil {
				t.Fatal(err)
			}
			return p
		},
		want: "secret.xlsx: 文件有密码保护：请在 WPS 或 Excel 中取消密码（文件 → 加密/保护工作簿）后另存，再导入",
	}, {
		name: "an old .xls",
		make: func(t *testing.T, data string) string {
			p := filepath.Join(filepath.Dir(data), "old.xlsx")
			os.WriteFile(p, append(cfbMagic, make([]byte, 1024)...), 0o644)
			return p
		},
		want: "old.xlsx: 这是旧的 .xls 格式：请在 WPS 或 Excel 中“另存为” .xlsx 格式",
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := project(t)
			file := c.make(t, data)
			_, errs, err := Import(file, append([]ImportOption{WithData(data)}, c.opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			got := messages(errs, filepath.Dir(data))
			if !strings.HasPrefix(got, c.want) {
				t.Errorf("got:\n%s\nwant:\n%s", got, c.want)
			}
			unchanged(t, data)
		})
	}
}

// TestFormulaCachedValue: a formula's saved value is imported; the formula
// itself is never evaluated (it says 已销号, its saved value 整改中).
func TestFormulaCachedValue(t *testing.T) {
	data := project(t)
	file := editXLSX(t, data, "ledger.xlsx", func(f *excelize.File) {
		r := rowOf(t, f, "p002")
		set(t, f, "J"+itoa(r), "2024-10-20")
		if err := f.SetCellFormula(SheetName, "I"+itoa(r), `IF(1,"已销号")`); err != nil {
			t.Fatal(err)
		}
	})
	re := regexp.MustCompile(`(<c r="I4"[^>]*?)(?: t="[a-z]+")?>(<f>[^<]*</f>)(<v>[^<]*</v>)?</c>`)
	rezip(t, file, func(name string, b []byte) []byte {
		if name != "xl/worksheets/sheet1.xml" {
			return nil
		}
		if !re.Match(b) {
			t.Fatalf("no formula cell in\n%s", b)
		}
		return re.ReplaceAll(b, []byte(`$1 t="str">$2<v>整改中</v></c>`))
	})
	res, errs, err := Import(file, WithData(data), DryRun())
	if err != nil || len(errs) > 0 {
		t.Fatal(err, errs)
	}
	if strings.Join(res.Log, "\n") != "p002: 状态 未整改 → 整改中（2024-10-20）" {
		t.Errorf("log: %q", res.Log)
	}
}
