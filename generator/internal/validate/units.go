package validate

import (
	"fmt"
	"path/filepath"

	"github.com/xuncha/bulletin/generator/internal/model"
)

// units checks data/<district>/units.yaml: one entry per unit id, notices
// newest first and not after as_of. It fills ctx.units for the targets'
// checks.
func (c *checker) units(ctx *districtCtx) {
	ctx.units = map[string]*model.Unit{}
	for _, u := range ctx.dist.Units {
		if u == nil {
			continue
		}
		if first, dup := ctx.units[u.ID]; dup {
			c.add(u.At("id"), "unit id %q is listed twice in units.yaml (first at line %d)", u.ID, first.At("id").Line)
			continue
		}
		ctx.units[u.ID] = u
		ctx.unitIDs = append(ctx.unitIDs, u.ID)
		who := fmt.Sprintf("unit %q", u.ID)
		for i, n := range u.Notices {
			c.notAfterAsOf(n.At("date"), who+": notice date", n.Date)
			if i > 0 {
				prev := u.Notices[i-1].Date
				if !n.Date.IsZero() && !prev.IsZero() && n.Date.After(prev) {
					c.add(n.At("date"), "%s: notice date %s is after the previous notice's date %s (notices are newest first)", who, n.Date, prev)
				}
			}
		}
	}
}

// targetUnits checks that each target of r that names a unit names one of
// the district's units.yaml, and no unit twice.
func (c *checker) targetUnits(ctx *districtCtx, r *model.Round) {
	seen := map[string]*model.Target{}
	for _, t := range r.Targets {
		if t == nil || t.Unit == "" {
			continue
		}
		pos := t.At("unit")
		switch {
		case ctx.dist.UnitsFile == "":
			c.add(pos, "target %q: unit %q, but district %q has no units.yaml: list the unit in %s", t.ID, t.Unit, ctx.dist.ID, unitsPath(ctx.dist))
			continue
		case ctx.units[t.Unit] == nil:
			c.add(pos, "target %q: unit %q is not in %s (units: %s)", t.ID, t.Unit, ctx.dist.UnitsFile, list(ctx.unitIDs))
			continue
		}
		if u := ctx.units[t.Unit]; t.Visibility == model.Internal && u.Visibility != model.Internal {
			c.add(t.At("visibility"), "target %q: visibility internal, but its unit %q is public and its page lists every round that inspected it: mark the unit internal in units.yaml, or remove unit: from this target", t.ID, t.Unit)
		}
		if first, dup := seen[t.Unit]; dup {
			c.add(pos, "target %q: unit %q is already target %q of round %q (line %d): a round inspects a unit once", t.ID, t.Unit, first.ID, r.ID, first.At("unit").Line)
			continue
		}
		seen[t.Unit] = t
	}
}

// unitsPath is where a district's units.yaml goes, as the user would write it.
func unitsPath(d *model.District) string {
	return filepath.Join(filepath.Dir(d.File), "units.yaml")
}
