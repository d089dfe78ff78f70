package changes

import (
	"fmt"

	"github.com/xuncha/bulletin/generator/internal/diag"
	"github.com/xuncha/bulletin/generator/internal/model"
)

// rewrittenHistory reports every history entry of the older version of a
// problem that the newer one removed or changed: history is append-only
// (整改不到位，问题不销号 needs the record of every step). A changed entry is
// reported at the entry, a removed one at the problem's history (or the
// problem), each with the older text and the newer.
func rewrittenHistory(errs *diag.List, op, np ref) {
	add := add(errs, op.internal() || np.internal())
	who := diag.Named{Kind: "problem", ID: diag.Value(np.p.ID)}
	for i, was := range op.p.History {
		if i >= len(np.p.History) {
			add(np.p.At("history"),
				"%s of round %q: history entry %d (%s) was removed since the compared version; history is append-only: put it back, and add a new entry at the end for what changed",
				who, np.round.ID, i+1, entryText(was))
			continue
		}
		is := np.p.History[i]
		if sameEntry(was, is) {
			continue
		}
		add(is.At("date"),
			"%s of round %q: history entry %d was %s and is now %s; history is append-only: put the entry back as it was, and add a new entry at the end for what changed",
			who, np.round.ID, i+1, entryText(was), entryText(is))
	}
}

// sameEntry reports whether two history entries say the same.
func sameEntry(a, b model.HistoryEntry) bool {
	return a.Date.Equal(b.Date) && a.Status == b.Status && a.Note == b.Note && a.Revisit == b.Revisit
}

// entryText is a history entry as a message quotes it: date and status as
// they are, the note and the revisit as record text (hidden inside internal
// matter).
type entryText model.HistoryEntry

// Format prints the entry.
func (e entryText) Format(s fmt.State, _ rune) { fmt.Fprint(s, e.text(false)) }

// Hide prints the entry without its note and revisit.
func (e entryText) Hide() any { return e.text(true) }

func (e entryText) text(hide bool) string {
	t := fmt.Sprintf("%s %s", e.Date, e.Status)
	if e.Revisit != "" {
		t += fmt.Sprintf(" revisit %s", diag.Value(e.Revisit))
	}
	if e.Note != "" {
		if hide {
			t += " note " + diag.Hidden
		} else {
			t += fmt.Sprintf(" note %s", diag.Value(e.Note))
		}
	}
	return "[" + t + "]"
}
