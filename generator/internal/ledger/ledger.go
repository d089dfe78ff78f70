// Package ledger is the round trip between a round's YAML file and the
// ledger (整改台账) that district staff keep in Excel or WPS: Export writes a
// round as an .xlsx or CSV ledger; Import reads a ledger staff edited and
// applies it to the round's YAML file, changing only the lines whose values
// changed (comments, key order, quoting and layout kept), after validating
// the result with the same check as `check`.
//
// Errors about the ledger are positioned in the ledger's own coordinates:
// FILE:SHEET!CELL, for example `ledger.xlsx:整改台账!I14: …`.
package ledger

import (
	"fmt"
	"sort"
	"strings"
)

// SheetName is the name of the ledger's worksheet.
const SheetName = "整改台账"

// Column is one column of the ledger.
type Column int

// The columns, in the order Export writes them. Import finds them by their
// header, in any order.
const (
	ColSeq      Column = iota // 序号
	ColID                     // 问题编号
	ColTarget                 // 被巡察单位
	ColCategory               // 问题类别
	ColTitle                  // 问题
	ColMeasures               // 整改措施: one measure per line
	ColOwner                  // 责任单位: per measure (one line for all, or one per measure)
	ColDue                    // 整改时限: per measure, as 责任单位
	ColStatus                 // 状态
	ColDone                   // 完成日期: the date of the latest status change when completed
	ColNote                   // 情况说明: the latest status change's note
	numColumns
)

// Headers are the column headers, by Column.
var Headers = [numColumns]string{
	"序号", "问题编号", "被巡察单位", "问题类别", "问题", "整改措施",
	"责任单位", "整改时限", "状态", "完成日期", "情况说明",
}

func (c Column) String() string { return Headers[c] }

// Cell is a position in a ledger: FILE:SHEET!A1.
type Cell struct {
	File  string
	Sheet string
	Row   int // 1-based; 0: the whole file
	Col   int // 0-based column index in the sheet; -1: the whole row
}

// Ref is the cell's A1 reference ("I14"), or the row's number ("14").
func (c Cell) Ref() string {
	if c.Col < 0 {
		return fmt.Sprint(c.Row)
	}
	return colName(c.Col) + fmt.Sprint(c.Row)
}

func (c Cell) String() string {
	if c.Row == 0 {
		return c.File
	}
	return c.File + ":" + c.Sheet + "!" + c.Ref()
}

// colName is the spreadsheet name of a 0-based column: 0 → A, 26 → AA.
func colName(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// Error is one problem with a ledger, or with the records an import would
// write, at its position.
type Error struct {
	At  string // "ledger.xlsx:整改台账!I14", or FILE:LINE:COL of a record
	Msg string
}

func (e Error) Error() string { return e.At + ": " + e.Msg }

// Errors are every problem found, reported together.
type Errors []Error

func (l *Errors) add(c Cell, format string, args ...any) {
	*l = append(*l, Error{At: c.String(), Msg: fmt.Sprintf(format, args...)})
}

func (l Errors) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// sorted orders errors by position (rows in order) and drops duplicates.
func (l Errors) sorted() Errors {
	sort.SliceStable(l, func(i, j int) bool { return lessAt(l[i].At, l[j].At) })
	out := l[:0]
	for i, e := range l {
		if i > 0 && e == l[i-1] {
			continue
		}
		out = append(out, e)
	}
	return out
}

// lessAt orders "f:S!I14" before "f:S!A15", and "f:9:1" before "f:10:1".
func lessAt(a, b string) bool {
	ka, kb := sortKey(a), sortKey(b)
	if ka.file != kb.file {
		return ka.file < kb.file
	}
	if ka.row != kb.row {
		return ka.row < kb.row
	}
	if ka.col != kb.col {
		return ka.col < kb.col
	}
	return a < b
}

type atKey struct {
	file     string
	row, col int
}

func sortKey(at string) atKey {
	if i := strings.LastIndexByte(at, '!'); i >= 0 {
		ref := at[i+1:]
		j := 0
		for j < len(ref) && ref[j] >= 'A' && ref[j] <= 'Z' {
			j++
		}
		col := 0
		for _, r := range ref[:j] {
			col = col*26 + int(r-'A'+1)
		}
		var row int
		fmt.Sscan(ref[j:], &row)
		return atKey{at[:i], row, col}
	}
	var line, col int
	parts := strings.Split(at, ":")
	if n := len(parts); n >= 3 {
		fmt.Sscan(parts[n-2], &line)
		fmt.Sscan(parts[n-1], &col)
		return atKey{strings.Join(parts[:n-2], ":"), line, col}
	}
	return atKey{at, 0, 0}
}
