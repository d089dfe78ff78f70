// Package chart draws the history page's chart (view.History.Charts): the
// rectification rate over time as an inline SVG, one per interface
// language, its words taken from the templates' translation files
// (templates/i18n/*.yaml, keys history_chart_*).
package chart

import (
	"fmt"
	"html"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/template"

	"github.com/xuncha/bulletin/generator/internal/history"
	"github.com/xuncha/bulletin/generator/internal/model"
	yaml "go.yaml.in/yaml/v3"
)

// WordKeys are the keys of the chart's words in a translation file. Desc,
// Line and Point are templates, as Hugo's translations are: Desc gets
// .from, .to (dates) and .versions; Line .name, .first and .last (rates);
// Point .name, .date, .rate, .rectified and .found.
var WordKeys = []string{"history_chart_title", "history_chart_overall", "history_chart_desc", "history_chart_line", "history_chart_point"}

// Words are the chart's texts in one language.
type Words struct {
	Title, Overall    string
	Desc, Line, Point *template.Template
}

// ParseWords reads the chart's words from a language's translations (key
// → text). A missing key or a template that does not parse is an error.
func ParseWords(tr map[string]string) (Words, error) {
	for _, k := range WordKeys {
		if _, ok := tr[k]; !ok {
			return Words{}, fmt.Errorf("%s is missing", k)
		}
	}
	w := Words{Title: tr["history_chart_title"], Overall: tr["history_chart_overall"]}
	for _, t := range []struct {
		key string
		dst **template.Template
	}{{"history_chart_desc", &w.Desc}, {"history_chart_line", &w.Line}, {"history_chart_point", &w.Point}} {
		tmpl, err := template.New(t.key).Option("missingkey=error").Parse(tr[t.key])
		if err != nil {
			return Words{}, fmt.Errorf("%s: %v", t.key, err)
		}
		*t.dst = tmpl
	}
	return w, nil
}

// say runs one of the word templates.
func say(t *template.Template, data map[string]any) string {
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		return t.Name() // a key the words do not take: name the text rather than stop the build
	}
	return b.String()
}

type (
	// Point is one version of the data in the chart.
	Point = history.Point
	// Percent is a rate in percent with one decimal.
	Percent = history.Percent
)

// Chart geometry (SVG user units).
const (
	chartW      = 720
	chartH      = 360
	chartLeft   = 52  // room for the y labels
	chartRight  = 180 // room for the legend
	chartTop    = 20
	chartBottom = 44 // room for the x labels
	maxMarkers  = 60 // series with more points are drawn without markers
)

// Series colours (Okabe–Ito, readable by people with colour vision
// deficiencies) and dash patterns, so that lines differ by more than colour.
var (
	seriesColours = []string{"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C6D1F"}
	seriesDashes  = []string{"", "6 3", "2 3", "8 3 2 3"}
)

