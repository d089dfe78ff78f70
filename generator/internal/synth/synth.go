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
	// Varied draws titles and descriptions from a larger vocabulary with a
	// long tail (domain × object × defect, each by a Zipf law), so that
	// some words are in most records and some in a handful, as in real
	// records: the search benchmark needs it. Without it, every record is
	// one of eight phrases.
	Varied bool
}

var (
	categories = []string{"党的建设", "作风建设", "资金管理", "工程建设", "民生保障", "基层治理", "选人用人", "农村集体“三资”管理"}
	statuses   = []string{"rectified", "rectified", "rectified", "closed", "in_progress", "pending", "long_term", "rectified"}
	phrases    = []string{"污水管网配套未跟上", "专项资金使用不规范", "工程项目监管不严", "村务公开不及时", "公务用车管理不规范", "制度执行不到位", "群众反映问题回应不及时", "合同管理不规范"}
	targetKind = []string{"department", "town", "street", "village", "community", "enterprise"}

	// The vocabulary of Varied, most frequent first.
	domains = []string{"党建", "财务", "工程建设", "教育", "医疗卫生", "农业农村", "乡村振兴", "住房保障", "环境保护", "交通运输",
		"水利", "扶贫", "民政", "养老服务", "城市管理", "安全生产", "就业创业", "文化旅游", "国有资产", "社会保险",
		"市场监管", "招商引资", "林业", "国土", "应急管理", "科技创新", "退役军人", "妇女儿童", "残疾人", "体育"}
	objects = []string{"专项资金", "项目", "补助资金", "工程", "合同", "台账", "档案", "资产", "制度", "设施",
		"经费", "平台", "物资", "数据", "审批", "考核", "采购", "政策", "服务", "监督"}
	defects = []string{"使用不规范", "管理混乱", "落实不到位", "监管不严", "拨付不及时", "执行不严格", "进度滞后", "底数不清", "程序不规范", "未按规定公开",
		"闲置浪费", "验收不严", "效益不高", "登记不全", "审核把关不严", "跟踪问效不够", "整改不彻底", "挤占挪用", "违规借出", "虚报冒领"}
)

// zipf picks an index of n by a Zipf law: the first twice as often as the second, …
func zipf(rng *rand.Rand, n int) int {
	total := 0.0
	for i := 1; i <= n; i++ {
		total += 1 / float64(i)
	}
	x := rng.Float64() * total
	for i := 1; i <= n; i++ {
		x -= 1 / float64(i)
		if x < 0 {
			return i - 1
		}
	}
	return n - 1
}

// finding is one sentence of a Varied record: domain, object, defect.
func finding(rng *rand.Rand) string {
	return domains[zipf(rng, len(domains))] + objects[zipf(rng, len(objects))] + defects[zipf(rng, len(defects))]
}

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
			if err := writeRound(filepath.Join(dir, id, "rounds"), r+1, n, rng, o.Varied); err != nil {
				return err
			}
		}
	}
	return nil
}

func writeRound(dir string, number, n int, rng *rand.Rand, varied bool) error {
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
		detail := phrase
		if varied {
			phrase = finding(rng)
			detail = phrase + "，" + finding(rng)
		}
		fmt.Fprintf(&b, "  - id: p%04d\n    target: t%02d\n    category: %s\n    title: %s（第%d项）\n", p+1, rng.IntN(targets)+1, categories[rng.IntN(len(categories))], phrase, p+1)
		fmt.Fprintf(&b, "    description: |\n      巡察发现，%s，部分工作**未落实到位**。\n\n      - 涉及金额约%d万元\n      - 涉及%d个村（社区）\n", detail, rng.IntN(500)+1, rng.IntN(20)+1)
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
