package changes

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/xuncha/bulletin/generator/internal/model"
	"strconv"
	"strings"
)

// Marker is the first line of the Markdown report: CI finds its earlier
// comment on a pull request by it and updates it instead of adding one.
const Marker = "<!-- bulletin-data-diff -->"

// MaxListed is how many problems each list of the Markdown report shows; the
// rest are counted (a pull-request comment holds at most 65,536 characters;
// the JSON report lists everything).
const MaxListed = 40

// statusText names a status as the site does, with the status as written.
func statusText(s string) string {
	if s == "" {
		return "—"
	}
	if l, ok := model.StatusLabels[model.Status(s)]; ok {
		return l.Zh + " (" + s + ")"
	}
	return s
}

// Empty reports whether nothing a reader would notice changed.
func (r *Report) Empty() bool {
	if r.Overall.Changed() {
		return false
	}
	for _, d := range r.Districts {
		if d.Changed() {
			return false
		}
	}
	for _, l := range r.lists() {
		if len(l.items) > 0 || l.internal > 0 {
			return false
		}
	}
	return true
}

type list struct {
	heading  string
	warn     bool
	items    []Problem
	detail   func(Problem) string
	internal int    // internal problems counted, not listed (public edition)
	what     string // what happened to them: "已整改" in "另有 2 个内部问题已整改"
}

