package ledger

import (
	"strings"
)

// parsed is a ledger understood: which round it says it belongs to, where
// its columns are, and its problem rows.
type parsed struct {
	sheet    *sheet
	district string // from the title row's marker; "" when there is none
	round    string
	public   bool // the title says 公开版
	header   int  // the header's row (1-based)
	cols     [numColumns]int
	rows     []ledgerRow
}

// ledgerRow is one row of the ledger below the header that is not blank.
type ledgerRow struct {
	row   int // 1-based sheet row
	cells [numColumns]string
}

// cell is the position of column c in this row.
func (p *parsed) cell(r ledgerRow, c Column) Cell {
	return p.sheet.at(r.row, p.cols[c])
}

// has reports whether the ledger has column c.
func (p *parsed) has(c Column) bool { return p.cols[c] >= 0 }

// normHeader is a header cell as compared: no spaces or line breaks (WPS
// users break long headers over two lines).
func normHeader(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u3000", " ")), "")
}

// findHeader returns the index of the first row that holds the headers
// 问题编号 and 状态, or -1.
func findHeader(rows [][]string) int {
	for i, row := range rows {
		id, status := false, false
		for _, c := range row {
			switch normHeader(c) {
			case Headers[ColID]:
				id = true
			case Headers[ColStatus]:
				status = true
			}
		}
		if id && status {
			return i
		}
	}
	return -1
}

// parse finds the header (wherever the title row was moved), the columns
// (in any order), the round's marker (in any cell), and the rows that are
// not blank.
func parse(s *sheet) (*parsed, Errors) {
	var errs Errors
	h := findHeader(s.cells)
	if h < 0 {
		errs.add(Cell{File: s.file}, "不是整改台账：找不到表头（应有 %s 等列）", strings.Join(Headers[:], "、"))
		return nil, errs
	}
	p := &parsed{sheet: s, header: h + 1}
	for c := range p.cols {
		p.cols[c] = -1
	}
	for i, text := range s.cells[h] {
		name := normHeader(text)
		for c, want := range Headers {
			if name != want {
				continue
			}
			if p.cols[c] >= 0 {
				errs.add(s.at(h+1, i), "表头“%s”出现了两次（另一处在 %s）", want, colName(p.cols[c]))
				continue
			}
			p.cols[c] = i
		}
	}
	for i, row := range s.cells {
		for _, text := range row {
			if m := markerRE.FindStringSubmatch(text); m != nil {
				if p.district != "" && (p.district != m[1] || p.round != m[2]) {
					errs.add(s.at(i+1, -1), "台账编号出现了两个（%s/%s 和 %s/%s）：一个台账只能属于一轮巡察", p.district, p.round, m[1], m[2])
				}
				p.district, p.round = m[1], m[2]
				if strings.Contains(text, "公开版") {
					p.public = true
				}
			}
		}
	}
	for i := h + 1; i < len(s.cells); i++ {
		r := ledgerRow{row: i + 1}
		blank, marker := true, false
		for c, col := range p.cols {
			if col >= 0 && col < len(s.cells[i]) {
				r.cells[c] = strings.TrimSpace(strings.ReplaceAll(s.cells[i][col], "\r\n", "\n"))
			}
		}
		for _, text := range s.cells[i] {
			if strings.TrimSpace(text) != "" {
				blank = false
			}
			if markerRE.MatchString(text) {
				marker = true
			}
		}
		if blank || marker {
			continue
		}
		// A row with nothing but its 序号 is an empty row of a ledger
		// someone numbered ahead.
		only := true
		for c := range r.cells {
			if Column(c) != ColSeq && r.cells[c] != "" {
				only = false
			}
		}
		if only {
			continue
		}
		p.rows = append(p.rows, r)
	}
	return p, errs
}
