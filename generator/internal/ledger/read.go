package ledger

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuncha/bulletin/generator/internal/outputs"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Limits on what Import reads, so that a hostile or mistaken file is
// refused quickly and in bounded memory. A ledger of 3,000 problems is a
// few megabytes unpacked.
const (
	MaxFileSize = 16 << 20 // the .xlsx or .csv file as stored
	MaxUnzipped = 48 << 20 // every part of an .xlsx, unpacked
	MaxPart     = 16 << 20 // one part (a sheet, the shared strings), unpacked
	maxRows     = 100_000
)

// sheet is a ledger's cells as read, before they are understood.
type sheet struct {
	file     string     // as the user gave it: what errors show
	name     string     // the sheet's name (a CSV's file name without .csv, as Excel shows it)
	cells    [][]string // row i is the sheet's row i+1
	date1904 bool
	errs     Errors // cells that cannot be read (formulas without a value, merged rows)
}

func (s *sheet) at(row, col int) Cell { return Cell{File: s.file, Sheet: s.name, Row: row, Col: col} }

// readFile reads a ledger from the bytes of file: .xlsx or .csv by its
// name. A file that cannot be read as a ledger at all is one error at the
// file.
func readFile(file string, b []byte) (*sheet, Errors) {
	whole := func(format string, args ...any) (*sheet, Errors) {
		var errs Errors
		errs.add(Cell{File: file}, format, args...)
		return nil, errs
	}
	if len(b) > MaxFileSize {
		return whole("文件太大（%.1f MB）：台账文件最大 %d MB", mb(int64(len(b))), MaxFileSize>>20)
	}
	switch strings.ToLower(filepath.Ext(file)) {
	case ".csv":
		return readCSV(file, b)
	case ".xlsx", ".xlsm":
		return readXLSX(file, b)
	case ".xls", ".et", ".ods", ".numbers":
		return whole("不能读取 %s 文件：请在 WPS 或 Excel 中“另存为” .xlsx 格式", filepath.Ext(file))
	}
	return whole("不是台账文件：请给出 .xlsx 或 .csv 文件")
}

var cfbMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// utf16 is s as UTF-16LE bytes, as names are written in a compound file.
func utf16(s string) []byte {
	var out []byte
	for _, r := range s {
		out = append(out, byte(r), byte(r>>8))
	}
	return out
}