func (r *Report) lists() []list {
	move := func(p Problem) string { return statusText(p.From) + " → " + statusText(p.To) }
	in := r.Internal
	if in == nil {
		in = &InternalCounts{}
	}
	return []list{
		{"问题被删除（Removed: problems are never deleted, 整改不到位，问题不销号）", true, r.Removed,
			func(p Problem) string { return "原状态 (was) " + statusText(p.From) }, in.Removed, "被删除 (removed)"},
		{"状态回退且未说明原因（Status moved back without a history entry saying why）", true, r.Unexplained, move,
			in.Unexplained, "状态回退且未说明原因 (moved back without a reason)"},
		{"新增问题（Opened）", false, r.Opened, func(p Problem) string { return statusText(p.To) }, in.Opened, "新增 (opened)"},
		{"已完成整改（Rectified）", false, r.Rectified, move, in.Rectified, "已整改 (rectified)"},
		{"已销号（Closed）", false, r.Closed, move, in.Closed, "已销号 (closed)"},
		{"重新打开（Reopened）", false, r.Reopened, move, in.Reopened, "重新打开 (reopened)"},
		{"新逾期（Newly overdue）", false, r.NewlyOverdue, func(p Problem) string {
			return statusText(p.To) + "，应于 " + p.Due + " 前完成 (due)"
		}, in.NewlyOverdue, "新逾期 (newly overdue)"},
		{"批准延期（Extended）", false, r.Extended, func(p Problem) string {
			return "期限 (due) " + orDash(p.PrevDue) + " → " + orDash(p.Due)
		}, in.Extended, "批准延期 (extended)"},
	}
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// Markdown renders the report for a pull-request comment.
func (r *Report) Markdown() string {
	var b strings.Builder
	b.WriteString(Marker + "\n")
	b.WriteString("## 数据变更报告（Data changes）\n\n")
	fmt.Fprintf(&b, "对比 %s（截至 %s）→ %s（截至 %s）。\n\n", code(r.From.Label), orDash(r.From.AsOf), code(r.To.Label), orDash(r.To.AsOf))
	if !r.Edition.Public() {
		b.WriteString("🔒 内部版，列出内部问题：不得外传，不得贴到公开的地方（Internal edition: names internal problems; never post it where the public can read it）。\n\n")
	}
	if r.Empty() {
		b.WriteString("没有影响问题或数字的变更（No changes to problems or figures）。\n")
		return b.String()
	}

	b.WriteString("### 整改完成率（Rectification rate）\n\n")
	b.WriteString("| 区县 (District) | 发现 (Found) | 已整改 (Rectified) | 完成率 (Rate) | 逾期 (Overdue) |\n")
	b.WriteString("|---|---:|---:|---:|---:|\n")
	unchanged := 0
	for _, d := range r.Districts {
		if !d.Changed() {
			unchanged++
			continue
		}
		name := escape(d.Name)
		if d.After != nil && r.BaseURL != "" {
			name = "[" + name + "](" + r.BaseURL + d.URL + ")"
		}
		b.WriteString(row(name, d.Figures))
	}
	b.WriteString(row("**合计 (Overall)**", r.Overall))
	if unchanged > 0 {
		fmt.Fprintf(&b, "\n其余 %d 个区县的数字没有变化（%d other districts unchanged）。\n", unchanged, unchanged)
	}

	for _, l := range r.lists() {
		if len(l.items) == 0 && l.internal == 0 {
			continue
		}
		mark := ""
		if l.warn {
			mark = "⚠️ "
		}
		fmt.Fprintf(&b, "\n### %s%s · %d\n\n", mark, l.heading, len(l.items)+l.internal)
		for i, p := range l.items {
			if i == MaxListed {
				fmt.Fprintf(&b, "- …以及另外 %d 个（and %d more: see the JSON report）\n", len(l.items)-i, len(l.items)-i)
				break
			}
			fmt.Fprintf(&b, "- %s — %s · %s · %s：%s\n", problemLink(p), escape(p.DistrictName), code(p.Round), code(p.Problem), l.detail(p))
		}
		if l.internal > 0 {
			fmt.Fprintf(&b, "- 另有 %d 个内部问题%s（%d internal, not named in the public edition）\n", l.internal, l.what, l.internal)
		}
	}
	return b.String()
}

func row(name string, f Figures) string {
	cell := func(get func(*Totals) string) string {
		before, after := "—", "—"
		if f.Before != nil {
			before = get(f.Before)
		}
		if f.After != nil {
			after = get(f.After)
		}
		if before == after {
			return after
		}
		return before + " → " + after
	}
	return fmt.Sprintf("| %s | %s | %s | %s | %s |\n", name,
		cell(func(t *Totals) string { return orUnknown(t.Found) }),
		cell(func(t *Totals) string { return orUnknown(t.Rectified) }),
		cell(func(t *Totals) string {
			if t.RateText == "" {
				return "无法计算"
			}
			return t.RateText
		}),
		cell(func(t *Totals) string { return orUnknown(t.Overdue) }))
}

func problemLink(p Problem) string {
	title := escape(p.Title)
	if title == "" {
		title = code(p.Problem)
	}
	switch {
	case p.Internal:
		return title + " 🔒内部 (internal)"
	case p.URL != "" && p.To != "":
		return "[" + title + "](" + p.URL + ")"
	}
	return title
}

// code quotes text as inline code.
func code(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if strings.Contains(s, "`") {
		return "`` " + s + " ``"
	}
	return "`" + s + "`"
}

// escape makes record text inert in Markdown: no emphasis, links, HTML or
// table cells, on one line.
func escape(s string) string {
	var b strings.Builder
	for _, r := range strings.Join(strings.Fields(s), " ") {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '~', '#', '!', '(', ')':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '&':
			b.WriteString("&amp;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// JSON renders the report as indented JSON; empty lists are [].
func (r *Report) JSON() ([]byte, error) {
	c := *r
	for _, l := range []*[]Problem{&c.Opened, &c.Rectified, &c.Closed, &c.Reopened, &c.NewlyOverdue, &c.Extended, &c.Unexplained, &c.Removed} {
		if *l == nil {
			*l = []Problem{}
		}
	}
	if c.Districts == nil {
		c.Districts = []DistrictDelta{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(c); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// orUnknown writes a count, or 未公布 when it is not known.
func orUnknown(n *int) string {
	if n == nil {
		return "未公布"
	}
	return strconv.Itoa(*n)
}
