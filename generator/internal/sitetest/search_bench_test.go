package sitetest

// Search benchmarks (not timed tests; .ci/bench runs them, BENCH=Search for
// these alone). On synthetic records with a varied vocabulary
// (synth.Options.Varied) of 20k and 100k problems, the real site is built,
// and Pagefind 1.6 indexes the same built site (its Chinese pages, from
// <main>). In Debian Chromium (.ci/browser/search-bench.js), for ten Chinese
// queries of 2 to 6 characters, each in a fresh browser:
//
//	BenchmarkSearch/SIZE/index     index files and bytes, ours and Pagefind's
//	BenchmarkSearch/SIZE/q=QUERY   bytes fetched to show the first 20 results
//	                               (gzip, as served), and precision and recall
//	                               over the problem pages
//
// A problem page is relevant to a query when its record text (title,
// description, unit, category, measures, history notes) holds the query
// as typed: strings.Contains, nothing shared with the engines. Pagefind is
// measured as typed and in quotes (its exact phrase search).
// BenchmarkSearchIndex times writing the index of the same records.
//
// Pagefind: $PAGEFIND, or `npm i pagefind@1.6.0` into the benchmark's temp
// folder. The figures land in .ci/artifacts/search-SIZE.md too.

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/edition"

	"github.com/xuncha/bulletin/generator/internal/pipeline"
	"github.com/xuncha/bulletin/generator/internal/search"
	"github.com/xuncha/bulletin/generator/internal/synth"
)

var searchSizes = []struct {
	name     string
	problems int
}{{"20k", 20000}, {"100k", 100000}}

// searchQueries: common and rare words of synth's varied vocabulary, and
// phrases that cross its words (扶贫专项资金: 扶贫 + 专项资金).
var searchQueries = []string{
	"资金", "扶贫", "林业", "残疾人", "违规借出", "专项资金", "挤占挪用", "林业补助", "扶贫专项资金", "体育设施闲置",
}

type searchFixture struct {
	dir            string
	docsOnce, once sync.Once
	docsErr, err   error
	docs           []search.Doc
	site           string              // the built site, with pagefind/ beside search/
	relevant       map[string][]string // query → problem pages whose record text holds it
	results        map[string]map[string]engineResult
}

type engineResult struct {
	Bytes    int      `json:"bytes"`
	Requests int      `json:"requests"`
	Found    int      `json:"found"`
	URLs     []string `json:"urls"`
}

var (
	searchFixturesMu sync.Mutex
	searchFixtures   = map[int]*searchFixture{}
)

// getSearchFixture returns the records of a size and their documents; with
// site, also the built site, Pagefind's index and the browser's figures.
func getSearchFixture(b *testing.B, problems int, site bool) *searchFixture {
	b.Helper()
	dir := benchDir(b)
	searchFixturesMu.Lock()
	f := searchFixtures[problems]
	if f == nil {
		f = &searchFixture{dir: filepath.Join(dir, fmt.Sprintf("search%d", problems))}
		searchFixtures[problems] = f
	}
	searchFixturesMu.Unlock()
	f.docsOnce.Do(func() { f.docsErr = f.makeDocs(problems) })
	if f.docsErr != nil {
		b.Fatal(f.docsErr)
	}
	if site {
		f.once.Do(func() { f.err = f.makeSite(b) })
		if f.err != nil {
			b.Fatal(f.err)
		}
	}
	return f
}

func (f *searchFixture) makeDocs(problems int) error {
	dir := f.dir
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	data := filepath.Join(dir, "data")
	if err := synth.Write(data, synth.Options{Problems: problems, Varied: true}); err != nil {
		return err
	}
	checked, errs := pipeline.Check(pipeline.Config{Data: data})
	if len(errs) > 0 {
		return fmt.Errorf("synthetic data does not pass check:\n%s", errs)
	}
	f.docs = search.Docs(pipeline.Bulletin(checked, edition.PublicEdition))
	f.relevant = map[string][]string{}
	for _, d := range f.docs {
		if strings.Count(d.URL, "/") != 3 {
			continue // not a problem page
		}
		text := strings.Join(d.Text, "\n")
		for _, q := range searchQueries {
			if strings.Contains(text, q) {
				f.relevant[q] = append(f.relevant[q], d.URL)
			}
		}
	}
	return nil
}

