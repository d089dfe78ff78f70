package aggregate_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/aggregate"
	"github.com/xuncha/bulletin/generator/internal/calendar"
	"github.com/xuncha/bulletin/generator/internal/edition"
	"github.com/xuncha/bulletin/generator/internal/load"
	"github.com/xuncha/bulletin/generator/internal/model"
	"github.com/xuncha/bulletin/generator/internal/validate"
)

// FuzzCheckRound runs the whole of check on a fuzzed round file — load,
// validate, both editions' aggregation — and requires that nothing panics
// whatever the loader let through, and that the two editions' totals agree.
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
	dir := filepath.Join(f.TempDir(), "data")
	for name, text := range map[string]string{
		"site.yaml":       "title: T\nas_of: 2024-12-31\n",
		"d/district.yaml": "id: d\nname: D\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(text), 0o644)
	}
	file := filepath.Join(dir, "d", "rounds", "r.yaml")
	os.MkdirAll(filepath.Dir(file), 0o755)
	f.Fuzz(func(t *testing.T, b []byte) {
		if err := os.WriteFile(file, b, 0o644); err != nil {
			t.Fatal(err)
		}
		d, errs := load.Load(dir, load.WithMaxFileSize(1<<20))
		if d.Site.AsOf.IsZero() {
			d.Site.AsOf = model.NewDate(2024, 12, 31)
		}
		cal := calendar.New(d.Site.Calendar)
		errs = append(errs, validate.Validate(d, cal)...)
		if len(errs) > 0 {
			return
		}
		edition.Normalize(d)
		in := aggregate.Compute(aggregate.Input{Data: d, Calendar: cal, Edition: aggregate.Internal})
		pub := aggregate.Compute(aggregate.Input{Data: edition.Redact(d), Calendar: cal, Edition: aggregate.Public})
		a, b2 := in.Home.Totals, pub.Home.Totals
		if a.Found != b2.Found || a.Rectified != b2.Rectified || a.Overdue != b2.Overdue || a.Withheld != b2.Withheld || a.RateText != b2.RateText {
			t.Fatalf("editions disagree: internal %+v public %+v", a, b2)
		}
	})
}
