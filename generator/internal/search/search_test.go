package search

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/golden")

func TestTerms(t *testing.T) {
	for _, c := range []struct {
		in   string
		want [][]string
	}{
		{"调休", [][]string{{"调", "休"}}},
		{"污水 管网", [][]string{{"污", "水"}, {"管", "网"}}},
		{"PPP项目2019年", [][]string{{"ppp", "项", "目", "2019", "年"}}},
		{"ＰＰＰ １２３", [][]string{{"ppp"}, {"123"}}},
		{"村、社区", [][]string{{"村"}, {"社", "区"}}},
		{"<script>", [][]string{{"script"}}},
		{"  ，。 ", nil},
	} {
		if got := Terms(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Terms(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestGolden: every file of a small index, as written. The postings can be
// read by eye: see the package comment.
func TestGolden(t *testing.T) {
	dir := t.TempDir()
	docs := []Doc{
		{Title: "污水管网", URL: "d/r/p1/", Meta: "区 · 轮", Label: "status_rectified", Snippet: "污水<管网>", Text: []string{"污水管网", "管网、污水 PPP"}, Untranslated: true},
		{Title: "调休", URL: "d/r/p2/", Text: []string{"调休", "污水"}},
		{Title: "水务局", URL: "d/units/w/", Meta: "区", Label: "target", Text: []string{"水务局"}},
	}
	if err := Write(dir, docs); err != nil {
		t.Fatal(err)
	}
	got := listFiles(t, dir)
	var b strings.Builder
	names := make([]string, 0, len(got))
	for n := range got {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&b, "-- %s --\n%s", filepath.ToSlash(n), got[n])
	}
	golden := filepath.Join("testdata", "golden.txt")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if b.String() != string(want) {
		t.Errorf("index differs from %s (run with -update after checking):\n%s", golden, b.String())
	}
}

// posting is one document of a key's postings, as read back from the files.
type posting struct {
	Doc int
	Pos []int // a pair's positions
}

// readIndex reads every key's postings back from the files under dir.
func readIndex(t *testing.T, dir string) (meta map[string]int, keys map[string][]posting) {
	t.Helper()
	root := filepath.Join(dir, Dir)
	readJSON(t, filepath.Join(root, "meta.json"), &meta)
	keys = map[string][]posting{}
	for s := 0; s < meta["shards"]; s++ {
		var shard map[string]json.RawMessage
		if !readJSON(t, filepath.Join(root, "idx", fmt.Sprintf("%d.json", s)), &shard) {
			continue
		}
		for k, raw := range shard {
			if got := ShardOf(k, meta["shards"]); got != s {
				t.Errorf("key %q in shard %d, belongs in %d", k, s, got)
			}
			var nums []int
			if json.Unmarshal(raw, &nums) == nil {
				keys[k] = decode(k, nums)
				continue
			}
			var long struct {
				N, F int
				B    []int
			}
			if err := json.Unmarshal(raw, &long); err != nil {
				t.Fatalf("key %q: %v", k, err)
			}
			var all []posting
			for j, start := range long.B {
				var nums []int
				readJSON(t, filepath.Join(root, "blk", fmt.Sprintf("%d-%d.json", long.F, j)), &nums)
				ps := decode(k, nums)
				if ps[0].Doc != start {
					t.Errorf("key %q block %d starts at document %d, its entry says %d", k, j, ps[0].Doc, start)
				}
				all = append(all, ps...)
			}
			if len(all) != long.N {
				t.Errorf("key %q: %d documents in its blocks, its entry says %d", k, len(all), long.N)
			}
			keys[k] = all
		}
	}
	return meta, keys
}

func decode(k string, nums []int) []posting {
	var out []posting
	doc := 0
	for i := 0; i < len(nums); {
		doc += nums[i]
		i++
		p := posting{Doc: doc}
		if isPair(k) {
			n := nums[i]
			i++
			pos := 0
			for _, d := range nums[i : i+n] {
				pos += d
				p.Pos = append(p.Pos, pos)
			}
			i += n
		}
		out = append(out, p)
	}
	return out
}

func readJSON(t *testing.T, p string, v any) bool {
	t.Helper()
	b, err := os.ReadFile(p)
	if os.IsNotExist(err) {
		return false
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	return true
}

// TestPositions: a pair's positions tell adjacent tokens from tokens a
// separator or another text keeps apart.
func TestPositions(t *testing.T) {
	dir := t.TempDir()
	if err := Write(dir, []Doc{{Text: []string{"专项资金，扶贫", "资金扶贫"}}}); err != nil {
		t.Fatal(err)
	}
	_, keys := readIndex(t, dir)
	// 专1 项2 资3 金4, ，skips 5, 扶6 贫7; the next text skips 8: 资9 金10 扶11 贫12.
	for k, want := range map[string][]posting{
		"专项": {{0, []int{1}}},
		"资金": {{0, []int{3, 9}}},
		"金扶": {{0, []int{10}}},
		"扶贫": {{0, []int{6, 11}}},
		"资":  {{0, nil}},
		"项资": {{0, []int{2}}},
		"贫资": nil, // the end of one text and the start of the next are not adjacent
	} {
		if got := keys[k]; !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %v, want %v", k, got, want)
		}
	}
}

// TestLongListsAndShardsGrow: many documents make more shards, each near
// ShardBytes, and a key in every document is cut into blocks that hold
// every document.
func TestLongListsAndShardsGrow(t *testing.T) {
	dir := t.TempDir()
	var docs []Doc
	const n = 3000
	for i := range n {
		// A common phrase in every document, and rare numbers.
		docs = append(docs, Doc{URL: fmt.Sprintf("p%d/", i), Text: []string{fmt.Sprintf("整改专项资金 第%d项 编号%d", i, i*7919%100003)}})
	}
	if err := Write(dir, docs); err != nil {
		t.Fatal(err)
	}
	meta, keys := readIndex(t, dir)
	if meta["docs"] != n || meta["shards"] < 4 {
		t.Errorf("meta %v: want %d docs and several shards", meta, n)
	}
	if got := len(keys["专项"]); got != n {
		t.Errorf("专项 in %d documents, want %d", got, n)
	}
	for i, p := range keys["专项"] {
		if p.Doc != i || !reflect.DeepEqual(p.Pos, []int{3}) {
			t.Fatalf("专项 posting %d = %v, want {%d [3]}", i, p, i)
		}
	}
	if got := keys["1234"]; len(got) != 1 || got[0].Doc != 1234 {
		t.Errorf("1234: %v, want document 1234", got)
	}
	files := listFiles(t, dir)
	for name, body := range files {
		if strings.Contains(name, "idx") && len(body) > 2*ShardBytes {
			t.Errorf("%s is %d bytes, want about %d", name, len(body), ShardBytes)
		}
		if strings.Contains(name, "blk") && len(body) > BlockBytes+200 {
			t.Errorf("%s is %d bytes, want about %d", name, len(body), BlockBytes)
		}
	}
}

// TestAddAllocatesPerDocument: adding a long document whose keys are known
// allocates a few times, not once per character.
func TestAddAllocatesPerDocument(t *testing.T) {
	x := NewIndex()
	text := strings.Repeat("巡察发现污水管网配套未跟上，专项资金使用不规范。PPP项目2019年", 40)
	d := Doc{Title: "t", Text: []string{text, text}}
	for range 200 {
		x.Add(d) // grow the lists first
	}
	if a := testing.AllocsPerRun(100, func() { x.Add(d) }); a > 5 {
		t.Errorf("Add of a %d-character document: %.0f allocations", 2*len([]rune(text)), a)
	}
}

// TestWriterMatchesWrite: the caching writer of the preview writes the same
// files as a fresh Write, and removes the files a smaller index no longer has.
func TestWriterMatchesWrite(t *testing.T) {
	docs := func(n int) []Doc {
		var ds []Doc
		for i := 0; i < n; i++ {
			ds = append(ds, Doc{Title: "污水管网" + string(rune('a'+i%26)), URL: "d/r/p/", Text: []string{"污水管网建设", "调休", fmt.Sprint(i)}})
		}
		return ds
	}
	fresh, cached := t.TempDir(), t.TempDir()
	w := NewWriter()
	for _, n := range []int{4500, 3} {
		if err := w.Write(cached, docs(n)); err != nil {
			t.Fatal(err)
		}
	}
	if err := Write(fresh, docs(3)); err != nil {
		t.Fatal(err)
	}
	a, b := listFiles(t, fresh), listFiles(t, cached)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("the caching writer left a different index:\n%v\n%v", len(a), len(b))
	}
}

func listFiles(t *testing.T, dir string) map[string]string {
	out := map[string]string{}
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			out[rel] = string(b)
		}
		return nil
	})
	return out
}

