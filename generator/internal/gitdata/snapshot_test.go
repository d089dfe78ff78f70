package gitdata

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/model"
)

func TestOpen(t *testing.T) {
	t.Parallel()
	r := newTestRepo(t)
	r.commit("2024-01-02", "data", map[string]string{"site/data/site.yaml": testSite})
	sub := filepath.Join(r.dir, "site")
	tests := []struct {
		repo, data string
		rel, disp  string
		wantErr    string
	}{
		{r.dir, "site/data", "site/data", "site/data", ""},
		{sub, "data", "site/data", "data", ""},
		{sub, "./data/", "site/data", "data", ""},
		{r.dir, "", "data", "data", ""},              // the default folder need not exist
		{r.dir, "missing", "missing", "missing", ""}, // nor any other
		{r.dir, ".", "", ".", ""},
		{r.dir, "..", "", "", "not inside the git work tree"},
		{t.TempDir(), "data", "", "", "not in a git repository"},
	}
	if _, err := Open(t.TempDir(), "data"); !errors.Is(err, ErrNoRepository) {
		t.Errorf("Open outside a repository: %v, want ErrNoRepository", err)
	}
	for _, tt := range tests {
		got, err := Open(tt.repo, tt.data)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Open(%q, %q): error %v, want %q", tt.repo, tt.data, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("Open(%q, %q): %v", tt.repo, tt.data, err)
			continue
		}
		if got.Rel != tt.rel || got.Display != tt.disp {
			t.Errorf("Open(%q, %q) = rel %q display %q, want %q %q", tt.repo, tt.data, got.Rel, got.Display, tt.rel, tt.disp)
		}
	}
}

func TestLoadAtRevision(t *testing.T) {
	t.Parallel()
	r := newTestRepo(t)
	before := r.commit("2024-01-01", "readme", map[string]string{"README.md": "hello\n"})
	good := r.commit("2024-01-02", "records", map[string]string{
		"data/site.yaml":              testSite,
		"data/qu/district.yaml":       testDistrict("qu", "某区"),
		"data/qu/rounds/r1.yaml":      testRound("r1", 1, testProblem{id: "p1", status: "pending"}),
		"data/qu/notes.md":            "not a record\n",
		"data/.hidden/anything.yaml":  "{{{ not yaml",
		"other/not-data/site.yaml":    "x",
		"data/qu/rounds/.draft.yaml":  "{{{",
		"data/qu/rounds/README.txt":   "x",
		"data/qu/common/.gitkeep.txt": "x",
	})
	bad := r.commit("2024-01-03", "typo", map[string]string{
		"data/qu/rounds/r1.yaml": testRound("r1", 1, testProblem{id: "p1", status: "pendng"}),
	})
	// The working tree moves on; revisions must not see it.
	if err := os.WriteFile(filepath.Join(r.dir, "data/qu/rounds/r1.yaml"), []byte("{{{"), 0o644); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		rev      string
		wantErrs []string // prefixes of the diagnostics
		wantErr  error
	}{
		{good, nil, nil},
		{"main~1", nil, nil},
		{bad, []string{`data/qu/rounds/r1.yaml:17:13: "status" must be one of`}, nil},
		{"HEAD", []string{`data/qu/rounds/r1.yaml:17:13:`}, nil},
		{before, nil, ErrNoData},
		{"no-such-branch", nil, ErrUnknownRevision},
		{"--all", nil, ErrUnknownRevision},
	}
	for _, tt := range tests {
		data, errs, err := Load(r.dir, "data", tt.rev)
		if tt.wantErr != nil {
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("Load(%s): error %v, want %v", tt.rev, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("Load(%s): %v", tt.rev, err)
		}
		if len(errs) != len(tt.wantErrs) {
			t.Errorf("Load(%s): %d diagnostics, want %d:\n%v", tt.rev, len(errs), len(tt.wantErrs), errs)
			continue
		}
		for i, w := range tt.wantErrs {
			if !strings.HasPrefix(errs[i].Error(), w) {
				t.Errorf("Load(%s): diagnostic %q, want prefix %q", tt.rev, errs[i].Error(), w)
			}
		}
		if data.Dir != "data" || data.Site.File != "data/site.yaml" || data.Site.Title != "巡察整改公开" {
			t.Errorf("Load(%s): site %q in %q", tt.rev, data.Site.File, data.Dir)
		}
		if len(data.Districts) != 1 || len(data.Districts[0].Rounds) != 1 {
			t.Fatalf("Load(%s): want one district with one round", tt.rev)
		}
		rd := data.Districts[0].Rounds[0]
		if rd.File != "data/qu/rounds/r1.yaml" || rd.Pos.File != rd.File || rd.At("title").File != rd.File {
			t.Errorf("Load(%s): round positions %q %v", tt.rev, rd.File, rd.Pos)
		}
		p := rd.Problems[0]
		if p.At("status").File != rd.File || p.At("status").Line != 17 {
			t.Errorf("Load(%s): problem status at %v", tt.rev, p.At("status"))
		}
	}
}

func TestCheckAsOf(t *testing.T) {
	t.Parallel()
	r := newTestRepo(t)
	files := map[string]string{
		"data/site.yaml":         "title: t\n",
		"data/qu/district.yaml":  testDistrict("qu", "某区"),
		"data/qu/rounds/r1.yaml": testRound("r1", 1, testProblem{id: "p1", status: "in_progress"}),
	}
	r.commit("2024-05-06", "records", files)
	r.commit("2024-06-01", "unrelated", map[string]string{"README.md": "x\n"})
	tests := []struct {
		asOf model.Date
		want string
	}{
		{model.Date{}, "2024-05-06"}, // the last commit that changed data, not HEAD's date
		{model.NewDate(2024, 7, 1), "2024-07-01"},
	}
	for _, tt := range tests {
		v, errs, err := Check(r.dir, "data", "HEAD", tt.asOf)
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
	files["data/qu/rounds/r1.yaml"] = testRound("r1", 1, testProblem{id: "p1", status: "in_progress",
		extra: "    history:\n      - date: 2030-01-01\n        status: in_progress\n"})
	r.commit("2024-06-02", "future", files)
	_, errs, err := Check(r.dir, "data", "HEAD", model.Date{})
	if err != nil || len(errs) != 1 || !strings.Contains(errs[0].Error(), "after as_of 2024-06-02") {
		t.Errorf("Check: %v %v", err, errs)
	}
}

func TestCommits(t *testing.T) {
	t.Parallel()
	r := newTestRepo(t)
	if cs, err := Commits(r.dir, "data"); err != nil || len(cs) != 0 {
		t.Fatalf("empty repository: %v %v", cs, err)
	}
	a := r.commit("2024-01-01", "a", map[string]string{"data/site.yaml": testSite})
	r.commit("2024-01-02", "b", map[string]string{"README.md": "x\n"})
	c := r.commit("2024-01-03", "c", map[string]string{"data/qu/district.yaml": testDistrict("qu", "某区")})
	cs, err := Commits(r.dir, "data")
	if err != nil {
		t.Fatal(err)
	}
	want := []Commit{{a, "2024-01-01"}, {c, "2024-01-03"}}
	if len(cs) != len(want) || cs[0] != want[0] || cs[1] != want[1] {
		t.Errorf("Commits = %v, want %v", cs, want)
	}
}