// History renders the rectification rate over time as an inline SVG line
// chart: the overall rate (thick) and each district's (thin, coloured and
// dashed), one point per day (the last data commit of the day). It is drawn
// on the server and needs no script; the same points give the same bytes.
//
// The chart is an image for assistive technology (role="img") named by its
// <title> and described by its <desc> (the first and last rate of each
// line); the template shows the figures as a table beside it for readers
// who need them. Ids inside start with "history-chart-": put one chart on a
// page. Points with no rate (nothing found yet) leave a gap. No points give
// "".
func History(points []Point, w Words) string {
	pts := lastOfDay(points)
	if len(pts) == 0 {
		return ""
	}
	series := chartSeries(pts, w.Overall)
	p := newPlot(pts, series)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="history-chart" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="history-chart-title history-chart-desc">`+"\n",
		chartW, chartH, chartW, chartH)
	fmt.Fprintf(&b, `<title id="history-chart-title">%s</title>`+"\n", esc(w.Title))
	fmt.Fprintf(&b, `<desc id="history-chart-desc">%s</desc>`+"\n", esc(describe(pts, series, w)))
	p.axes(&b)
	// Lines, districts first so that the overall line is on top.
	for i := len(series) - 1; i >= 0; i-- {
		p.line(&b, series[i], w)
	}
	legend(&b, series)
	b.WriteString("</svg>\n")
	return b.String()
}

// plot places the points in the chart's plot area.
type plot struct {
	pts         []Point
	yMin, step  float64 // the y axis runs from yMin to 100%, a grid line every step
	first, last int     // the days of the first and the last point
	w, h        float64 // the plot area
}

func newPlot(pts []Point, series []series) *plot {
	lo := 100.0
	for _, s := range series {
		for _, v := range s.values {
			if v != nil {
				lo = min(lo, float64(*v))
			}
		}
	}
	// The y axis runs from a multiple of ten below the lowest rate to 100%.
	p := &plot{pts: pts, yMin: math.Min(90, math.Floor(lo/10)*10), step: 2,
		first: dayNumber(pts[0].Date), last: dayNumber(pts[len(pts)-1].Date),
		w: float64(chartW - chartLeft - chartRight), h: float64(chartH - chartTop - chartBottom)}
	switch span := 100 - p.yMin; {
	case span >= 50:
		p.step = 10
	case span >= 20:
		p.step = 5
	}
	return p
}

func (p *plot) x(date string) float64 {
	if p.last == p.first {
		return chartLeft + p.w/2
	}
	return chartLeft + p.w*float64(dayNumber(date)-p.first)/float64(p.last-p.first)
}

func (p *plot) y(rate float64) float64 { return chartTop + p.h*(100-rate)/(100-p.yMin) }

// axes draws the grid and the labels of both axes.
func (p *plot) axes(b *strings.Builder) {
	b.WriteString(`<g class="history-chart-axes" font-family="sans-serif" font-size="11" fill="#333">` + "\n")
	for v := p.yMin; v <= 100+1e-9; v += p.step {
		yy := num(p.y(v))
		fmt.Fprintf(b, `<line x1="%d" y1="%s" x2="%s" y2="%s" stroke="#ddd" stroke-width="1"/>`+"\n", chartLeft, yy, num(chartLeft+p.w), yy)
		fmt.Fprintf(b, `<text x="%d" y="%s" text-anchor="end" dominant-baseline="middle">%s%%</text>`+"\n", chartLeft-6, yy, strconv.FormatFloat(v, 'f', -1, 64))
	}
	base := num(chartTop + p.h)
	fmt.Fprintf(b, `<line x1="%d" y1="%s" x2="%s" y2="%s" stroke="#999" stroke-width="1"/>`+"\n", chartLeft, base, num(chartLeft+p.w), base)
	for _, d := range xTicks(p.pts) {
		xx := num(p.x(d))
		fmt.Fprintf(b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#999" stroke-width="1"/>`+"\n", xx, base, xx, num(chartTop+p.h+4))
		fmt.Fprintf(b, `<text x="%s" y="%s" text-anchor="middle">%s</text>`+"\n", xx, num(chartTop+p.h+18), d)
	}
	b.WriteString("</g>\n")
}

// line draws one series: its path, broken where there is no rate, and a
// marker with its figures at each point (when there are few enough).
func (p *plot) line(b *strings.Builder, s series, w Words) {
	fmt.Fprintf(b, `<g class="history-chart-series" fill="none" stroke="%s" stroke-width="%s"`, s.colour, s.width)
	if s.dash != "" {
		fmt.Fprintf(b, ` stroke-dasharray="%s"`, s.dash)
	}
	b.WriteString(">\n")
	var path strings.Builder
	pen := false
	for j, v := range s.values {
		if v == nil {
			pen = false
			continue
		}
		cmd := "L"
		if !pen {
			cmd = "M"
		}
		if path.Len() > 0 {
			path.WriteByte(' ')
		}
		fmt.Fprintf(&path, "%s%s %s", cmd, num(p.x(p.pts[j].Date)), num(p.y(float64(*v))))
		pen = true
	}
	if path.Len() > 0 {
		fmt.Fprintf(b, `<path d="%s"/>`+"\n", path.String())
	}
	if len(p.pts) <= maxMarkers {
		for j, v := range s.values {
			if v == nil {
				continue
			}
			fmt.Fprintf(b, `<circle cx="%s" cy="%s" r="2.5" fill="%s" stroke="none"><title>%s</title></circle>`+"\n",
				num(p.x(p.pts[j].Date)), num(p.y(float64(*v))), s.colour,
				esc(say(w.Point, map[string]any{"name": s.name, "date": p.pts[j].Date, "rate": v.String(), "rectified": s.rectified[j], "found": s.found[j]})))
		}
	}
	b.WriteString("</g>\n")
}

