package check_test

import (
	"strings"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/check"
	"github.com/xuncha/bulletin/generator/internal/gitrepo"
	"github.com/xuncha/bulletin/generator/internal/gitrepo/gittest"
	"github.com/xuncha/bulletin/generator/internal/model"
)

func TestCheckAsOf(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	files := map[string]string{
		"data/site.yaml":         "title: t\n",
		"data/qu/district.yaml":  gittest.District("qu", "某区"),
		"data/qu/rounds/r1.yaml": gittest.Round("r1", 1, gittest.Problem{ID: "p1", Status: "in_progress"}),
	}
	r.Commit("2024-05-06", "records", files)
	r.Commit("2024-06-01", "unrelated", map[string]string{"README.md": "x\n"})
	repo, err := gitrepo.Open(r.Dir, "data")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		asOf model.Date
		want string
	}{
		{model.Date{}, "2024-05-06"}, // the last commit that changed data, not HEAD's date
		{model.NewDate(2024, 7, 1), "2024-07-01"},
	}
	for _, tt := range tests {
		v, errs, err := check.Revision(repo, "HEAD", tt.asOf)
		if err != nil || len(errs) > 0 {
			t.Fatalf("Check: %v %v", err, errs)
		}
		if got := v.Data.Site.AsOf.String(); got != tt.want {
			t.Errorf("as_of = %s, want %s", got, tt.want)
		}
		if v.Date.String() != "2024-05-06" || len(v.Commit) < 40 || v.Calendar == nil {
			t.Errorf("version %+v", v)
		}
	}
	// Validation runs: a history date after as_of is reported.
	files["data/qu/rounds/r1.yaml"] = gittest.Round("r1", 1, gittest.Problem{ID: "p1", Status: "in_progress",
		Extra: "    history:\n      - date: 2030-01-01\n        status: in_progress\n"})
	r.Commit("2024-06-02", "future", files)
	_, errs, err := check.Revision(repo, "HEAD", model.Date{})
	if err != nil || len(errs) != 1 || !strings.Contains(errs[0].Error(), "after as_of 2024-06-02") {
		t.Errorf("Check: %v %v", err, errs)
	}
}
