package pipeline

import (
	"strings"

	"github.com/xuncha/bulletin/generator/internal/hugosite"
	"github.com/xuncha/bulletin/generator/internal/view"
)

// DefaultShardProblems is build's default --shard-problems: Hugo's share
// of the peak memory is about that of one such shard, which keeps a
// 300,000-problem data set under 6 GB.
const DefaultShardProblems = 20000

// CachedShardProblems is build's default --shard-problems with
// --shard-cache: every district a shard of its own (no district is split),
// so that an edit renders its district again and the others come from the
// cache. At 20,000 problems in 6 districts a cold build costs about 15%
// more CPU than one site; a one-title edit rebuilds in about 28% of it.
const CachedShardProblems = 1

// problemCount is what a district weighs in a shard: its problem pages
// (counted also when their page data was not computed).
func problemCount(d *view.District) int { return d.ProblemPageCount }

// shardGroups cuts the districts, in order, into runs of at most max
// problem pages (a district with more is a run of its own); max <= 0 is
// one run of all.
func shardGroups(ds []*view.District, max int) [][]int {
	var groups [][]int
	var cur []int
	n := 0
	for i, d := range ds {
		c := problemCount(d)
		if max > 0 && len(cur) > 0 && n+c > max {
			groups = append(groups, cur)
			cur, n = nil, 0
		}
		cur = append(cur, i)
		n += c
	}
	if len(cur) > 0 {
		groups = append(groups, cur)
	}
	return groups
}

// shardOf is the Hugo shard of the districts of b at indexes idx: their
// pages keep the weights they have in the whole site.
func shardOf(b *view.Bulletin, idx []int) hugosite.Shard {
	sh := hugosite.Shard{Pages: func() []hugosite.Page {
		var pages []hugosite.Page
		for _, i := range idx {
			pages = append(pages, districtPages(i, b.Districts[i])...)
		}
		return pages
	}}
	for _, i := range idx {
		sh.Dirs = append(sh.Dirs, strings.TrimSuffix(b.Districts[i].URL, "/"))
	}
	return sh
}