// legend draws a sample of each line, its name and its last rate.
func legend(b *strings.Builder, series []series) {
	b.WriteString(`<g class="history-chart-legend" font-family="sans-serif" font-size="12" fill="#333">` + "\n")
	lx := chartW - chartRight + 16
	for i, s := range series {
		ly := chartTop + 8 + i*18
		if ly > chartH-chartBottom {
			break // more districts than room: the table lists them all
		}
		fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="%s"`, lx, ly, lx+24, ly, s.colour, s.width)
		if s.dash != "" {
			fmt.Fprintf(b, ` stroke-dasharray="%s"`, s.dash)
		}
		b.WriteString("/>\n")
		fmt.Fprintf(b, `<text x="%d" y="%d" dominant-baseline="middle">%s %s</text>`+"\n", lx+30, ly, esc(s.name), esc(s.lastText()))
	}
	b.WriteString("</g>\n")
}

// series is one line of the chart.
type series struct {
	name             string
	colour, dash     string
	width            string
	values           []*Percent // per point; nil: no rate
	found, rectified []int
}

func (s series) lastText() string {
	for i := len(s.values) - 1; i >= 0; i-- {
		if s.values[i] != nil {
			return s.values[i].String() + "%"
		}
	}
	return "—"
}

// chartSeries makes the overall line and one line per district that appears
// in any point, in id order.
func chartSeries(pts []Point, overallName string) []series {
	overall := series{name: overallName, colour: "#222", width: "3"}
	var ids []string
	names := map[string]string{}
	for _, p := range pts {
		overall.values = append(overall.values, p.Overall.Rate)
		overall.found = append(overall.found, p.Overall.Found)
		overall.rectified = append(overall.rectified, p.Overall.Rectified)
		for _, d := range p.Districts {
			if _, ok := names[d.ID]; !ok {
				ids = append(ids, d.ID)
			}
			names[d.ID] = d.Name // the newest name
		}
	}
	slices.Sort(ids)
	out := []series{overall}
	for i, id := range ids {
		s := series{name: names[id], colour: seriesColours[i%len(seriesColours)],
			dash: seriesDashes[(i/len(seriesColours)+i)%len(seriesDashes)], width: "1.5"}
		if s.name == "" {
			s.name = id
		}
		for _, p := range pts {
			var v *Percent
			f, r := 0, 0
			for _, d := range p.Districts {
				if d.ID == id {
					v, f, r = d.Rate, d.Found, d.Rectified
				}
			}
			s.values = append(s.values, v)
			s.found = append(s.found, f)
			s.rectified = append(s.rectified, r)
		}
		out = append(out, s)
	}
	return out
}

// lastOfDay keeps the last point of each day, in date order (points are
// oldest first; a commit dated earlier than the one before it is placed by
// its date). Points with a bad date are left out.
func lastOfDay(points []Point) []Point {
	out := slices.DeleteFunc(slices.Clone(points), func(p Point) bool { return dayNumber(p.Date) < 0 })
	slices.SortStableFunc(out, func(a, b Point) int { return strings.Compare(a.Date, b.Date) })
	dedup := out[:0]
	for _, p := range out {
		if n := len(dedup); n > 0 && dedup[n-1].Date == p.Date {
			dedup[n-1] = p
			continue
		}
		dedup = append(dedup, p)
	}
	return dedup
}

// dayNumber is the number of days since 1970-01-01, or -1 for a bad date.
func dayNumber(s string) int {
	d, err := model.ParseDate(s)
	if err != nil {
		return -1
	}
	return int(d.Time().Unix() / 86400)
}

// xTicks picks up to five dates of the points to label, evenly spread,
// always the first and the last.
func xTicks(pts []Point) []string {
	if len(pts) <= 5 {
		out := make([]string, len(pts))
		for i, p := range pts {
			out[i] = p.Date
		}
		return out
	}
	var out []string
	for k := range 5 {
		out = append(out, pts[k*(len(pts)-1)/4].Date)
	}
	return out
}

// describe says in words what the chart shows.
func describe(pts []Point, series []series, w Words) string {
	first, last := pts[0], pts[len(pts)-1]
	var b strings.Builder
	b.WriteString(say(w.Desc, map[string]any{"from": first.Date, "to": last.Date, "versions": len(pts)}))
	for _, s := range series {
		from, to := "—", s.lastText()
		for _, v := range s.values {
			if v != nil {
				from = v.String() + "%"
				break
			}
		}
		b.WriteString(say(w.Line, map[string]any{"name": s.name, "first": from, "last": to}))
	}
	return b.String()
}

// num formats a coordinate with at most one decimal.
func num(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }

func esc(s string) string { return html.EscapeString(s) }

// ReadWords reads the chart's words of the language code from its
// translation file in dir (templates/i18n/<code>.yaml). A translation is a
// text, or Hugo's plural map of which "other" is taken.
func ReadWords(dir, code string) (Words, error) {
	p := filepath.Join(dir, code+".yaml")
	b, err := os.ReadFile(p)
	if err != nil {
		return Words{}, err
	}
	var raw map[string]any
	if err := yaml.Unmarshal(b, &raw); err != nil {
		return Words{}, fmt.Errorf("%s: %v", p, err)
	}
	tr := map[string]string{}
	for k, v := range raw {
		switch v := v.(type) {
		case string:
			tr[k] = v
		case map[string]any:
			if s, ok := v["other"].(string); ok {
				tr[k] = s
			}
		}
	}
	w, err := ParseWords(tr)
	if err != nil {
		return Words{}, fmt.Errorf("%s: %v", p, err)
	}
	return w, nil
}
