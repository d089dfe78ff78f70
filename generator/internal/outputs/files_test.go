package outputs

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/view"
)

// TestFilesOneDistrictAtATime: the files written district by district
// (Create, Add, Close: what merge does, with one district's page data in
// memory at a time) are those of the whole Bulletin at once, byte for
// byte: every problem's CSV row in order, and a feed of the latest
// FeedEntries history entries although they are spread over the
// districts and each district alone has more than FeedEntries. So are
// they when a district comes as its Part (what a build with
// --shard-cache keeps of a district whose records did not change), alone
// or beside districts that come with their page data.
func TestFilesOneDistrictAtATime(t *testing.T) {
	for _, tc := range []struct {
		name string
		part func(i int) bool // district i goes in as its Part
	}{
		{"page data", func(int) bool { return false }},
		{"parts", func(int) bool { return true }},
		{"mixed", func(i int) bool { return i == 1 }},
	} {
		t.Run(tc.name, func(t *testing.T) { testFilesOneDistrictAtATime(t, tc.part) })
	}
}

func testFilesOneDistrictAtATime(t *testing.T, part func(int) bool) {
	b := &view.Bulletin{Site: view.Site{Title: "测试", BaseURL: "https://example.org/", AsOf: "2025-06-30", Edition: "public"}}
	for di := range 3 {
		d := &view.District{Link: view.Link{ID: fmt.Sprintf("d%d", di), URL: fmt.Sprintf("d%d/", di)}, Name: fmt.Sprintf("地区%d", di)}
		r := &view.Round{Link: view.Link{ID: "r1", Title: "第一轮", URL: d.URL + "r1/"}}
		for pi := range 150 {
			p := &view.Problem{Link: view.Link{ID: fmt.Sprintf("p%03d", pi), Title: fmt.Sprintf("问题%d，\"引号\", =公式", pi), URL: fmt.Sprintf("%sr1/p%03d/", d.URL, pi)}, Status: "rectifying"}
			for hi := range 2 {
				// Dates interleave the districts: the latest 200 of the
				// site come from all three.
				day := 1 + (pi*7+di*3+hi*11)%28
				p.History = append(p.History, view.HistoryEntry{Date: fmt.Sprintf("2025-%02d-%02d", 1+(pi+di)%6, day), Status: "rectifying"})
			}
			r.ProblemPages = append(r.ProblemPages, p)
		}
		d.RoundPages = []*view.Round{r}
		b.Districts = append(b.Districts, d)
	}
	dir := t.TempDir()
	f, err := Create(dir, b)
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range b.Districts {
		// Each district goes in alone, as merge gives them.
		add := func() error { return f.Add(d) }
		if part(i) {
			p, err := PartOf(b.Site.BaseURL, d)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Changes) != FeedEntries {
				t.Errorf("%s's part has %d changes, want its latest %d", d.ID, len(p.Changes), FeedEntries)
			}
			add = func() error { return f.AddPart(p) }
		}
		if err := add(); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	wantCSV, err := ProblemsCSV(b)
	if err != nil {
		t.Fatal(err)
	}
	wantFeed, err := Feed(b)
	if err != nil {
		t.Fatal(err)
	}
	wantTotals, err := Totals(b)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]byte{ProblemsPath: wantCSV, FeedPath: wantFeed, TotalsPath: wantTotals} {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s written one district at a time differs from the whole Bulletin's", name)
		}
	}
	if n := bytes.Count(wantCSV, []byte("\r\n")); n != 1+450 {
		t.Errorf("problems.csv has %d lines, want a header and 450 problems", n)
	}
	if n := bytes.Count(wantFeed, []byte("<entry>")); n != FeedEntries {
		t.Errorf("the feed has %d entries, want %d", n, FeedEntries)
	}
	for _, d := range b.Districts {
		if !strings.Contains(string(wantFeed), d.Name) {
			t.Errorf("the feed has no entry of %s: the test's dates no longer spread the latest changes over the districts", d.Name)
		}
	}
}
