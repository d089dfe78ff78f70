package changes

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/xuncha/bulletin/generator/internal/check"
	"github.com/xuncha/bulletin/generator/internal/model"
)

// side checks the records of files (path under data/ → content) at asOf.
func side(t *testing.T, label, asOf string, files map[string]string) Side {
	t.Helper()
	fsys := fstest.MapFS{}
	for p, c := range files {
		fsys[p] = &fstest.MapFile{Data: []byte(c)}
	}
	d, err := model.ParseDate(asOf)
	if err != nil {
		t.Fatal(err)
	}
	c, errs := check.Records(check.Source{FS: fsys, Display: "data", AsOf: d})
	if len(errs) > 0 {
		t.Fatalf("%s: %v", label, errs)
	}
	return Side{Label: label, Data: c.Data, Calendar: c.Calendar}
}

const site = "title: 巡察整改公开\nbase_url: https://example.org/\n"

// round renders a round file with the given problems (YAML items).
func round(problems ...string) string {
	return "id: r1\nnumber: 1\ntitle: 第一轮巡察\nfeedback: 2024-03-01\n" +
		"targets:\n  - id: t1\n    name: 某局党组\n  - id: t2\n    name: 某镇党委\n    visibility: internal\n" +
		"problems:\n" + strings.Join(problems, "")
}

// problem renders one problem item of target t1 (an extra "target: …"
// line replaces it); extra lines are indented by four spaces.
func problem(id, status string, extra ...string) string {
	target := "t1"
	var rest string
	for _, e := range extra {
		if t, ok := strings.CutPrefix(e, "target: "); ok {
			target = t
			continue
		}
		rest += "    " + e + "\n"
	}
	return fmt.Sprintf("  - id: %s\n    target: %s\n    title: 问题%s\n    status: %s\n", id, target, id, status) + rest
}

func files(rounds ...string) map[string]string {
	m := map[string]string{"site.yaml": site, "qu/district.yaml": "id: qu\nname: 某区\n"}
	if len(rounds) > 0 {
		m["qu/rounds/r1.yaml"] = rounds[0]
	}
	return m
}

func ids(ps []Problem) string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Problem)
	}
	return strings.Join(out, ",")
}

