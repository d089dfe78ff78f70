package ledger

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/xuncha/bulletin/generator/internal/edition"
	"github.com/xuncha/bulletin/generator/internal/model"
	yaml "go.yaml.in/yaml/v3"
)

// planner compares a ledger's rows with the round and writes the changes
// into the round file's text.
type planner struct {
	p       *parsed
	round   *model.Round
	doc     *roundDoc
	date    model.Date // --date: for status changes without 完成日期
	errs    Errors
	notes   []string
	changed []string // ids of problems changed, in ledger order
	log     []string // what changed, one line a change
	added   []string // ids given to new problems
	seen    map[string]int
	taken   map[string]bool
}

// plan applies every row; errors are collected, not stopped at.
func (pl *planner) plan() {
	pl.seen = map[string]int{}
	pl.taken = map[string]bool{}
	byID := map[string]*model.Problem{}
	for _, p := range pl.round.Problems {
		byID[p.ID] = p
		pl.taken[p.ID] = true
	}
	for _, r := range pl.p.rows {
		id := r.cells[ColID]
		if id == "" {
			pl.newProblem(r)
			continue
		}
		if prev, ok := pl.seen[id]; ok {
			pl.errs.add(pl.p.cell(r, ColID), "问题编号 %q 在第 %d 行已经出现过：每个问题只占一行", id, prev)
			continue
		}
		pl.seen[id] = r.row
		p := byID[id]
		if p == nil {
			pl.errs.add(pl.p.cell(r, ColID), "问题编号 %q 不是本轮（%s/%s）的问题：新问题请把问题编号留空", id, districtID(pl.round), pl.round.ID)
			continue
		}
		pl.problem(r, p)
	}
}

// problem applies one row to an existing problem.
func (pl *planner) problem(r ledgerRow, p *model.Problem) {
	before := len(pl.doc.ed.edits) + len(pl.doc.dirty)
	node := pl.doc.byID[p.ID]
	if node == nil {
		pl.errs.add(pl.p.cell(r, ColID), "问题 %q 在 %s 中找不到", p.ID, pl.round.File)
		return
	}
	cur := currentRow(pl.round, p)
	for _, c := range []Column{ColTarget, ColCategory, ColTitle} {
		if pl.p.has(c) && r.cells[c] != "" && normSpace(r.cells[c]) != normSpace(cur[c]) {
			pl.notes = append(pl.notes, fmt.Sprintf("%s: %s的修改没有导入（请在 YAML 文件中修改）", pl.p.cell(r, c), c))
		}
	}
	pl.status(r, p, node, cur)
	pl.measures(r, p, node, cur)
	if len(pl.doc.ed.edits)+len(pl.doc.dirty) > before {
		pl.changed = append(pl.changed, p.ID)
	}
}

func normSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// currentRow is the problem's row as Export writes it: a cell equal to it
// is unchanged.
func currentRow(r *model.Round, p *model.Problem) Row {
	one := *r
	one.Problems = []*model.Problem{p}
	return Rows(&one, edition.InternalEdition)[0]
}

// status appends a history entry when the status changed.
func (pl *planner) status(r ledgerRow, p *model.Problem, node *yaml.Node, cur Row) {
	if !pl.p.has(ColStatus) || r.cells[ColStatus] == "" {
		return
	}
	sc := pl.p.cell(r, ColStatus)
	st, ok := parseStatus(r.cells[ColStatus])
	if !ok {
		pl.errs.add(sc, "状态 %q 不是有效状态（可选：%s）", r.cells[ColStatus], strings.Join(statusChoices(), "、"))
		return
	}
	if st == p.Status {
		if pl.p.has(ColNote) && normSpace(r.cells[ColNote]) != normSpace(cur[ColNote]) {
			pl.notes = append(pl.notes, fmt.Sprintf("%s: 状态没有改变，情况说明的修改没有导入（情况说明随状态变化记入整改过程）", pl.p.cell(r, ColNote)))
		}
		return
	}
	date, dateCell, ok := pl.changeDate(r, sc, statusLabel(p.Status), statusLabel(st))
	if !ok {
		return
	}
	if err := pl.doc.set(node, kv{key: "status", value: string(st), plain: true, origin: sc.String()}); err != nil {
		pl.errs.add(sc, "无法修改 %s 中问题 %q 的状态：%v", pl.round.File, p.ID, err)
		return
	}
	entry := []kv{
		{key: "date", value: date.String(), plain: true, origin: dateCell.String()},
		{key: "status", value: string(st), plain: true, origin: sc.String()},
	}
	if pl.p.has(ColNote) && r.cells[ColNote] != "" {
		entry = append(entry, kv{key: "note", value: r.cells[ColNote], origin: pl.p.cell(r, ColNote).String()})
	}
	if err := pl.doc.appendItem(node, "history", entry, sc.String()); err != nil {
		pl.errs.add(sc, "无法在 %s 中给问题 %q 添加整改过程记录：%v", pl.round.File, p.ID, err)
	}
	pl.logf("%s: 状态 %s → %s（%s）", p.ID, statusLabel(p.Status), statusLabel(st), date)
}