// TestEmpty: an edition with nothing to search still has a shard to read.
func TestEmpty(t *testing.T) {
	dir := t.TempDir()
	if err := Write(dir, nil); err != nil {
		t.Fatal(err)
	}
	got := listFiles(t, dir)
	want := map[string]string{
		filepath.Join(Dir, "meta.json"):     `{"version":3,"docs":0,"chunk":10,"shards":1}` + "\n",
		filepath.Join(Dir, "idx", "0.json"): "{}\n",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("empty index: %q, want %q", got, want)
	}
}

// TestStoreWriter: the writer with a store (the build with --shard-cache)
// writes the same index as Write, each file a hard link to the store's
// file of its bytes; a second index of the same documents adds nothing to
// the store, and one of a document more adds only the files that
// changed; a store file cut short is written again; the writer used again
// on its own folder replaces its files and leaves the store's as they
// were.
func TestStoreWriter(t *testing.T) {
	docs := func(n int) []Doc {
		var ds []Doc
		for i := range n {
			ds = append(ds, Doc{Title: fmt.Sprint("问题", i), URL: fmt.Sprintf("d/r/p%d/", i), Text: []string{"污水管网建设", fmt.Sprint("第", i, "项")}})
		}
		return ds
	}
	root := t.TempDir()
	store := filepath.Join(root, "store")
	write := func(dir string, n int) map[string]bool {
		t.Helper()
		used := map[string]bool{}
		if err := NewStoreWriter(store, func(name string) { used[name] = true }).Write(dir, docs(n)); err != nil {
			t.Fatal(err)
		}
		return used
	}
	storeFiles := func() map[string]string {
		t.Helper()
		return listFiles(t, store)
	}
	plain, first := filepath.Join(root, "plain"), filepath.Join(root, "first")
	if err := Write(plain, docs(2000)); err != nil {
		t.Fatal(err)
	}
	used := write(first, 2000)
	want := listFiles(t, plain)
	if got := listFiles(t, first); !reflect.DeepEqual(got, want) {
		t.Fatalf("the index written through the store differs from Write's (%d files, want %d)", len(got), len(want))
	}
	stored := storeFiles()
	if len(used) != len(stored) || len(stored) < 100 {
		t.Fatalf("%d store files used, %d in the store", len(used), len(stored))
	}
	linked := func(dir string) {
		t.Helper()
		for rel, body := range listFiles(t, dir) {
			sum := sha256.Sum256([]byte(body))
			a, err1 := os.Stat(filepath.Join(dir, rel))
			b, err2 := os.Stat(filepath.Join(store, hex.EncodeToString(sum[:])))
			if err1 != nil || err2 != nil || !os.SameFile(a, b) {
				t.Errorf("%s is not a link to the store's file of its bytes (%v %v)", rel, err1, err2)
				return
			}
		}
	}
	linked(first)

	if write(filepath.Join(root, "again"), 2000); len(storeFiles()) != len(stored) {
		t.Errorf("the same index again: the store grew from %d to %d files", len(stored), len(storeFiles()))
	}
	grown := write(filepath.Join(root, "grown"), 2001)
	added := 0
	for name := range grown {
		if !used[name] {
			added++
		}
	}
	if n := len(storeFiles()); n != len(stored)+added || added == 0 || added > len(stored)/5 {
		t.Errorf("a document more: %d new files used, the store has %d, had %d", added, n, len(stored))
	}

	// A store file cut short, as by a cache restored in part.
	var victim string
	for name := range used {
		victim = name
		break
	}
	if err := os.Truncate(filepath.Join(store, victim), 1); err != nil {
		t.Fatal(err)
	}
	repaired := filepath.Join(root, "repaired")
	write(repaired, 2000)
	if got := listFiles(t, repaired); !reflect.DeepEqual(got, want) {
		t.Errorf("over a damaged store file: the index differs")
	}
	linked(repaired)

	// The writer again on its own folder, with other documents.
	before := storeFiles()
	w := NewStoreWriter(store, nil)
	for _, n := range []int{2000, 5} {
		if err := w.Write(first, docs(n)); err != nil {
			t.Fatal(err)
		}
	}
	for name, body := range before {
		if storeFiles()[name] != body {
			t.Errorf("store file %s changed when its index was written again", name)
		}
	}
	// (It leaves files of the bigger index behind, as Write into a used
	// folder does: the build writes into an empty folder.)
	fresh := filepath.Join(root, "fresh")
	if err := Write(fresh, docs(5)); err != nil {
		t.Fatal(err)
	}
	got := listFiles(t, first)
	for rel, body := range listFiles(t, fresh) {
		if got[rel] != body {
			t.Errorf("%s: not replaced", rel)
		}
	}
}
