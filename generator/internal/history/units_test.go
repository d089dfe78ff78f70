package history

import (
	"testing"

	"github.com/xuncha/bulletin/generator/internal/gitrepo/gittest"
)

// TestHistoryUnitMadePublic: a unit of units.yaml made public in a later
// commit, its round file unchanged, makes that version neither invalid nor
// its problem internal. The scan keeps the round's record between versions
// (load.NewRecordCache); what check decided of it in the earlier version
// (its target internal, because its unit was) must not stick.
func TestHistoryUnitMadePublic(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	units := func(vis string) string {
		return "- {id: secret, name: 某保密单位, type: department, visibility: " + vis + "}\n"
	}
	round := "id: r1\nnumber: 1\ntitle: 第1轮巡察\nfeedback: 2024-03-01\ntargets:\n  - {id: t, unit: secret}\nproblems:\n  - {id: p, target: t, title: 问题, status: rectified}\n"
	r.Commit("2024-01-02", "an internal unit", map[string]string{
		"data/site.yaml":         gittest.Site,
		"data/qu/district.yaml":  gittest.District("qu", "某区"),
		"data/qu/units.yaml":     units("internal"),
		"data/qu/rounds/r1.yaml": round,
	})
	r.Commit("2024-02-01", "the unit made public", map[string]string{"data/qu/units.yaml": units("public")})
	h, err := Scan(r.Dir, "data")
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Skipped) > 0 {
		t.Fatalf("versions skipped as invalid: %+v", h.Skipped)
	}
	if len(h.Points) != 2 {
		t.Fatalf("%d points, want 2", len(h.Points))
	}
}
