package edition

import "github.com/xuncha/bulletin/generator/internal/model"

// Normalize settles visibility before either edition is built: a problem
// of an internal target is internal. Both editions then count the same
// problems as withheld, and their totals stay identical.
func Normalize(d *model.Data) {
	for _, dist := range d.Districts {
		for _, r := range dist.Rounds {
			internal := map[string]bool{}
			for _, t := range r.Targets {
				if t.Visibility == model.Internal {
					internal[t.ID] = true
				}
			}
			for _, p := range r.Problems {
				if internal[p.Target] || p.Withheld != "" {
					p.Visibility = model.Internal
				}
			}
		}
	}
}
