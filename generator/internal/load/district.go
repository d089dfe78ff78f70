package load

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/xuncha/bulletin/generator/internal/decimal"
	"github.com/xuncha/bulletin/generator/internal/diag"
	"github.com/xuncha/bulletin/generator/internal/model"
)

// district loads one district folder's district.yaml and units.yaml. When
// district.yaml is missing or refused the district has the folder name as
// its id. Its rounds and common problems are loaded by records, once every
// district's id is known.
func (l *loader) district(df *districtFiles) *model.District {
	p := l.display(df.name + "/district.yaml")
	d := &model.District{Node: model.Node{Pos: diag.Pos{File: p, Line: 1, Col: 1}}, File: p, Dir: df.name, ID: df.name}
	if df.district != nil {
		l.districtFile(d, df.district)
	}
	if df.units != nil {
		l.units(d, df.units)
	}
	return d
}

// recordFile is one round or common problem file to load, and what
// loading it gave.
type recordFile struct {
	d      *model.District
	r      *ref
	common bool
	round  *model.Round         // nil when refused
	cp     *model.CommonProblem // nil when refused
	errs   diag.List            // its diagnostics
}

// records loads the rounds and common problems of the districts ds (whose
// folders are dfs) into them: the files are read and decoded by up to
// l.cfg.workers goroutines, each file by one, into a diagnostic list of
// its own; the results are put together in file order, so that the model
// and the diagnostics are those of reading the files one after another.
func (l *loader) records(ds []*model.District, dfs []*districtFiles) {
	var files []*recordFile
	for i, df := range dfs {
		for _, r := range df.rounds {
			files = append(files, &recordFile{d: ds[i], r: r})
		}
		for _, r := range df.commons {
			files = append(files, &recordFile{d: ds[i], r: r, common: true})
		}
	}
	load := func(rf *recordFile, s *scratch) {
		fl := &loader{cfg: l.cfg, fsys: l.fsys, dir: l.dir, readable: l.readable, scratch: s}
		if l.cfg.disk != nil {
			fl.disk = &diskFile{kind: roundKind, district: rf.d.ID}
			if rf.common {
				fl.disk.kind = commonKind
			}
		}
		if rf.common {
			rf.cp = fl.common(rf.d, rf.r)
		} else {
			rf.round = fl.round(rf.d, rf.r)
		}
		rf.errs = fl.errs
		if fl.disk != nil && fl.disk.slot != nil {
			fl.disk.slot.put(&stored{round: rf.round, common: rf.cp, errs: fl.errs})
		}
	}
	workers := min(l.cfg.workers, len(files))
	if workers <= 1 {
		s := &scratch{}
		for _, rf := range files {
			load(rf, s)
		}
	} else {
		var next atomic.Int64
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				s := &scratch{}
				for i := int(next.Add(1)) - 1; i < len(files); i = int(next.Add(1)) - 1 {
					load(files[i], s)
				}
			})
		}
		wg.Wait()
	}
	for _, rf := range files {
		l.errs.Append(rf.errs)
		switch {
		case rf.round != nil:
			rf.d.Rounds = append(rf.d.Rounds, rf.round)
		case rf.cp != nil:
			rf.d.Commons = append(rf.d.Commons, rf.cp)
		}
	}
	for _, d := range ds {
		slices.SortStableFunc(d.Rounds, func(a, b *model.Round) int {
			return cmp.Or(cmp.Compare(a.Number, b.Number), cmp.Compare(a.ID, b.ID))
		})
		slices.SortStableFunc(d.Commons, func(a, b *model.CommonProblem) int { return cmp.Compare(a.ID, b.ID) })
	}
}

