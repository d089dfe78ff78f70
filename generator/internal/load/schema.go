package load

import "slices"

// kind describes one kind of record: its name in messages and its fields.
type kind struct {
	name     string
	required []string
	optional []string
	all      []string // required then optional: what model.Node.Names of its records is (set by init)
}

func init() {
	for _, k := range allKinds {
		k.all = slices.Concat(k.required, k.optional)
	}
}

func (k *kind) known(key string) bool { return k.index(key) >= 0 }

// index is the place of field key in k.all, or -1 when k has no such
// field. A kind has fewer than 64 fields (TestKindsFitAMask), so that a
// record can note those it has met in a uint64.
func (k *kind) index(key string) int { return slices.Index(k.all, key) }

// field is k's field at index i (k's own string).
func (k *kind) field(i int) string { return k.all[i] }

func (k *kind) isRequired(key string) bool { return slices.Contains(k.required, key) }

// fields are k's fields, required ones first; not to be changed.
func (k *kind) fields() []string { return k.all }

var (
	siteKind = &kind{name: "site.yaml",
		required: []string{"title"},
		optional: []string{"publisher", "base_url", "as_of", "deadlines", "calendar", "contact"}}
	contactKind = &kind{name: "contact",
		optional: []string{"name", "phone", "mailbox", "address", "url", "note", "illustrative"}}
	deadlinesKind = &kind{name: "deadlines",
		optional: []string{"measures_working_days", "report_months", "due_soon_days"}}
	calendarKind = &kind{name: "calendar year",
		required: []string{"year"},
		optional: []string{"holidays", "workdays", "source"}}
	sourceKind = &kind{name: "source",
		required: []string{"title"},
		optional: []string{"url", "date"}}
	districtKind = &kind{name: "district",
		required: []string{"id", "name"},
		optional: []string{"region", "note", "internal", "outcomes", "surveys", "common_summary", "illustrative"}}
	outcomesKind = &kind{name: "outcomes",
		optional: append(slices.Clone(outcomeCounts), "funds_recovered", "extra", "source")}
	extraKind = &kind{name: "extra figure",
		required: []string{"label", "value"},
		optional: []string{"unit"}}
	surveyKind = &kind{name: "survey",
		required: []string{"title"},
		optional: []string{"date", "respondents", "awareness", "approval", "source"}}
	commonSummaryKind = &kind{name: "common_summary",
		optional: []string{"problems", "rounds", "self_found", "measures", "rules", "source"}}
	roundKind = &kind{name: "round",
		required: []string{"id", "title"},
		optional: []string{"number", "kind", "level", "started", "ended", "feedback", "deadlines", "source", "targets", "problems",
			"summary", "listing", "revisits", "target_count", "illustrative", "note", "internal", "outcomes"}}
	roundDeadlinesKind = &kind{name: "round deadlines",
		optional: []string{"measures_working_days", "report_months"}}
	targetKind = &kind{name: "target",
		required: []string{"id"},
		optional: []string{"name", "unit", "type", "visibility", "internal"}}
	problemKind = &kind{name: "problem",
		required: []string{"id", "target", "title", "status"},
		optional: []string{"category", "description", "common", "common_ref", "due", "measures", "history",
			"visibility", "withheld", "internal", "extensions", "reviews", "illustrative"}}
	measureKind = &kind{name: "measure",
		required: []string{"text"},
		optional: []string{"owner", "due", "done"}}
	historyKind = &kind{name: "history entry",
		required: []string{"date", "status"},
		optional: []string{"note", "revisit"}}
	extensionKind = &kind{name: "extension",
		required: []string{"approved", "due"},
		optional: []string{"reason"}}
	reviewKind = &kind{name: "review",
		required: []string{"date", "result"},
		optional: []string{"opinion"}}
	summaryKind = &kind{name: "summary",
		optional: slices.Concat(summaryCounts, []string{"rate", "basis", "as_of"})}
	commonKind = &kind{name: "common problem",
		required: []string{"id", "title"},
		optional: []string{"category", "description", "rounds", "deadline", "source", "illustrative", "units"}}
	inspectedUnitKind = &kind{name: "inspected unit",
		required: []string{"id", "name"},
		optional: []string{"former_names", "type", "visibility", "notices", "internal"}}
	noticeKind = &kind{name: "notice",
		required: []string{"title"},
		optional: []string{"url", "date"}}
	unitKind = &kind{name: "unit",
		required: []string{"id", "name", "status"},
		optional: []string{"type", "self_found", "measures", "history"}}
)

// outcomeCounts are the whole-number figures of outcomes, in the order of
// the data format.
var outcomeCounts = []string{
	"rules_made", "rules_improved", "leads_found", "leads_transferred", "cases_filed",
	"people_disciplined", "on_the_spot_found", "on_the_spot_fixed", "review_opinions",
	"reminder_letters", "recommendation_letters", "units_revisited", "revisit_problems",
}

// summaryCounts are the whole-number figures of a round's summary, in the
// order of the data format.
var summaryCounts = []string{
	"found", "rectified", "basically_done", "in_progress", "not_done", "long_term",
	"overdue", "extended", "measures", "measures_done",
}

// allKinds is the order in which an unknown key is looked up in other
// kinds of record, to say where it belongs.
var allKinds = []*kind{
	siteKind, deadlinesKind, calendarKind, contactKind, districtKind, outcomesKind, surveyKind, commonSummaryKind,
	roundKind, roundDeadlinesKind, targetKind, problemKind, measureKind, historyKind, extensionKind, reviewKind,
	summaryKind, commonKind, unitKind, inspectedUnitKind, noticeKind, extraKind, sourceKind,
}
