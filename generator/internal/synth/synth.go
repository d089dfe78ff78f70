// Package synth writes synthetic but valid data folders of any size, for
// benchmarks, the preview's speed measurements and the kill test. The
// output is deterministic: the same size gives the same bytes.
package synth

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// Options sizes a data set.
type Options struct {
	Problems         int // total problems
	Districts        int // default: one per 3,000 problems, at least 1
	ProblemsPerRound int // default 150
	AsOf             string
}

var (
	categories = []string{"党的建设", "作风建设", "资金管理", "工程建设", "民生保障", "基层治理", "选人用人", "农村集体“三资”管理"}
	statuses   = []string{"rectified", "rectified", "rectified", "closed", "in_progress", "pending", "long_term", "rectified"}
	phrases    = []string{"污水管网配套未跟上", "专项资金使用不规范", "工程项目监管不严", "村务公开不及时", "公务用车管理不规范", "制度执行不到位", "群众反映问题回应不及时", "合同管理不规范"}
	targetKind = []string{"department", "town", "street", "village", "community", "enterprise"}
)

// Write creates data/ under dir (dir/site.yaml, dir/<district>/...).
func Write(dir string, o Options) error {
	if o.Districts <= 0 {
		o.Districts = max(1, o.Problems/3000)
	}
	if o.ProblemsPerRound <= 0 {
		o.ProblemsPerRound = 150
	}
	if o.AsOf == "" {
		o.AsOf = "2024-12-31"
	}
	rng := rand.New(rand.NewPCG(1, uint64(o.Problems)))
	if err := write(filepath.Join(dir, "site.yaml"), fmt.Sprintf("title: 合成数据（基准测试）\npublisher: 示例\nbase_url: https://example.org/\nas_of: %s\n", o.AsOf)); err != nil {
		return err
	}
	left := o.Problems
	for d := 0; d < o.Districts; d++ {
		id := fmt.Sprintf("d%03d", d+1)
		if err := write(filepath.Join(dir, id, "district.yaml"), fmt.Sprintf("id: %s\nname: 合成区%d\nregion: 合成市\n", id, d+1)); err != nil {
			return err
		}
		share := left / (o.Districts - d)
		left -= share
		for r := 0; share > 0; r++ {
			n := min(share, o.ProblemsPerRound)
			share -= n
			if err := writeRound(filepath.Join(dir, id, "rounds"), r+1, n, rng); err != nil {
				return err
			}
		}
	}
	return nil
}

func writeRound(dir string, number, n int, rng *rand.Rand) error {
	var b strings.Builder
	year := 2019 + number%6
	fmt.Fprintf(&b, "id: r%03d\nnumber: %d\nkind: regular\ntitle: 第%d轮常规巡察\nstarted: %d-03-04\nended: %d-04-26\nfeedback: %d-05-20\n", number, number, number, year, year, year)
	targets := 5 + n/20
	b.WriteString("targets:\n")
	for t := 0; t < targets; t++ {
		fmt.Fprintf(&b, "  - id: t%02d\n    name: 合成单位%d-%d党组\n    type: %s\n", t+1, number, t+1, targetKind[t%len(targetKind)])
	}
	b.WriteString("problems:\n")
	for p := 0; p < n; p++ {
		status := statuses[rng.IntN(len(statuses))]
		phrase := phrases[rng.IntN(len(phrases))]
		fmt.Fprintf(&b, "  - id: p%04d\n    target: t%02d\n    category: %s\n    title: %s（第%d项）\n", p+1, rng.IntN(targets)+1, categories[rng.IntN(len(categories))], phrase, p+1)
		fmt.Fprintf(&b, "    description: |\n      巡察发现，%s，部分工作**未落实到位**。\n\n      - 涉及金额约%d万元\n      - 涉及%d个村（社区）\n", phrase, rng.IntN(500)+1, rng.IntN(20)+1)
		fmt.Fprintf(&b, "    status: %s\n    measures:\n      - text: 制定整改方案，明确责任人和时限\n        done: %d-06-10\n      - text: 建立长效机制，完善相关制度\n", status, year)
		b.WriteString("    history:\n")
		fmt.Fprintf(&b, "      - date: %d-05-30\n        status: in_progress\n        note: 制定整改方案\n", year)
		switch status {
		case "pending":
			fmt.Fprintf(&b, "      - date: %d-06-30\n        status: pending\n        note: 整改方案被退回重新制定\n", year)
		case "in_progress":
		default:
			fmt.Fprintf(&b, "      - date: %d-08-15\n        status: %s\n        note: 完成整改并报巡察办\n", year, status)
		}
	}
	return write(filepath.Join(dir, fmt.Sprintf("r%03d.yaml", number)), b.String())
}

func write(p, s string) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, []byte(s), 0o644)
}
