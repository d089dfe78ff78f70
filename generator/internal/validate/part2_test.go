package validate_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/calendar"
	"github.com/xuncha/bulletin/generator/internal/load"
	"github.com/xuncha/bulletin/generator/internal/validate"
	"golang.org/x/tools/txtar"
)

// TestPart2 runs one case per rule of DATA-FORMAT.md part 2 ("figures
// exactly as published"): each archive in testdata/part2 holds a round file
// (data/d/rounds/r.yaml, in a site as of 2024-12-31) and the exact
// FILE:LINE:COL lines check must print for it, nothing more, nothing less.
func TestPart2(t *testing.T) {
	archives, _ := filepath.Glob(filepath.Join("testdata", "part2", "*.txtar"))
	if len(archives) == 0 {
		t.Fatal("no cases")
	}
	for _, a := range archives {
		t.Run(strings.TrimSuffix(filepath.Base(a), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(a)
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(t.TempDir(), "data")
			files := map[string]string{
				"site.yaml":       "title: t\nas_of: 2024-12-31\n",
				"d/district.yaml": "id: d\nname: 一区\n",
			}
			var want []string
			for _, f := range ar.Files {
				switch f.Name {
				case "round.yaml":
					files["d/rounds/r.yaml"] = string(f.Data)
				case "want":
					for _, l := range strings.Split(strings.TrimSpace(string(f.Data)), "\n") {
						if l != "" {
							want = append(want, l)
						}
					}
				}
			}
			for name, body := range files {
				p := filepath.Join(dir, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			d, errs := load.Load(dir)
			if len(errs) == 0 {
				errs = validate.Validate(d, calendar.New(d.Site.Calendar))
			}
			var got []string
			for _, e := range errs.Sort() {
				// Paths relative to the project, as check prints them.
				got = append(got, strings.TrimPrefix(e.Error(), filepath.Dir(dir)+string(filepath.Separator)))
			}
			same := len(got) == len(want)
			for i := 0; same && i < len(got); i++ {
				// A wanted line ending in "…" matches by prefix (a message
				// naming a year the calendar does not know yet).
				if p, ok := strings.CutSuffix(want[i], "…"); ok {
					same = strings.HasPrefix(got[i], p)
				} else {
					same = got[i] == want[i]
				}
			}
			if !same {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}