func (l *loader) districtFile(d *model.District, r *ref) {
	f, root := l.open(r)
	if root == nil {
		return
	}
	m := f.record(root, districtKind)
	if m == nil {
		return
	}
	d.Node = m.node
	d.InternalLines = f.spans
	if id, ok := m.id("id"); ok {
		d.ID = id
		switch {
		case IsReserved(DistrictLevel, id):
			f.at(m.val("id"), "district id %q is reserved: the site uses /%s/ itself; choose another id and rename the folder to match", id, id)
		case id != d.Dir:
			f.at(m.val("id"), "district id %q must equal its folder name %s", id, folderHint(d.Dir, id))
		}
	}
	d.Name = m.text("name")
	d.Region = m.text("region")
	d.Note = m.text("note")
	d.Illustrative = m.boolean("illustrative")
	d.Internal = m.internal("internal")
	d.Outcomes = m.outcomes("outcomes")
	for _, s := range m.items("surveys", surveyKind) {
		d.Surveys = append(d.Surveys, model.Survey{
			Node:        s.node,
			Date:        s.date("date"),
			Title:       s.text("title"),
			Respondents: s.count("respondents"),
			Awareness:   s.number("awareness", 0, 100, true),
			Approval:    s.number("approval", 0, 100, true),
			Source:      s.source("source"),
		})
	}
	if c := m.sub("common_summary", commonSummaryKind); c != nil {
		d.Common = &model.CommonSummary{
			Node:      c.node,
			Problems:  c.optCount("problems"),
			Rounds:    c.optCount("rounds"),
			SelfFound: c.optCount("self_found"),
			Measures:  c.optCount("measures"),
			Rules:     c.optCount("rules"),
			Source:    c.source("source"),
		}
	}
}

// folderHint completes "must equal its folder name" or "the file name":
// the name in quotes, or advice to rename when the name is not a valid id.
func folderHint(name, id string) string {
	if idProblem(name) != "" {
		return fmt.Sprintf("%q, which is not a valid id: rename it to %s", name, id)
	}
	return fmt.Sprintf("%q", name)
}

// maxFigure bounds a decimal outcome figure (funds_recovered is in 万元):
// more than all the money there is.
var maxFigure = decimal.FromInt(1e12)

// outcomes decodes the outcomes of a district or a round.
func (r *rec) outcomes(key string) *model.Outcomes {
	o := r.sub(key, outcomesKind)
	if o == nil {
		return nil
	}
	out := &model.Outcomes{Node: o.node, FundsRecovered: o.decimal("funds_recovered")}
	figures := []**int{
		&out.RulesMade, &out.RulesImproved, &out.LeadsFound, &out.LeadsTransferred, &out.CasesFiled,
		&out.PeopleDisciplined, &out.OnTheSpotFound, &out.OnTheSpotFixed, &out.ReviewOpinions,
		&out.ReminderLetters, &out.RecommendationLetters, &out.UnitsRevisited, &out.RevisitProblems,
	}
	for i, name := range outcomeCounts {
		*figures[i] = o.optCount(name)
	}
	for _, e := range o.items("extra", extraKind) {
		x := model.ExtraFigure{Node: e.node, Label: e.text("label"), Unit: e.text("unit")}
		if v := e.decimal("value"); v != nil {
			x.Value = *v
		}
		out.Extra = append(out.Extra, x)
	}
	out.Source = o.source("source")
	return out
}

// decimal returns a figure ≥ 0 with exactly the digits written (7.132
// stays 7.132), or nil when it is absent or wrong.
func (r *rec) decimal(key string) *decimal.Decimal {
	v := r.scalar(key, "a number")
	if v == nil {
		return nil
	}
	if !isPlain(v) {
		r.f.at(v, "%q must be a number without quotes, got %s", key, describe(v))
		return nil
	}
	d, err := decimal.Parse(v.Value)
	switch {
	case err == nil && d.Cmp(maxFigure) > 0:
		r.f.at(v, "%q is too large: at most %s", key, maxFigure)
	case err == nil:
		return &d
	case strings.HasPrefix(v.Value, "-") && numberRE.MatchString(v.Value):
		r.f.at(v, "%q must be 0 or more, got %s", key, v.Value)
	case errors.Is(err, decimal.ErrScale):
		r.f.at(v, "%q has more than %d digits after the decimal point", key, decimal.MaxScale)
	default:
		r.f.at(v, "%q must be a number written as the source prints it (digits and a decimal point, e.g. 7.132), got %s", key, describe(v))
	}
	return nil
}
