package aggregate_test

import (
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/xuncha/bulletin/generator/internal/aggregate"
	"github.com/xuncha/bulletin/generator/internal/check"
	"github.com/xuncha/bulletin/generator/internal/edition"
	"github.com/xuncha/bulletin/generator/internal/load"
)

// FuzzCheckRound runs check (check.Records, as every command does) on a
// fuzzed round file, then both editions' aggregation, and requires that
// nothing panics whatever check let through, and that the two editions'
// totals agree.
//
//	go test ./generator/internal/aggregate -run '^$' -fuzz FuzzCheckRound -fuzztime 5m
func FuzzCheckRound(f *testing.F) {
	rounds, _ := filepath.Glob("../../../data/*/rounds/*.yaml")
	for _, r := range rounds {
		if b, err := os.ReadFile(r); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("id: r\ntitle: T\nkind: revisit\nrevisits: [r]\nfeedback: 2026-12-30\ntargets: [{id: a, name: A, visibility: internal}]\nproblems:\n  - {id: p, target: a, title: T, status: closed, withheld: state_secret, history: [{date: 2024-01-01, status: closed}, {date: 2024-02-01, status: pending, revisit: r}]}\n"))
	fsys := fstest.MapFS{
		"site.yaml":       {Data: []byte("title: T\nas_of: 2024-12-31\n")},
		"d/district.yaml": {Data: []byte("id: d\nname: D\n")},
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		fsys["d/rounds/r.yaml"] = &fstest.MapFile{Data: b}
		c, errs := check.Records(check.Source{FS: fsys, Display: "data",
			Load: []load.Option{load.WithMaxFileSize(1 << 20)}})
		if len(errs) > 0 {
			return
		}
		d, cal := c.Data, c.Calendar
		in := aggregate.Compute(aggregate.Input{Data: d, Calendar: cal, Edition: edition.InternalEdition})
		pub := aggregate.Compute(aggregate.Input{Data: edition.Redact(d), Calendar: cal, Edition: edition.PublicEdition})
		a, b2 := in.Home.Totals, pub.Home.Totals
		if a.Found != b2.Found || a.Rectified != b2.Rectified || a.Overdue != b2.Overdue || a.Withheld != b2.Withheld || a.RateText != b2.RateText {
			t.Fatalf("editions disagree: internal %+v public %+v", a, b2)
		}
	})
}
