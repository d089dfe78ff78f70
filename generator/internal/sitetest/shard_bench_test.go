package sitetest

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// shardBenchSizes are the sizes of the sharded-build benchmarks: the
// benchmark sizes and, with BULLETIN_BENCH_100K=1, 100k problems (about
// 5 GB for the one-site build: not for a shared machine by default).
func shardBenchSizes() []struct {
	name     string
	problems int
} {
	sizes := append([]struct {
		name     string
		problems int
	}(nil), benchSizes...)
	if os.Getenv("BULLETIN_BENCH_100K") == "1" {
		sizes = append(sizes, struct {
			name     string
			problems int
		}{"100k", 100000})
	}
	return sizes
}

// BenchmarkBuildShardedProcess is the build as one Hugo site
// (--shard-problems 0) beside the same build in shards of a quarter of the
// problems (--shard-problems N/4): time, peak memory and CPU of the process.
func BenchmarkBuildShardedProcess(b *testing.B) {
	for _, s := range shardBenchSizes() {
		for _, v := range []struct {
			name string
			cap  int
		}{{"one", 0}, {"quarter", s.problems / 4}} {
			b.Run(s.name+"/"+v.name, func(b *testing.B) {
				f := getFixture(b, s.problems)
				gen, _ := binaries(b)
				r := root(b)
				out := filepath.Join(b.TempDir(), "public")
				var m processMetrics
				b.ResetTimer()
				b.StopTimer()
				for range b.N {
					m.add(runProcess(b, f.dir, gen, "build", "--data", f.data, "--shard-problems", strconv.Itoa(v.cap),
						"--content", filepath.Join(r, "content"), "--templates", filepath.Join(r, "templates"), "--out", out))
					checkPages(b, out, f.pages)
					os.RemoveAll(out)
				}
				m.report(b)
			})
		}
	}
}

// BenchmarkShardsAndMergeProcess builds in 4 processes (build --shard I/4,
// one after the other here; in CI they run in parallel) and merges: the
// slowest shard and its peak memory, then the merge's.
func BenchmarkShardsAndMergeProcess(b *testing.B) {
	const n = 4
	for _, s := range shardBenchSizes() {
		b.Run(s.name, func(b *testing.B) {
			f := getFixture(b, s.problems)
			gen, _ := binaries(b)
			r := root(b)
			tmp := b.TempDir()
			common := []string{"--data", f.data, "--content", filepath.Join(r, "content"), "--templates", filepath.Join(r, "templates")}
			var slowest, shardPeak, mergeS, mergePeak float64
			b.ResetTimer()
			b.StopTimer()
			for range b.N {
				var dirs []string
				for i := 1; i <= n; i++ {
					d := filepath.Join(tmp, "shard"+strconv.Itoa(i))
					dirs = append(dirs, d)
					mb, cpu := runProcess(b, f.dir, gen, append(append([]string{"build"}, common...), "--shard", strconv.Itoa(i)+"/"+strconv.Itoa(n), "--out", d)...)
					slowest, shardPeak = max(slowest, cpu), max(shardPeak, mb)
				}
				out := filepath.Join(tmp, "public")
				mb, cpu := runProcess(b, f.dir, gen, append(append(append([]string{"merge"}, common...), "--out", out), dirs...)...)
				mergeS, mergePeak = max(mergeS, cpu), max(mergePeak, mb)
				checkPages(b, out, f.pages)
				os.RemoveAll(tmp)
			}
			b.ReportMetric(shardPeak, "shard-maxrss-MB")
			b.ReportMetric(slowest, "slowest-shard-cpu-s")
			b.ReportMetric(mergePeak, "merge-maxrss-MB")
			b.ReportMetric(mergeS, "merge-cpu-s")
		})
	}
}