func readXLSX(file string, b []byte) (*sheet, Errors) {
	var errs Errors
	whole := func(format string, args ...any) (*sheet, Errors) {
		errs.add(Cell{File: file}, format, args...)
		return nil, errs
	}
	if bytes.HasPrefix(b, cfbMagic) {
		// An encrypted .xlsx is an OLE compound file holding EncryptionInfo
		// and EncryptedPackage; so is an old .xls saved under a new name.
		if bytes.Contains(b, utf16("EncryptionInfo")) || bytes.Contains(b, utf16("EncryptedPackage")) {
			return whole("文件有密码保护：请在 WPS 或 Excel 中取消密码（文件 → 加密/保护工作簿）后另存，再导入")
		}
		return whole("这是旧的 .xls 格式：请在 WPS 或 Excel 中“另存为” .xlsx 格式")
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return whole("不是有效的 .xlsx 文件（无法解压：%v）", err)
	}
	// Check the sizes the zip declares before anything is unpacked: a zip
	// bomb declares its real size (archive/zip refuses to unpack more than
	// declared) or it cannot be read at all.
	var total uint64
	for _, zf := range zr.File {
		total += zf.UncompressedSize64
		if zf.UncompressedSize64 > MaxPart {
			return whole("文件中的 %s 解压后有 %.1f MB，超过上限 %d MB：台账不应这么大（是否是压缩炸弹或混入了大量数据？）", zf.Name, mb(int64(zf.UncompressedSize64)), MaxPart>>20)
		}
		if total > MaxUnzipped {
			return whole("文件解压后超过 %d MB：台账不应这么大（是否是压缩炸弹？）", MaxUnzipped>>20)
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{RawCellValue: true, UnzipSizeLimit: MaxUnzipped, UnzipXMLSizeLimit: MaxPart + 1})
	if err != nil {
		return whole("不是有效的 .xlsx 文件：%v", err)
	}
	defer f.Close()
	name := ""
	for _, n := range f.GetSheetList() {
		if n == SheetName {
			name = n
		}
	}
	if name == "" {
		// A renamed sheet: the first one that has the ledger's header.
		for _, n := range f.GetSheetList() {
			rows, err := f.GetRows(n, excelize.Options{RawCellValue: true})
			if err == nil && findHeader(rows) >= 0 {
				name = n
				break
			}
		}
	}
	if name == "" {
		return whole("不是整改台账：没有名为“%s”的工作表，也没有工作表带有台账的表头（%s）", SheetName, strings.Join(Headers[:], "、"))
	}
	rows, err := f.GetRows(name, excelize.Options{RawCellValue: true})
	if err != nil {
		return whole("无法读取工作表“%s”：%v", name, err)
	}
	if len(rows) > maxRows {
		return whole("工作表“%s”有 %d 行，超过上限 %d 行", name, len(rows), maxRows)
	}
	s := &sheet{file: file, name: name, cells: rows}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		s.date1904 = *props.Date1904
	}
	// Cells merged across rows hide which problem a value belongs to.
	merges, err := f.GetMergeCells(name, true)
	if err != nil {
		return whole("无法读取工作表“%s”的合并单元格：%v", name, err)
	}
	for _, m := range merges {
		c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		_, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 != nil || err2 != nil || r1 == r2 {
			continue
		}
		s.errs.add(s.at(r1, c1-1), "单元格 %s:%s 跨行合并：请取消合并单元格，每个问题占一行、每格写全", m.GetStartAxis(), m.GetEndAxis())
	}
	// Formulas: the value saved with the file counts, nothing is computed.
	// A formula saved without its value (written by a program, never opened
	// in a spreadsheet) has nothing to import.
	if sheetHasFormulas(zr) {
		width := int(numColumns) + 8
		for _, row := range rows {
			width = max(width, len(row))
		}
		for r := range rows {
			for c := 0; c < width; c++ {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				fm, _ := f.GetCellFormula(name, ref)
				if fm == "" {
					continue
				}
				if c >= len(rows[r]) || strings.TrimSpace(rows[r][c]) == "" {
					s.errs.add(s.at(r+1, c), "单元格是公式（=%s）且没有保存计算结果：请在 WPS 或 Excel 中打开并保存，或复制后“选择性粘贴 → 数值”", fm)
				}
			}
		}
	}
	return s, nil
}

// sheetHasFormulas reports whether any sheet part holds a formula element.
func sheetHasFormulas(zr *zip.Reader) bool {
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/") || !strings.HasSuffix(zf.Name, ".xml") {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			continue
		}
		var buf bytes.Buffer
		buf.ReadFrom(rc)
		rc.Close()
		if bytes.Contains(buf.Bytes(), []byte("<f>")) || bytes.Contains(buf.Bytes(), []byte("<f ")) || bytes.Contains(buf.Bytes(), []byte("<f/>")) {
			return true
		}
	}
	return false
}

func readCSV(file string, b []byte) (*sheet, Errors) {
	var errs Errors
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	if !utf8.Valid(b) {
		// WPS and Excel save CSV in the system's code page on Chinese Windows.
		dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
		if err != nil {
			errs.add(Cell{File: file}, "CSV 文件既不是 UTF-8 也不是 GBK/GB18030 编码")
			return nil, errs
		}
		b = dec
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	rows, err := r.ReadAll()
	if err != nil {
		errs.add(Cell{File: file}, "无法读取 CSV：%v", err)
		return nil, errs
	}
	if len(rows) > maxRows {
		errs.add(Cell{File: file}, "CSV 有 %d 行，超过上限 %d 行", len(rows), maxRows)
		return nil, errs
	}
	// Export defuses cells a spreadsheet would run as formulas with a
	// leading quote (outputs.NeutraliseCell); take it off again.
	for _, row := range rows {
		for c, v := range row {
			if strings.HasPrefix(v, "'") && outputs.NeutraliseCell(v[1:]) == v {
				row[c] = v[1:]
			}
		}
	}
	base := filepath.Base(file)
	return &sheet{file: file, name: strings.TrimSuffix(base, filepath.Ext(base)), cells: rows}, nil
}

// mb is n bytes in megabytes.
func mb(n int64) float64 { return float64(n) / (1 << 20) }
