package validate

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/calendar"
	"github.com/xuncha/bulletin/generator/internal/load"
	"golang.org/x/tools/txtar"
)

// unitsBase is added to every archive of testdata/units unless it brings
// its own file of that name.
const unitsBase = `-- data/site.yaml --
title: 测试
as_of: 2024-12-31
-- data/d/district.yaml --
id: d
name: 某区
`

// TestUnitsRules and TestOutcomesRules load and validate each archive of
// testdata/units and testdata/outcomes and compare every diagnostic,
// loader's and validator's, with its "want" section: one FILE:LINE:COL:
// message a line, nothing more, nothing less.
func TestUnitsRules(t *testing.T) { runArchives(t, "units") }

func TestOutcomesRules(t *testing.T) { runArchives(t, "outcomes") }

func runArchives(t *testing.T, dir string) {
	archives, _ := filepath.Glob(filepath.Join("testdata", dir, "*.txtar"))
	if len(archives) == 0 {
		t.Fatal("no archives in testdata/" + dir)
	}
	for _, a := range archives {
		t.Run(strings.TrimSuffix(filepath.Base(a), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(a)
			if err != nil {
				t.Fatal(err)
			}
			root := t.TempDir()
			var want []string
			files := append(txtar.Parse([]byte(unitsBase)).Files, ar.Files...)
			for _, f := range files {
				if f.Name == "want" {
					for _, l := range strings.Split(strings.TrimSpace(string(f.Data)), "\n") {
						if l = strings.TrimSpace(l); l != "" {
							want = append(want, l)
						}
					}
					continue
				}
				p := filepath.Join(root, filepath.FromSlash(f.Name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, f.Data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			t.Chdir(root)
			d, errs := load.Load("data")
			errs.Append(Validate(d, calendar.New(d.Site.Calendar)))
			var got []string
			for _, e := range errs.Sort() {
				got = append(got, e.Error())
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}
