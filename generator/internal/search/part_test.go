package search

import (
	"fmt"
	"reflect"
	"testing"
)

// TestAddPart: an index of documents added in parts made apart (PartOf,
// AddPart: what a build keeps of a district whose records did not change)
// writes the same files as one of the documents added one by one, whether
// every run comes as a part or only some; the parts share keys, have keys
// of their own, pairs with several positions and long lists cut into
// blocks.
func TestAddPart(t *testing.T) {
	var runs [][]Doc
	for r := range 4 {
		var docs []Doc
		for i := range 700 * (r%2 + 1) {
			docs = append(docs, Doc{Title: fmt.Sprintf("问题%d", i), URL: fmt.Sprintf("d%d/r/p%d/", r, i), Meta: "地区", Label: "status_rectified",
				Snippet: "片段", Untranslated: i%3 == 0,
				Text: []string{fmt.Sprintf("整改专项资金 第%d项 地区%d 编号%d", i, r, i*7919%100003), "资金资金专项", fmt.Sprint("word", r)}})
		}
		runs = append(runs, docs)
	}
	write := func(x *Index) map[string]string {
		t.Helper()
		dir := t.TempDir()
		if err := (&Writer{}).WriteIndex(dir, x); err != nil {
			t.Fatal(err)
		}
		return listFiles(t, dir)
	}
	whole := NewIndex()
	for _, docs := range runs {
		for _, d := range docs {
			whole.Add(d)
		}
	}
	want := write(whole)
	for _, tc := range []struct {
		name string
		part func(r int) bool
	}{
		{"every run a part", func(int) bool { return true }},
		{"runs 1 and 2 parts", func(r int) bool { return r == 1 || r == 2 }},
		{"the first run added, the rest parts", func(r int) bool { return r > 0 }},
	} {
		x := NewIndex()
		for r, docs := range runs {
			if tc.part(r) {
				x.AddPart(PartOf(docs))
				continue
			}
			for _, d := range docs {
				x.Add(d)
			}
		}
		if got := write(x); !reflect.DeepEqual(got, want) {
			n := 0
			for name := range want {
				if got[name] != want[name] {
					n++
				}
			}
			t.Errorf("%s: %d of %d files differ from the index of the documents added one by one", tc.name, n, len(want))
		}
	}
}
