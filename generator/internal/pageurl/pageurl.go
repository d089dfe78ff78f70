// Package pageurl is the site's URL scheme, written once. Every page's path
// is built here — by the view (aggregate), the history phase, the change
// report, the notices and the Hugo content laid out by the pipeline — so
// that they cannot disagree.
//
// A path is from the site root, without a leading "/", and ends with "/"
// (templates pass it through relLangURL): "chancheng/2019-r1/p01/".
package pageurl

import "strings"

// CommonSegment is the folder of a district's common problems:
// "chancheng/common/".
const CommonSegment = "common"

// UnitsSegment is the folder of a district's unit pages (units.yaml):
// "chancheng/units/".
const UnitsSegment = "units"

// The site's own pages.
const (
	History = "history/"
	Search  = "search/"
	Notices = "notices/" // the list of dated notices (通报)
)

// Notice is the dated notice of as_of asOf (YYYY-MM-DD).
func Notice(asOf string) string { return Notices + asOf + "/" }

// NoticeCompare is the page that sets that notice beside the current
// figures.
func NoticeCompare(asOf string) string { return Notice(asOf) + "compare/" }

// District is a district's page.
func District(district string) string { return district + "/" }

// Round is a round's page.
func Round(district, round string) string { return District(district) + round + "/" }

// Problem is a problem's page.
func Problem(district, round, problem string) string { return Round(district, round) + problem + "/" }

// Commons is the page listing a district's common problems.
func Commons(district string) string { return District(district) + CommonSegment + "/" }

// Common is a common problem's page.
func Common(district, common string) string { return Commons(district) + common + "/" }

// Units is the page listing a district's units.
func Units(district string) string { return District(district) + UnitsSegment + "/" }

// Unit is a unit's page, across the rounds that inspected it.
func Unit(district, unit string) string { return Units(district) + unit + "/" }

// Section is the Hugo content file of a page that has pages below it (the
// home page "", a district, a round, the commons): "chancheng/_index.md".
func Section(path string) string { return path + "_index.md" }

// Leaf is the Hugo content file of a page with none below it (a problem, a
// common problem, the history and search pages): "chancheng/r1/p01.md".
func Leaf(path string) string { return strings.TrimSuffix(path, "/") + ".md" }
