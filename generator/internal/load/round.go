package load

import (
	"regexp"
	"strconv"

	"github.com/xuncha/bulletin/generator/internal/diag"
	"github.com/xuncha/bulletin/generator/internal/model"
)

// round loads data/<district>/rounds/<id>.yaml, or returns nil when the
// file was refused.
func (l *loader) round(d *model.District, r *ref) *model.Round {
	f, root := l.open(r)
	if l.keep(f) && f.cached.round != nil {
		return handOutRound(f.cached.round, d)
	}
	if f.stored != nil {
		if rd := f.stored.round; rd != nil {
			rd.District = d
			return rd
		}
		return nil
	}
	if root == nil {
		return nil
	}
	m := f.record(root, roundKind)
	if m == nil {
		return nil
	}
	rd := &model.Round{Node: m.node, File: r.path, InternalLines: f.spans, District: d, ID: r.stem()}
	if id, ok := m.id("id"); ok {
		rd.ID = id
		switch {
		case IsReserved(RoundLevel, id):
			f.at(m.val("id"), "round id %q is reserved: the site uses /%s/%s/ itself; choose another id and rename the file to match", id, d.ID, id)
		case id != r.stem():
			f.at(m.val("id"), "round id %q must equal the file name without .yaml, %s", id, folderHint(r.stem(), id+".yaml"))
		}
	}
	rd.Number = m.count("number")
	rd.Kind = m.enum("kind", model.RoundKinds, model.KindRegular)
	rd.Level = m.enum("level", model.RoundLevels, model.LevelCounty)
	if d := m.sub("deadlines", roundDeadlinesKind); d != nil {
		rd.Deadlines = &model.Deadlines{Node: d.node}
		if n, ok := d.whole("measures_working_days", 0, 1000); ok {
			rd.Deadlines.MeasuresWorkingDays = n
		} else {
			rd.Deadlines.DeleteKey("measures_working_days")
		}
		if n, ok := d.whole("report_months", 0, 120); ok {
			rd.Deadlines.ReportMonths = n
		} else {
			rd.Deadlines.DeleteKey("report_months")
		}
	}
	rd.Title = m.text("title")
	rd.Started = m.date("started")
	rd.Ended = m.date("ended")
	rd.Feedback = m.date("feedback")
	rd.Source = m.source("source")
	rd.Revisits = m.ids("revisits")
	rd.TargetCount = m.count("target_count")
	rd.Listing = m.enum("listing", []string{model.ListingAll, model.ListingPartial}, model.ListingAll)
	rd.Illustrative = m.boolean("illustrative")
	rd.Note = m.text("note")
	rd.Internal = m.internal("internal")
	if items := m.items("targets", targetKind); len(items) > 0 {
		rd.Targets = make([]*model.Target, 0, len(items))
		for _, t := range items {
			rd.Targets = append(rd.Targets, target(t))
		}
	}
	if items := m.items("problems", problemKind); len(items) > 0 {
		rd.Problems = make([]*model.Problem, 0, len(items))
		for _, p := range items {
			rd.Problems = append(rd.Problems, problem(rd, p))
		}
	}
	if s := m.sub("summary", summaryKind); s != nil {
		rd.Summary = summary(s)
	}
	rd.Outcomes = m.outcomes("outcomes")
	if rd.Outcomes != nil && rd.Outcomes.Source == nil {
		rd.Outcomes.Source = rd.Source // the data format's default
	}
	if l.keep(f) {
		f.cached.keep(rd, nil)
		return handOutRound(rd, d)
	}
	return rd
}

func target(t *rec) *model.Target {
	id, _ := t.id("id")
	unit, _ := t.id("unit")
	if !t.node.Has("name") && !t.node.Has("unit") {
		t.f.add(t.node.Pos.Line, t.node.Pos.Col, "target %q needs a name, or a unit of the district's units.yaml (unit: ID)", id)
	}
	return &model.Target{
		Node:       t.node,
		ID:         id,
		Unit:       unit,
		Name:       t.text("name"),
		Type:       t.enum("type", model.TargetTypes, "other"),
		Visibility: t.enum("visibility", visibilities, model.Public),
		Internal:   t.internal("internal"),
	}
}

var visibilities = []string{model.Public, model.Internal}

