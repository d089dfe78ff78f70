package sitetest

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// TestUnknownIsNotZero builds a site from records whose figures are mostly
// not published (testdata/unknown/records.txtar) and walks every page, JSON
// and CSV file of both editions. It fails on any 0 in a figure and on any
// rate the records do not support: they hold no 0 at all, and the only
// rates they support are the printed 98% and 2,663 ÷ 2,688 = 99.1%.
func TestUnknownIsNotZero(t *testing.T) {
	ar, err := txtar.ParseFile(filepath.Join("testdata", "unknown", "records.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := project(t, ar)
	for _, ed := range []string{"public", "internal"} {
		out := "out-" + ed
		if r := run(t, dir, "build", "--edition", ed, "--out", out); r.code != 0 {
			t.Fatalf("build %s: %d\n%s", ed, r.code, r.stderr)
		}
		n := 0
		walkFiles(t, filepath.Join(dir, out), func(rel string, data []byte) {
			var bad []string
			switch filepath.Ext(rel) {
			case ".html":
				bad = badInPage(string(data))
			case ".json":
				bad = badInJSON(t, rel, data)
			case ".csv":
				bad = badInCSV(t, data)
			case ".xml":
				bad = badRates(stripTags(string(data)))
			default:
				return
			}
			n++
			for _, b := range bad {
				t.Errorf("%s %s: %s", ed, rel, b)
			}
		})
		t.Logf("%s: %d files walked (pages, JSON, CSV, feeds)", ed, n)
		if n < 20 {
			t.Fatalf("%s: walked only %d files", ed, n)
		}
	}
}

// supportedRates are the only rates the records support.
var supportedRates = map[string]bool{"98": true, "99.1": true}

var (
	rateRE     = regexp.MustCompile(`(\d+(?:\.\d+)?)\s*%`)
	tagRE      = regexp.MustCompile(`(?s)<[^>]*>`)
	cellRE     = regexp.MustCompile(`(?s)<(dd|td)\b[^>]*>(.*?)</(dd|td)>`)
	zeroRE     = regexp.MustCompile(`(^|[^\d.,])0($|[^\d.%])`)
	listedFigs = regexp.MustCompile(`(?s)<figure class="chart" aria-labelledby="chart-(status|deadline)-cap">.*?</figure>`)
)

func stripTags(s string) string { return tagRE.ReplaceAllString(s, " ") }

func badRates(text string) []string {
	var bad []string
	for _, m := range rateRE.FindAllStringSubmatch(text, -1) {
		if !supportedRates[m[1]] {
			bad = append(bad, "unsupported rate "+m[0])
		}
	}
	return bad
}

// badInPage checks a page's text for unsupported rates and its figure
// cells (dd, td) for zeros. The charts of the problems listed one by one
// are left out: their percentages are of the problems listed, and say so.
func badInPage(page string) []string {
	page = listedFigs.ReplaceAllString(page, "")
	if i := strings.Index(page, "<main"); i >= 0 {
		page = page[i:]
	}
	bad := badRates(stripTags(page))
	for _, m := range cellRE.FindAllStringSubmatch(page, -1) {
		text := strings.TrimSpace(stripTags(m[2]))
		if zeroRE.MatchString(text) {
			bad = append(bad, fmt.Sprintf("0 in a figure: <%s>%s", m[1], text))
		}
	}
	return bad
}

// figureKeys are the keys of totals.json that hold figures.
var figureKeys = map[string]bool{
	"found": true, "rectified": true, "rate": true, "overdue": true, "rate_found": true,
	"basically_done": true, "not_done": true, "long_term": true, "in_progress": true,
	// Counts of listed problems that totals.json gives as figures of the whole.
	"due_soon": true, "extended": true, "reopened": true,
}

func badInJSON(t *testing.T, rel string, data []byte) []string {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	var bad []string
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if n, ok := e.(float64); ok && figureKeys[k] {
					switch {
					case k == "rate" && !supportedRates[fmt.Sprint(n)]:
						bad = append(bad, fmt.Sprintf("%s.%s: unsupported rate %v", path, k, n))
					case n == 0:
						bad = append(bad, fmt.Sprintf("%s.%s: 0", path, k))
					}
				}
				walk(path+"."+k, e)
			}
		case []any:
			for i, e := range x {
				walk(fmt.Sprintf("%s[%d]", path, i), e)
			}
		}
	}
	walk("", v)
	return bad
}

// badInCSV checks every cell: no rate the records do not support, and no
// figure column with 0.
func badInCSV(t *testing.T, data []byte) []string {
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(data), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var bad []string
	for i, row := range rows[1:] {
		for j, cell := range row {
			bad = append(bad, badRates(cell)...)
			if figureKeys[rows[0][j]] && cell == "0" {
				bad = append(bad, fmt.Sprintf("row %d, %s: 0", i+2, rows[0][j]))
			}
		}
	}
	return bad
}
