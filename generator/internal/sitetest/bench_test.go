package sitetest

// Speed benchmarks (not timed tests: CI does not run them; .ci/bench does).
//
// Each runs on synthetic data (package synth) of 1k and 20k problems,
// generated once per size per run, and is paired with a yardstick:
//
//	BenchmarkCheck        pipeline.Check             vs BenchmarkBareYAML: read every .yaml, decode into yaml.Node,
//	                                                    one file after another; and BenchmarkBareYAMLParallel:
//	                                                    the same on as many goroutines as check's loader uses
//	BenchmarkCheckOneWorker check, its loader reading vs BenchmarkBareYAML
//	                      one file at a time
//	BenchmarkBuild        pipeline.Build, real site  vs BenchmarkBareHugo: hugosite.Build of a bare site rendering
//	                                                    the same problem pages (one per problem, in the records'
//	                                                    language; sections in every interface language) from one
//	                                                    JSON file, minimal layouts
//	BenchmarkCheckProcess the generator's check      vs BenchmarkBareYAMLProcess: testdata/bareyaml (bareYAML
//	                                                    as a program)
//	BenchmarkBuildProcess the generator binary       vs BenchmarkBareHugoProcess: testdata/barehugo
//	BenchmarkRender       Hugo's part of Build alone  vs BenchmarkBareHugo
//	                      (pipeline.RenderSite: the pages, templates and
//	                      content, the view data computed beforehand)
//
// BenchmarkRender and BenchmarkBareHugo report allocations per build
// (allocs/op), which, unlike time, do not move with other work on a shared
// machine: the templates' cost shows in them (each action costs a few) even
// when CPU figures are noise. .ci/bench prints their ratio.
//
// The *Process benchmarks run a binary built once per run and report its
// peak resident memory (maxrss-MB) and the CPU time it used (cpu-s/op, less
// sensitive than ns/op to other work on the machine). Aims (issue "Speed"):
// build ≤ 1.5× bare Hugo, check ≤ 1.2× bare YAML (issue #14), build's maxrss ≤ 2× bare
// Hugo's. .ci/bench prints the ratios. BenchmarkCheck and
// BenchmarkCheckOneWorker run with the check command's garbage collector
// target (check.TuneGC), the yardsticks with Go's default. check's loader reads round and common
// problem files on runtime.GOMAXPROCS goroutines (load.WithWorkers); the
// yardstick of the aim stays sequential, and the two like-for-like ratios
// (one worker against sequential YAML, all workers against parallel YAML)
// are printed beside it.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	yaml "go.yaml.in/yaml/v3"

	"github.com/xuncha/bulletin/generator/internal/check"
	"github.com/xuncha/bulletin/generator/internal/edition"
	"github.com/xuncha/bulletin/generator/internal/hugosite"
	"github.com/xuncha/bulletin/generator/internal/load"
	"github.com/xuncha/bulletin/generator/internal/model"
	"github.com/xuncha/bulletin/generator/internal/pipeline"
	"github.com/xuncha/bulletin/generator/internal/synth"
)

var benchSizes = []struct {
	name     string
	problems int
}{{"1k", 1000}, {"20k", 20000}}

// benchTmp is the folder shared by every benchmark of a run: the data of
// each size and the binaries. TestMain removes it, unless it was given as
// $BULLETIN_BENCH_DIR (kept, for profiling the binaries by hand).
var (
	benchTmpOnce sync.Once
	benchTmp     string
	benchTmpErr  error
	benchTmpKeep = os.Getenv("BULLETIN_BENCH_DIR") != ""
)

// binDirs are the folders generatorBinary built into.
var binDirs []string

func TestMain(m *testing.M) {
	code := m.Run()
	if benchTmp != "" && !benchTmpKeep {
		os.RemoveAll(benchTmp)
	}
	for _, d := range binDirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}

func benchDir(b *testing.B) string {
	b.Helper()
	benchTmpOnce.Do(func() {
		if benchTmpKeep {
			benchTmp = os.Getenv("BULLETIN_BENCH_DIR")
			benchTmpErr = os.MkdirAll(benchTmp, 0o755)
			return
		}
		benchTmp, benchTmpErr = os.MkdirTemp("", "bulletin-bench-")
	})
	if benchTmpErr != nil {
		b.Fatal(benchTmpErr)
	}
	return benchTmp
}

