package notices

import (
	"reflect"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/history"
)

// TestPicks: one notice per as_of, from the last commit with it (an as_of
// that comes back takes its last commit), newest as_of first.
func TestPicks(t *testing.T) {
	pt := func(commit, date, asOf string) history.Point {
		return history.Point{Commit: commit, Date: date, AsOf: asOf}
	}
	got := Picks([]history.Point{
		pt("a", "2024-10-21", "2024-10-20"),
		pt("b", "2024-10-22", "2024-10-20"), // a correction before the next as_of
		pt("c", "2025-01-02", "2024-12-31"),
		pt("d", "2025-01-05", "2024-10-20"), // the 2024-10-20 figures corrected again, later
		pt("e", "2025-04-01", "2025-03-31"),
	})
	want := []Pick{
		{AsOf: "2025-03-31", Commit: "e", Date: "2025-04-01"},
		{AsOf: "2024-12-31", Commit: "c", Date: "2025-01-02"},
		{AsOf: "2024-10-20", Commit: "d", Date: "2025-01-05"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Picks = %+v\nwant %+v", got, want)
	}
	if got := Picks(nil); len(got) != 0 {
		t.Errorf("no history gives notices: %+v", got)
	}
}
