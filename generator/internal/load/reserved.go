package load

import "slices"

// Level is where an id becomes a folder of the published site.
type Level string

// The levels of ids, with the path each id becomes.
const (
	DistrictLevel Level = "district"       // /<district>/
	RoundLevel    Level = "round"          // /<district>/<round>/
	ProblemLevel  Level = "problem"        // /<district>/<round>/<problem>/
	CommonLevel   Level = "common problem" // /<district>/common/<common>/
	UnitLevel     Level = "unit"           // /<district>/units/<unit>/
)

// Reserved is THE list of ids that would collide with a path or a file the
// site writes itself, by level: a district named data would overwrite
// /data/totals.json, a round named units the district's unit pages, and a
// problem named index would become its round's own page (Hugo reads a page
// named index as the page of its folder), which is why index is reserved
// at every level. generator/docs/DATA-FORMAT.md ("Reserved ids") lists the
// same ids; a test keeps the two in step.
var Reserved = map[Level][]string{
	DistrictLevel: {
		"404", "about", "assets", "css", "data", "en", "favicon", "feed", "fonts", "history", "img",
		"index", "js", "notices", "pagefind", "robots", "search", "sitemap", "static", "units", "zh", "zh-cn",
	},
	RoundLevel:   {"common", "index", "units"},
	ProblemLevel: {"index"},
	CommonLevel:  {"index"},
	UnitLevel:    {"index"},
}

// IsReserved reports whether id may not be used at level.
func IsReserved(level Level, id string) bool { return slices.Contains(Reserved[level], id) }
