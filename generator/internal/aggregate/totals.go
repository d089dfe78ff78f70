package aggregate

import (
	"sort"
	"strconv"

	"github.com/xuncha/bulletin/generator/internal/deadline"
	"github.com/xuncha/bulletin/generator/internal/model"
	"github.com/xuncha/bulletin/generator/internal/rate"
	"github.com/xuncha/bulletin/generator/internal/view"
)

// tally accumulates the figures of a round, a district or the site. Rounds
// are tallied from their problems; larger scopes add up the tallies of
// smaller ones, so every total is a sum of rounds, as the contract says.
type tally struct {
	fig      known // the published or computed figures, with what they cover
	listed   int
	pages    int // listed problems with a page in this edition
	status   map[model.Status]int
	state    map[deadline.State]int
	noDue    int
	extended int
	reopened int
	returned int
	returns  int
	withheld int
	category map[string]int
	reason   map[string]int
}

func newTally() *tally {
	return &tally{
		status:   map[model.Status]int{},
		state:    map[deadline.State]int{},
		category: map[string]int{},
		reason:   map[string]int{},
	}
}

// problemFacts is what a tally needs to know of one listed problem.
type problemFacts struct {
	status   model.Status
	state    deadline.State
	category string
	extended bool
	reopened bool
	returns  int
	withheld bool
	reason   string
}

func (t *tally) addProblem(f problemFacts) {
	t.listed++
	t.status[f.status]++
	if f.status.Open() {
		if f.state == deadline.None {
			t.noDue++
		} else {
			t.state[f.state]++
		}
	}
	t.category[f.category]++
	if f.extended {
		t.extended++
	}
	if f.reopened {
		t.reopened++
	}
	if f.returns > 0 {
		t.returned++
		t.returns += f.returns
	}
	if f.withheld {
		t.withheld++
		t.reason[f.reason]++
	}
}

func (t *tally) add(o *tally) {
	t.fig.add(o.fig)
	t.listed += o.listed
	t.pages += o.pages
	t.noDue += o.noDue
	t.extended += o.extended
	t.reopened += o.reopened
	t.returned += o.returned
	t.returns += o.returns
	t.withheld += o.withheld
	for k, v := range o.status {
		t.status[k] += v
	}
	for k, v := range o.state {
		t.state[k] += v
	}
	for k, v := range o.category {
		t.category[k] += v
	}
	for k, v := range o.reason {
		t.reason[k] += v
	}
}

// Rate is rectified ÷ found in percent, rounded half up to one decimal
// (2663/2688 → 99.1, 1365/1393 → 98.0), as package rate computes it. ok is
// false when found is 0.
func Rate(rectified, found int) (r float64, ok bool) {
	text, ok := rate.Round(rectified, found, 1)
	if !ok {
		return 0, false
	}
	r, _ = strconv.ParseFloat(text, 64)
	return r, true
}

// RateText formats a rate as shown on pages: "99.1%", or "—" for none.
func RateText(rectified, found int) string {
	text, ok := rate.Round(rectified, found, 1)
	if !ok {
		return "—"
	}
	return text + "%"
}

func (t *tally) totals() view.Totals {
	v := view.Totals{
		Listed:   t.listed,
		Open:     t.status[model.Pending] + t.status[model.InProgress] + t.status[model.BasicallyDone],
		DueSoon:  t.state[deadline.DueSoon],
		OnTime:   t.state[deadline.OnTime],
		Extended: t.extended,
		Reopened: t.reopened,
		Returned: t.returned,
		Returns:  t.returns,
		Withheld: t.withheld,
	}
	t.fig.fill(&v)
	if v.Found != nil {
		v.Unlisted = max(*v.Found-t.listed, 0)
	}
	v.ByStatus = make([]view.Count, 0, len(model.Statuses))
	for _, s := range model.Statuses {
		v.ByStatus = append(v.ByStatus, count(string(s), t.status[s], t.listed))
	}
	v.ByDeadline = []view.Count{
		count(string(deadline.Overdue), t.state[deadline.Overdue], v.Open),
		count(string(deadline.DueSoon), v.DueSoon, v.Open),
		count(string(deadline.OnTime), v.OnTime, v.Open),
		count("none", t.noDue, v.Open),
	}
	v.ByCategory = sortedCounts(t.category, t.listed)
	v.ByReason = sortedCounts(t.reason, t.withheld)
	for _, cs := range [][]view.Count{v.ByStatus, v.ByDeadline, v.ByCategory, v.ByReason} {
		offsets(cs)
	}
	return v
}

// offsets sets where each bucket's segment starts in a stacked bar.
func offsets(cs []view.Count) {
	at := 0.0
	for i := range cs {
		cs[i].Offset = float64(int64(at*10+0.5)) / 10
		at += cs[i].Percent
	}
}

func count(key string, n, whole int) view.Count {
	c := view.Count{Key: key, Count: n}
	if whole > 0 {
		c.Percent = float64((int64(n)*2000+int64(whole))/(2*int64(whole))) / 10
	}
	return c
}

// sortedCounts orders a breakdown largest first, then by key.
func sortedCounts(m map[string]int, whole int) []view.Count {
	out := make([]view.Count, 0, len(m))
	for k, n := range m {
		out = append(out, count(k, n, whole))
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Key < out[j].Key
	})
	return out
}