func (f *searchFixture) makeSite(b *testing.B) error {
	dir, data := f.dir, filepath.Join(f.dir, "data")
	r := root(b)
	built := filepath.Join(dir, "public")
	if _, err := pipeline.Build(pipeline.Config{
		Data: data, Content: filepath.Join(r, "content"), Templates: filepath.Join(r, "templates"), Out: built,
	}); err != nil {
		return err
	}
	// Pagefind indexes the Chinese pages (a copy of hard links without
	// /en/), from <main> as ours does from the records.
	f.site = filepath.Join(dir, "site")
	if out, err := exec.Command("cp", "-al", built, f.site).CombinedOutput(); err != nil {
		return fmt.Errorf("cp: %v\n%s", err, out)
	}
	if err := os.RemoveAll(filepath.Join(f.site, "en")); err != nil {
		return err
	}
	pf, err := pagefindBinary(dir)
	if err != nil {
		return err
	}
	if out, err := exec.Command(pf, "--site", f.site, "--root-selector", "main", "--quiet").CombinedOutput(); err != nil {
		return fmt.Errorf("pagefind: %v\n%s", err, out)
	}

	qs := filepath.Join(dir, "queries.json")
	js, _ := json.Marshal(searchQueries)
	if err := os.WriteFile(qs, js, 0o644); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(r, ".ci", "browser", "node_modules", "playwright-core")); err != nil {
		return fmt.Errorf("playwright-core is missing: run (cd .ci/browser && npm ci --ignore-scripts), as .ci/bench does")
	}
	cmd := exec.Command("node", filepath.Join(r, ".ci", "browser", "search-bench.js"), "--site", f.site, "--queries", qs, "--pagefind")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("search-bench.js: %v\n%s", err, stderr.String())
	}
	return json.Unmarshal(out, &f.results)
}

// pagefindBinary is $PAGEFIND, or Pagefind 1.6.0 installed with npm into a
// folder of the benchmark (never into the project).
func pagefindBinary(dir string) (string, error) {
	if p := os.Getenv("PAGEFIND"); p != "" {
		return p, nil
	}
	prefix := filepath.Join(filepath.Dir(dir), "pagefind")
	bin := filepath.Join(prefix, "node_modules", ".bin", "pagefind")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	if out, err := exec.Command("npm", "i", "--prefix", prefix, "--no-audit", "--no-fund", "pagefind@1.6.0").CombinedOutput(); err != nil {
		return "", fmt.Errorf("npm i pagefind: %v\n%s", err, out)
	}
	return bin, nil
}

// dirSize counts the files under dir that match keep, their bytes, and
// their bytes gzip-compressed (as served; Pagefind's are gzip already).
func dirSize(dir string, keep func(rel string) bool) (files int, raw, gz int64) {
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		if !keep(filepath.ToSlash(rel)) {
			return nil
		}
		body, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		files++
		raw += int64(len(body))
		if len(body) > 2 && body[0] == 0x1f && body[1] == 0x8b {
			gz += int64(len(body))
		} else {
			var buf bytes.Buffer
			w := gzip.NewWriter(&buf)
			w.Write(body)
			w.Close()
			gz += int64(buf.Len())
		}
		return nil
	})
	return
}

// precisionRecall over the problem pages: found against relevant.
func precisionRecall(found, relevant []string) (p, r float64, hits int) {
	rel := map[string]bool{}
	for _, u := range relevant {
		rel[u] = true
	}
	n := 0
	for _, u := range found {
		if strings.Count(u, "/") != 3 {
			continue
		}
		n++
		if rel[u] {
			hits++
		}
	}
	p, r = 1, 1
	if n > 0 {
		p = float64(hits) / float64(n)
	}
	if len(relevant) > 0 {
		r = float64(hits) / float64(len(relevant))
	}
	return p, r, hits
}

