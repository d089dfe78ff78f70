// Package gitdata reads the data folder as it was at a git revision, and its
// history over the commits that changed it, by running the git command (not
// a Go reimplementation of git).
//
// A revision's data folder is written into a temporary folder from
// `git ls-tree` and one `git cat-file --batch` process, loaded with package
// load, and every position is rewritten so that diagnostics read as the data
// folder the caller named ("data/chancheng/rounds/2019-r1.yaml:3:5"), exactly
// as `check` prints them for the working tree. Blobs are read as stored:
// .gitattributes filters (export-ignore, export-subst, smudge) play no part.
//
// History follows the first-parent line of the branch (a merge counts as one
// change, the way the site saw it) and reads each changed file once; see
// ScanHistory.
package gitrepo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/xuncha/bulletin/generator/internal/model"
	"github.com/xuncha/bulletin/generator/internal/realpath"
)

// Repo is a data folder inside a git work tree.
type Repo struct {
	Top     string // the work tree's top folder (absolute, symbolic links resolved)
	Rel     string // the data folder relative to Top, slash-separated; "" when it is Top
	Display string // the data folder as the caller named it: every position starts with it
}

// Open finds the git work tree that holds dataDir. repo is a folder of the
// work tree ("" means the current folder); a relative dataDir is relative to
// repo. dataDir need not exist in the work tree (it may exist only at some
// revisions), but it must lie inside it.
func Open(repo, dataDir string) (*Repo, error) {
	if repo == "" {
		repo = "."
	}
	if dataDir == "" {
		dataDir = "data"
	}
	out, err := run(repo, nil, "rev-parse", "--show-toplevel")
	if err != nil {
		if strings.Contains(err.Error(), "not a git repository") {
			return nil, fmt.Errorf("%w: %s", ErrNoRepository, repo)
		}
		return nil, err
	}
	top := strings.TrimSpace(string(out))
	if top == "" {
		return nil, fmt.Errorf("%s is not in a git work tree", repo)
	}
	if top, err = realpath.Of(top); err != nil {
		return nil, err
	}
	data := dataDir
	if !filepath.IsAbs(data) {
		data = filepath.Join(repo, data)
	}
	rel, ok := realpath.Rel(top, data)
	if !ok {
		return nil, fmt.Errorf("the data folder %s is not inside the git work tree %s", dataDir, top)
	}
	if rel == "." {
		rel = ""
	}
	return &Repo{Top: top, Rel: rel, Display: filepath.Clean(dataDir)}, nil
}

// gitEnv is the environment of every git command: pathspecs are literal
// (a folder named "data[1]" is not a pattern), no optional locks are taken
// (reading must not disturb someone committing in the same work tree), and
// messages are in English.
func gitEnv() []string {
	return append(os.Environ(), "GIT_LITERAL_PATHSPECS=1", "GIT_OPTIONAL_LOCKS=0", "LC_ALL=C", "GIT_PAGER=cat")
}

// run runs git in dir and returns its standard output. The error carries
// git's own message.
func run(dir string, stdin io.Reader, args ...string) ([]byte, error) {
	cmd := exec.Command("git", append([]string{"-C", dir,
		// Settings that would change the output this package parses.
		"-c", "log.follow=false", "-c", "log.showSignature=false", "-c", "core.quotePath=false"}, args...)...)
	cmd.Env = gitEnv()
	cmd.Stdin = stdin
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		if errors.Is(err, exec.ErrNotFound) {
			msg = "git is not installed (or not on PATH)"
		}
		return nil, fmt.Errorf("git %s: %s", args[0], msg)
	}
	return out, nil
}

func (r *Repo) git(args ...string) ([]byte, error) { return run(r.Top, nil, args...) }

// pathspec limits a git command to the data folder.
func (r *Repo) pathspec() []string {
	if r.Rel == "" {
		return []string{"--", "."}
	}
	return []string{"--", r.Rel}
}

// ErrNoRepository is returned (wrapped) by Open when the folder is not in a
// git work tree: there is no history to read (a build from an exported
// copy, say).
var ErrNoRepository = errors.New("not in a git repository")

// ErrUnknownRevision is returned (wrapped) for a revision git cannot find.
var ErrUnknownRevision = errors.New("unknown revision")

// Resolve returns the full hash of the commit rev names.
func (r *Repo) Resolve(rev string) (string, error) {
	if rev == "" || strings.HasPrefix(rev, "-") {
		return "", fmt.Errorf("%w %q", ErrUnknownRevision, rev)
	}
	out, err := r.git("rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}")
	if err != nil {
		return "", fmt.Errorf("%w %q: not a commit of %s", ErrUnknownRevision, rev, r.Top)
	}
	return strings.TrimSpace(string(out)), nil
}

// inside returns p (relative to the top of the work tree) relative to the
// data folder, or false when it is not below it or not a clean path.
func (r *Repo) inside(p string) (string, bool) {
	rel := p
	if r.Rel != "" {
		var ok bool
		rel, ok = strings.CutPrefix(p, r.Rel+"/")
		if !ok {
			return "", false
		}
	}
	for part := range strings.SplitSeq(rel, "/") {
		if part == "" || part == "." || part == ".." {
			return "", false
		}
	}
	return rel, true
}

// ErrNoData is returned (wrapped) when the data folder does not exist at a
// revision.
var ErrNoData = errors.New("the data folder does not exist at this revision")

// DataDate is the date of the last commit at or before rev that changed the
// data folder: the default of as_of.
func (r *Repo) DataDate(rev string) (model.Date, error) {
	out, err := r.git(append([]string{"log", "-1", "--format=%cs", rev}, r.pathspec()...)...)
	if err != nil {
		return model.Date{}, err
	}
	s := strings.TrimSpace(string(out))
	if s == "" {
		return model.Date{}, errors.New("no commit has touched the data folder")
	}
	return model.ParseDate(s)
}
