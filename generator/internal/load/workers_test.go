package load_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/load"
	"github.com/xuncha/bulletin/generator/internal/synth"
)

// TestWorkersGiveTheSameModel: files read by several goroutines give the
// model and the diagnostics of reading them one after another, broken
// files included (a syntax error, a file over the error cap, a wrong value
// in internal matter, a common problem).
func TestWorkersGiveTheSameModel(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if err := synth.Write(dir, synth.Options{Problems: 900, Districts: 3, ProblemsPerRound: 100}); err != nil {
		t.Fatal(err)
	}
	edit := func(name string, f func(string) string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(f(string(b))), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	edit("d001/rounds/r002.yaml", func(s string) string { return s + "problems: [\n" })
	edit("d002/rounds/r003.yaml", func(s string) string { return strings.ReplaceAll(s, "status: ", "status: x") })
	edit("d003/rounds/r001.yaml", func(s string) string {
		return strings.Replace(s, "    status: ", "    visibility: internal\n    due: 2024-02-30\n    status: ", 1)
	})
	common := filepath.Join(dir, "d003", "common", "c1.yaml")
	os.MkdirAll(filepath.Dir(common), 0o755)
	if err := os.WriteFile(common, []byte("id: c1\ntitle: C\nunits: [{id: u, name: U, status: pending, extra: 1}]\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	one, oneErrs := load.Load(dir, load.WithWorkers(1))
	for _, want := range []string{
		"d001/rounds/r002.yaml:", "YAML syntax error",
		"d002/rounds/r003.yaml:", "too many errors in this file",
		"d003/rounds/r001.yaml:", `"due": (internal: not shown) is not a real date`,
		"d003/common/c1.yaml:", "unknown field",
	} {
		if !strings.Contains(oneErrs.Error(), want) {
			t.Fatalf("diagnostics do not contain %q:\n%v", want, oneErrs)
		}
	}
	if rounds := len(one.Districts[0].Rounds) + len(one.Districts[1].Rounds) + len(one.Districts[2].Rounds); rounds != 8 {
		t.Fatalf("%d rounds loaded, want 8 (9 files, one refused)", rounds)
	}
	for _, workers := range []int{2, 3, 8} {
		many, manyErrs := load.Load(dir, load.WithWorkers(workers))
		if !reflect.DeepEqual(manyErrs, oneErrs) {
			t.Errorf("%d workers: diagnostics differ from one worker's:\n%v\nwant\n%v", workers, manyErrs, oneErrs)
		}
		if !reflect.DeepEqual(many, one) {
			t.Errorf("%d workers: the model differs from one worker's", workers)
		}
	}
}
