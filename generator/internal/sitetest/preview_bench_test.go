package sitetest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/xuncha/bulletin/generator/internal/pipeline"
	"github.com/xuncha/bulletin/generator/internal/synth"
)

// BenchmarkPreviewEdit measures what `serve` does after a clerk saves one
// status change: check, aggregate and re-render what changed, until the
// page on disk shows it. 3k is a district-sized site; 20k-district is a
// 20k-problem site previewed with --district; 20k is the whole of it, and
// with BULLETIN_BENCH_100K=1, 100k (33 districts) too.
//
//	go test ./generator/internal/sitetest -run '^$' -bench PreviewEdit -benchtime 10x
func BenchmarkPreviewEdit(b *testing.B) {
	type size struct {
		name      string
		problems  int
		districts int
		district  string
	}
	sizes := []size{
		{"3k", 3000, 1, ""},
		{"20k-district", 20000, 7, "d001"},
		{"20k", 20000, 7, ""},
	}
	if os.Getenv("BULLETIN_BENCH_100K") == "1" {
		sizes = append(sizes, size{"100k", 100000, 33, ""})
	}
	for _, c := range sizes {
		b.Run(c.name, func(b *testing.B) {
			dir := b.TempDir()
			if err := synth.Write(filepath.Join(dir, "data"), synth.Options{Problems: c.problems, Districts: c.districts}); err != nil {
				b.Fatal(err)
			}
			copyDir(b, filepath.Join(root(b), "templates"), filepath.Join(dir, "templates"))
			copyDir(b, filepath.Join(root(b), "content"), filepath.Join(dir, "content"))
			old, _ := os.Getwd()
			os.Chdir(dir)
			defer os.Chdir(old)
			p, err := pipeline.NewPreview(pipeline.Config{}, "http://localhost:1313/", c.district)
			if err != nil {
				b.Fatal(err)
			}
			defer p.Close()
			if errs, _, err := p.Refresh(true); err != nil || len(errs) > 0 {
				b.Fatalf("first build: %v %v", errs, err)
			}
			round := filepath.Join(dir, "data", "d001", "rounds", "r001.yaml")
			orig, err := os.ReadFile(round)
			if err != nil {
				b.Fatal(err)
			}
			page := filepath.Join(p.Dir, "d001", "r001", "p0001", "index.html")
			var total, cpu time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				// Alternate p0001 between closed (with a history entry) and as it was.
				text := string(orig)
				want := ""
				if i%2 == 0 {
					text = closeProblem(b, text, fmt.Sprintf("第%d次", i))
					want = "status-closed"
				}
				os.WriteFile(round, []byte(text), 0o644)
				start, startCPU := time.Now(), processCPU(b)
				errs, _, err := p.Refresh(false)
				if err != nil || len(errs) > 0 {
					b.Fatalf("refresh: %v %v", errs, err)
				}
				total += time.Since(start)
				cpu += processCPU(b) - startCPU
				b.StopTimer()
				if want != "" && !strings.Contains(readFile(b, page), want) {
					b.Fatalf("the edit does not show on the page")
				}
				b.StartTimer()
			}
			// The mean over every edit, not the last one; and the CPU time
			// it took, which other work on a shared machine disturbs less.
			b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/edit")
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/edit")
		})
	}
}

// closeProblem sets p0001 of a synthetic round to closed.
func closeProblem(b *testing.B, text, note string) string {
	i := strings.Index(text, "  - id: p0001\n")
	j := strings.Index(text, "  - id: p0002\n")
	if i < 0 || j < 0 {
		b.Fatal("no p0001")
	}
	blk := text[i:j]
	k := strings.Index(blk, "    status: ")
	e := strings.Index(blk[k:], "\n")
	blk = blk[:k] + "    status: closed" + blk[k+e:]
	blk = strings.TrimRight(blk, "\n") + "\n      - date: 2024-12-20\n        status: closed\n        note: 销号" + note + "\n"
	return text[:i] + blk + text[j:]
}

// processCPU is the CPU time this process has used (user and system, every
// thread).
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