// fixture is the data of one size: the synthetic records and the bare Hugo
// site made from them.
type fixture struct {
	once  sync.Once
	err   error
	dir   string // holds data/ and bare/; the binaries run here
	data  string // synthetic data folder
	bare  string // bare site: templates/, content/, site.json
	pages int    // problem pages rendered (one per problem)
}

var (
	fixturesMu sync.Mutex
	fixtures   = map[int]*fixture{}
)

func getFixture(b *testing.B, problems int) *fixture {
	b.Helper()
	dir := benchDir(b)
	fixturesMu.Lock()
	f := fixtures[problems]
	if f == nil {
		f = &fixture{}
		fixtures[problems] = f
	}
	fixturesMu.Unlock()
	f.once.Do(func() { f.err = f.make(root(b), filepath.Join(dir, fmt.Sprintf("n%d", problems)), problems) })
	if f.err != nil {
		b.Fatal(f.err)
	}
	return f
}

func (f *fixture) make(project, dir string, problems int) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	f.dir = dir
	f.data = filepath.Join(dir, "data")
	if err := synth.Write(f.data, synth.Options{Problems: problems}); err != nil {
		return err
	}
	checked, errs := pipeline.Check(pipeline.Config{Data: f.data})
	if len(errs) > 0 {
		return fmt.Errorf("synthetic data does not pass check:\n%s", errs)
	}
	// The bare site renders the same problem pages as the real one: one
	// per problem, in the records' language only.
	langs := pipeline.Languages(filepath.Join(project, "templates"))
	// The bare site's one JSON file: its languages, sections and problem
	// pages.
	type section struct {
		Path, Title string
	}
	type problem struct {
		Path, Title, Status, Description string
	}
	var all struct {
		Languages []string
		Sections  []section
		Problems  []problem
	}
	for _, l := range langs {
		all.Languages = append(all.Languages, l.Code)
	}
	for _, d := range checked.Data.Districts {
		all.Sections = append(all.Sections, section{d.ID, d.Name})
		for _, r := range d.Rounds {
			all.Sections = append(all.Sections, section{d.ID + "/" + r.ID, r.Title})
			for _, p := range r.Problems {
				all.Problems = append(all.Problems, problem{d.ID + "/" + r.ID + "/" + p.ID, p.Title, string(p.Status), p.Description})
			}
		}
	}
	if len(all.Problems) != problems {
		return fmt.Errorf("synthetic data has %d problems, want %d", len(all.Problems), problems)
	}
	f.pages = len(all.Problems)
	js, err := json.Marshal(all)
	if err != nil {
		return err
	}
	f.bare = filepath.Join(dir, "bare")
	site, err := json.Marshal(hugosite.Site{
		Templates: filepath.Join(f.bare, "templates"),
		Content:   filepath.Join(f.bare, "content"),
		BaseURL:   "https://example.org/",
		Title:     "bare",
		Languages: langs,
	})
	if err != nil {
		return err
	}
	files := map[string]string{
		"site.json":                      string(site),
		"templates/assets/problems.json": string(js),
		"templates/layouts/home.html":    bareHome,
		"templates/layouts/section.html": bareSection,
		"templates/layouts/page.html":    barePage,
		"content/_content.gotmpl":        bareAdapter,
	}
	for name, s := range files {
		p := filepath.Join(f.bare, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// The bare site: minimal layouts, and a content adapter that adds one
// markdown page per problem from the JSON file.
const (
	bareHome = `<!DOCTYPE html>
<html lang="{{ site.Language.Locale }}"><head><meta charset="utf-8"><title>{{ site.Title }}</title></head>
<body><h1>{{ site.Title }}</h1>
<ul>{{ range .Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
</body></html>
`
	bareSection = `<!DOCTYPE html>
<html lang="{{ site.Language.Locale }}"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title></head>
<body><h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.status }}</li>{{ end }}</ul>
</body></html>
`
	barePage = `<!DOCTYPE html>
<html lang="{{ site.Language.Locale }}"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title></head>
<body><h1>{{ .Title }}</h1>
<p>{{ .Params.status }}</p>
{{ .Content }}
</body></html>
`
	bareAdapter = `{{ $all := resources.Get "problems.json" | transform.Unmarshal }}
{{ $sites := dict "matrix" (dict "languages" $all.Languages) }}
{{ $records := dict "matrix" (dict "languages" (slice (index $all.Languages 0))) }}
{{ range $all.Sections }}
  {{ $.AddPage (dict "kind" "section" "path" .Path "title" .Title "sites" $sites) }}
{{ end }}
{{ range $all.Problems }}
  {{ $.AddPage (dict "kind" "page" "path" .Path "title" .Title "params" (dict "status" .Status) "content" (dict "mediaType" "text/markdown" "value" .Description) "sites" $records) }}
{{ end }}
`
)

// bareSite reads the bare site's configuration (as testdata/barehugo does).
func bareSite(b *testing.B, f *fixture, out string) hugosite.Site {
	b.Helper()
	var site hugosite.Site
	if err := json.Unmarshal([]byte(readFile(b, filepath.Join(f.bare, "site.json"))), &site); err != nil {
		b.Fatal(err)
	}
	site.OutDir = out
	return site
}

func BenchmarkCheck(b *testing.B) {
	for _, s := range benchSizes {
		b.Run(s.name, func(b *testing.B) {
			f := getFixture(b, s.problems)
			b.ReportAllocs()
			defer check.TuneGC()() // as the check command runs
			cpu := startCPU()
			b.ResetTimer()
			for range b.N {
				if _, errs := pipeline.Check(pipeline.Config{Data: f.data}); len(errs) > 0 {
					b.Fatal(errs)
				}
			}
			cpu.report(b)
		})
	}
}

func BenchmarkCheckOneWorker(b *testing.B) {
	for _, s := range benchSizes {
		b.Run(s.name, func(b *testing.B) {
			f := getFixture(b, s.problems)
			b.ReportAllocs()
			defer check.TuneGC()() // as the check command runs
			cpu := startCPU()
			b.ResetTimer()
			for range b.N {
				if _, errs := check.WorkingTree(f.data, model.Date{}, load.WithWorkers(1)); len(errs) > 0 {
					b.Fatal(errs)
				}
			}
			cpu.report(b)
		})
	}
}

// cpuClock measures the CPU time of a benchmark's loop, reported as
// cpu-s/op: less sensitive than ns/op to other work on a shared machine
// (though not to all of it: caches and memory are shared too). For a
// sequential loop it includes the garbage collector's work on the other
// cores.
type cpuClock struct {
	start float64
	ok    bool
}

func startCPU() cpuClock {
	s, ok := cpuSeconds()
	return cpuClock{s, ok}
}

func (c cpuClock) report(b *testing.B) {
	if end, ok := cpuSeconds(); c.ok && ok {
		b.ReportMetric((end-c.start)/float64(b.N), "cpu-s/op")
	}
}

func BenchmarkBareYAML(b *testing.B) {
	for _, s := range benchSizes {
		b.Run(s.name, func(b *testing.B) {
			f := getFixture(b, s.problems)
			b.ReportAllocs()
			cpu := startCPU()
			b.ResetTimer()
			for range b.N {
				if err := bareYAML(f.data); err != nil {
					b.Fatal(err)
				}
			}
			cpu.report(b)
		})
	}
}

func BenchmarkBareYAMLParallel(b *testing.B) {
	for _, s := range benchSizes {
		b.Run(s.name, func(b *testing.B) {
			f := getFixture(b, s.problems)
			b.ReportAllocs()
			cpu := startCPU()
			b.ResetTimer()
			for range b.N {
				if err := bareYAMLParallel(f.data, runtime.GOMAXPROCS(0)); err != nil {
					b.Fatal(err)
				}
			}
			cpu.report(b)
		})
	}
}

// bareYAML reads every .yaml file under dir and decodes it into a
// yaml.Node, nothing else.
func bareYAML(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
			return err
		}
		return bareDecode(p)
	})
}

