package sitetest

// Scale benchmarks of issue #14, opt-in (each needs gigabytes of disk and
// tens of minutes on 2 cores; .ci/bench documents the variables):
//
//	BULLETIN_BENCH_1M=1           BenchmarkShard8Process: 1,000,000 problems built in
//	                              8 processes (build --shard I/8) and merged
//	BULLETIN_BENCH_1M_PROBLEMS=N  the same with N problems instead (a smaller stand-in)
//	BULLETIN_BENCH_INCREMENTAL=1  BenchmarkIncrementalProcess: one status edit in
//	                              200,000 problems, full build against the rebuild
//	                              with --shard-cache
//	BULLETIN_BENCH_INCREMENTAL_PROBLEMS=N  the same with N problems
//
// The data is synthetic (package synth, its default of one district per
// 3,000 problems), written under the benchmarks' folder
// ($BULLETIN_BENCH_DIR when set). Every figure is of the generator binary
// run through testdata/maxrss: peak resident memory and CPU time of each
// process, and its wall time.

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuncha/bulletin/generator/internal/synth"
)

// envProblems is the problem count a scale benchmark runs with: 0 (skip)
// unless env is "1", then def, or envN's value when set.
func envProblems(b *testing.B, env, envN string, def int) int {
	b.Helper()
	if os.Getenv(env) != "1" {
		b.Skipf("set %s=1 to run (needs gigabytes and tens of minutes)", env)
	}
	n := def
	if s := os.Getenv(envN); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			b.Fatalf("%s=%q: want a number of problems", envN, s)
		}
		n = v
	}
	return n
}

// synthData writes synthetic data of n problems once per run into the
// benchmarks' folder and returns its folder; unlike getFixture it neither
// checks it in this process nor makes the bare Hugo site (at 1M both would
// cost gigabytes here). The build that reads it checks it.
func synthData(b *testing.B, name string, n int) string {
	b.Helper()
	dir := filepath.Join(benchDir(b), fmt.Sprintf("%s%d", name, n))
	synthMu.Lock()
	defer synthMu.Unlock()
	if synthDone[dir] {
		return dir
	}
	os.RemoveAll(dir)
	start := time.Now()
	if err := synth.Write(filepath.Join(dir, "data"), synth.Options{Problems: n}); err != nil {
		b.Fatal(err)
	}
	b.Logf("synthetic data of %d problems (%d districts) written in %s", n, districtsOf(n), time.Since(start).Round(time.Second))
	synthDone[dir] = true
	return dir
}

var (
	synthMu   sync.Mutex
	synthDone = map[string]bool{}
)

// districtsOf is synth's default number of districts for n problems.
func districtsOf(n int) int { return max(1, n/3000) }

// timedRun is runProcessLog with the command's wall time.
type timedRun struct {
	mb, cpu, wall float64
	log           string
}

func runTimed(b *testing.B, dir, name string, args ...string) timedRun {
	b.Helper()
	start := time.Now()
	mb, cpu, log := runProcessLog(b, dir, name, args...)
	return timedRun{mb: mb, cpu: cpu, wall: time.Since(start).Seconds(), log: log}
}

// treeSize is the bytes, the files and the pages (index.html) under dir.
func treeSize(dir string) (bytes int64, files, pages int) {
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				bytes += fi.Size()
				files++
			}
			if d.Name() == "index.html" {
				pages++
			}
		}
		return nil
	})
	return bytes, files, pages
}

