package validate

import (
	"path/filepath"

	"github.com/xuncha/bulletin/generator/internal/diag"
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
			c.add(u.At("id"), "unit id %s is listed twice in units.yaml (first at line %d)", diag.Value(u.ID), first.At("id").Line)
			continue
		}
		ctx.units[u.ID] = u
		if u.Visibility != model.Internal {
			ctx.unitIDs = append(ctx.unitIDs, u.ID) // internal ones are never listed in messages
		}
		who := diag.Named{Kind: "unit", ID: diag.Value(u.ID)}
		for i, n := range u.Notices {
			c.notAfterAsOfIn(n.At("date"), who, "notice date", n.Date)
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
// the district's units.yaml, and no unit twice. Messages about a target of
// an internal unit never quote its ids: CI logs are public.
func (c *checker) targetUnits(ctx *districtCtx, r *model.Round) {
	seen := map[string]*model.Target{}
	for _, t := range r.Targets {
		if t == nil || t.Unit == "" {
			continue
		}
		pos := t.At("unit")
		who := diag.Named{Kind: "target", ID: diag.Value(t.ID)}
		unit := diag.Value(t.Unit)
		u := ctx.units[t.Unit]
		add := c.errs.Add
		if t.Visibility == model.Internal || (u != nil && u.Visibility == model.Internal) {
			add = c.errs.AddInternal
		}
		switch {
		case ctx.dist.UnitsFile == "":
			add(pos, "%s: unit %s, but district %q has no units.yaml: list the unit in %s", who, unit, ctx.dist.ID, unitsPath(ctx.dist))
			continue
		case u == nil:
			add(pos, "%s: unit %s is not in %s (units: %s)", who, unit, ctx.dist.UnitsFile, list(ctx.unitIDs))
			continue
		}
		if t.Visibility == model.Internal && u.Visibility != model.Internal {
			add(t.At("visibility"), "%s: visibility internal, but its unit %s is public and its page lists every round that inspected it: mark the unit internal in units.yaml, or remove unit: from this target", who, unit)
		}
		if first, dup := seen[t.Unit]; dup {
			add(pos, "%s: unit %s is already target %s of round %q (line %d): a round inspects a unit once", who, unit, diag.Value(first.ID), r.ID, first.At("unit").Line)
			continue
		}
		seen[t.Unit] = t
	}
}

// unitsPath is where a district's units.yaml goes, as the user would write it.
func unitsPath(d *model.District) string {
	return filepath.Join(filepath.Dir(d.File), "units.yaml")
}