func bareDecode(p string) error {
	data, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	var n yaml.Node
	return yaml.Unmarshal(data, &n)
}

// bareYAMLParallel is bareYAML with the files shared among workers
// goroutines, each taking the next file when it is done with one.
func bareYAMLParallel(dir string, workers int) error {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".yaml") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return err
	}
	var next atomic.Int64
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < len(files); i = int(next.Add(1)) - 1 {
				errs[i] = bareDecode(files[i])
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

func BenchmarkBuild(b *testing.B) {
	for _, s := range benchSizes {
		b.Run(s.name, func(b *testing.B) {
			f := getFixture(b, s.problems)
			r := root(b)
			out := filepath.Join(b.TempDir(), "public")
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				errs, err := pipeline.Build(pipeline.Config{
					Data:      f.data,
					Content:   filepath.Join(r, "content"),
					Templates: filepath.Join(r, "templates"),
					Out:       out,
				})
				if err != nil {
					b.Fatal(err, errs)
				}
				b.StopTimer()
				checkPages(b, out, f.pages)
				os.RemoveAll(out)
				b.StartTimer()
			}
		})
	}
}

func BenchmarkRender(b *testing.B) {
	for _, s := range benchSizes {
		b.Run(s.name, func(b *testing.B) {
			f := getFixture(b, s.problems)
			r := root(b)
			cfg := pipeline.Config{Data: f.data, Content: filepath.Join(r, "content"), Templates: filepath.Join(r, "templates")}
			checked, errs := pipeline.Check(cfg)
			if len(errs) > 0 {
				b.Fatal(errs)
			}
			out := filepath.Join(b.TempDir(), "public")
			b.ReportAllocs()
			var cpu float64
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				site := pipeline.RenderSite(cfg, pipeline.Bulletin(checked, edition.PublicEdition), out)
				c := startCPU()
				b.StartTimer()
				if err := hugosite.Build(site); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if end, ok := cpuSeconds(); c.ok && ok {
					cpu += end - c.start
				}
				checkPages(b, out, f.pages)
				os.RemoveAll(out)
				b.StartTimer()
			}
			b.ReportMetric(cpu/float64(b.N), "cpu-s/op")
		})
	}
}

