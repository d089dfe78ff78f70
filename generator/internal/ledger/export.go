package ledger

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuncha/bulletin/generator/internal/edition"
	"github.com/xuncha/bulletin/generator/internal/model"
	"github.com/xuncha/bulletin/generator/internal/outputs"
	"github.com/xuri/excelize/v2"
)

// Row is one problem as a ledger row: the text of every column.
type Row [numColumns]string

// Rows returns the round's problems as ledger rows, in the order of the
// YAML file. The public edition leaves out every problem edition.Internal
// holds for (it is not detailed in the public edition, so its ledger row
// would carry internal matter); the internal edition lists every problem.
func Rows(r *model.Round, ed edition.Edition) []Row {
	names := map[string]string{}
	for _, t := range r.Targets {
		names[t.ID] = t.Name
	}
	var out []Row
	for _, p := range r.Problems {
		if ed.Public() && edition.Internal(r, p) {
			continue
		}
		var row Row
		row[ColSeq] = strconv.Itoa(len(out) + 1)
		row[ColID] = p.ID
		row[ColTarget] = names[p.Target]
		if row[ColTarget] == "" {
			row[ColTarget] = p.Target
		}
		row[ColCategory] = p.Category
		row[ColTitle] = p.Title
		row[ColMeasures] = measuresText(p.Measures)
		row[ColOwner] = perMeasure(p.Measures, func(m model.Measure) string { return m.Owner })
		row[ColDue] = perMeasure(p.Measures, func(m model.Measure) string { return m.Due.String() })
		row[ColStatus] = statusLabel(p.Status)
		row[ColDone] = doneText(p)
		row[ColNote] = noteText(p)
		out = append(out, row)
	}
	return out
}

// measuresText is one measure a line; with more than one, numbered "1. ".
func measuresText(ms []model.Measure) string {
	if len(ms) == 1 {
		return oneLine(ms[0].Text)
	}
	lines := make([]string, len(ms))
	for i, m := range ms {
		lines[i] = fmt.Sprintf("%d. %s", i+1, oneLine(m.Text))
	}
	return strings.Join(lines, "\n")
}

// oneLine keeps a measure on its line of the cell: a measure written over
// several lines in YAML shows its line breaks as spaces.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.TrimSpace(s)), " ")
}

// perMeasure is a per-measure value: one line when every measure has the
// same, else one numbered line per measure (empty when not given).
func perMeasure(ms []model.Measure, get func(model.Measure) string) string {
	if len(ms) == 0 {
		return ""
	}
	same := true
	for _, m := range ms[1:] {
		same = same && get(m) == get(ms[0])
	}
	if same {
		return get(ms[0])
	}
	lines := make([]string, len(ms))
	for i, m := range ms {
		lines[i] = fmt.Sprintf("%d. %s", i+1, get(m))
		lines[i] = strings.TrimSpace(lines[i])
	}
	return strings.Join(lines, "\n")
}

// doneText is the date of the latest status change of a completed problem.
func doneText(p *model.Problem) string {
	if !p.Status.Completed() || len(p.History) == 0 {
		return ""
	}
	return p.History[len(p.History)-1].Date.String()
}

// noteText is the note of the latest status change.
func noteText(p *model.Problem) string {
	if len(p.History) == 0 {
		return ""
	}
	return strings.TrimSpace(p.History[len(p.History)-1].Note)
}

// marker names the round in the title row, so that an import knows which
// round a ledger belongs to: 台账编号：chancheng/r1-r7.
const markerLabel = "台账编号："

var markerRE = regexp.MustCompile(`台账编号[:：]\s*([a-z0-9][a-z0-9-]*)/([a-z0-9][a-z0-9-]*)`)

// Title is the ledger's title row: the round, as_of, the edition and the
// round's marker.
func Title(r *model.Round, asOf model.Date, ed edition.Edition) string {
	ver := "内部版"
	if ed.Public() {
		ver = "公开版"
	}
	name := r.Title
	if r.District != nil {
		name = r.District.Name + " " + name
	}
	return fmt.Sprintf("%s 整改台账（截至 %s · %s · %s%s/%s）", name, asOf, ver, markerLabel, districtID(r), r.ID)
}

func districtID(r *model.Round) string {
	if r.District == nil {
		return ""
	}
	return r.District.ID
}