func BenchmarkSearch(b *testing.B) {
	for _, s := range searchSizes {
		b.Run(s.name, func(b *testing.B) {
			f := getSearchFixture(b, s.problems, true)
			var table strings.Builder
			fmt.Fprintf(&table, "Search at %s problems (%d documents in our index)\n\n", s.name, len(f.docs))
			b.Run("index", func(b *testing.B) {
				for range b.N {
				}
				files, raw, gz := dirSize(filepath.Join(f.site, search.Dir), func(rel string) bool { return rel != "index.html" })
				pfFiles, pfRaw, pfGz := dirSize(filepath.Join(f.site, "pagefind"), func(rel string) bool {
					return !strings.Contains(rel, "-ui") && !strings.Contains(rel, "highlight")
				})
				b.ReportMetric(float64(files), "files")
				b.ReportMetric(float64(raw)/1e6, "MB")
				b.ReportMetric(float64(gz)/1e6, "gz-MB")
				b.ReportMetric(float64(pfFiles), "pagefind-files")
				b.ReportMetric(float64(pfGz)/1e6, "pagefind-gz-MB")
				fmt.Fprintf(&table, "index: ours %d files, %.1f MB (%.1f MB gzip); Pagefind %d files, %.1f MB (%.1f MB gzip)\n\n",
					files, float64(raw)/1e6, float64(gz)/1e6, pfFiles, float64(pfRaw)/1e6, float64(pfGz)/1e6)
			})
			fmt.Fprintf(&table, "| query | relevant | ours KB | found | precision | recall | Pagefind KB | found | precision | recall | Pagefind \"exact\" KB | found | precision | recall |\n")
			fmt.Fprintf(&table, "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
			for _, q := range searchQueries {
				b.Run("q="+q, func(b *testing.B) {
					for range b.N {
					}
					rel := f.relevant[q]
					b.ReportMetric(float64(len(rel)), "relevant")
					fmt.Fprintf(&table, "| %s | %d ", q, len(rel))
					for _, e := range []struct{ name, metric string }{{"ours", ""}, {"pagefind", "pagefind-"}, {"pagefind-exact", "pagefind-exact-"}} {
						res := f.results[q][e.name]
						p, r, _ := precisionRecall(res.URLs, rel)
						b.ReportMetric(float64(res.Bytes)/1024, e.metric+"KB")
						b.ReportMetric(p, e.metric+"precision")
						b.ReportMetric(r, e.metric+"recall")
						fmt.Fprintf(&table, "| %.1f | %d | %.3f | %.3f ", float64(res.Bytes)/1024, res.Found, p, r)
					}
					fmt.Fprintf(&table, "|\n")
				})
			}
			b.Log("\n" + table.String())
			os.MkdirAll(filepath.Join(root(b), ".ci", "artifacts"), 0o755)
			os.WriteFile(filepath.Join(root(b), ".ci", "artifacts", "search-"+s.name+".md"), []byte(table.String()), 0o644)
		})
	}
}

// BenchmarkSearchIndex: writing the search index of the varied records
// (what the build does beside Hugo), with its allocations.
func BenchmarkSearchIndex(b *testing.B) {
	for _, s := range searchSizes {
		b.Run(s.name, func(b *testing.B) {
			f := getSearchFixture(b, s.problems, false)
			out := b.TempDir()
			b.Logf("relevant problem pages: %v", relevantCounts(f))
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if err := search.Write(out, f.docs); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func relevantCounts(f *searchFixture) string {
	var parts []string
	for _, q := range searchQueries {
		parts = append(parts, fmt.Sprintf("%s %d", q, len(f.relevant[q])))
	}
	return strings.Join(parts, ", ")
}