func problem(rd *model.Round, p *rec) *model.Problem {
	id, _ := p.id("id")
	if IsReserved(ProblemLevel, id) {
		p.f.at(p.val("id"), "problem id %s is reserved: its page would replace the round's page /%s/%s/; choose another id", diag.Value(id), rd.District.ID, rd.ID)
	}
	tgt, _ := p.id("target")
	ref, _ := p.id("common_ref")
	pr := &model.Problem{
		Node:         p.node,
		Round:        rd,
		ID:           id,
		Target:       tgt,
		Category:     p.text("category"),
		Title:        p.text("title"),
		Description:  p.text("description"),
		Common:       p.boolean("common"),
		CommonRef:    ref,
		Status:       p.status("status"),
		Due:          p.date("due"),
		Measures:     measures(p),
		History:      history(p),
		Withheld:     p.enum("withheld", model.WithheldReasons, ""),
		Internal:     p.internal("internal"),
		Illustrative: p.boolean("illustrative"),
	}
	def := model.Public
	if pr.Withheld != "" {
		def = model.Internal // withheld implies internal
	}
	pr.Visibility = p.enum("visibility", visibilities, def)
	for _, e := range p.items("extensions", extensionKind) {
		pr.Extensions = append(pr.Extensions, model.Extension{
			Node: e.node, Approved: e.date("approved"), Due: e.date("due"), Reason: e.text("reason"),
		})
	}
	for _, v := range p.items("reviews", reviewKind) {
		pr.Reviews = append(pr.Reviews, model.Review{
			Node: v.node, Date: v.date("date"), Result: v.enum("result", model.ReviewResults, ""), Opinion: v.text("opinion"),
		})
	}
	return pr
}

// measures decodes the measures of a problem or a unit.
func measures(r *rec) []model.Measure {
	items := r.items("measures", measureKind)
	if len(items) == 0 {
		return nil
	}
	out := make([]model.Measure, 0, len(items))
	for _, m := range items {
		out = append(out, model.Measure{
			Node: m.node, Text: m.text("text"), Owner: m.text("owner"), Due: m.date("due"), Done: m.date("done"),
		})
	}
	return out
}

// history decodes the history of a problem or a unit.
func history(r *rec) []model.HistoryEntry {
	items := r.items("history", historyKind)
	if len(items) == 0 {
		return nil
	}
	out := make([]model.HistoryEntry, 0, len(items))
	for _, h := range items {
		rev, _ := h.id("revisit")
		out = append(out, model.HistoryEntry{
			Node: h.node, Date: h.date("date"), Status: h.status("status"), Note: h.text("note"), Revisit: rev,
		})
	}
	return out
}

// summary decodes a round's published figures. Counts not given stay nil;
// the relations between them are checked by package validate.
func summary(s *rec) *model.Summary {
	out := &model.Summary{
		Node:          s.node,
		Found:         s.optCount("found"),
		Rectified:     s.optCount("rectified"),
		BasicallyDone: s.optCount("basically_done"),
		InProgress:    s.optCount("in_progress"),
		NotDone:       s.optCount("not_done"),
		LongTerm:      s.optCount("long_term"),
		Overdue:       s.optCount("overdue"),
		Extended:      s.optCount("extended"),
		Measures:      s.optCount("measures"),
		MeasuresDone:  s.optCount("measures_done"),
		Rate:          s.printedRate("rate"),
		Basis:         s.enum("basis", rateBases, model.BasisProblems),
		AsOf:          s.date("as_of"),
	}
	if out.Found == nil && out.Rate == "" && !s.node.Has("found") && !s.node.Has("rate") {
		s.f.add(s.node.Pos.Line, s.node.Pos.Col, "summary is missing required field %q: give found (the problems of the round), or rate when only a rate is published", "found")
	}
	return out
}

var rateBases = []string{model.BasisProblems, model.BasisMeasures}

var printedRateRE = regexp.MustCompile(`^[0-9]{1,3}(\.[0-9]{1,4})?$`)

// printedRate returns a rate as printed: a quoted string of digits with at
// most one point, 0 to 100 ("98", "98.71", "100"). A bare number is refused,
// since YAML would drop its trailing zeros ("98.70" → 98.7).
func (r *rec) printedRate(key string) string {
	v := r.scalar(key, `a rate as printed, in quotes ("98.71")`)
	if v == nil {
		return ""
	}
	if isPlain(v) {
		r.f.at(v, "%q must be quoted, exactly as printed (rate: \"%s\"), so that no digit is lost", key, v.Value)
		return ""
	}
	if !printedRateRE.MatchString(v.Value) {
		r.f.at(v, "%q must be the percentage as printed, digits with at most one point and no %% sign (\"98\", \"98.71\", \"100\"), got %s", key, describe(v))
		return ""
	}
	if x, _ := strconv.ParseFloat(v.Value, 64); x > 100 {
		r.f.at(v, "%q must be at most 100, got %s", key, v.Value)
		return ""
	}
	return v.Value
}
