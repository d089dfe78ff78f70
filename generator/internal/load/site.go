package load

import (
	"net/url"
	"strings"

	"github.com/xuncha/bulletin/generator/internal/diag"
	"github.com/xuncha/bulletin/generator/internal/model"
	yaml "go.yaml.in/yaml/v3"
)

// Default deadline rules.
const (
	defaultMeasuresWorkingDays = 10
	defaultReportMonths        = 3
	defaultDueSoonDays         = 10
)

// site loads data/site.yaml. It always returns a site: with the defaults
// when the file is missing or refused.
func (l *loader) site(r *ref) *model.Site {
	p := l.display("site.yaml")
	whole := model.Node{Pos: diag.Pos{File: p, Line: 1, Col: 1}}
	s := &model.Site{Node: whole, File: p, Deadlines: model.Deadlines{
		Node:                whole,
		MeasuresWorkingDays: defaultMeasuresWorkingDays,
		ReportMonths:        defaultReportMonths,
		DueSoonDays:         defaultDueSoonDays,
	}}
	if r == nil {
		if l.readable {
			l.fileErr(p, "site.yaml is missing: the data folder needs one with at least the site's title")
		}
		return s
	}
	f, root := l.open(r)
	if root == nil {
		return s
	}
	m := f.record(root, siteKind)
	if m == nil {
		return s
	}
	s.Node = m.node
	s.Deadlines.Node = model.Node{Pos: m.node.Pos}
	s.Title = m.text("title")
	s.Publisher = m.text("publisher")
	s.BaseURL = m.baseURL("base_url")
	s.AsOf = m.date("as_of")
	if d := m.sub("deadlines", deadlinesKind); d != nil {
		s.Deadlines.Node = d.node
		if n, ok := d.whole("measures_working_days", 0, 1000); ok {
			s.Deadlines.MeasuresWorkingDays = n
		}
		if n, ok := d.whole("report_months", 0, 120); ok {
			s.Deadlines.ReportMonths = n
		}
		if n, ok := d.whole("due_soon_days", 0, 3660); ok {
			s.Deadlines.DueSoonDays = n
		}
	}
	for _, c := range m.items("calendar", calendarKind) {
		s.Calendar = append(s.Calendar, calendarYear(c))
	}
	if c := m.sub("contact", contactKind); c != nil {
		s.Contact = contact(c)
	}
	return s
}

// calendarYear decodes one year of the official holiday schedule. Every
// day must be in the year.
func calendarYear(c *rec) model.CalendarYear {
	y := model.CalendarYear{Node: c.node, Source: c.source("source")}
	year, ok := c.whole("year", 1900, 2200)
	y.Year = year
	var nodes []*yaml.Node
	y.Holidays, nodes = c.dates("holidays")
	if ok {
		inYear(c, "holiday", year, y.Holidays, nodes)
	}
	y.Workdays, nodes = c.dates("workdays")
	if ok {
		inYear(c, "workday", year, y.Workdays, nodes)
	}
	return y
}

func inYear(c *rec, what string, year int, days []model.Date, nodes []*yaml.Node) {
	for i, d := range days {
		if d.Year() != year {
			c.f.at(nodes[i], "%s %s is not in %d: list it under year %d", what, d, year, d.Year())
		}
	}
}

// baseURL returns an absolute http(s) URL ending in "/".
func (r *rec) baseURL(key string) string {
	v := r.scalar(key, "a URL")
	if v == nil {
		return ""
	}
	s := strings.TrimSpace(v.Value)
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" || strings.ContainsAny(s, " \t\n") {
		r.f.at(v, "%q must be an absolute http:// or https:// URL such as https://example.org/, got %s", key, describe(v))
		return ""
	}
	if !strings.HasSuffix(s, "/") {
		s += "/"
	}
	return s
}
