package chart

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/history"
)

func pct(v float64) *Percent { p := Percent(v); return &p }

type (
	Figures       = history.Figures
	DistrictPoint = history.DistrictPoint
)

// words reads the chart's words of a language from the templates.
func words(t *testing.T, code string) Words {
	t.Helper()
	w, err := ReadWords("../../../../templates/i18n", code)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// TestWordsPerLanguage: the chart speaks the page's language, with the
// words of the translation files.
func TestWordsPerLanguage(t *testing.T) {
	pts := []Point{{Date: "2024-01-02", Overall: Figures{Found: 10, Rectified: 5, Rate: pct(50)},
		Districts: []DistrictPoint{{ID: "a", Name: "甲区", Figures: Figures{Found: 10, Rectified: 5, Rate: pct(50)}}}}}
	en := History(pts, words(t, "en"))
	for _, want := range []string{
		`<title id="history-chart-title">Rectification rate over time</title>`,
		`<desc id="history-chart-desc">Rectification rate from 2024-01-02 to 2024-01-02, 1 versions of the data. Overall: 50.0% → 50.0%. 甲区: 50.0% → 50.0%.</desc>`,
		`<title>Overall 2024-01-02: 50.0% (5/10)</title>`,
	} {
		if !strings.Contains(en, want) {
			t.Errorf("English chart: missing %q in\n%s", want, en)
		}
	}
	if strings.Contains(en, "整改") || strings.Contains(en, "全部") {
		t.Errorf("English chart has Chinese interface words:\n%s", en)
	}
	if _, err := ParseWords(map[string]string{"history_chart_title": "T"}); err == nil {
		t.Error("ParseWords accepted a translation without the other keys")
	}
}

// synthDate is the date day days after 2020-01-01, in 28-day months.
func synthDate(day int) string {
	y, m, d := 2020, 1, 1+day
	for d > 28 {
		d -= 28
		m++
		if m > 12 {
			m = 1
			y++
		}
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}

func TestHistorySVG(t *testing.T) {
	zh := words(t, "zh-cn")
	pt := func(date string, overall *Percent, ds ...DistrictPoint) Point {
		return Point{Date: date, Overall: Figures{Found: 10, Rectified: 9, Rate: overall}, Districts: ds}
	}
	d := func(id, name string, rate *Percent) DistrictPoint {
		return DistrictPoint{ID: id, Name: name, Figures: Figures{Found: 4, Rectified: 3, Rate: rate}}
	}
	tests := []struct {
		name    string
		points  []Point
		want    []string // substrings
		notWant []string
		paths   int
		moveTos int // "M" commands over all paths
	}{
		{name: "no points", points: nil},
		{name: "one point", points: []Point{pt("2024-01-02", pct(50), d("a", "甲区", pct(75)))},
			want:  []string{`role="img"`, `<title id="history-chart-title">`, `<desc id="history-chart-desc">整改完成率，2024-01-02至2024-01-02，1个数据版本。全部（overall）：50.0%→50.0%。甲区：75.0%→75.0%。</desc>`, `<circle cx="296" `},
			paths: 2, moveTos: 2},
		{name: "gaps where there is no rate, names escaped, last of the day",
			points: []Point{
				pt("2024-01-01", nil, d("b", "<乙&区>", nil)),
				pt("2024-01-02", pct(10), d("b", "<乙&区>", pct(20)), d("a", "甲区", pct(30))),
				pt("2024-01-02", pct(12), d("b", "<乙&区>", pct(20)), d("a", "甲区", pct(30))),
				pt("2024-01-03", nil, d("a", "甲区", pct(40))),
				pt("2024-01-05", pct(100), d("a", "甲区", pct(100)), d("b", "<乙&区>", pct(99.5))),
			},
			want:    []string{"&lt;乙&amp;区&gt;", ">10%</text>", ">100%</text>", "2024-01-05</text>", "全部（overall）：12.0%→100.0%"},
			notWant: []string{"<乙", "：10.0%"},
			paths:   3, moveTos: 5},
	}
	for _, tt := range tests {
		got := History(tt.points, zh)
		if tt.points == nil {
			if got != "" {
				t.Errorf("%s: got %q, want \"\"", tt.name, got)
			}
			continue
		}
		if again := History(tt.points, zh); again != got {
			t.Errorf("%s: not deterministic", tt.name)
		}
		dec := xml.NewDecoder(strings.NewReader(got))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s: not well-formed XML: %v\n%s", tt.name, err, got)
			}
		}
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: missing %q in\n%s", tt.name, w, got)
			}
		}
		for _, w := range tt.notWant {
			if strings.Contains(got, w) {
				t.Errorf("%s: unexpected %q", tt.name, w)
			}
		}
		if n := strings.Count(got, "<path "); n != tt.paths {
			t.Errorf("%s: %d paths, want %d", tt.name, n, tt.paths)
		}
		moves := 0
		for _, part := range strings.Split(got, `d="`)[1:] {
			path, _, _ := strings.Cut(part, `"`)
			moves += strings.Count(path, "M")
		}
		if moves != tt.moveTos {
			t.Errorf("%s: %d line starts, want %d", tt.name, moves, tt.moveTos)
		}
	}
}

func TestHistorySVGManyPoints(t *testing.T) {
	var pts []Point
	for i := range 400 {
		date := synthDate(i)
		r := Percent(float64(i%100) / 2)
		pts = append(pts, Point{Date: date, Overall: Figures{Rate: &r}})
	}
	got := History(pts, words(t, "zh-cn"))
	if strings.Contains(got, "<circle") {
		t.Error("markers drawn for 400 points")
	}
	if !strings.Contains(got, ">0%</text>") || strings.Count(got, "text-anchor=\"middle\"") != 5 {
		t.Errorf("axes: want a 0%% label and five date labels")
	}
}
