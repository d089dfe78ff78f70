package aggregate

import (
	"strconv"
	"strings"

	"github.com/xuncha/bulletin/generator/internal/model"
	"github.com/xuncha/bulletin/generator/internal/view"
)

// OutcomeKeys lists the outcome figures in the order pages show them.
var OutcomeKeys = []string{
	"funds_recovered", "rules_made", "rules_improved", "leads_found", "leads_transferred",
	"cases_filed", "people_disciplined", "on_the_spot_found", "on_the_spot_fixed",
	"review_opinions", "reminder_letters", "recommendation_letters", "units_revisited",
	"revisit_problems",
}

// CommonKeys lists the figures of a district's common-problem summary.
var CommonKeys = []string{"common_problems", "common_rounds", "self_found", "common_measures", "common_rules"}

// figures sums outcome figures; a figure nobody published stays absent.
type figures struct {
	vals    map[string]float64
	sources map[string][]view.Source
	order   []string
}

func (f *figures) put(key string, v float64, src *model.Source) {
	if f.vals == nil {
		f.vals = map[string]float64{}
		f.sources = map[string][]view.Source{}
	}
	if _, ok := f.vals[key]; !ok {
		f.order = append(f.order, key)
	}
	f.vals[key] += v
	if s := source(src); s != nil {
		for _, x := range f.sources[key] {
			if x == *s {
				return
			}
		}
		f.sources[key] = append(f.sources[key], *s)
	}
}

func (f *figures) putInt(key string, v *int, src *model.Source) {
	if v != nil {
		f.put(key, float64(*v), src)
	}
}

// add adds a record's outcomes; their own source wins over fallback.
func (f *figures) add(o *model.Outcomes, fallback *model.Source) {
	if o == nil {
		return
	}
	src := o.Source
	if src == nil {
		src = fallback
	}
	if o.FundsRecovered != nil {
		f.put("funds_recovered", *o.FundsRecovered, src)
	}
	f.putInt("rules_made", o.RulesMade, src)
	f.putInt("rules_improved", o.RulesImproved, src)
	f.putInt("leads_found", o.LeadsFound, src)
	f.putInt("leads_transferred", o.LeadsTransferred, src)
	f.putInt("cases_filed", o.CasesFiled, src)
	f.putInt("people_disciplined", o.PeopleDisciplined, src)
	f.putInt("on_the_spot_found", o.OnTheSpotFound, src)
	f.putInt("on_the_spot_fixed", o.OnTheSpotFixed, src)
	f.putInt("review_opinions", o.ReviewOpinions, src)
	f.putInt("reminder_letters", o.ReminderLetters, src)
	f.putInt("recommendation_letters", o.RecommendationLetters, src)
	f.putInt("units_revisited", o.UnitsRevisited, src)
	f.putInt("revisit_problems", o.RevisitProblems, src)
}

func (f *figures) addCommon(c *model.CommonSummary) {
	f.putInt("common_problems", c.Problems, c.Source)
	f.putInt("common_rounds", c.Rounds, c.Source)
	f.putInt("self_found", c.SelfFound, c.Source)
	f.putInt("common_measures", c.Measures, c.Source)
	f.putInt("common_rules", c.Rules, c.Source)
}

func (f *figures) merge(o *figures) {
	for _, k := range o.order {
		if f.vals == nil {
			f.vals = map[string]float64{}
			f.sources = map[string][]view.Source{}
		}
		if _, ok := f.vals[k]; !ok {
			f.order = append(f.order, k)
		}
		f.vals[k] += o.vals[k]
		for _, s := range o.sources[k] {
			dup := false
			for _, x := range f.sources[k] {
				dup = dup || x == s
			}
			if !dup {
				f.sources[k] = append(f.sources[k], s)
			}
		}
	}
}

// list returns the figures present, in OutcomeKeys then CommonKeys order.
func (f *figures) list() []view.Figure {
	var out []view.Figure
	for _, keys := range [][]string{OutcomeKeys, CommonKeys} {
		for _, k := range keys {
			v, ok := f.vals[k]
			if !ok {
				continue
			}
			out = append(out, view.Figure{Key: k, Value: v, Text: FormatNumber(v), Sources: f.sources[k]})
		}
	}
	return out
}

// FormatNumber writes n with thousands separators and at most two decimals:
// 2688 → "2,688", 667.5 → "667.5".
func FormatNumber(n float64) string {
	s := strconv.FormatFloat(n, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	intPart, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(intPart, "-")
	intPart = strings.TrimPrefix(intPart, "-")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := b.String()
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

func isAbsoluteHTTP(u string) bool {
	l := strings.ToLower(strings.TrimSpace(u))
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}