// changeDate is the date of a status change: 完成日期, else --date.
func (pl *planner) changeDate(r ledgerRow, sc Cell, from, to string) (model.Date, Cell, bool) {
	if pl.p.has(ColDone) && r.cells[ColDone] != "" {
		dc := pl.p.cell(r, ColDone)
		d, err := parseDate(r.cells[ColDone], pl.p.sheet.date1904)
		if err != nil {
			pl.errs.add(dc, "完成日期 %v", err)
			return model.Date{}, dc, false
		}
		return d, dc, true
	}
	if !pl.date.IsZero() {
		return pl.date, sc, true
	}
	if from == "" {
		pl.errs.add(sc, "新问题的状态是“%s”，但没有日期：请填写“完成日期”，或导入时给出 --date YYYY-MM-DD", to)
	} else {
		pl.errs.add(sc, "状态从“%s”改为“%s”，但没有日期：请填写“完成日期”，或导入时给出 --date YYYY-MM-DD", from, to)
	}
	return model.Date{}, sc, false
}

// measures applies 整改措施, 责任单位 and 整改时限.
func (pl *planner) measures(r ledgerRow, p *model.Problem, node *yaml.Node, cur Row) {
	texts := make([]string, len(p.Measures))
	for i, m := range p.Measures {
		texts[i] = oneLine(m.Text)
	}
	var added []string
	mc := pl.p.cell(r, ColMeasures)
	if pl.p.has(ColMeasures) && r.cells[ColMeasures] != cur[ColMeasures] {
		lines := cellLines(r.cells[ColMeasures])
		if len(lines) < len(p.Measures) {
			pl.notes = append(pl.notes, fmt.Sprintf("%s: 台账列出 %d 条整改措施，YAML 中有 %d 条：没有列出的措施保留不删", mc, len(lines), len(p.Measures)))
		}
		_, seq := get(node, "measures")
		for i, l := range lines {
			if i < len(p.Measures) {
				if l != texts[i] && seq != nil && i < len(seq.Content) {
					if err := pl.doc.set(seq.Content[i], kv{key: "text", value: l, origin: mc.String()}); err != nil {
						pl.errs.add(mc, "无法修改第 %d 条整改措施：%v", i+1, err)
					}
					pl.logf("%s: 第 %d 条整改措施改为“%s”", p.ID, i+1, l)
				}
				continue
			}
			added = append(added, l)
		}
	}
	n := len(p.Measures) + len(added)
	owners := make([]string, n)
	dues := make([]string, n)
	for _, c := range []Column{ColOwner, ColDue} {
		if !pl.p.has(c) || r.cells[c] == cur[c] {
			continue
		}
		if r.cells[c] == "" {
			pl.clearPerMeasure(r, c, p, node)
			continue
		}
		vals, _ := pl.perMeasure(r, c, n)
		for i, v := range vals {
			if v == "" {
				continue
			}
			if c == ColDue {
				dues[i] = v
			} else {
				owners[i] = v
			}
		}
	}
	_, seq := get(node, "measures")
	for i, m := range p.Measures {
		if seq == nil || i >= len(seq.Content) {
			break
		}
		if owners[i] != "" && owners[i] != m.Owner {
			if err := pl.doc.set(seq.Content[i], kv{key: "owner", value: owners[i], origin: pl.p.cell(r, ColOwner).String()}); err != nil {
				pl.errs.add(pl.p.cell(r, ColOwner), "无法修改第 %d 条整改措施的责任单位：%v", i+1, err)
			}
			pl.logf("%s: 第 %d 条整改措施的责任单位改为“%s”", p.ID, i+1, owners[i])
		}
		if dues[i] != "" && dues[i] != m.Due.String() {
			if err := pl.doc.set(seq.Content[i], kv{key: "due", value: dues[i], plain: true, origin: pl.p.cell(r, ColDue).String()}); err != nil {
				pl.errs.add(pl.p.cell(r, ColDue), "无法修改第 %d 条整改措施的整改时限：%v", i+1, err)
			}
			pl.logf("%s: 第 %d 条整改措施的整改时限改为 %s", p.ID, i+1, dues[i])
		}
	}
	for j, text := range added {
		i := len(p.Measures) + j
		if err := pl.doc.appendItem(node, "measures", measureKVs(text, owners[i], dues[i], r, pl.p), mc.String()); err != nil {
			pl.errs.add(mc, "无法添加整改措施：%v", err)
		}
		pl.logf("%s: 新增第 %d 条整改措施“%s”", p.ID, i+1, text)
	}
}

