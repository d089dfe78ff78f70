package aggregate

import (
	"github.com/xuncha/bulletin/generator/internal/deadline"
	"github.com/xuncha/bulletin/generator/internal/model"
	"github.com/xuncha/bulletin/generator/internal/view"
)

// part is one figure summed over rounds: the sum of the rounds where it is
// known, how many rounds those are and how many rounds leave it unknown.
// A sum with no known part is unknown, never 0 (DATA-FORMAT.md part 2).
type part struct {
	n, known, unknown int
}

func (p *part) put(v *int) {
	if v == nil {
		p.unknown++
		return
	}
	p.n += *v
	p.known++
}

func (p *part) add(o part) { p.n += o.n; p.known += o.known; p.unknown += o.unknown }

// value is the sum, or nil when no round gives the figure.
func (p part) value() *int {
	if p.known == 0 {
		return nil
	}
	n := p.n
	return &n
}

// known is what the published and computed figures of one or more rounds
// say, figure by figure.
type known struct {
	rounds                                       int
	listsAll                                     int // rounds whose every problem is listed
	found, rectified                             part
	basicallyDone, inProgress, notDone, longTerm part
	// overdue.unknown counts only the rounds with open or unknown-status
	// problems whose overdue is unknown: overdue_complete is false when
	// there is one.
	overdue part
	// The rate: rectified ÷ found over the rounds where both are known,
	// basis problems, found > 0.
	rateNum, rateDen, rateRounds int
}

func (k *known) add(o known) {
	k.rounds += o.rounds
	k.listsAll += o.listsAll
	k.found.add(o.found)
	k.rectified.add(o.rectified)
	k.basicallyDone.add(o.basicallyDone)
	k.inProgress.add(o.inProgress)
	k.notDone.add(o.notDone)
	k.longTerm.add(o.longTerm)
	k.overdue.add(o.overdue)
	k.rateNum += o.rateNum
	k.rateDen += o.rateDen
	k.rateRounds += o.rateRounds
}

// roundFigures works out what is known of one round from its summary and
// its listed problems (t holds their counts).
//
//   - found: summary.found, else the problems listed when the round has no
//     summary and lists some (listing: partial aside); otherwise unknown.
//   - A round whose every problem is listed (no summary, or summary.found
//     equal to the problems listed) has its buckets and overdue computed
//     from the list wherever the summary does not give them.
//   - overdue: summary.overdue; else, on a complete list, the listed
//     overdue problems when every open one has a due date; else 0 when the
//     round is known to have no open problem (every problem rectified or
//     long_term); else unknown.
func roundFigures(r *model.Round, t *tally) known {
	s := r.Summary
	var k known
	k.rounds = 1
	listed := t.listed
	var found *int
	switch {
	case s != nil:
		found = s.Found
	case r.Listing == model.ListingPartial:
	case listed > 0:
		found = &listed
	}
	complete := listsAll(r)
	if complete {
		k.listsAll = 1
	}
	fromList := func(given *int, n int) *int {
		if given != nil {
			return given
		}
		if complete {
			return &n
		}
		return nil
	}
	var given model.Summary
	if s != nil {
		given = *s
	}
	rectified := fromList(given.Rectified, t.status[model.Rectified]+t.status[model.Closed])
	longTerm := fromList(given.LongTerm, t.status[model.LongTerm])
	k.found.put(found)
	k.rectified.put(rectified)
	k.basicallyDone.put(fromList(given.BasicallyDone, t.status[model.BasicallyDone]))
	k.inProgress.put(fromList(given.InProgress, t.status[model.InProgress]))
	k.notDone.put(fromList(given.NotDone, t.status[model.Pending]+t.status[model.InProgress]))
	k.longTerm.put(longTerm)

	var overdue *int
	switch {
	case given.Overdue != nil:
		overdue = given.Overdue
	case complete && t.noDue == 0:
		n := t.state[deadline.Overdue]
		overdue = &n
	case found != nil && rectified != nil && *rectified+deref(longTerm) == *found:
		zero := 0 // nothing open
		overdue = &zero
	}
	k.overdue.put(overdue)

	if found != nil && rectified != nil && *found > 0 && given.Basis != model.BasisMeasures {
		k.rateNum, k.rateDen, k.rateRounds = *rectified, *found, 1
	}
	return k
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// fill sets the figures of v from k.
func (k known) fill(v *view.Totals) {
	v.Rounds = k.rounds
	v.ListsAllRounds = k.listsAll
	v.Found = k.found.value()
	v.FoundRounds = k.found.known
	v.FoundComplete = k.found.unknown == 0 && k.found.known > 0
	v.Rectified = k.rectified.value()
	v.RectifiedRounds = k.rectified.known
	v.RectifiedComplete = k.rectified.unknown == 0 && k.rectified.known > 0
	v.BucketRounds = view.Buckets{BasicallyDone: k.basicallyDone.known, InProgress: k.inProgress.known, NotDone: k.notDone.known, LongTerm: k.longTerm.known}
	v.BasicallyDone = k.basicallyDone.value()
	v.InProgress = k.inProgress.value()
	v.NotDone = k.notDone.value()
	v.LongTerm = k.longTerm.value()
	v.Overdue = k.overdue.value()
	v.OverdueComplete = k.overdue.unknown == 0
	v.OverdueUnknownRounds = k.overdue.unknown
	if k.rateDen > 0 {
		r, _ := Rate(k.rateNum, k.rateDen)
		v.Rate = &r
		v.RateText = RateText(k.rateNum, k.rateDen)
		num, den := k.rateNum, k.rateDen
		v.RateFound, v.RateRectified = &den, &num
		v.RateRounds = k.rateRounds
		// The rate covers the whole when every round's found is known and
		// every one of them is in the rate.
		v.RateComplete = v.FoundComplete && v.Found != nil && *v.Found == den
	}
}
