package aggregate

import (
	"slices"
	"strconv"
	"strings"

	"github.com/xuncha/bulletin/generator/internal/decimal"
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

// figures sums outcome figures exactly (package decimal): a figure nobody
// published stays absent, a published 0 stays 0, and 7.132 stays 7.132.
// Extra figures (outcomes.extra) are summed by label and unit, in the order
// they first appear.
type figures struct {
	vals    map[string]decimal.Decimal
	sources map[string][]view.Source
	order   []string // keys as first put
	extra   map[string]extraKey
}

// extraKey is the label and unit of an extra figure.
type extraKey struct{ label, unit string }

// extraPrefix marks the map keys of extra figures; no fixed key has it.
const extraPrefix = "extra\x00"

func (f *figures) put(key string, v decimal.Decimal, src *model.Source) {
	f.putSources(key, v, sources(src))
}

func (f *figures) putSources(key string, v decimal.Decimal, srcs []view.Source) {
	if f.vals == nil {
		f.vals = map[string]decimal.Decimal{}
		f.sources = map[string][]view.Source{}
		f.extra = map[string]extraKey{}
	}
	old, ok := f.vals[key]
	if !ok {
		f.order = append(f.order, key)
	}
	f.vals[key] = old.Add(v)
	for _, s := range srcs {
		if !slices.Contains(f.sources[key], s) {
			f.sources[key] = append(f.sources[key], s)
		}
	}
}

func sources(src *model.Source) []view.Source {
	if s := source(src); s != nil {
		return []view.Source{*s}
	}
	return nil
}

func (f *figures) putInt(key string, v *int, src *model.Source) {
	if v != nil {
		f.put(key, decimal.FromInt(int64(*v)), src)
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
	for _, x := range o.Extra {
		k := extraPrefix + x.Label + "\x00" + x.Unit
		f.put(k, x.Value, src)
		f.extra[k] = extraKey{x.Label, x.Unit}
	}
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
		f.putSources(k, o.vals[k], o.sources[k])
		if x, ok := o.extra[k]; ok {
			f.extra[k] = x
		}
	}
}

// list returns the figures present, in OutcomeKeys then CommonKeys order,
// then the extra figures in the order they first appeared.
func (f *figures) list() []view.Figure {
	var out []view.Figure
	for _, keys := range [][]string{OutcomeKeys, CommonKeys} {
		for _, k := range keys {
			v, ok := f.vals[k]
			if !ok {
				continue
			}
			out = append(out, view.Figure{Key: k, Value: v.String(), Text: v.Text(), Sources: f.sources[k]})
		}
	}
	for _, k := range f.order {
		x, ok := f.extra[k]
		if !ok {
			continue
		}
		v := f.vals[k]
		out = append(out, view.Figure{Key: "extra", Label: x.label, Unit: x.unit, Value: v.String(), Text: v.Text(), Sources: f.sources[k]})
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
