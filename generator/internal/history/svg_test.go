package history

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

func pct(v float64) *Percent { p := Percent(v); return &p }

func TestHistorySVG(t *testing.T) {
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
		got := HistorySVG(tt.points)
		if tt.points == nil {
			if got != "" {
				t.Errorf("%s: got %q, want \"\"", tt.name, got)
			}
			continue
		}
		if again := HistorySVG(tt.points); again != got {
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
	got := HistorySVG(pts)
	if strings.Contains(got, "<circle") {
		t.Error("markers drawn for 400 points")
	}
	if !strings.Contains(got, ">0%</text>") || strings.Count(got, "text-anchor=\"middle\"") != 5 {
		t.Errorf("axes: want a 0%% label and five date labels")
	}
}
