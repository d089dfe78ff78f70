package edition

import "github.com/xuncha/bulletin/generator/internal/model"

// Normalize settles visibility before either edition is built: every
// target that is an internal unit (units.yaml) gets visibility internal, and
// every problem for which Internal holds gets visibility internal. Both editions
// then count the same problems as withheld, and their totals stay identical.
func Normalize(d *model.Data) {
	for _, dist := range d.Districts {
		for _, r := range dist.Rounds {
			for _, t := range r.Targets {
				// A target that is an internal unit is an internal target.
				if u := dist.TargetUnit(t); u != nil && u.Visibility == model.Internal {
					t.Visibility = model.Internal
				}
			}
		}
		for _, r := range dist.Rounds {
			for _, p := range r.Problems {
				if Internal(r, p) {
					p.Visibility = model.Internal
				}
			}
		}
	}
}

// Internal reports whether a problem of round r is internal matter: it says
// so (visibility internal), carries a reason for withholding, or belongs to
// a unit that is itself internal.
func Internal(r *model.Round, p *model.Problem) bool {
	if p.Visibility == model.Internal || p.Withheld != "" {
		return true
	}
	for _, t := range r.Targets {
		if t.ID == p.Target && t.Visibility == model.Internal {
			return true
		}
	}
	return false
}