// WriteCSV writes the ledger as CSV: UTF-8 with a byte-order mark (so that
// Excel and WPS show Chinese), the title row, the header, one row per
// problem.
func WriteCSV(w io.Writer, r *model.Round, asOf model.Date, ed edition.Edition) error {
	var b bytes.Buffer
	b.WriteString("\ufeff")
	cw := csv.NewWriter(&b)
	title := make([]string, numColumns)
	title[0] = Title(r, asOf, ed)
	cw.Write(title)
	cw.Write(Headers[:])
	for _, row := range Rows(r, ed) {
		for c := range row {
			row[c] = outputs.NeutraliseCell(row[c]) // import takes the quote off again
		}
		cw.Write(row[:])
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// widths bound the columns' widths, in characters of Latin text.
const (
	minWidth = 6
	maxWidth = 48
)

// wrapped are the columns whose long text wraps in its cell.
var wrapped = map[Column]bool{ColTarget: true, ColTitle: true, ColMeasures: true, ColOwner: true, ColNote: true}

// WriteXLSX writes the ledger as an .xlsx workbook with one sheet 整改台账:
// a title row, a frozen header, the status as a drop-down of the Chinese
// labels, widths that fit the text, A4 landscape with the header repeated
// on every printed page.
func WriteXLSX(w io.Writer, r *model.Round, asOf model.Date, ed edition.Edition) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetName); err != nil {
		return err
	}
	rows := Rows(r, ed)
	last := colName(int(numColumns) - 1)
	titleStyle, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}, Alignment: &excelize.Alignment{Vertical: "center"}})
	border := []excelize.Border{{Type: "left", Color: "999999", Style: 1}, {Type: "right", Color: "999999", Style: 1}, {Type: "top", Color: "999999", Style: 1}, {Type: "bottom", Color: "999999", Style: 1}}
	headStyle, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}, Border: border, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	cellStyle, _ := f.NewStyle(&excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	textStyle, _ := f.NewStyle(&excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}, NumFmt: 49}) // "@": text, so WPS keeps ids and dates as typed

	// Widths that fit: the longest line of each column, CJK counted double.
	for c := Column(0); c < numColumns; c++ {
		wd := textWidth(Headers[c]) + 2
		for _, row := range rows {
			for _, line := range strings.Split(row[c], "\n") {
				wd = max(wd, textWidth(line)+2)
			}
		}
		wd = min(max(wd, minWidth), maxWidth)
		if !wrapped[c] {
			wd = min(wd, 24)
		}
		if err := f.SetColWidth(SheetName, colName(int(c)), colName(int(c)), float64(wd)); err != nil {
			return err
		}
	}
	if err := f.SetPanes(SheetName, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := f.SetCellValue(SheetName, "A1", Title(r, asOf, ed)); err != nil {
		return err
	}
	if err := f.MergeCell(SheetName, "A1", last+"1"); err != nil {
		return err
	}
	f.SetCellStyle(SheetName, "A1", last+"1", titleStyle)
	f.SetRowHeight(SheetName, 1, 24)
	head := make([]any, numColumns)
	for c := range head {
		head[c] = Headers[c]
	}
	if err := f.SetSheetRow(SheetName, "A2", &head); err != nil {
		return err
	}
	f.SetCellStyle(SheetName, "A2", last+"2", headStyle)
	cells := make([]any, numColumns)
	for i, row := range rows {
		for c := range cells {
			cells[c] = row[c]
		}
		cells[ColSeq] = i + 1
		if err := f.SetSheetRow(SheetName, "A"+strconv.Itoa(i+3), &cells); err != nil {
			return err
		}
	}
	if n := len(rows); n > 0 {
		end := strconv.Itoa(n + 2)
		f.SetCellStyle(SheetName, "A3", last+end, cellStyle)
		for _, c := range []Column{ColID, ColDue, ColDone} {
			f.SetCellStyle(SheetName, colName(int(c))+"3", colName(int(c))+end, textStyle)
		}
	}
	// The status drop-down, on the rows written and room for new ones.
	dv := excelize.NewDataValidation(true)
	dv.SetSqref(fmt.Sprintf("%s3:%s%d", colName(int(ColStatus)), colName(int(ColStatus)), len(rows)+3+500))
	if err := dv.SetDropList(statusChoices()); err != nil {
		return err
	}
	dv.SetError(excelize.DataValidationErrorStyleStop, "状态", "请从下拉列表中选择状态："+strings.Join(statusChoices(), "、"))
	if err := f.AddDataValidation(SheetName, dv); err != nil {
		return err
	}
	size, orient := 9, "landscape" // 9: A4
	fit := true
	if err := f.SetPageLayout(SheetName, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, FitToWidth: new(1), FitToHeight: new(0)}); err != nil {
		return err
	}
	if err := f.SetSheetProps(SheetName, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("'%s'!$2:$2", SheetName), Scope: SheetName}); err != nil {
		return err
	}
	_, err := f.WriteTo(w)
	return err
}

// textWidth is how wide text shows, in Latin characters: CJK and other
// wide characters count two.
func textWidth(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x1100 && utf8.RuneLen(r) >= 3 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// FindRound returns the round DISTRICT/ROUND of d, or nil.
func FindRound(d *model.Data, id string) *model.Round {
	dist, rid, ok := strings.Cut(id, "/")
	if !ok {
		return nil
	}
	for _, dd := range d.Districts {
		if dd.ID != dist {
			continue
		}
		for _, r := range dd.Rounds {
			if r.ID == rid {
				return r
			}
		}
	}
	return nil
}

// Write writes the ledger of round r to file: .csv as CSV, anything else
// as .xlsx. The file is replaced atomically.
func Write(file string, r *model.Round, asOf model.Date, ed edition.Edition) error {
	var b bytes.Buffer
	var err error
	if strings.EqualFold(filepathExt(file), ".csv") {
		err = WriteCSV(&b, r, asOf, ed)
	} else {
		err = WriteXLSX(&b, r, asOf, ed)
	}
	if err != nil {
		return err
	}
	return writeAtomic(file, b.Bytes())
}

func filepathExt(f string) string {
	if i := strings.LastIndexByte(f, '.'); i >= 0 && !strings.ContainsAny(f[i:], `/\`) {
		return f[i:]
	}
	return ""
}
