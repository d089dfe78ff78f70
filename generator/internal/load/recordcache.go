package load

import "github.com/xuncha/bulletin/generator/internal/model"

// keep records the round or common problem decoded from the file, and lets
// go of its YAML tree: while the file does not change, every load hands out
// a copy of the record (the tree was only needed to decode it), and a tree
// costs several times the record's memory.
func (c *cachedFile) keep(r *model.Round, cp *model.CommonProblem) {
	c.round, c.common, c.root = r, cp, nil
}

// handOutRound is a round kept by a record Cache, for one load in district
// d: the round, its targets and its problems are copies, so that what the
// load's caller does to them never reaches the kept round nor an earlier
// load's model. check does write them: edition.Normalize marks a target
// internal when its unit (another file, units.yaml) is, and a problem when
// its target is. What they point to (measures, history, positions …) is
// shared: nothing after load writes it.
func handOutRound(kept *model.Round, d *model.District) *model.Round {
	rd := *kept
	rd.District = d
	if kept.Targets != nil { // a round without them has none, as parsed
		targets := make([]model.Target, len(kept.Targets))
		rd.Targets = make([]*model.Target, len(kept.Targets))
		for i, t := range kept.Targets {
			targets[i] = *t
			rd.Targets[i] = &targets[i]
		}
	}
	if kept.Problems == nil {
		return &rd
	}
	problems := make([]model.Problem, len(kept.Problems))
	rd.Problems = make([]*model.Problem, len(kept.Problems))
	for i, p := range kept.Problems {
		problems[i] = *p
		problems[i].Round = &rd
		rd.Problems[i] = &problems[i]
	}
	return &rd
}

// handOutCommon is a common problem kept by a record Cache, for one load
// in district d (see handOutRound).
func handOutCommon(kept *model.CommonProblem, d *model.District) *model.CommonProblem {
	cp := *kept
	cp.District = d
	return &cp
}
