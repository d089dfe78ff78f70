package changes

import (
	"slices"

	"github.com/xuncha/bulletin/generator/internal/edition"
)

// InternalCounts are, per list of a public report, how many internal
// problems it counts without naming them.
type InternalCounts struct {
	Opened       int `json:"opened"`
	Rectified    int `json:"rectified"`
	Closed       int `json:"closed"`
	Reopened     int `json:"reopened"`
	NewlyOverdue int `json:"newly_overdue"`
	Extended     int `json:"extended"`
	Unexplained  int `json:"unexplained"`
	Removed      int `json:"removed"`
}

// Public returns the report of the public edition (what CI posts to a
// pull request, its job summary and its log): every internal problem —
// internal or withheld in the version the item comes from, or of an
// internal target — is taken out of the lists and only counted, so that
// its title, id and link appear nowhere. A district that is no longer in
// the newer version keeps its figures but loses its name, id and link
// (edition.RetractedDistricts), in the table and in the lists. The figures
// are those of both editions (internal problems are counted in them). r is
// not modified.
func (r *Report) Public() *Report {
	c := *r
	c.Edition = edition.PublicEdition
	c.Internal = &InternalCounts{}
	gone := map[string]bool{}
	c.Districts = slices.Clone(r.Districts)
	for i, d := range c.Districts {
		if d.After == nil {
			gone[d.ID] = true
			c.Districts[i].ID, c.Districts[i].Name, c.Districts[i].URL = "", edition.RetractedDistricts, ""
		}
	}
	keep := func(items []Problem, n *int) []Problem {
		var out []Problem
		for _, p := range items {
			if p.Internal {
				*n++
				continue
			}
			if gone[p.District] {
				p.District, p.DistrictName, p.URL = "", edition.RetractedDistricts, ""
			}
			out = append(out, p)
		}
		return out
	}
	in := c.Internal
	c.Opened = keep(r.Opened, &in.Opened)
	c.Rectified = keep(r.Rectified, &in.Rectified)
	c.Closed = keep(r.Closed, &in.Closed)
	c.Reopened = keep(r.Reopened, &in.Reopened)
	c.NewlyOverdue = keep(r.NewlyOverdue, &in.NewlyOverdue)
	c.Extended = keep(r.Extended, &in.Extended)
	c.Unexplained = keep(r.Unexplained, &in.Unexplained)
	c.Removed = keep(r.Removed, &in.Removed)
	return &c
}
