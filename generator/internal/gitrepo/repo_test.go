package gitrepo_test

import (
	"errors"
	"fmt"
	"github.com/xuncha/bulletin/generator/internal/diag"
	"github.com/xuncha/bulletin/generator/internal/gitrepo"
	"github.com/xuncha/bulletin/generator/internal/gitrepo/gittest"
	"github.com/xuncha/bulletin/generator/internal/load"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/xuncha/bulletin/generator/internal/model"
)

func TestOpen(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	r.Commit("2024-01-02", "data", map[string]string{"site/data/site.yaml": gittest.Site})
	sub := filepath.Join(r.Dir, "site")
	// The data folder reached through links: git knows it by its real path.
	outside := filepath.Join(t.TempDir(), "checkout")
	if err := os.Symlink("site/data", filepath.Join(r.Dir, "records")); err != nil {
		t.Skip("no symbolic links here")
	}
	if err := os.Symlink(sub, outside); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		repo, data string
		rel, disp  string
		wantErr    string
	}{
		{r.Dir, "site/data", "site/data", "site/data", ""},
		{sub, "data", "site/data", "data", ""},
		{sub, "./data/", "site/data", "data", ""},
		{r.Dir, "", "data", "data", ""},              // the default folder need not exist
		{r.Dir, "missing", "missing", "missing", ""}, // nor any other
		{r.Dir, ".", "", ".", ""},
		{r.Dir, "records", "site/data", "records", ""},
		{outside, "data", "site/data", "data", ""},
		{r.Dir, "..", "", "", "not inside the git work tree"},
		{t.TempDir(), "data", "", "", "not in a git repository"},
	}
	if _, err := gitrepo.Open(t.TempDir(), "data"); !errors.Is(err, gitrepo.ErrNoRepository) {
		t.Errorf("Open outside a repository: %v, want gitrepo.ErrNoRepository", err)
	}
	for _, tt := range tests {
		got, err := gitrepo.Open(tt.repo, tt.data)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("gitrepo.Open(%q, %q): error %v, want %q", tt.repo, tt.data, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("gitrepo.Open(%q, %q): %v", tt.repo, tt.data, err)
			continue
		}
		if got.Rel != tt.rel || got.Display != tt.disp {
			t.Errorf("gitrepo.Open(%q, %q) = rel %q display %q, want %q %q", tt.repo, tt.data, got.Rel, got.Display, tt.rel, tt.disp)
		}
	}
}