// BenchmarkShard8Process builds the site in 8 processes (build --shard I/8,
// one after the other here; in CI each runs on a machine of its own) and
// merges them: each shard's peak memory, CPU and wall time, the slowest
// shard, the merge's, and the size of the merged site. The merged site
// must have a page per problem.
func BenchmarkShard8Process(b *testing.B) {
	const n = 8
	problems := envProblems(b, "BULLETIN_BENCH_1M", "BULLETIN_BENCH_1M_PROBLEMS", 1_000_000)
	b.Run(fmt.Sprintf("%dk-%dd", problems/1000, districtsOf(problems)), func(b *testing.B) {
		dir := synthData(b, "s", problems)
		gen, _ := binaries(b)
		r := root(b)
		data := filepath.Join(dir, "data")
		common := []string{"--data", data, "--content", filepath.Join(r, "content"), "--templates", filepath.Join(r, "templates")}
		tmp := b.TempDir()
		shards := make([]timedRun, n)
		var merge timedRun
		var outBytes int64
		var outFiles int
		b.ResetTimer()
		b.StopTimer()
		for range b.N {
			var dirs []string
			for i := 1; i <= n; i++ {
				d := filepath.Join(tmp, "shard"+strconv.Itoa(i))
				dirs = append(dirs, d)
				t := runTimed(b, dir, gen, append(append([]string{"build"}, common...), "--shard", strconv.Itoa(i)+"/"+strconv.Itoa(n), "--out", d)...)
				b.Logf("shard %d/%d: %.0f s wall, %.0f s CPU, peak %.0f MB", i, n, t.wall, t.cpu, t.mb)
				shards[i-1] = t
			}
			out := filepath.Join(tmp, "public")
			merge = runTimed(b, dir, gen, append(append(append([]string{"merge"}, common...), "--out", out), dirs...)...)
			b.Logf("merge: %.0f s wall, %.0f s CPU, peak %.0f MB", merge.wall, merge.cpu, merge.mb)
			var pages int
			outBytes, outFiles, pages = treeSize(out)
			if pages < problems {
				b.Fatalf("%s has %d pages, want at least %d", out, pages, problems)
			}
			for _, d := range dirs {
				os.RemoveAll(d)
			}
			os.RemoveAll(out)
		}
		slowest := 0
		for i, t := range shards {
			b.ReportMetric(t.mb, fmt.Sprintf("shard%d-maxrss-MB", i+1))
			b.ReportMetric(t.cpu, fmt.Sprintf("shard%d-cpu-s", i+1))
			b.ReportMetric(t.wall, fmt.Sprintf("shard%d-s", i+1))
			if t.wall > shards[slowest].wall {
				slowest = i
			}
		}
		b.ReportMetric(float64(slowest+1), "slowest-shard")
		b.ReportMetric(shards[slowest].wall, "slowest-shard-s")
		b.ReportMetric(shards[slowest].cpu, "slowest-shard-cpu-s")
		b.ReportMetric(merge.wall, "merge-s")
		b.ReportMetric(merge.cpu, "merge-cpu-s")
		b.ReportMetric(merge.mb, "merge-maxrss-MB")
		b.ReportMetric(float64(outBytes)/1e6, "out-MB")
		b.ReportMetric(float64(outFiles), "out-files")
	})
}