func BenchmarkBareHugo(b *testing.B) {
	for _, s := range benchSizes {
		b.Run(s.name, func(b *testing.B) {
			f := getFixture(b, s.problems)
			out := filepath.Join(b.TempDir(), "public")
			b.ReportAllocs()
			var cpu float64
			b.ResetTimer()
			for range b.N {
				site := bareSite(b, f, out)
				c := startCPU()
				if err := hugosite.Build(site); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if end, ok := cpuSeconds(); c.ok && ok {
					cpu += end - c.start
				}
				checkPages(b, out, f.pages)
				os.RemoveAll(out)
				b.StartTimer()
			}
			b.ReportMetric(cpu/float64(b.N), "cpu-s/op")
		})
	}
}

// checkPages fails unless out holds at least want pages.
func checkPages(b *testing.B, out string, want int) {
	b.Helper()
	got := 0
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Name() == "index.html" {
			got++
		}
		return nil
	})
	if got < want {
		b.Fatalf("%s has %d pages, want at least %d", out, got, want)
	}
}

// Binaries for the *Process benchmarks, built once per run.
var (
	binOnce   sync.Once
	binErr    error
	binGen    string // the generator
	binBare   string // testdata/barehugo
	binMaxRSS string // testdata/maxrss
	binYAML   string // testdata/bareyaml
)

func binaries(b *testing.B) (gen, bare string) {
	b.Helper()
	dir := benchDir(b)
	binOnce.Do(func() {
		binGen = filepath.Join(dir, "bin", "generator")
		binBare = filepath.Join(dir, "bin", "barehugo")
		binMaxRSS = filepath.Join(dir, "bin", "maxrss")
		binYAML = filepath.Join(dir, "bin", "bareyaml")
		for bin, pkg := range map[string]string{
			binYAML:   "./generator/internal/sitetest/testdata/bareyaml",
			binGen:    "./generator",
			binBare:   "./generator/internal/sitetest/testdata/barehugo",
			binMaxRSS: "./generator/internal/sitetest/testdata/maxrss",
		} {
			cmd := exec.Command("go", "build", "-o", bin, pkg)
			cmd.Dir = root(b)
			if out, err := cmd.CombinedOutput(); err != nil {
				binErr = fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
				return
			}
		}
	})
	if binErr != nil {
		b.Fatal(binErr)
	}
	return binGen, binBare
}

