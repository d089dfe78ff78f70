// Package edition makes the public edition (向社会公开) of the records.
//
// THE RULE: the public edition is built from Redact(data), never from data.
// Redact returns a copy of the records from which all internal matter has
// been removed: every `internal:` field, every internal unit of units.yaml,
// the name and unit of every internal target,
// and every word of every internal problem (title, description, category,
// measures, history notes, review opinions, extension reasons, id). What is
// left of an internal problem is what the totals need — its status, dates,
// deadline facts and withholding reason — so both editions count every
// problem and show identical totals, while no code after this point, and no
// template, can print internal text: it was never given it.
//
// If you add a field to the records that may carry internal matter, clear it
// here; TestRedactClearsEveryString (edition_test.go) walks the model by
// reflection and fails when a string field of an internal record survives.
package edition

import "github.com/xuncha/bulletin/generator/internal/model"

// Redact returns the public edition of d. d is not modified.
func Redact(d *model.Data) *model.Data {
	out := &model.Data{Dir: d.Dir}
	site := *d.Site
	out.Site = &site
	for _, dist := range d.Districts {
		out.Districts = append(out.Districts, district(dist))
	}
	return out
}

func district(d *model.District) *model.District {
	c := *d
	c.Internal = nil
	c.Rounds = nil
	for _, r := range d.Rounds {
		rc := round(r)
		rc.District = &c
		c.Rounds = append(c.Rounds, rc)
	}
	c.Units = nil
	for _, u := range d.Units {
		if u.Visibility == model.Internal {
			continue // an internal unit is not even named
		}
		uc := *u
		uc.Internal = nil
		c.Units = append(c.Units, &uc)
	}
	c.Commons = nil
	for _, cp := range d.Commons {
		cc := *cp
		cc.District = &c
		c.Commons = append(c.Commons, &cc)
	}
	return &c
}

func round(r *model.Round) *model.Round {
	c := *r
	c.Internal = nil
	c.Targets = nil
	for _, t := range r.Targets {
		tc := *t
		tc.Internal = nil
		if t.Visibility == model.Internal {
			tc.Name = ""
			tc.Unit = "" // not tied to its unit's page either
		}
		c.Targets = append(c.Targets, &tc)
	}
	c.Problems = nil
	for _, p := range r.Problems {
		var pc *model.Problem
		if Internal(r, p) {
			pc = stub(p)
		} else {
			cp := *p
			cp.Internal = nil
			pc = &cp
		}
		pc.Round = &c
		c.Problems = append(c.Problems, pc)
	}
	return &c
}

// stub keeps of an internal problem only what the totals need.
func stub(p *model.Problem) *model.Problem {
	s := &model.Problem{
		Target:     p.Target,
		Status:     p.Status,
		Due:        p.Due,
		Common:     p.Common,
		Visibility: model.Internal,
		Withheld:   p.Withheld,
	}
	for _, h := range p.History {
		s.History = append(s.History, model.HistoryEntry{Date: h.Date, Status: h.Status, Revisit: h.Revisit})
	}
	for _, e := range p.Extensions {
		s.Extensions = append(s.Extensions, model.Extension{Approved: e.Approved, Due: e.Due})
	}
	for _, r := range p.Reviews {
		s.Reviews = append(s.Reviews, model.Review{Date: r.Date, Result: r.Result})
	}
	return s
}
