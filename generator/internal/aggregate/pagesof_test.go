package aggregate_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/aggregate"
	"github.com/xuncha/bulletin/generator/internal/check"
	"github.com/xuncha/bulletin/generator/internal/edition"
	"github.com/xuncha/bulletin/generator/internal/model"
	"github.com/xuncha/bulletin/generator/internal/view"
)

// TestPagesOf: with Input.PagesOf, Compute gives the round, problem, unit
// and common-problem pages of exactly the districts it names, the same as
// without it, and every figure and row of every district the same (the
// Bulletin's JSON, which leaves pages out, byte for byte), with each
// district's problem page count: what a shard of a build spread over
// machines (build --shard I/N) needs, without the other shards' pages.
// On the sample records: units, common problems, internal problems.
func TestPagesOf(t *testing.T) {
	c, errs := check.WorkingTree("../../../data", model.Date{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for _, ed := range []edition.Edition{edition.PublicEdition, edition.InternalEdition} {
		data := c.Data
		if ed.Public() {
			data = edition.Redact(data)
		}
		in := aggregate.Input{Data: data, Calendar: c.Calendar, Edition: ed}
		all := aggregate.Compute(in)
		var ids []string
		kinds := map[string]bool{}
		for _, d := range all.Districts {
			ids = append(ids, d.ID)
			kinds["unit"] = kinds["unit"] || len(d.UnitPages) > 0
			kinds["common"] = kinds["common"] || len(d.CommonPages) > 0
			kinds["withheld"] = kinds["withheld"] || d.Totals.Withheld > 0
		}
		if len(ids) < 3 || !kinds["unit"] || !kinds["common"] || !kinds["withheld"] {
			t.Fatalf("the sample records no longer have several districts, units, common problems and internal problems: %v %v", ids, kinds)
		}
		wantJSON := jsonOf(t, all)
		for _, set := range [][]string{nil, ids[:1], {ids[0], ids[len(ids)-1]}, ids} {
			in.PagesOf = func(id string) bool { return slices.Contains(set, id) }
			got := aggregate.Compute(in)
			if j := jsonOf(t, got); j != wantJSON {
				t.Errorf("%s, pages of %v: the figures and rows differ from a computation of every page", ed, set)
			}
			for i, d := range got.Districts {
				full := all.Districts[i]
				if d.ProblemPageCount != problemPages(full) {
					t.Errorf("%s, pages of %v: district %s counts %d problem pages, it has %d", ed, set, d.ID, d.ProblemPageCount, problemPages(full))
				}
				if !slices.Contains(set, d.ID) {
					if d.RoundPages != nil || d.CommonPages != nil || d.UnitPages != nil {
						t.Errorf("%s, pages of %v: district %s, not asked for, has page data (%d rounds, %d common problems, %d units)",
							ed, set, d.ID, len(d.RoundPages), len(d.CommonPages), len(d.UnitPages))
					}
					continue
				}
				for _, p := range []struct {
					name      string
					got, want any
				}{{"round and problem", d.RoundPages, full.RoundPages}, {"common problem", d.CommonPages, full.CommonPages}, {"unit", d.UnitPages, full.UnitPages}} {
					if !reflect.DeepEqual(p.got, p.want) {
						t.Errorf("%s, pages of %v: district %s's %s pages differ from a computation of every page", ed, set, d.ID, p.name)
					}
				}
			}
		}
	}
}

// problemPages counts the problem pages of a district computed in full.
func problemPages(d *view.District) int {
	n := 0
	for _, r := range d.RoundPages {
		n += len(r.ProblemPages)
	}
	return n
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestEachDistrict: the districts EachDistrict hands out one at a time are
// Compute's, page data and all, in the same order, for both editions and
// with PagesOf applied alike; and it stops at the first error it is given.
func TestEachDistrict(t *testing.T) {
	c, errs := check.WorkingTree("../../../data", model.Date{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for _, ed := range []edition.Edition{edition.PublicEdition, edition.InternalEdition} {
		data := c.Data
		if ed.Public() {
			data = edition.Redact(data)
		}
		for _, pagesOf := range []func(string) bool{nil, func(id string) bool { return id == data.Districts[0].ID }} {
			in := aggregate.Input{Data: data, Calendar: c.Calendar, Edition: ed, PagesOf: pagesOf}
			want := aggregate.Compute(in).Districts
			var got []*view.District
			if err := aggregate.EachDistrict(in, func(d *view.District) error {
				got = append(got, d)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) || problemPagesOf(got) == 0 && pagesOf == nil {
				t.Fatalf("%s: %d districts (%d problem pages), Compute has %d", ed, len(got), problemPagesOf(got), len(want))
			}
			for i := range want {
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Errorf("%s: district %s differs from Compute's", ed, want[i].ID)
				}
			}
		}
	}
	stop := errors.New("stop")
	n := 0
	in := aggregate.Input{Data: c.Data, Calendar: c.Calendar, Edition: edition.InternalEdition}
	if err := aggregate.EachDistrict(in, func(*view.District) error { n++; return stop }); err != stop || n != 1 {
		t.Errorf("after an error: %v, %d districts computed; want stop after one", err, n)
	}
}

func problemPagesOf(ds []*view.District) int {
	n := 0
	for _, d := range ds {
		for _, r := range d.RoundPages {
			n += len(r.ProblemPages)
		}
	}
	return n
}
