package load_test

import (
	"os"
	"reflect"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/diag"
	"github.com/xuncha/bulletin/generator/internal/load"
	"github.com/xuncha/bulletin/generator/internal/model"
	"golang.org/x/tools/txtar"
)

// loadValid loads testdata/valid.txtar and fails on any diagnostic.
func loadValid(t *testing.T) *model.Data {
	t.Helper()
	ar, err := txtar.ParseFile("testdata/valid.txtar")
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	materialise(t, root, string(txtar.Format(ar)))
	t.Chdir(root)
	d, errs := load.Load("data")
	if len(errs) > 0 {
		t.Fatalf("unexpected diagnostics:\n%v", errs)
	}
	return d
}

func eq[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v, want %#v", what, got, want)
	}
}

func date(s string) model.Date {
	d, err := model.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func pos(file string, line, col int) diag.Pos { return diag.Pos{File: file, Line: line, Col: col} }

func ptr[T any](v T) *T { return &v }

func TestValidFullExample(t *testing.T) {
	d := loadValid(t)
	eq(t, "Dir", d.Dir, "data")

	s := d.Site
	eq(t, "site.File", s.File, "data/site.yaml")
	eq(t, "site.Pos", s.Pos, pos("data/site.yaml", 1, 1))
	eq(t, "site.Title", s.Title, "巡察整改公开")
	eq(t, "site.Publisher", s.Publisher, "中共某市委巡察工作领导小组办公室")
	eq(t, "site.BaseURL", s.BaseURL, "https://example.org/bulletin/")
	eq(t, "site.AsOf", s.AsOf, date("2021-03-31"))
	eq(t, "site.Keys[as_of]", s.At("as_of"), pos("data/site.yaml", 4, 8))
	eq(t, "deadlines", [3]int{s.Deadlines.MeasuresWorkingDays, s.Deadlines.ReportMonths, s.Deadlines.DueSoonDays}, [3]int{15, 2, 7})
	eq(t, "deadlines.Pos", s.Deadlines.Pos, pos("data/site.yaml", 6, 3))
	eq(t, "deadlines.At(report_months)", s.Deadlines.At("report_months"), pos("data/site.yaml", 7, 18))
	if len(s.Calendar) != 1 {
		t.Fatalf("calendar: %d years", len(s.Calendar))
	}
	cy := s.Calendar[0]
	eq(t, "calendar.Year", cy.Year, 2027)
	eq(t, "calendar.Holidays", cy.Holidays, []model.Date{date("2027-01-01"), date("2027-02-06")})
	eq(t, "calendar.Workdays", cy.Workdays, []model.Date{date("2027-02-14")})
	eq(t, "calendar.Source.Title", cy.Source.Title, "国务院办公厅关于2027年部分节假日安排的通知")
	eq(t, "calendar.Source.URL", cy.Source.URL, "https://www.gov.cn/")
	eq(t, "calendar.Source.Date", cy.Source.Date, date("2026-11-01"))
	eq(t, "calendar.Pos", cy.Pos, pos("data/site.yaml", 10, 5))

	if len(d.Districts) != 2 {
		t.Fatalf("%d districts", len(d.Districts))
	}
	eq(t, "district order", []string{d.Districts[0].ID, d.Districts[1].ID}, []string{"chancheng", "nanhai"})
	c := d.Districts[0]
	const df = "data/chancheng/district.yaml"
	eq(t, "district.File", c.File, df)
	eq(t, "district.Dir", c.Dir, "chancheng")
	eq(t, "district.Name", c.Name, "禅城区")
	eq(t, "district.Region", c.Region, "佛山市")
	eq(t, "district.Note", c.Note, "本区数据为示例。")
	eq(t, "district.Internal", c.Internal, []model.Field{
		{Key: "contact", Value: "张三"},
		{Key: "phones", Value: `[110, "120"]`},
		{Key: "office", Value: "{floor: 3, room: 301}"},
		{Key: "empty", Value: ""},
		{Key: "text", Value: "第一行\n第二行"},
	})
	o := c.Outcomes
	eq(t, "outcomes.FundsRecovered", o.FundsRecovered.String(), "7.130") // the digits written
	eq(t, "outcomes.Extra", len(o.Extra), 2)
	eq(t, "extra 0", []string{o.Extra[0].Label, o.Extra[0].Value.String(), o.Extra[0].Unit}, []string{"党纪处分", "42", "人"})
	eq(t, "extra 1", []string{o.Extra[1].Label, o.Extra[1].Value.String(), o.Extra[1].Unit}, []string{"约谈提醒", "0", ""})
	eq(t, "outcomes counts", []*int{o.RulesMade, o.RulesImproved, o.LeadsFound, o.LeadsTransferred, o.CasesFiled,
		o.PeopleDisciplined, o.OnTheSpotFound, o.OnTheSpotFixed, o.ReviewOpinions, o.ReminderLetters,
		o.RecommendationLetters, o.UnitsRevisited, o.RevisitProblems},
		[]*int{ptr(1), ptr(2), ptr(3), ptr(4), ptr(5), ptr(6), ptr(7), ptr(8), ptr(9), ptr(10), ptr(11), ptr(12), ptr(13)})
	eq(t, "outcomes.Source.URL", o.Source.URL, "http://example.org/a")
	eq(t, "outcomes.At(cases_filed)", o.At("cases_filed"), pos(df, 19, 16))
	if len(c.Surveys) != 1 {
		t.Fatalf("%d surveys", len(c.Surveys))
	}
	sv := c.Surveys[0]
	eq(t, "survey", []any{sv.Date, sv.Title, sv.Respondents, *sv.Awareness, *sv.Approval, sv.Source.URL},
		[]any{date("2014-02-28"), "整改工作满意度抽样调查", 1371, 94.9, 97.0, "javascript:alert(1)"})
	cs := c.Common
	eq(t, "common_summary", []*int{cs.Problems, cs.Rounds, cs.SelfFound, cs.Measures, cs.Rules},
		[]*int{ptr(20), ptr(4), ptr(429), ptr(702), ptr(112)})
	eq(t, "common_summary.Source", []any{cs.Source.Title, cs.Source.URL, cs.Source.Has("url")}, []any{"中国纪检监察报", "", false})

	// Rounds: by number, then id ("special" has no number).
	var ids []string
	for _, r := range c.Rounds {
		ids = append(ids, r.ID)
		if r.District != c {
			t.Errorf("round %s: District not set", r.ID)
		}
	}
	eq(t, "round order", ids, []string{"special", "2019-r1", "2020-h1"})
	sp := c.Rounds[0]
	eq(t, "special.File", sp.File, "data/chancheng/rounds/special.yml")
	eq(t, "special.Kind", sp.Kind, model.KindSpecial)
	eq(t, "special.Number", sp.Number, 0)

	r := c.Rounds[1]
	const rf = "data/chancheng/rounds/2019-r1.yaml"
	eq(t, "round.File", r.File, rf)
	eq(t, "round.Pos", r.Pos, pos(rf, 1, 1))
	eq(t, "round", []any{r.Number, r.Kind, r.Title, r.Started, r.Ended, r.Feedback, r.TargetCount, r.Illustrative, r.Note},
		[]any{1, "regular", "区委第一轮常规巡察", date("2019-03-04"), date("2019-04-26"), date("2019-05-20"), 16, true, "**示例**说明\n"})
	eq(t, "round.Source", []string{r.Source.Title, r.Source.URL}, []string{`佛山市禅城区:巡察整改不"断档"`, "http://www.gdjct.gd.gov.cn/xunshixc/82531.jhtml"})
	eq(t, "round.Internal", r.Internal, []model.Field{{Key: "组长", Value: "李四"}})
	eq(t, "round.At(feedback)", r.At("feedback"), pos(rf, 7, 11))
	eq(t, "round.Summary", [2]int{*r.Summary.Found, *r.Summary.Rectified}, [2]int{2688, 2663})
	eq(t, "round.Summary.At(rectified)", r.Summary.At("rectified"), pos(rf, 73, 14))
	eq(t, "round.Outcomes", []any{r.Outcomes.FundsRecovered.String(), *r.Outcomes.OnTheSpotFound, *r.Outcomes.OnTheSpotFixed, r.Outcomes.CasesFiled},
		[]any{"667", 38, 22, (*int)(nil)})
	if r.Outcomes.Source != r.Source {
		t.Errorf("round outcomes without a source should default to the round's source")
	}

	if len(r.Targets) != 2 {
		t.Fatalf("%d targets", len(r.Targets))
	}
	w, ta := r.Targets[0], r.Targets[1]
	eq(t, "target water", []any{w.ID, w.Name, w.Type, w.Visibility, w.Internal},
		[]any{"water", "原区国土城建和水务局水务分党组", "department", "internal", []model.Field{{Key: "联系人", Value: "王五"}}})
	eq(t, "target defaults", []string{ta.Type, ta.Visibility}, []string{"other", "public"})
	eq(t, "target.Pos", w.Pos, pos(rf, 17, 5))

	if len(r.Problems) != 3 {
		t.Fatalf("%d problems", len(r.Problems))
	}
	p := r.Problems[0]
	if p.Round != r {
		t.Errorf("problem.Round not set")
	}
	eq(t, "problem", []any{p.ID, p.Target, p.Category, p.Title, p.Common, p.CommonRef, p.Status, p.Due, p.Visibility, p.Withheld, p.Illustrative},
		[]any{"p001", "water", "社会管理", "连接村居的污水支管配套未跟上", true, "road-projects", model.Rectified, date("2019-08-20"), "internal", "", true})
	eq(t, "problem.Description", p.Description, "部分已建管网工程未能发挥收集效益。<script>x</script>\n")
	eq(t, "problem.Pos", p.Pos, pos(rf, 25, 5))
	eq(t, "problem.At(status)", p.At("status"), pos(rf, 33, 13))
	eq(t, "problem.Measures", len(p.Measures), 2)
	eq(t, "measure 0", []any{p.Measures[0].Text, p.Measures[0].Done}, []any{"完成全区134个村小组的村级污水管网建设", date("2019-12-31")})
	eq(t, "measure 0 owner, due", []any{p.Measures[0].Owner, p.Measures[0].Due.IsZero()}, []any{"", true})
	eq(t, "measure 1", []any{p.Measures[1].Text, p.Measures[1].Done.IsZero(), p.Measures[1].Owner, p.Measures[1].Due}, []any{"建立长效机制", true, "区住房城乡建设和水利局", date("2019-11-30")})
	eq(t, "history", len(p.History), 2)
	eq(t, "history 1", []any{p.History[1].Date, p.History[1].Status, p.History[1].Note, p.History[1].Revisit},
		[]any{date("2021-03-15"), model.Rectified, "余下11个村小组污水管网建成", ""})
	eq(t, "history 1 At(status)", p.History[1].At("status"), pos(rf, 45, 17))
	eq(t, "problem.Internal", p.Internal, []model.Field{{Key: "responsible", Value: "区住房城乡建设和水利局"}})
	eq(t, "extensions", p.Extensions, []model.Extension{{Node: p.Extensions[0].Node,
		Approved: date("2019-08-10"), Due: date("2019-10-31"), Reason: "需村民代表大会表决"}})
	eq(t, "reviews", []any{p.Reviews[0].Date, p.Reviews[0].Result, p.Reviews[0].Opinion, p.Reviews[1].Result, p.Reviews[1].Opinion},
		[]any{date("2019-09-05"), "returned", "整改措施不具体", "passed", ""})
	w2 := r.Problems[1]
	eq(t, "withheld implies internal", []string{w2.Withheld, w2.Visibility}, []string{"unannounced_case", "internal"})
	if w2.Has("visibility") {
		t.Errorf("defaulted visibility must not be recorded as written")
	}
	p3 := r.Problems[2]
	eq(t, "problem defaults", []any{p3.Visibility, p3.Common, p3.Illustrative, p3.Status, p3.Due.IsZero()},
		[]any{"public", false, false, model.Closed, true})

	h := c.Rounds[2]
	eq(t, "revisit round", []any{h.Kind, h.Revisits, h.Number}, []any{"revisit", []string{"2019-r1"}, 2})
	eq(t, "revisit history", h.Problems[0].History[1].Revisit, "2020-h1")
	eq(t, "revisit outcomes source", h.Outcomes.Source.Title, "回头看通报")
	eq(t, "revisit target type", h.Targets[0].Type, "town")

	// Common problems, by id.
	if len(c.Commons) != 2 {
		t.Fatalf("%d common problems", len(c.Commons))
	}
	eq(t, "common order", []string{c.Commons[0].ID, c.Commons[1].ID}, []string{"a-first", "road-projects"})
	cp := c.Commons[1]
	const cf = "data/chancheng/common/road-projects.yaml"
	if cp.District != c {
		t.Errorf("common.District not set")
	}
	eq(t, "common", []any{cp.File, cp.Title, cp.Category, cp.Description, cp.Rounds, cp.Deadline, cp.Source.URL, cp.Illustrative},
		[]any{cf, "工程项目建设监管不严", "工程建设", "markdown", []string{"2019-r1"}, date("2019-06-30"), "https://example.org/c", false})
	eq(t, "units", len(cp.Units), 2)
	u := cp.Units[0]
	eq(t, "unit", []any{u.ID, u.Name, u.Type, u.Status, *u.SelfFound, u.Measures[0].Text, u.Measures[0].Done, u.History[0].Note},
		[]any{"gongming", "公明街道", "street", model.InProgress, 3, "自查", date("2019-06-30"), "开始自查"})
	eq(t, "unit.At(status)", u.At("status"), pos(cf, 13, 13))
	eq(t, "unit defaults", []any{cp.Units[1].Type, cp.Units[1].SelfFound}, []any{"other", (*int)(nil)})

	n := d.Districts[1]
	eq(t, "nanhai", []any{n.ID, n.Name, n.Region, n.Outcomes, n.Common, len(n.Rounds)}, []any{"nanhai", "南海区", "", (*model.Outcomes)(nil), (*model.CommonSummary)(nil), 0})
}

// TestDefaults checks the defaults of a site.yaml with only a title.
func TestDefaults(t *testing.T) {
	d, errs := loadText(t, round, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	s := d.Site
	eq(t, "deadlines", [3]int{s.Deadlines.MeasuresWorkingDays, s.Deadlines.ReportMonths, s.Deadlines.DueSoonDays}, [3]int{10, 3, 10})
	eq(t, "as_of", s.AsOf.IsZero(), true)
	eq(t, "base_url", s.BaseURL, "")
	r := d.Districts[0].Rounds[0]
	eq(t, "kind", r.Kind, model.KindRegular)
	eq(t, "outcomes", r.Outcomes, (*model.Outcomes)(nil))
}

// TestModelWithErrors checks that the model is returned, as complete as
// possible, when there are errors.
func TestModelWithErrors(t *testing.T) {
	d, errs := loadText(t, "-- data/x/rounds/r.yaml --\nid: r\ntitle: T\nnumber: x\n", func(t *testing.T, root string) {
		os.Remove(root + "/data/site.yaml")
	})
	if len(errs) != 3 {
		t.Errorf("want 3 diagnostics, got %v", errs)
	}
	if d.Site == nil || d.Site.Deadlines.ReportMonths != 3 {
		t.Errorf("site should have defaults: %+v", d.Site)
	}
	eq(t, "districts", len(d.Districts), 2)
	x := d.Districts[1]
	eq(t, "stub district", []any{x.ID, x.Dir, len(x.Rounds)}, []any{"x", "x", 1})
}
