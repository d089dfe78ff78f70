package history

import (
	"bytes"
	"fmt"
	"github.com/xuncha/bulletin/generator/internal/gitrepo/gittest"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// synthRepo builds, with one `git fast-import`, a repository of commits
// data commits of one district of rounds rounds of problems problems each:
// the first commit adds every file, each later one moves one problem on
// (a new history entry and status) in one round file. One commit a day.
func synthRepo(tb testing.TB, commits, rounds, problems int) string {
	return synthRepoIn(tb, commits, 1, rounds, problems)
}

// synthRepoIn is synthRepo with the rounds dealt out to districts
// districts (round i in district i mod districts).
func synthRepoIn(tb testing.TB, commits, districts, rounds, problems int) string {
	tb.Helper()
	r := gittest.New(tb)
	s := newSynth(rounds, problems)
	s.districts = districts
	var stream bytes.Buffer
	const start = 1577851200 // 2020-01-01 12:00 +0800
	for i := range commits {
		files := map[string]string{}
		if i == 0 {
			files = s.files()
		} else {
			r := s.advance()
			files[s.roundPath(r)] = s.round(r)
		}
		msg := fmt.Sprintf("step %d", i)
		fmt.Fprintf(&stream, "commit refs/heads/main\ncommitter Clerk <clerk@example.org> %d +0800\ndata %d\n%s\n", start+i*86400, len(msg), msg)
		paths := make([]string, 0, len(files))
		for p := range files {
			paths = append(paths, p)
		}
		slices.Sort(paths)
		for _, p := range paths {
			fmt.Fprintf(&stream, "M 100644 inline %s\ndata %d\n%s\n", p, len(files[p]), files[p])
		}
	}
	cmd := exec.Command("git", "-C", r.Dir, "fast-import", "--quiet")
	cmd.Env = gittest.Env("")
	cmd.Stdin = &stream
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("git fast-import: %v\n%s", err, out)
	}
	return r.Dir
}

// synthDistrict is a district-sized data set that changes over time: the
// state of rounds and problems after step commits, rendered as YAML files.
type synth struct {
	districts int
	rounds    int
	problems  int            // per round
	status    map[string]int // problem key → index into synthStatuses
	hist      map[string][]string
	step      int
}

var synthStatuses = []string{"pending", "in_progress", "rectified", "closed"}

func newSynth(rounds, problems int) *synth {
	return &synth{rounds: rounds, problems: problems, status: map[string]int{}, hist: map[string][]string{}}
}

func synthDate(day int) string {
	y, m, d := 2020, 1, 1+day
	for d > 28 {
		d -= 28
		m++
		if m > 12 {
			m = 1
			y++
		}
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}

// advance moves one problem forward (a status change with a history entry)
// and returns the round it changed.
func (s *synth) advance() int {
	s.step++
	r := (s.step * 7) % s.rounds
	p := (s.step * 13) % s.problems
	key := fmt.Sprintf("%d/%d", r, p)
	if s.status[key] < len(synthStatuses)-1 {
		s.status[key]++
		s.hist[key] = append(s.hist[key], fmt.Sprintf("      - date: %s\n        status: %s\n        note: 第%d次更新\n",
			synthDate(s.step), synthStatuses[s.status[key]], s.step))
	}
	return r
}

// district is the folder of round r's district.
func (s *synth) district(r int) string {
	if s.districts <= 1 {
		return "qu"
	}
	return fmt.Sprintf("q%03d", r%s.districts)
}

func (s *synth) roundPath(r int) string {
	return fmt.Sprintf("data/%s/rounds/r%02d.yaml", s.district(r), r+1)
}

func (s *synth) files() map[string]string {
	out := map[string]string{
		"data/site.yaml": "title: 巡察整改公开\nbase_url: https://example.org/\nas_of: 2030-12-31\n",
	}
	for r := 0; r < s.rounds; r++ {
		out[s.roundPath(r)] = s.round(r)
		name, d := "某区", s.district(r)
		if d != "qu" {
			name += d
		}
		out["data/"+d+"/district.yaml"] = "id: " + d + "\nname: " + name + "\n"
	}
	return out
}

func (s *synth) round(r int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "id: r%02d\nnumber: %d\ntitle: 区委第%d轮巡察\nstarted: 2019-03-04\nended: 2019-04-26\nfeedback: 2019-05-20\ntargets:\n", r+1, r+1, r+1)
	for t := 0; t < 10; t++ {
		fmt.Fprintf(&b, "  - id: t%d\n    name: 单位%d党组\n    type: department\n", t, t)
	}
	b.WriteString("problems:\n")
	for p := 0; p < s.problems; p++ {
		key := fmt.Sprintf("%d/%d", r, p)
		fmt.Fprintf(&b, "  - id: p%03d\n    target: t%d\n    category: 党的建设\n    title: 第%d轮第%d个问题的标题，描述问题的情况\n", p+1, p%10, r+1, p+1)
		fmt.Fprintf(&b, "    description: |\n      部分已建管网工程未能发挥收集效益，群众反映强烈。这是一个较长的描述，用来让文件接近真实的大小。\n")
		fmt.Fprintf(&b, "    status: %s\n", synthStatuses[s.status[key]])
		b.WriteString("    measures:\n      - text: 制定整改方案，明确责任人和完成时限\n        done: 2019-06-30\n      - text: 建立长效机制\n")
		b.WriteString("    history:\n      - date: 2019-05-30\n        status: pending\n        note: 反馈\n")
		for _, h := range s.hist[key] {
			b.WriteString(h)
		}
	}
	return b.String()
}