func TestCompare(t *testing.T) {
	hist := func(entries ...string) string { return "history:\n" + strings.Join(entries, "") }
	entry := func(date, status, note string) string {
		s := fmt.Sprintf("      - date: %s\n        status: %s\n", date, status)
		if note != "" {
			s += "        note: " + note + "\n"
		}
		return s
	}
	tests := []struct {
		name             string
		oldAsOf, newAsOf string
		old, new         map[string]string
		want             map[string]string // list name → problem ids
		guard            []string          // file suffix:line:col: message prefix
	}{
		{name: "nothing changed", oldAsOf: "2024-04-01", newAsOf: "2024-04-01",
			old: files(round(problem("p1", "pending"))), new: files(round(problem("p1", "pending"))),
			want: map[string]string{}},
		{name: "opened, internal too", oldAsOf: "2024-04-01", newAsOf: "2024-04-01",
			old:  files(round(problem("p1", "pending"))),
			new:  files(round(problem("p1", "pending"), problem("p2", "in_progress"), problem("p3", "pending", "visibility: internal"))),
			want: map[string]string{"opened": "p2,p3"}},
		{name: "rectified and closed", oldAsOf: "2024-04-01", newAsOf: "2024-04-10",
			old:  files(round(problem("p1", "in_progress"), problem("p2", "rectified"), problem("p3", "pending"))),
			new:  files(round(problem("p1", "rectified"), problem("p2", "closed"), problem("p3", "closed"))),
			want: map[string]string{"rectified": "p1", "closed": "p2,p3"}},
		{name: "reopened with a reason", oldAsOf: "2024-04-01", newAsOf: "2024-04-10",
			old:  files(round(problem("p1", "rectified", hist(entry("2024-03-20", "rectified", "报送整改报告"))))),
			new:  files(round(problem("p1", "in_progress", hist(entry("2024-03-20", "rectified", "报送整改报告"), entry("2024-04-05", "in_progress", "回访发现未完成"))))),
			want: map[string]string{"reopened": "p1"}},
		{name: "reopened without a word", oldAsOf: "2024-04-01", newAsOf: "2024-04-10",
			old:   files(round(problem("p1", "rectified"))),
			new:   files(round(problem("p1", "in_progress"))),
			want:  map[string]string{"reopened": "p1", "unexplained": "p1"},
			guard: []string{`r1.yaml:15:13: problem "p1" of round "r1": status moved back from rectified to in_progress without a new history entry saying why`}},
		{name: "closed back to rectified, new entry without a note", oldAsOf: "2024-04-01", newAsOf: "2024-04-10",
			old:   files(round(problem("p1", "closed", hist(entry("2024-03-20", "closed", "销号"))))),
			new:   files(round(problem("p1", "rectified", hist(entry("2024-03-20", "closed", "销号"), entry("2024-04-02", "rectified", ""))))),
			want:  map[string]string{"unexplained": "p1"},
			guard: []string{`r1.yaml:15:13: problem "p1" of round "r1": status moved back from closed to rectified`}},
		{name: "rectified to long_term counts as moving back", oldAsOf: "2024-04-01", newAsOf: "2024-04-10",
			old:   files(round(problem("p1", "rectified"))),
			new:   files(round(problem("p1", "long_term"))),
			want:  map[string]string{"unexplained": "p1"},
			guard: []string{`r1.yaml:15:13: problem "p1" of round "r1": status moved back from rectified to long_term`}},
		{name: "newly overdue as as_of moves on", oldAsOf: "2024-05-01", newAsOf: "2024-07-01",
			old:  files(round(problem("p1", "in_progress"), problem("p2", "pending", "due: 2024-04-01"), problem("p3", "rectified"))),
			new:  files(round(problem("p1", "in_progress"), problem("p2", "pending", "due: 2024-04-01"), problem("p3", "rectified"), problem("p4", "pending"))),
			want: map[string]string{"newly_overdue": "p1,p4", "opened": "p4"}},
		{name: "extended", oldAsOf: "2024-05-01", newAsOf: "2024-05-02",
			old:  files(round(problem("p1", "in_progress"))),
			new:  files(round(problem("p1", "in_progress", "extensions:", "  - approved: 2024-05-02", "    due: 2024-08-31", "    reason: 需表决"))),
			want: map[string]string{"extended": "p1"}},
		{name: "removed from a round file", oldAsOf: "2024-04-01", newAsOf: "2024-04-01",
			old:   files(round(problem("p1", "pending"), problem("p2", "pending"))),
			new:   files(round(problem("p2", "pending"))),
			want:  map[string]string{"removed": "p1"},
			guard: []string{`data/qu/rounds/r1.yaml:1:1: problem "p1" of round "r1" was removed; problems are never deleted (整改不到位，问题不销号): set its status instead`}},
		{name: "round file deleted", oldAsOf: "2024-04-01", newAsOf: "2024-04-01",
			old:   files(round(problem("p1", "pending"))),
			new:   files(),
			want:  map[string]string{"removed": "p1"},
			guard: []string{`data/qu/rounds/r1.yaml:1:1: problem "p1" of round "r1" was removed`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := side(t, "old", tt.oldAsOf, tt.old)
			new := side(t, "new", tt.newAsOf, tt.new)
			r := Compare(old, new)
			got := map[string]string{}
			for name, l := range map[string][]Problem{
				"opened": r.Opened, "rectified": r.Rectified, "closed": r.Closed, "reopened": r.Reopened,
				"newly_overdue": r.NewlyOverdue, "extended": r.Extended, "unexplained": r.Unexplained, "removed": r.Removed,
			} {
				if len(l) > 0 {
					got[name] = ids(l)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("lists\n got %v\nwant %v", got, tt.want)
			}
			if (len(tt.want) == 0) != r.Empty() && !r.Overall.Changed() {
				t.Errorf("Empty() = %v", r.Empty())
			}
			errs := Guard(old.Data, new.Data)
			if len(errs) != len(tt.guard) {
				t.Fatalf("guard: %d errors, want %d: %v", len(errs), len(tt.guard), errs)
			}
			for i, w := range tt.guard {
				if !strings.Contains(errs[i].Error(), w) {
					t.Errorf("guard error\n got %s\nwant …%s", errs[i], w)
				}
			}
		})
	}
}

func TestCompareDetails(t *testing.T) {
	old := side(t, "abc1234", "2024-04-01", files(round(problem("p1", "in_progress"), problem("p2", "pending"))))
	newFiles := files(round(
		problem("p1", "rectified", "extensions:", "  - approved: 2024-03-20", "    due: 2024-09-30"),
		problem("p2", "pending"),
		problem("p3", "pending", "target: t2"), // an internal target: internal problem
	))
	newFiles["zhen/district.yaml"] = "id: zhen\nname: 某镇\n"
	new := side(t, "working tree", "2024-04-02", newFiles)
	r := Compare(old, new)

	if r.From.AsOf != "2024-04-01" || r.To.Label != "working tree" || r.BaseURL != "https://example.org/" {
		t.Errorf("header %+v %+v %q", r.From, r.To, r.BaseURL)
	}
	if *r.Overall.Before.Found != 2 || *r.Overall.After.Found != 3 || r.Overall.After.RateText != "33.3%" || *r.Overall.Before.Rate != 0 {
		t.Errorf("overall %+v → %+v", r.Overall.Before, r.Overall.After)
	}
	if len(r.Districts) != 2 || r.Districts[1].ID != "zhen" || r.Districts[1].Before != nil || r.Districts[1].After == nil {
		t.Errorf("districts %+v", r.Districts)
	}
	rect := r.Rectified[0]
	if rect.URL != "https://example.org/qu/r1/p1/" || rect.From != "in_progress" || rect.To != "rectified" ||
		rect.DistrictName != "某区" || rect.Due != "2024-09-30" {
		t.Errorf("rectified item %+v", rect)
	}
	if len(r.Extended) != 1 || r.Extended[0].PrevDue != "2024-06-01" {
		t.Errorf("extended %+v", r.Extended)
	}
	opened := r.Opened[0]
	if !opened.Internal || opened.URL != "" {
		t.Errorf("internal item %+v", opened)
	}
}

func TestMarkdown(t *testing.T) {
	old := side(t, "abc1234", "2024-04-01", files(round(
		problem("p1", "in_progress"), problem("p2", "rectified"), problem("gone", "pending"))))
	new := side(t, "working tree", "2024-04-02", files(round(
		problem("p1", "rectified"), problem("p2", "in_progress"),
		"  - id: p4\n    target: t1\n    title: \"标题含 *星号* 与 [链接](http://x) <b>|</b>\"\n    status: pending\n",
		problem("p5", "pending", "target: t2"))))
	// The public edition, what CI posts: the internal problem p5 is counted,
	// never named, linked or id'd.
	got := Compare(old, new).Public().Markdown()
	want := Marker + `
## 数据变更报告（Data changes）

对比 ` + "`abc1234`" + `（截至 2024-04-01）→ ` + "`working tree`" + `（截至 2024-04-02）。

### 整改完成率（Rectification rate）

| 区县 (District) | 发现 (Found) | 已整改 (Rectified) | 完成率 (Rate) | 逾期 (Overdue) |
|---|---:|---:|---:|---:|
| [某区](https://example.org/qu/) | 3 → 4 | 1 | 33.3% → 25.0% | 0 |
| **合计 (Overall)** | 3 → 4 | 1 | 33.3% → 25.0% | 0 |

### ⚠️ 问题被删除（Removed: problems are never deleted, 整改不到位，问题不销号） · 1

- 问题gone — 某区 · ` + "`r1` · `gone`" + `：原状态 (was) 未整改 (pending)

### ⚠️ 状态回退且未说明原因（Status moved back without a history entry saying why） · 1

- [问题p2](https://example.org/qu/r1/p2/) — 某区 · ` + "`r1` · `p2`" + `：已完成整改 (rectified) → 整改中 (in_progress)

### 新增问题（Opened） · 2

- [标题含 \*星号\* 与 \[链接\]\(http://x\) \<b\>\|\</b\>](https://example.org/qu/r1/p4/) — 某区 · ` + "`r1` · `p4`" + `：未整改 (pending)
- 另有 1 个内部问题新增 (opened)（1 internal, not named in the public edition）

### 已完成整改（Rectified） · 1

- [问题p1](https://example.org/qu/r1/p1/) — 某区 · ` + "`r1` · `p1`" + `：整改中 (in_progress) → 已完成整改 (rectified)

### 重新打开（Reopened） · 1

- [问题p2](https://example.org/qu/r1/p2/) — 某区 · ` + "`r1` · `p2`" + `：已完成整改 (rectified) → 整改中 (in_progress)
`
	if got != want {
		t.Errorf("markdown\n got:\n%s\nwant:\n%s", got, want)
	}
	// The internal edition names it, and says it must not go out.
	internal := Compare(old, new).Markdown()
	for _, s := range []string{"- 问题p5 🔒内部 (internal) — 某区 · `r1` · `p5`：未整改 (pending)", "🔒 内部版"} {
		if !strings.Contains(internal, s) {
			t.Errorf("internal edition lacks %q:\n%s", s, internal)
		}
	}

	same := Compare(old, old)
	if md := same.Markdown(); !strings.Contains(md, "No changes to problems or figures") || strings.Contains(md, "###") {
		t.Errorf("an empty report:\n%s", md)
	}
}

func TestMarkdownCapsLists(t *testing.T) {
	var ps []string
	for i := range MaxListed + 5 {
		ps = append(ps, problem(fmt.Sprintf("p%02d", i), "pending"))
	}
	old := side(t, "a", "2024-04-01", files(round(problem("x", "pending"))))
	new := side(t, "b", "2024-04-01", files(round(append([]string{problem("x", "pending")}, ps...)...)))
	md := Compare(old, new).Markdown()
	if n := strings.Count(md, "\n- "); n != MaxListed+1 || !strings.Contains(md, "…以及另外 5 个（and 5 more") {
		t.Errorf("%d list lines:\n%s", n, md)
	}
}

func TestJSON(t *testing.T) {
	old := side(t, "a", "2024-04-01", files(round(problem("p1", "pending"))))
	new := side(t, "b", "2024-04-01", files(round(problem("p1", "rectified"))))
	r := Compare(old, new)
	b, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	again, _ := Compare(old, new).JSON()
	if string(b) != string(again) {
		t.Error("JSON is not deterministic")
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"from", "to", "base_url", "overall", "districts", "opened", "rectified", "closed", "reopened",
		"newly_overdue", "extended", "unexplained", "removed"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	if l := m["opened"].([]any); len(l) != 0 {
		t.Errorf("opened = %v, want []", l)
	}
	if strings.Contains(string(b), `"Pos"`) || !strings.Contains(string(b), `"url": "https://example.org/qu/r1/p1/"`) {
		t.Errorf("JSON:\n%s", b)
	}
}

// TestCompareLeavesItsInputs: Compare reads both sides and changes neither
// (an internal target's problems stay as check left them).
func TestCompareLeavesItsInputs(t *testing.T) {
	oldFiles := files(round(problem("p1", "pending"), problem("p2", "pending", "target: t2")))
	newFiles := files(round(problem("p1", "rectified"), problem("p2", "closed", "target: t2")))
	old, new := side(t, "old", "2024-04-01", oldFiles), side(t, "new", "2024-04-10", newFiles)
	Compare(old, new)
	if !reflect.DeepEqual(old, side(t, "old", "2024-04-01", oldFiles)) || !reflect.DeepEqual(new, side(t, "new", "2024-04-10", newFiles)) {
		t.Error("Compare modified the records it compared")
	}
}
