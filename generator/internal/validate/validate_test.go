package validate

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/calendar"
	"github.com/xuncha/bulletin/generator/internal/decimal"
	"github.com/xuncha/bulletin/generator/internal/diag"
	"github.com/xuncha/bulletin/generator/internal/model"
)

// ---- a small builder: records with fake positions ----
//
// at(line, keys...) places a record at line:3 and its i-th key's value at
// (line+i):9. link then fills in each position's file, as the loader would:
// data/site.yaml, data/d/district.yaml, data/d/rounds/<id>.yaml,
// data/d/common/<id>.yaml.

func at(line int, keys ...string) model.Node {
	n := model.Node{Pos: diag.Pos{Line: line, Col: 3}}
	for i, k := range keys {
		n.SetKey(k, line+i, 9)
	}
	return n
}

// key adds key k, its value at line:9.
func key(n *model.Node, k string, line int) { n.SetKey(k, line, 9) }

func day(s string) model.Date {
	d, err := model.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func num(n int) *int { return &n }

// data is one district "d" with rounds and common problems, as of 2024-12-31.
func data(rounds []*model.Round, commons ...*model.CommonProblem) *model.Data {
	return &model.Data{
		Dir: "data",
		Site: &model.Site{
			Node:      at(1, "title", "as_of", "deadlines"),
			Title:     "巡察整改公开",
			AsOf:      day("2024-12-31"),
			Deadlines: model.Deadlines{Node: at(4, "measures_working_days", "report_months"), MeasuresWorkingDays: 10, ReportMonths: 3, DueSoonDays: 10},
		},
		Districts: []*model.District{{Node: at(1, "id", "name"), ID: "d", Dir: "d", Name: "禅城区", Rounds: rounds, Commons: commons}},
	}
}

// round is a regular round with dates 2019-03-04 … 2019-05-20 and the targets
// water (id at line 10) and town-a (line 13). Its keys: id 1, number 2,
// kind 3, title 4, started 5, ended 6, feedback 7, revisits 8.
func round(id string, problems ...*model.Problem) *model.Round {
	return &model.Round{
		Node:  at(1, "id", "number", "kind", "title", "started", "ended", "feedback", "revisits"),
		ID:    id,
		Kind:  model.KindRegular,
		Title: "区委第一轮常规巡察",
		Targets: []*model.Target{
			{Node: at(10, "id", "name"), ID: "water", Name: "水务分党组", Type: "department"},
			{Node: at(13, "id", "name"), ID: "town-a", Name: "甲镇", Type: "town"},
		},
		Started:  day("2019-03-04"),
		Ended:    day("2019-04-26"),
		Feedback: day("2019-05-20"),
		Problems: problems,
	}
}

func revisitRound(id string, revisits ...string) *model.Round {
	r := round(id)
	r.Kind = model.KindRevisit
	r.Revisits = revisits
	r.Started, r.Ended, r.Feedback = day("2020-03-02"), day("2020-04-10"), day("2020-05-06")
	return r
}

// problem has target water; keys: id line, target line+1, title line+2,
// status line+3.
func problem(line int, id string, status model.Status, history ...model.HistoryEntry) *model.Problem {
	return &model.Problem{
		Node:    at(line, "id", "target", "title", "status"),
		ID:      id,
		Target:  "water",
		Title:   "污水支管配套未跟上",
		Status:  status,
		History: history,
	}
}

// hist: date at line, status at line+1.
func hist(line int, date string, status model.Status) model.HistoryEntry {
	return model.HistoryEntry{Node: at(line, "date", "status"), Date: day(date), Status: status}
}

// reopen: date at line, status line+1, revisit line+2.
func reopen(line int, date string, status model.Status, revisit string) model.HistoryEntry {
	h := model.HistoryEntry{Node: at(line, "date", "status", "revisit"), Date: day(date), Status: status, Revisit: revisit}
	return h
}

// ext: approved at line, due line+1.
func ext(line int, approved, due string) model.Extension {
	return model.Extension{Node: at(line, "approved", "due", "reason"), Approved: day(approved), Due: day(due), Reason: "需村民代表大会表决"}
}

// review: date at line, result line+1.
func review(line int, date, result string) model.Review {
	return model.Review{Node: at(line, "date", "result"), Date: day(date), Result: result}
}

// measure: text at line, done line+1.
func measure(line int, done string) model.Measure {
	m := model.Measure{Node: at(line, "text", "done"), Text: "完成管网建设"}
	if done != "" {
		m.Done = day(done)
	}
	return m
}

// common is a common problem; keys: id 1, title 2, rounds 3.
func common(id string, units ...*model.CommonUnit) *model.CommonProblem {
	return &model.CommonProblem{Node: at(1, "id", "title", "rounds"), ID: id, Title: "工程项目建设监管不严", Units: units}
}

// unit: id at line, name line+1, status line+2.
func unit(line int, id string, status model.Status, history ...model.HistoryEntry) *model.CommonUnit {
	return &model.CommonUnit{Node: at(line, "id", "name", "status"), ID: id, Name: "公明街道", Type: "street", Status: status, History: history}
}

func setFile(n *model.Node, file string) {
	n.Pos.File = file // the keys' positions are in the record's file
}

// link sets every position's file and the back pointers, as the loader does.
func link(d *model.Data) {
	if s := d.Site; s != nil {
		const f = "data/site.yaml"
		setFile(&s.Node, f)
		setFile(&s.Deadlines.Node, f)
		for i := range s.Calendar {
			setFile(&s.Calendar[i].Node, f)
		}
	}
	for _, dist := range d.Districts {
		f := "data/" + dist.ID + "/district.yaml"
		setFile(&dist.Node, f)
		if dist.Outcomes != nil {
			setFile(&dist.Outcomes.Node, f)
		}
		for i := range dist.Surveys {
			setFile(&dist.Surveys[i].Node, f)
		}
		for _, r := range dist.Rounds {
			f := "data/" + dist.ID + "/rounds/" + r.ID + ".yaml"
			r.District = dist
			setFile(&r.Node, f)
			for _, t := range r.Targets {
				setFile(&t.Node, f)
			}
			if r.Summary != nil {
				setFile(&r.Summary.Node, f)
			}
			if r.Outcomes != nil {
				setFile(&r.Outcomes.Node, f)
			}
			for _, p := range r.Problems {
				p.Round = r
				setFile(&p.Node, f)
				for i := range p.Measures {
					setFile(&p.Measures[i].Node, f)
				}
				for i := range p.History {
					setFile(&p.History[i].Node, f)
				}
				for i := range p.Extensions {
					setFile(&p.Extensions[i].Node, f)
				}
				for i := range p.Reviews {
					setFile(&p.Reviews[i].Node, f)
				}
			}
		}
		for _, cp := range dist.Commons {
			f := "data/" + dist.ID + "/common/" + cp.ID + ".yaml"
			cp.District = dist
			setFile(&cp.Node, f)
			for _, u := range cp.Units {
				setFile(&u.Node, f)
				for i := range u.Measures {
					setFile(&u.Measures[i].Node, f)
				}
				for i := range u.History {
					setFile(&u.History[i].Node, f)
				}
			}
		}
	}
}

func run(d *model.Data) []string {
	link(d)
	var out []string
	for _, e := range Validate(d, calendar.New(d.Site.Calendar)) {
		out = append(out, e.Error())
	}
	slices.Sort(out)
	return out
}

func rounds(rs ...*model.Round) []*model.Round { return rs }

// ---- one case per rule ----

func TestRules(t *testing.T) {
	const r1 = "data/d/rounds/2019-r1.yaml"
	const site = "data/site.yaml"
	cases := []struct {
		name string
		data func() *model.Data
		want []string
	}{
		// Duplicate ids.
		{"duplicate target id", func() *model.Data {
			r := round("2019-r1")
			r.Targets = append(r.Targets, &model.Target{Node: at(16, "id", "name"), ID: "water", Name: "又一个"})
			return data(rounds(r))
		}, []string{r1 + `:16:9: round "2019-r1": target id "water" is listed twice (first at line 10)`}},

		{"duplicate problem id", func() *model.Data {
			return data(rounds(round("2019-r1", problem(20, "p001", model.Pending), problem(30, "p001", model.Pending))))
		}, []string{r1 + `:30:9: round "2019-r1": problem id "p001" is listed twice (first at line 20)`}},

		{"same problem id in two rounds is fine", func() *model.Data {
			return data(rounds(round("2019-r1", problem(20, "p001", model.Pending)), round("2019-r2", problem(20, "p001", model.Pending))))
		}, nil},

		{"duplicate unit id", func() *model.Data {
			return data(nil, common("road", unit(5, "gongming", model.Pending), unit(9, "gongming", model.Pending)))
		}, []string{`data/d/common/road.yaml:9:9: common problem "road": unit id "gongming" is listed twice (first at line 5)`}},

		{"duplicate calendar year", func() *model.Data {
			d := data(nil)
			d.Site.Calendar = []model.CalendarYear{
				{Node: at(10, "year", "holidays"), Year: 2027, Holidays: []model.Date{day("2027-01-01")}},
				{Node: at(14, "year", "holidays"), Year: 2027, Holidays: []model.Date{day("2027-10-01")}},
			}
			return d
		}, []string{site + `:14:9: calendar: year 2027 is listed twice (first at line 10): give one schedule per year`}},

		{"calendar days in the wrong year, on a weekday, or both off and on", func() *model.Data {
			d := data(nil)
			d.Site.Calendar = []model.CalendarYear{{
				Node:     at(10, "year", "holidays", "workdays"),
				Year:     2027,
				Holidays: []model.Date{day("2028-01-01"), day("2027-02-14")},
				Workdays: []model.Date{day("2027-02-15"), day("2027-02-14")},
			}}
			return d
		}, []string{
			site + `:12:9: calendar 2027: 2027-02-14 is listed both as a holiday and as a workday`,
			site + `:12:9: calendar 2027: workday 2027-02-15 is a Monday: list only make-up working days that fall on a weekend`,
		}},

		// References.
		{"problem target not in its round", func() *model.Data {
			p := problem(20, "p003", model.Pending)
			p.Target = "wter"
			return data(rounds(round("2019-r1", p)))
		}, []string{r1 + `:21:9: problem "p003": target "wter" is not a target of round "2019-r1" (targets: water, town-a)`}},

		{"problem target of an internal target is fine", func() *model.Data {
			r := round("2019-r1", problem(20, "p001", model.Pending))
			r.Targets[0].Visibility = model.Internal
			return data(rounds(r))
		}, nil},

		{"common_ref not a common problem of the district", func() *model.Data {
			p := problem(20, "p001", model.Pending)
			p.CommonRef = "road"
			key(&p.Node, "common_ref", 24)
			return data(rounds(round("2019-r1", p)), common("road-projects"))
		}, []string{r1 + `:24:9: problem "p001": common_ref "road" is not a common problem of district "d" (common problems: road-projects)`}},

		{"common problem rounds not rounds of the district", func() *model.Data {
			cp := common("road")
			cp.Rounds = []string{"2019-r1", "2019-r9"}
			return data(rounds(round("2019-r1")), cp)
		}, []string{`data/d/common/road.yaml:3:9: common problem "road": rounds lists "2019-r9", which is not a round of district "d" (rounds: 2019-r1)`}},

		// Summary.
		{"summary.found below the problems listed", func() *model.Data {
			r := round("2019-r1", problem(20, "p001", model.Pending), problem(30, "p002", model.Pending))
			r.Summary = &model.Summary{Node: at(40, "found", "rectified"), Found: num(1), Rectified: num(0)}
			return data(rounds(r))
		}, []string{r1 + `:40:9: round "2019-r1": summary.found 1 is less than the 2 problems listed`}},

		{"summary.rectified below the completed problems listed", func() *model.Data {
			r := round("2019-r1",
				problem(20, "p001", model.Rectified, hist(25, "2019-06-01", model.Rectified)),
				problem(30, "p002", model.Closed, hist(35, "2019-06-01", model.Closed)),
				problem(40, "p003", model.LongTerm))
			r.Summary = &model.Summary{Node: at(50, "found", "rectified"), Found: num(10), Rectified: num(1)}
			return data(rounds(r))
		}, []string{r1 + `:51:9: round "2019-r1": summary.rectified 1 is less than the 2 listed problems that are rectified or closed`}},

		{"summary.rectified above summary.found", func() *model.Data {
			r := round("2019-r1")
			r.Summary = &model.Summary{Node: at(40, "found", "rectified"), Found: num(2688), Rectified: num(2700)}
			return data(rounds(r))
		}, []string{r1 + `:41:9: round "2019-r1": summary.rectified 2700 is more than summary.found 2688`}},

		// History.
		{"history dates out of order", func() *model.Data {
			return data(rounds(round("2019-r1", problem(20, "p001", model.Rectified,
				hist(25, "2019-06-01", model.InProgress), hist(28, "2019-05-30", model.Rectified)))))
		}, []string{r1 + `:28:9: problem "p001": history date 2019-05-30 is before the previous entry's date 2019-06-01 (history is oldest first)`}},

		{"history on the same day is fine", func() *model.Data {
			return data(rounds(round("2019-r1", problem(20, "p001", model.Rectified,
				hist(25, "2019-06-01", model.InProgress), hist(28, "2019-06-01", model.Rectified)))))
		}, nil},

		{"status differs from the last history entry", func() *model.Data {
			return data(rounds(round("2019-r1", problem(20, "p001", model.Rectified,
				hist(25, "2019-05-30", model.InProgress)))))
		}, []string{r1 + `:23:9: problem "p001": status is rectified but the last history entry (2019-05-30) says in_progress: make them agree`}},

		{"history date after as_of", func() *model.Data {
			return data(rounds(round("2019-r1", problem(20, "p001", model.InProgress,
				hist(25, "2025-01-03", model.InProgress)))))
		}, []string{r1 + `:25:9: problem "p001": history date 2025-01-03 is after as_of 2024-12-31`}},

		{"measure done after as_of", func() *model.Data {
			p := problem(20, "p001", model.InProgress)
			p.Measures = []model.Measure{measure(25, "2019-06-01"), measure(27, "2025-01-03")}
			return data(rounds(round("2019-r1", p)))
		}, []string{r1 + `:28:9: problem "p001": measure done 2025-01-03 is after as_of 2024-12-31`}},

		{"review date after as_of", func() *model.Data {
			p := problem(20, "p001", model.InProgress)
			p.Reviews = []model.Review{review(25, "2025-01-03", "passed")}
			return data(rounds(round("2019-r1", p)))
		}, []string{r1 + `:25:9: problem "p001": review date 2025-01-03 is after as_of 2024-12-31`}},

		{"extension approved after as_of", func() *model.Data {
			p := problem(20, "p001", model.InProgress)
			p.Extensions = []model.Extension{ext(25, "2025-01-03", "2025-06-30")}
			return data(rounds(round("2019-r1", p)))
		}, []string{r1 + `:25:9: problem "p001": extension approved 2025-01-03 is after as_of 2024-12-31`}},

		{"survey date after as_of", func() *model.Data {
			d := data(nil)
			d.Districts[0].Surveys = []model.Survey{
				{Node: at(5, "date", "title"), Date: day("2014-02-28"), Title: "满意度测评"},
				{Node: at(9, "date", "title"), Date: day("2025-01-03"), Title: "满意度测评"},
			}
			return d
		}, []string{`data/d/district.yaml:9:9: survey date 2025-01-03 is after as_of 2024-12-31`}},

		{"unit history follows the same rules", func() *model.Data {
			u := unit(5, "gongming", model.Rectified, hist(9, "2019-07-01", model.InProgress), hist(11, "2019-06-01", model.InProgress), hist(13, "2025-02-01", model.InProgress))
			u.Measures = []model.Measure{measure(15, "2025-01-03")}
			return data(nil, common("road", u))
		}, []string{
			`data/d/common/road.yaml:11:9: unit "gongming": history date 2019-06-01 is before the previous entry's date 2019-07-01 (history is oldest first)`,
			`data/d/common/road.yaml:13:9: unit "gongming": history date 2025-02-01 is after as_of 2024-12-31`,
			`data/d/common/road.yaml:16:9: unit "gongming": measure done 2025-01-03 is after as_of 2024-12-31`,
			`data/d/common/road.yaml:7:9: unit "gongming": status is rectified but the last history entry (2025-02-01) says in_progress: make them agree`,
		}},

		// Round dates and deadlines.
		{"ended before started", func() *model.Data {
			r := round("2019-r1")
			r.Ended = day("2019-03-01")
			r.Feedback = day("2019-03-10")
			return data(rounds(r))
		}, []string{r1 + `:6:9: round "2019-r1": ended 2019-03-01 is before started 2019-03-04`}},

		{"feedback before ended", func() *model.Data {
			r := round("2019-r1")
			r.Feedback = day("2019-04-25")
			return data(rounds(r))
		}, []string{r1 + `:7:9: round "2019-r1": feedback 2019-04-25 is before ended 2019-04-26`}},

		{"feedback before started, no ended", func() *model.Data {
			r := round("2019-r1")
			r.Ended = model.Date{}
			r.Feedback = day("2019-03-01")
			return data(rounds(r))
		}, []string{r1 + `:7:9: round "2019-r1": feedback 2019-03-01 is before started 2019-03-04`}},

		{"measures deadline in a year with no calendar", func() *model.Data {
			r := round("2028-r1")
			r.Started, r.Ended, r.Feedback = day("2027-11-01"), day("2027-12-10"), day("2027-12-27")
			d := data(rounds(r))
			d.Site.AsOf = day("2028-06-30")
			return d
		}, []string{`data/d/rounds/2028-r1.yaml:7:9: round "2028-r1": the measures deadline (10 working days after feedback 2027-12-27) cannot be counted: no official holiday schedule for 2028: add it under calendar: in site.yaml`}},

		{"measures deadline with the year in site.yaml", func() *model.Data {
			r := round("2028-r1")
			r.Started, r.Ended, r.Feedback = day("2027-11-01"), day("2027-12-10"), day("2027-12-27")
			d := data(rounds(r))
			d.Site.AsOf = day("2028-06-30")
			d.Site.Calendar = []model.CalendarYear{{Node: at(10, "year", "holidays"), Year: 2028, Holidays: []model.Date{day("2028-01-03")}}}
			return d
		}, nil},

		{"a round without feedback needs no calendar", func() *model.Data {
			r := round("2027-r1")
			r.Started, r.Ended, r.Feedback = day("2027-03-01"), model.Date{}, model.Date{}
			d := data(rounds(r))
			d.Site.AsOf = day("2027-06-30")
			return d
		}, nil},

		// Visibility.
		{"withheld with visibility public", func() *model.Data {
			p := problem(20, "p001", model.Pending)
			p.Withheld, p.Visibility = "unannounced_case", model.Public
			key(&p.Node, "withheld", 24)
			key(&p.Node, "visibility", 25)
			return data(rounds(round("2019-r1", p)))
		}, []string{r1 + `:25:9: problem "p001": withheld (unannounced_case) keeps the problem out of the public edition, but visibility is public: remove visibility or set it to internal`}},

		{"withheld with the default visibility is fine", func() *model.Data {
			p := problem(20, "p001", model.Pending)
			p.Withheld, p.Visibility = "unannounced_case", model.Public // a default, not written
			key(&p.Node, "withheld", 24)
			return data(rounds(round("2019-r1", p)))
		}, nil},

		// Extensions.
		{"extensions approved out of order", func() *model.Data {
			p := problem(20, "p001", model.InProgress)
			p.Extensions = []model.Extension{ext(25, "2019-08-10", "2019-10-31"), ext(28, "2019-08-01", "2019-12-31")}
			return data(rounds(round("2019-r1", p)))
		}, []string{r1 + `:28:9: problem "p001": extension approved 2019-08-01 is before the previous extension's approval 2019-08-10 (extensions are oldest first)`}},

		{"extension due not after the problem's due", func() *model.Data {
			p := problem(20, "p001", model.InProgress)
			p.Due = day("2019-08-20")
			p.Extensions = []model.Extension{ext(25, "2019-08-10", "2019-08-20")}
			return data(rounds(round("2019-r1", p)))
		}, []string{r1 + `:26:9: problem "p001": extension due 2019-08-20 must be after the due date it replaces: 2019-08-20 (the problem's due)`}},

		{"extension due not after the report due", func() *model.Data {
			p := problem(20, "p001", model.InProgress)
			p.Extensions = []model.Extension{ext(25, "2019-08-10", "2019-08-01")}
			return data(rounds(round("2019-r1", p)))
		}, []string{r1 + `:26:9: problem "p001": extension due 2019-08-01 must be after the due date it replaces: 2019-08-20 (the report due date, 3 months after feedback 2019-05-20)`}},

		{"extension due not after the previous extension's", func() *model.Data {
			p := problem(20, "p001", model.InProgress)
			p.Extensions = []model.Extension{ext(25, "2019-08-10", "2019-10-31"), ext(28, "2019-10-20", "2019-10-15")}
			return data(rounds(round("2019-r1", p)))
		}, []string{r1 + `:29:9: problem "p001": extension due 2019-10-15 must be after the due date it replaces: 2019-10-31 (the previous extension's due)`}},

		{"extension without any due date to replace is fine", func() *model.Data {
			p := problem(20, "p001", model.InProgress)
			p.Extensions = []model.Extension{ext(25, "2019-08-10", "2019-08-01")}
			r := round("2019-r1", p)
			r.Feedback = model.Date{}
			return data(rounds(r))
		}, nil},

		// Reviews.
		{"reviews out of order", func() *model.Data {
			p := problem(20, "p001", model.InProgress)
			p.Reviews = []model.Review{review(25, "2019-09-05", "returned"), review(28, "2019-09-01", "passed")}
			return data(rounds(round("2019-r1", p)))
		}, []string{r1 + `:28:9: problem "p001": review date 2019-09-01 is before the previous review's date 2019-09-05 (reviews are oldest first)`}},

		{"completed after a return with nothing after it", func() *model.Data {
			p := problem(20, "p004", model.Rectified, hist(25, "2019-06-01", model.InProgress), hist(28, "2019-08-30", model.Rectified))
			p.Reviews = []model.Review{review(31, "2019-09-01", "passed"), review(34, "2019-09-05", "returned")}
			return data(rounds(round("2019-r1", p)))
		}, []string{r1 + `:23:9: problem "p004" is rectified but its review of 2019-09-05 returned it (二次整改): add a passed review or a later history entry`}},

		{"completed after a return, then a passed review", func() *model.Data {
			p := problem(20, "p004", model.Rectified, hist(25, "2019-08-30", model.Rectified))
			p.Reviews = []model.Review{review(31, "2019-09-05", "returned"), review(34, "2019-09-05", "passed")}
			return data(rounds(round("2019-r1", p)))
		}, nil},

		{"completed after a return, then a later history entry", func() *model.Data {
			p := problem(20, "p004", model.Closed, hist(25, "2019-08-30", model.Rectified), hist(28, "2019-09-06", model.InProgress), hist(31, "2019-10-10", model.Closed))
			p.Reviews = []model.Review{review(34, "2019-09-05", "returned")}
			return data(rounds(round("2019-r1", p)))
		}, nil},

		{"returned and still open is fine", func() *model.Data {
			p := problem(20, "p004", model.InProgress, hist(25, "2019-09-06", model.InProgress))
			p.Reviews = []model.Review{review(34, "2019-09-05", "returned")}
			return data(rounds(round("2019-r1", p)))
		}, nil},

		// Revisits.
		{"revisits on a round that is not a revisit", func() *model.Data {
			r := round("2019-r2")
			r.Revisits = []string{"2019-r1"}
			return data(rounds(round("2019-r1"), r))
		}, []string{`data/d/rounds/2019-r2.yaml:8:9: round "2019-r2": revisits is only for rounds of kind revisit, and this round is regular: set kind: revisit or remove revisits`}},

		{"revisits naming no round, itself, or twice", func() *model.Data {
			return data(rounds(round("2019-r1"), revisitRound("2020-h1", "2019-r1", "2019-r9", "2020-h1", "2019-r1")))
		}, []string{
			`data/d/rounds/2020-h1.yaml:8:9: round "2020-h1": revisits "2019-r9", which is not a round of district "d" (rounds: 2019-r1, 2020-h1)`,
			`data/d/rounds/2020-h1.yaml:8:9: round "2020-h1": revisits lists "2019-r1" twice`,
			`data/d/rounds/2020-h1.yaml:8:9: round "2020-h1": revisits lists the round itself`,
		}},

		{"reopened by a round that does not exist", func() *model.Data {
			p := problem(20, "p002", model.InProgress, hist(25, "2019-08-01", model.Rectified), reopen(28, "2020-05-10", model.InProgress, "2020-h9"))
			return data(rounds(round("2019-r1", p)))
		}, []string{r1 + `:30:9: problem "p002": history revisit "2020-h9" is not a round of district "d" (rounds: 2019-r1)`}},

		{"reopened by a round that is not a revisit", func() *model.Data {
			p := problem(20, "p002", model.InProgress, hist(25, "2019-08-01", model.Rectified), reopen(28, "2020-05-10", model.InProgress, "2019-r2"))
			return data(rounds(round("2019-r1", p), round("2019-r2")))
		}, []string{r1 + `:30:9: problem "p002": history revisit "2019-r2" is a round of kind regular, not revisit`}},

		{"reopened by a revisit of another round", func() *model.Data {
			p := problem(20, "p002", model.InProgress, hist(25, "2019-08-01", model.Rectified), reopen(28, "2020-05-10", model.InProgress, "2020-h1"))
			return data(rounds(round("2019-r1", p), round("2019-r2"), revisitRound("2020-h1", "2019-r2")))
		}, []string{r1 + `:30:9: problem "p002": history revisit "2020-h1" does not revisit round "2019-r1" (its revisits: 2019-r2)`}},

		{"reopened to a completed status", func() *model.Data {
			p := problem(20, "p002", model.Closed, hist(25, "2019-08-01", model.Rectified), reopen(28, "2020-05-10", model.Closed, "2020-h1"))
			return data(rounds(round("2019-r1", p), revisitRound("2020-h1", "2019-r1")))
		}, []string{r1 + `:29:9: problem "p002": the history entry reopened by revisit "2020-h1" must set status pending or in_progress, not closed`}},

		{"reopened but never completed", func() *model.Data {
			p := problem(20, "p002", model.InProgress, hist(25, "2019-06-01", model.InProgress), reopen(28, "2020-05-10", model.InProgress, "2020-h1"))
			return data(rounds(round("2019-r1", p), revisitRound("2020-h1", "2019-r1")))
		}, []string{r1 + `:30:9: problem "p002": reopened by revisit "2020-h1" but it was never completed`}},

		{"reopened as the first history entry", func() *model.Data {
			p := problem(20, "p002", model.InProgress, reopen(28, "2020-05-10", model.InProgress, "2020-h1"))
			return data(rounds(round("2019-r1", p), revisitRound("2020-h1", "2019-r1")))
		}, []string{r1 + `:30:9: problem "p002": reopened by revisit "2020-h1" but it was never completed`}},

		{"reopened while already open again", func() *model.Data {
			p := problem(20, "p002", model.InProgress,
				hist(25, "2019-08-01", model.Rectified),
				reopen(28, "2020-05-10", model.InProgress, "2020-h1"),
				reopen(31, "2020-06-10", model.Pending, "2020-h1"),
				hist(34, "2020-07-01", model.InProgress))
			return data(rounds(round("2019-r1", p), revisitRound("2020-h1", "2019-r1")))
		}, []string{r1 + `:33:9: problem "p002": reopened by revisit "2020-h1" but the previous history entry (2020-05-10) is in_progress, not rectified or closed`}},

		// Outcomes.
		{"round outcomes: fixed above found, transferred above found", func() *model.Data {
			r := round("2019-r1")
			r.Outcomes = &model.Outcomes{Node: at(40, "leads_found", "leads_transferred", "on_the_spot_found", "on_the_spot_fixed"),
				LeadsFound: num(109), LeadsTransferred: num(385), OnTheSpotFound: num(22), OnTheSpotFixed: num(38)}
			return data(rounds(r))
		}, []string{
			r1 + `:41:9: round "2019-r1": outcomes.leads_transferred 385 is more than outcomes.leads_found 109`,
			r1 + `:43:9: round "2019-r1": outcomes.on_the_spot_fixed 38 is more than outcomes.on_the_spot_found 22`,
		}},

		{"district outcomes", func() *model.Data {
			d := data(nil)
			d.Districts[0].Outcomes = &model.Outcomes{Node: at(5, "on_the_spot_found", "on_the_spot_fixed"), OnTheSpotFound: num(1), OnTheSpotFixed: num(2)}
			return d
		}, []string{`data/d/district.yaml:6:9: district "d": outcomes.on_the_spot_fixed 2 is more than outcomes.on_the_spot_found 1`}},

		{"outcomes with only one of a pair are fine", func() *model.Data {
			r := round("2019-r1")
			r.Outcomes = &model.Outcomes{Node: at(40, "leads_transferred", "on_the_spot_fixed"), LeadsTransferred: num(109), OnTheSpotFixed: num(22)}
			return data(rounds(r))
		}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := run(tc.data())
			want := slices.Clone(tc.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("got:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
			}
		})
	}
}

// TestAllErrors checks that one bad record does not hide another.
func TestAllErrors(t *testing.T) {
	p1 := problem(20, "p001", model.Rectified, hist(25, "2025-01-03", model.InProgress))
	p1.Target = "nope"
	p2 := problem(30, "p001", model.Pending)
	r := round("2019-r1", p1, p2)
	r.Ended = day("2019-03-01")
	r.Summary = &model.Summary{Node: at(40, "found", "rectified"), Found: num(1), Rectified: num(2)}
	got := run(data(rounds(r)))
	const f = "data/d/rounds/2019-r1.yaml"
	want := []string{
		f + `:21:9: problem "p001": target "nope" is not a target of round "2019-r1" (targets: water, town-a)`,
		f + `:23:9: problem "p001": status is rectified but the last history entry (2025-01-03) says in_progress: make them agree`,
		f + `:25:9: problem "p001": history date 2025-01-03 is after as_of 2024-12-31`,
		f + `:30:9: round "2019-r1": problem id "p001" is listed twice (first at line 20)`,
		f + `:40:9: round "2019-r1": summary.found 1 is less than the 2 problems listed`,
		f + `:41:9: round "2019-r1": summary.rectified 2 is more than summary.found 1`,
		f + `:6:9: round "2019-r1": ended 2019-03-01 is before started 2019-03-04`,
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("got:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

func TestListIsShortened(t *testing.T) {
	var ids []string
	for i := 1; i <= 12; i++ {
		ids = append(ids, fmt.Sprintf("t%02d", i))
	}
	const want = "t01, t02, t03, t04, t05, t06, t07, t08, t09, t10, … (12 in all)"
	if got := list(ids); got != want {
		t.Errorf("list = %q, want %q", got, want)
	}
	if got := list(nil); got != "none" {
		t.Errorf("list(nil) = %q, want none", got)
	}
}

// TestValidRich builds a district using every feature the right way and
// expects no error.
func TestValidRich(t *testing.T) {
	// 2019-r1: feedback 2019-05-20, report due 2019-08-20.
	sewage := problem(20, "p001", model.Rectified,
		hist(25, "2019-05-30", model.InProgress),
		hist(27, "2019-12-31", model.Rectified))
	sewage.Common, sewage.CommonRef = true, "road-projects"
	key(&sewage.Node, "common_ref", 24)
	sewage.Measures = []model.Measure{measure(29, "2019-06-30"), measure(31, "")}
	sewage.Extensions = []model.Extension{ext(33, "2019-08-10", "2019-10-31"), ext(36, "2019-10-20", "2019-12-31")}
	sewage.Reviews = []model.Review{review(39, "2019-09-05", "returned"), review(41, "2019-12-31", "passed")}

	// Returned, then a later completed history entry (二次整改 done).
	second := problem(50, "p002", model.Closed,
		hist(55, "2019-08-01", model.Rectified),
		hist(57, "2019-09-10", model.InProgress),
		hist(59, "2019-11-01", model.Closed))
	second.Target = "town-a"
	second.Reviews = []model.Review{review(61, "2019-09-05", "returned")}

	// Withheld: internal by default; its target is internal.
	withheld := problem(70, "p003", model.InProgress, hist(75, "2019-06-01", model.InProgress))
	withheld.Target = "secret"
	withheld.Withheld, withheld.Visibility = "unannounced_case", model.Internal
	key(&withheld.Node, "withheld", 74)
	withheld.Due = day("2019-07-31")
	key(&withheld.Node, "due", 75)

	// Reopened by the revisit, then rectified again.
	reopened := problem(80, "p004", model.Rectified,
		hist(85, "2019-07-01", model.Rectified),
		reopen(87, "2020-05-10", model.InProgress, "2020-h1"),
		hist(90, "2020-09-01", model.Rectified))

	longTerm := problem(95, "p005", model.LongTerm, hist(98, "2019-06-01", model.LongTerm))
	pending := problem(100, "p006", model.Pending)

	r1 := round("2019-r1", sewage, second, withheld, reopened, longTerm, pending)
	r1.Number = 1
	r1.Targets = append(r1.Targets, &model.Target{Node: at(16, "id", "name", "visibility"), ID: "secret", Name: "某单位", Visibility: model.Internal})
	r1.Summary = &model.Summary{Node: at(110, "found", "rectified"), Found: num(2688), Rectified: num(2663)}
	r1.Outcomes = &model.Outcomes{Node: at(115, "leads_found", "leads_transferred", "on_the_spot_found", "on_the_spot_fixed"),
		LeadsFound: num(385), LeadsTransferred: num(109), OnTheSpotFound: num(38), OnTheSpotFixed: num(22)}

	// 2019-r2: same problem id as in 2019-r1; no feedback yet, an extension
	// sets the first due date.
	early := problem(20, "p001", model.InProgress, hist(25, "2019-11-01", model.InProgress))
	early.Extensions = []model.Extension{ext(27, "2019-11-05", "2019-11-01")}
	r2 := round("2019-r2", early)
	r2.Number = 2
	r2.Started, r2.Ended, r2.Feedback = day("2019-10-08"), model.Date{}, model.Date{}
	r2.Summary = &model.Summary{Node: at(40, "found", "rectified"), Found: num(1), Rectified: num(0)}

	h1 := revisitRound("2020-h1", "2019-r1", "2019-r2")
	h1.Number = 3

	// A round whose measures deadline runs into 2027, given in site.yaml;
	// another that fed back on 2024-09-27 (国庆 2024).
	late := round("2026-r1")
	late.Number = 4
	late.Started, late.Ended, late.Feedback = day("2026-11-02"), day("2026-12-11"), day("2026-12-28")
	oct := round("2024-r1", problem(20, "p001", model.InProgress, hist(25, "2024-10-08", model.InProgress)))
	oct.Started, oct.Ended, oct.Feedback = day("2024-07-01"), day("2024-08-30"), day("2024-09-27")

	cp := common("road-projects",
		unit(10, "gongming", model.InProgress, hist(14, "2019-06-10", model.InProgress)),
		unit(20, "guangming", model.Rectified, hist(24, "2019-06-10", model.InProgress), hist(26, "2019-06-30", model.Rectified)))
	cp.Rounds = []string{"2019-r1", "2019-r2"}
	cp.Deadline = day("2019-07-20")
	cp.Units[0].Measures = []model.Measure{measure(16, "2019-06-30")}

	d := data(rounds(r1, r2, h1, late, oct), cp)
	d.Site.AsOf = day("2027-03-31")
	d.Site.Calendar = []model.CalendarYear{{
		Node:     at(10, "year", "holidays", "workdays"),
		Year:     2027,
		Holidays: []model.Date{day("2027-01-01"), day("2027-02-06")},
		Workdays: []model.Date{day("2027-02-14")},
	}}
	dist := d.Districts[0]
	dist.Outcomes = &model.Outcomes{Node: at(5, "funds_recovered"), FundsRecovered: new(decimal.FromInt(809))}
	dist.Surveys = []model.Survey{{Node: at(8, "date", "title"), Date: day("2014-02-28"), Title: "整改工作满意度抽样调查", Respondents: 1371}}

	if got := run(d); len(got) != 0 {
		t.Errorf("a valid model gave errors:\n\t%s", strings.Join(got, "\n\t"))
	}
}