// clearPerMeasure removes every measure's owner or due date: the staff
// emptied a cell that the ledger had filled.
func (pl *planner) clearPerMeasure(r ledgerRow, c Column, p *model.Problem, node *yaml.Node) {
	key, what := "owner", "责任单位"
	if c == ColDue {
		key, what = "due", "整改时限"
	}
	cc := pl.p.cell(r, c)
	_, seq := get(node, "measures")
	for i, m := range p.Measures {
		if seq == nil || i >= len(seq.Content) {
			break
		}
		if key == "owner" && m.Owner == "" || key == "due" && m.Due.IsZero() {
			continue
		}
		if err := pl.doc.unset(seq.Content[i], key, cc.String()); err != nil {
			pl.errs.add(cc, "无法清空第 %d 条整改措施的%s：%v", i+1, what, err)
			continue
		}
		pl.logf("%s: 第 %d 条整改措施的%s已清空", p.ID, i+1, what)
	}
}

func measureKVs(text, owner, due string, r ledgerRow, p *parsed) []kv {
	m := []kv{{key: "text", value: text, origin: p.cell(r, ColMeasures).String()}}
	if owner != "" {
		m = append(m, kv{key: "owner", value: owner, origin: p.cell(r, ColOwner).String()})
	}
	if due != "" {
		m = append(m, kv{key: "due", value: due, plain: true, origin: p.cell(r, ColDue).String()})
	}
	return m
}

// newProblem adds a row without 问题编号 as a new problem with the next
// free id.
func (pl *planner) newProblem(r ledgerRow) {
	target, tok := pl.newTarget(r)
	ok := tok
	if r.cells[ColTitle] == "" {
		pl.errs.add(pl.p.cell(r, ColTitle), "新问题（问题编号为空）需要填写问题")
		ok = false
	}
	st, sok := pl.newStatus(r)
	ok = ok && sok
	var hist []kv
	if ok {
		hist, ok = pl.newHistory(r, st)
	}
	lines := cellLines(r.cells[ColMeasures])
	owners, ook := pl.newPerMeasure(r, ColOwner, len(lines))
	dues, dok := pl.newPerMeasure(r, ColDue, len(lines))
	if !ok || !ook || !dok {
		return
	}
	id := pl.nextID()
	ic := pl.p.cell(r, ColID)
	item := []kv{
		{key: "id", value: id, origin: ic.String()},
		{key: "target", value: target, origin: pl.p.cell(r, ColTarget).String()},
	}
	if r.cells[ColCategory] != "" {
		item = append(item, kv{key: "category", value: r.cells[ColCategory], origin: pl.p.cell(r, ColCategory).String()})
	}
	sc := pl.p.cell(r, ColStatus)
	item = append(item,
		kv{key: "title", value: r.cells[ColTitle], origin: pl.p.cell(r, ColTitle).String()},
		kv{key: "status", value: string(st), plain: true, origin: sc.String()})
	if len(lines) > 0 {
		var ms [][]kv
		for i, l := range lines {
			o, d := "", ""
			if owners != nil {
				o = owners[i]
			}
			if dues != nil {
				d = dues[i]
			}
			ms = append(ms, measureKVs(l, o, d, r, pl.p))
		}
		item = append(item, kv{key: "measures", items: ms, origin: pl.p.cell(r, ColMeasures).String()})
	}
	if hist != nil {
		item = append(item, kv{key: "history", items: [][]kv{hist}, origin: sc.String()})
	}
	if err := pl.doc.appendItem(pl.doc.root, "problems", item, ic.String()); err != nil {
		pl.errs.add(ic, "无法添加新问题：%v", err)
		return
	}
	pl.added = append(pl.added, id)
	pl.logf("%s: 新问题（第 %d 行）“%s”，%s", id, r.row, r.cells[ColTitle], statusLabel(st))
}