// runProcess runs a command as one timed iteration and returns its peak
// resident memory in MB and the CPU seconds it used (ProcessState.SysUsage,
// taken by the testdata/maxrss wrapper: see there why a child of this
// process cannot be measured directly).
func runProcess(b *testing.B, dir, name string, args ...string) (mb, cpu float64) {
	b.Helper()
	mb, cpu, _ = runProcessLog(b, dir, name, args...)
	return mb, cpu
}

// runProcessLog is runProcess that also returns what the command wrote to
// stderr (without the wrapper's last line).
func runProcessLog(b *testing.B, dir, name string, args ...string) (mb, cpu float64, log string) {
	b.Helper()
	cmd := exec.Command(binMaxRSS, append([]string{name}, args...)...)
	cmd.Dir = dir
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	b.StartTimer()
	err := cmd.Run()
	b.StopTimer()
	if err != nil {
		b.Fatalf("%s: %v\n%s%s", cmd, err, stdout.String(), stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	var kb, ms float64
	if _, err := fmt.Sscanf(lines[len(lines)-1], "maxrss-kB %f cpu-ms %f", &kb, &ms); err != nil {
		b.Fatalf("%s: no maxrss in %q", cmd, stderr.String())
	}
	return kb / 1024, ms / 1000, strings.Join(lines[:len(lines)-1], "\n")
}

// processMetrics reports what runProcess measured over b.N runs: the
// highest peak memory and the mean CPU time.
type processMetrics struct{ peak, cpu float64 }

func (m *processMetrics) add(mb, cpu float64) {
	m.peak = max(m.peak, mb)
	m.cpu += cpu
}

func (m *processMetrics) report(b *testing.B) {
	b.ReportMetric(m.peak, "maxrss-MB")
	b.ReportMetric(m.cpu/float64(b.N), "cpu-s/op")
}

// BenchmarkCheckProcess is the generator's check command, as staff and CI
// run it (its loader's workers, its garbage collector's target), against
// BenchmarkBareYAMLProcess: testdata/bareyaml, bareYAML as a program with
// the Go runtime's defaults. Compare cpu-s/op: check reads the files on
// every core, the yardstick on one.
func BenchmarkCheckProcess(b *testing.B) {
	for _, s := range benchSizes {
		b.Run(s.name, func(b *testing.B) {
			f := getFixture(b, s.problems)
			gen, _ := binaries(b)
			var m processMetrics
			b.ResetTimer()
			b.StopTimer()
			for range b.N {
				m.add(runProcess(b, f.dir, gen, "check", "--data", f.data))
			}
			m.report(b)
		})
	}
}

func BenchmarkBareYAMLProcess(b *testing.B) {
	for _, s := range benchSizes {
		b.Run(s.name, func(b *testing.B) {
			f := getFixture(b, s.problems)
			binaries(b)
			var m processMetrics
			b.ResetTimer()
			b.StopTimer()
			for range b.N {
				m.add(runProcess(b, f.dir, binYAML, f.data))
			}
			m.report(b)
		})
	}
}

func BenchmarkBuildProcess(b *testing.B) {
	for _, s := range benchSizes {
		b.Run(s.name, func(b *testing.B) {
			f := getFixture(b, s.problems)
			gen, _ := binaries(b)
			r := root(b)
			out := filepath.Join(b.TempDir(), "public")
			var m processMetrics
			b.ResetTimer()
			b.StopTimer()
			for range b.N {
				m.add(runProcess(b, f.dir, gen, "build", "--data", f.data,
					"--content", filepath.Join(r, "content"), "--templates", filepath.Join(r, "templates"), "--out", out))
				checkPages(b, out, f.pages)
				os.RemoveAll(out)
			}
			m.report(b)
		})
	}
}

func BenchmarkBareHugoProcess(b *testing.B) {
	for _, s := range benchSizes {
		b.Run(s.name, func(b *testing.B) {
			f := getFixture(b, s.problems)
			_, bare := binaries(b)
			out := filepath.Join(b.TempDir(), "public")
			var m processMetrics
			b.ResetTimer()
			b.StopTimer()
			for range b.N {
				m.add(runProcess(b, f.dir, bare, filepath.Join(f.bare, "site.json"), out))
				checkPages(b, out, f.pages)
				os.RemoveAll(out)
			}
			m.report(b)
		})
	}
}
