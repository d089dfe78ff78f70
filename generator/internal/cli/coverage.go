package cli

import (
	"fmt"
	"strings"

	"github.com/xuncha/bulletin/generator/internal/view"
)

// Coverage says what a district's (or the site's) totals cover: each
// figure with the rounds it sums, and which figures are not published or
// cannot be computed. check prints it per district.
//
//	found 723 (1 of 2 rounds; 1 not published), rectified not published,
//	rate cannot be computed, overdue unknown (2 rounds not published)
func Coverage(t view.Totals) string {
	of := func(known int) string {
		if known == t.Rounds {
			return "all " + rounds(t.Rounds)
		}
		return fmt.Sprintf("%d of %s; %d not published", known, rounds(t.Rounds), t.Rounds-known)
	}
	var parts []string
	switch {
	case t.Found == nil:
		parts = append(parts, "found not published")
	default:
		parts = append(parts, fmt.Sprintf("found %d (%s)", *t.Found, of(t.FoundRounds)))
	}
	switch {
	case t.Rectified == nil:
		parts = append(parts, "rectified not published")
	case t.RectifiedComplete:
		parts = append(parts, fmt.Sprintf("rectified %d", *t.Rectified))
	default:
		parts = append(parts, fmt.Sprintf("rectified %d (some rounds not published)", *t.Rectified))
	}
	switch {
	case t.Rate == nil && t.Found != nil && *t.Found == 0:
		parts = append(parts, "rate cannot be computed (found 0)")
	case t.Rate == nil:
		parts = append(parts, "rate not published")
	case t.RateComplete:
		parts = append(parts, "rate "+t.RateText)
	default:
		parts = append(parts, fmt.Sprintf("rate %s over the %d problems of %s whose completion is published", t.RateText, *t.RateFound, rounds(t.RateRounds)))
	}
	switch {
	case t.Overdue == nil:
		parts = append(parts, fmt.Sprintf("overdue unknown (%s not published)", rounds(t.OverdueUnknownRounds)))
	case t.OverdueComplete:
		parts = append(parts, fmt.Sprintf("overdue %d", *t.Overdue))
	default:
		parts = append(parts, fmt.Sprintf("overdue %d (%d more %s not published)", *t.Overdue, t.OverdueUnknownRounds, strings.TrimPrefix(rounds(t.OverdueUnknownRounds), fmt.Sprint(t.OverdueUnknownRounds, " "))))
	}
	return strings.Join(parts, ", ")
}

func rounds(n int) string {
	if n == 1 {
		return "1 round"
	}
	return fmt.Sprintf("%d rounds", n)
}