// TestTreeLoad: the loader reads a revision straight from git, with the
// positions of the working tree, and nothing of the working tree.
func TestTreeLoad(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	before := r.Commit("2024-01-01", "readme", map[string]string{"README.md": "hello\n"})
	good := r.Commit("2024-01-02", "records", map[string]string{
		"data/site.yaml":              gittest.Site,
		"data/qu/district.yaml":       gittest.District("qu", "某区"),
		"data/qu/rounds/r1.yaml":      gittest.Round("r1", 1, gittest.Problem{ID: "p1", Status: "pending"}),
		"data/qu/notes.md":            "not a record\n",
		"data/.hidden/anything.yaml":  "{{{ not yaml",
		"other/not-data/site.yaml":    "x",
		"data/qu/rounds/.draft.yaml":  "{{{",
		"data/qu/rounds/README.txt":   "x",
		"data/qu/common/.gitkeep.txt": "x",
	})
	bad := r.Commit("2024-01-03", "typo", map[string]string{
		"data/qu/rounds/r1.yaml": gittest.Round("r1", 1, gittest.Problem{ID: "p1", Status: "pendng"}),
	})
	// The working tree moves on; revisions must not see it.
	if err := os.WriteFile(filepath.Join(r.Dir, "data/qu/rounds/r1.yaml"), []byte("{{{"), 0o644); err != nil {
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
		{before, nil, gitrepo.ErrNoData},
		{"no-such-branch", nil, gitrepo.ErrUnknownRevision},
		{"--all", nil, gitrepo.ErrUnknownRevision},
	}
	repo, err := gitrepo.Open(r.Dir, "data")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		data, errs, err := loadAt(repo, tt.rev)
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

// TestLog: the commits that changed the data folder, oldest first, with
// what each changed.
func TestLog(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	repo, err := gitrepo.Open(r.Dir, "data")
	if err != nil {
		t.Fatal(err)
	}
	if cs, err := repo.Log("HEAD"); err != nil || len(cs) != 0 {
		t.Fatalf("empty repository: %v %v", cs, err)
	}
	a := r.Commit("2024-01-01", "a", map[string]string{"data/site.yaml": gittest.Site})
	r.Commit("2024-01-02", "b", map[string]string{"README.md": "x\n"})
	c := r.Commit("2024-01-03", "c", map[string]string{"data/qu/district.yaml": gittest.District("qu", "某区")})
	cs, err := repo.Log("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	want := []gitrepo.Commit{{Hash: a, Date: "2024-01-01"}, {Hash: c, Date: "2024-01-03"}}
	if len(cs) != len(want) || cs[0].Commit != want[0] || cs[1].Commit != want[1] {
		t.Fatalf("Log = %v, want %v", cs, want)
	}
	if ch := cs[1].Changes; len(ch) != 1 || ch[0].Path != "qu/district.yaml" || ch[0].Gone() {
		t.Errorf("changes of the second commit: %+v", ch)
	}
}

// loadAt loads the data folder at rev from its Tree.
func loadAt(r *gitrepo.Repo, rev string) (*model.Data, diag.List, error) {
	commit, err := r.Resolve(rev)
	if err != nil {
		return nil, nil, err
	}
	tree, err := r.Tree(commit)
	if err != nil {
		return nil, nil, err
	}
	defer tree.Close()
	data, errs := load.FS(tree, r.Display)
	return data, errs, nil
}

// TestTreeMatchesDisk: at every commit of a history with every kind of
// change — edits, errors, deletions, renames, misplaced files, symbolic
// links, hidden and non-YAML files — the loader gives from the Tree exactly
// the model and diagnostics it gives from the same commit checked out.
func TestTreeMatchesDisk(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	steps := []map[string]string{
		{"data/site.yaml": gittest.Site, "data/qu/district.yaml": gittest.District("qu", "某区"),
			"data/qu/rounds/r2.yaml": gittest.Round("r2", 2, gittest.Problem{ID: "p1", Status: "pending"}),
			"data/qu/rounds/r1.yaml": gittest.Round("r1", 1, gittest.Problem{ID: "p1", Status: "closed"})},
		{"data/qu/rounds/r1.yaml": gittest.Round("r1", 3, gittest.Problem{ID: "p1", Status: "rectified"})},
		{"data/qu/rounds/r2.yaml": "id: r2\ntitle: x\nnumber: [\n"},
		{"data/qu/rounds/r2.yaml": gittest.Round("r2", 2, gittest.Problem{ID: "p1", Status: "pendin"})},
		{"data/qu/stray.yaml": "id: x\n"},
		{"data/qu/stray.yaml": "", "data/a/district.yaml": gittest.District("a", "甲区"),
			"data/a/common/c1.yaml": "id: c1\ntitle: 共性问题\nunits:\n  - id: u1\n    name: 单位\n    status: pending\n"},
		{"data/site.yaml": "title: [\n"},
		{"data/site.yaml": gittest.Site, "data/qu/district.yaml": ""},
		{"data/qu/district.yaml": "id: other\nname: 某区\n"},
		{"data/qu/district.yaml": gittest.District("qu", "某区"), "data/qu/rounds/r1.yaml": "", "data/qu/rounds/r9.yml": gittest.Round("r9", 1)},
		{"data/.hidden/x.yaml": "{{{", "data/notes.txt": "x"},
	}
	for i, files := range steps {
		r.Commit(fmt.Sprintf("2024-03-%02d", i+1), fmt.Sprint("step ", i), files)
	}
	links := map[string]string{
		"data/qu/rounds/link.yaml": "r2.yaml",               // read
		"data/qu/rounds/out.yaml":  "../../../outside.yaml", // leaves the folder
		"data/qu/rounds/gone.yaml": "nowhere.yaml",          // broken
		"data/b":                   "qu",                    // the same folder twice
		"data/qu/loop":             ".",                     // a loop
	}
	for link, target := range links {
		if err := os.Symlink(target, filepath.Join(r.Dir, link)); err != nil {
			t.Skip("no symbolic links here")
		}
	}
	r.Commit("2024-03-20", "links", nil)

	repo, err := gitrepo.Open(r.Dir, "data")
	if err != nil {
		t.Fatal(err)
	}
	log, err := repo.Log("HEAD")
	if err != nil {
		t.Fatal(err)
	}
	moving := repo.EmptyTree() // moved commit by commit, as the history scan does
	defer moving.Close()
	for i, c := range log {
		r.Git("", "checkout", "-q", "--detach", c.Hash)
		want, wantErrs := load.FS(load.Dir(filepath.Join(r.Dir, "data")), "data")
		got, gotErrs, err := loadAt(repo, c.Hash)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(gotErrs) != fmt.Sprint(wantErrs) {
			t.Errorf("commit %d: diagnostics\n got %v\nwant %v", i, gotErrs, wantErrs)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("commit %d: the model differs from the checked-out folder's", i)
		}
		moving.Apply(c.Changes)
		if m, mErrs := load.FS(moving, "data"); fmt.Sprint(mErrs) != fmt.Sprint(wantErrs) || !reflect.DeepEqual(m, want) {
			t.Errorf("commit %d: the tree moved by Apply differs from the revision's", i)
		}
	}
	if len(log) != len(steps)+1 {
		t.Errorf("%d commits, want %d", len(log), len(steps)+1)
	}
}

// TestTreeIsAnFS checks the Tree against the fs.FS contract.
func TestTreeIsAnFS(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	r.Commit("2024-01-02", "records", map[string]string{
		"data/site.yaml":         gittest.Site,
		"data/qu/district.yaml":  gittest.District("qu", "某区"),
		"data/qu/rounds/r1.yaml": gittest.Round("r1", 1),
	})
	repo, _ := gitrepo.Open(r.Dir, "data")
	commit, _ := repo.Resolve("HEAD")
	tree, err := repo.Tree(commit)
	if err != nil {
		t.Fatal(err)
	}
	defer tree.Close()
	if err := fstest.TestFS(tree, "site.yaml", "qu/district.yaml", "qu/rounds/r1.yaml"); err != nil {
		t.Error(err)
	}
}

// TestTreeSizeLimit: the loader's size limit holds for files read from git,
// at a revision and in a tree moved commit by commit (whose sizes are not
// listed in advance).
func TestTreeSizeLimit(t *testing.T) {
	t.Parallel()
	r := gittest.New(t)
	big := gittest.Round("r1", 1, gittest.Problem{ID: "p1", Status: "pending", Extra: "    description: " + strings.Repeat("很长", 1000) + "\n"})
	r.Commit("2024-01-02", "records", map[string]string{
		"data/site.yaml":         gittest.Site,
		"data/qu/district.yaml":  gittest.District("qu", "某区"),
		"data/qu/rounds/r1.yaml": big,
	})
	repo, _ := gitrepo.Open(r.Dir, "data")
	commit, _ := repo.Resolve("HEAD")
	tree, err := repo.Tree(commit)
	if err != nil {
		t.Fatal(err)
	}
	defer tree.Close()
	log, _ := repo.Log("HEAD")
	moving := repo.EmptyTree()
	defer moving.Close()
	moving.Apply(log[0].Changes)
	for name, fsys := range map[string]fs.FS{"revision": tree, "moved": moving} {
		_, errs := load.FS(fsys, "data", load.WithMaxFileSize(1024))
		if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), "data/qu/rounds/r1.yaml:1:1: file is larger than 1 KiB") {
			t.Errorf("%s: %v", name, errs)
		}
	}
}