// newTarget is the id of a new problem's 被巡察单位, given by name or id.
func (pl *planner) newTarget(r ledgerRow) (string, bool) {
	tc := pl.p.cell(r, ColTarget)
	name := r.cells[ColTarget]
	if name == "" {
		pl.errs.add(tc, "新问题（问题编号为空）需要填写被巡察单位")
		return "", false
	}
	var names []string
	for _, t := range pl.round.Targets {
		if t.Name == name || t.ID == name {
			return t.ID, true
		}
		names = append(names, t.Name)
	}
	pl.errs.add(tc, "被巡察单位 %q 不是本轮的被巡察单位（可选：%s）", name, strings.Join(names, "、"))
	return "", false
}

// newStatus is a new problem's status: 待整改 when its cell is empty.
func (pl *planner) newStatus(r ledgerRow) (model.Status, bool) {
	if r.cells[ColStatus] == "" {
		return model.Pending, true
	}
	st, valid := parseStatus(r.cells[ColStatus])
	if !valid {
		pl.errs.add(pl.p.cell(r, ColStatus), "状态 %q 不是有效状态（可选：%s）", r.cells[ColStatus], strings.Join(statusChoices(), "、"))
	}
	return st, valid
}

// newHistory is the first history entry of a new problem that is not
// pending or has a completion date: none for a plain pending one.
func (pl *planner) newHistory(r ledgerRow, st model.Status) ([]kv, bool) {
	if st == model.Pending && r.cells[ColDone] == "" {
		return nil, true
	}
	sc := pl.p.cell(r, ColStatus)
	date, dc, ok := pl.changeDate(r, sc, "", statusLabel(st))
	if !ok {
		return nil, false
	}
	hist := []kv{{key: "date", value: date.String(), plain: true, origin: dc.String()}, {key: "status", value: string(st), plain: true, origin: sc.String()}}
	if r.cells[ColNote] != "" {
		hist = append(hist, kv{key: "note", value: r.cells[ColNote], origin: pl.p.cell(r, ColNote).String()})
	}
	return hist, true
}

// newPerMeasure reads a new problem's owner or due cell: nil when empty.
func (pl *planner) newPerMeasure(r ledgerRow, c Column, measures int) ([]string, bool) {
	if r.cells[c] == "" {
		return nil, true
	}
	return pl.perMeasure(r, c, measures)
}

// perMeasure splits an owner or due cell into one value per measure (one
// line for all, or one numbered line each); dates are read as dates. It
// reports at the cell what it cannot read: a cell with no measures to
// belong to, lines that do not match the measures (vals nil), a bad date
// (that value left empty).
func (pl *planner) perMeasure(r ledgerRow, c Column, measures int) (vals []string, ok bool) {
	cc := pl.p.cell(r, c)
	if measures == 0 {
		pl.errs.add(cc, "这个问题没有整改措施，%s无处记录：请先在“整改措施”中写明措施", c)
		return nil, false
	}
	vals, ok = perMeasureLines(r.cells[c], measures)
	if !ok {
		pl.errs.add(cc, "%s 的行数与整改措施（%d 条）对不上：写一行（适用于全部措施），或每条措施一行并编号“1. ”“2. ”", c, measures)
		return nil, false
	}
	if c != ColDue {
		return vals, true
	}
	for i, v := range vals {
		if v == "" {
			continue
		}
		d, err := parseDate(v, pl.p.sheet.date1904)
		if err != nil {
			pl.errs.add(cc, "整改时限 %v", err)
			vals[i], ok = "", false
			continue
		}
		vals[i] = d.String()
	}
	return vals, ok
}

func (pl *planner) logf(format string, args ...any) {
	pl.log = append(pl.log, fmt.Sprintf(format, args...))
}

var idNumRE = regexp.MustCompile(`^([a-z0-9-]*?)(\d+)$`)

// nextID is the next free id in the round's numbering: after p017 comes
// p018 (the prefix and width of the last numbered id), else p001, p002 …
func (pl *planner) nextID() string {
	prefix, width, n := "p", 3, 0
	for _, p := range pl.round.Problems {
		if m := idNumRE.FindStringSubmatch(p.ID); m != nil {
			prefix, width = m[1], len(m[2])
		}
	}
	for _, p := range pl.round.Problems {
		if m := idNumRE.FindStringSubmatch(p.ID); m != nil && m[1] == prefix {
			v, _ := strconv.Atoi(m[2])
			n = max(n, v)
		}
	}
	for {
		n++
		id := fmt.Sprintf("%s%0*d", prefix, width, n)
		if !pl.taken[id] {
			pl.taken[id] = true
			return id
		}
	}
}