// BenchmarkIncrementalProcess is one status edit in a large site: a full
// build, then the same build with --shard-cache twice, first with an empty
// cache (a full build that also fills it), then after closing one problem
// (the rebuild), each into an empty folder; then after another edit of
// the same problem, the rebuild over the site the last one published (as
// a site is rebuilt in use: the build also replaces the old site). Each
// rebuild must reuse every shard but the edited one, and its site must
// show the edit.
func BenchmarkIncrementalProcess(b *testing.B) {
	problems := envProblems(b, "BULLETIN_BENCH_INCREMENTAL", "BULLETIN_BENCH_INCREMENTAL_PROBLEMS", 200_000)
	b.Run(fmt.Sprintf("%dk-%dd", problems/1000, districtsOf(problems)), func(b *testing.B) {
		dir := synthData(b, "inc", problems)
		gen, _ := binaries(b)
		r := root(b)
		round := filepath.Join(dir, "data", "d001", "rounds", "r001.yaml")
		orig, err := os.ReadFile(round)
		if err != nil {
			b.Fatal(err)
		}
		defer os.WriteFile(round, orig, 0o644)
		tmp := b.TempDir()
		args := func(out string, cache bool) []string {
			a := []string{"build", "--data", filepath.Join(dir, "data"), "--content", filepath.Join(r, "content"), "--templates", filepath.Join(r, "templates"), "--out", out}
			if cache {
				a = append(a, "--shard-cache", filepath.Join(tmp, "cache"))
			}
			return a
		}
		var full, filled, rebuild, over timedRun
		reused, total := 0, 0
		b.ResetTimer()
		b.StopTimer()
		for i := range b.N {
			os.WriteFile(round, orig, 0o644)
			os.RemoveAll(filepath.Join(tmp, "cache"))
			out := filepath.Join(tmp, "public")
			full = runTimed(b, dir, gen, args(out, false)...)
			b.Logf("full build: %.0f s wall, %.0f s CPU, peak %.0f MB", full.wall, full.cpu, full.mb)
			os.RemoveAll(out)
			filled = runTimed(b, dir, gen, args(out, true)...)
			b.Logf("full build filling the cache: %.0f s wall, %.0f s CPU, peak %.0f MB; %s", filled.wall, filled.cpu, filled.mb, reuseLine(filled.log))
			if err := os.WriteFile(round, []byte(closeProblem(b, string(orig), fmt.Sprintf("第%d次", i))), 0o644); err != nil {
				b.Fatal(err)
			}
			// The rebuild goes into an empty folder, as the full builds did
			// (a build over a site deletes the old one after publishing: not
			// what is measured here). The filled site goes first: at 200k
			// the two sites and the cache would need 8 GB of disk.
			os.RemoveAll(out)
			rebuild = runTimed(b, dir, gen, args(out, true)...)
			b.Logf("rebuild after one status edit: %.0f s wall, %.0f s CPU, peak %.0f MB; %s", rebuild.wall, rebuild.cpu, rebuild.mb, reuseLine(rebuild.log))
			if _, err := fmt.Sscanf(reuseLine(rebuild.log), "build: %d of %d shards reused", &reused, &total); err != nil {
				b.Fatalf("no reuse figures in the rebuild's log:\n%s", rebuild.log)
			}
			if total < 2 || reused != total-1 {
				b.Errorf("the rebuild reused %d of %d shards, want all but the edited one", reused, total)
			}
			page := filepath.Join(out, "d001", "r001", "p0001", "index.html")
			if !strings.Contains(readFile(b, page), "status-closed") {
				b.Errorf("the edit does not show on %s", page)
			}
			checkPages(b, out, problems)

			if err := os.WriteFile(round, []byte(closeProblem(b, string(orig), fmt.Sprintf("第%d次，再改", i))), 0o644); err != nil {
				b.Fatal(err)
			}
			over = runTimed(b, dir, gen, args(out, true)...)
			b.Logf("rebuild over the published site after another edit: %.0f s wall, %.0f s CPU, peak %.0f MB; %s", over.wall, over.cpu, over.mb, reuseLine(over.log))
			if _, err := fmt.Sscanf(reuseLine(over.log), "build: %d of %d shards reused", &reused, &total); err != nil || total < 2 || reused != total-1 {
				b.Errorf("the rebuild over the site reused %d of %d shards, want all but the edited one", reused, total)
			}
			if !strings.Contains(readFile(b, page), "再改") {
				b.Errorf("the second edit does not show on %s", page)
			}
			os.RemoveAll(out)
			os.RemoveAll(filepath.Join(tmp, "cache"))
		}
		b.ReportMetric(full.wall, "full-s")
		b.ReportMetric(full.cpu, "full-cpu-s")
		b.ReportMetric(full.mb, "full-maxrss-MB")
		b.ReportMetric(filled.wall, "fill-s")
		b.ReportMetric(filled.cpu, "fill-cpu-s")
		b.ReportMetric(filled.mb, "fill-maxrss-MB")
		b.ReportMetric(rebuild.wall, "rebuild-s")
		b.ReportMetric(rebuild.cpu, "rebuild-cpu-s")
		b.ReportMetric(rebuild.mb, "rebuild-maxrss-MB")
		b.ReportMetric(over.wall, "rebuild-over-s")
		b.ReportMetric(over.cpu, "rebuild-over-cpu-s")
		b.ReportMetric(float64(reused), "shards-reused")
		b.ReportMetric(float64(total), "shards")
	})
}

// reuseLine is build's "build: N of M shards reused" line of a log.
func reuseLine(log string) string {
	for _, l := range strings.Split(log, "\n") {
		if strings.HasPrefix(l, "build: ") && strings.Contains(l, "shards reused") {
			return l
		}
	}
	return "(no reuse line)"
}
