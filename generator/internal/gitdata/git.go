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
package gitdata

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
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
	top = realPath(top)
	data := dataDir
	if !filepath.IsAbs(data) {
		data = filepath.Join(repo, data)
	}
	data, err = filepath.Abs(data)
	if err != nil {
		return nil, err
	}
	rel, err := filepath.Rel(top, realPath(data))
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil, fmt.Errorf("the data folder %s is not inside the git work tree %s", dataDir, top)
	}
	rel = filepath.ToSlash(rel)
	if rel == "." {
		rel = ""
	}
	return &Repo{Top: top, Rel: rel, Display: filepath.Clean(dataDir)}, nil
}

// realPath resolves symbolic links in p, or in the longest part of it that
// exists (the data folder may not exist in the work tree).
func realPath(p string) string {
	p = filepath.Clean(p)
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	parent, base := filepath.Dir(p), filepath.Base(p)
	if parent == p {
		return p
	}
	return filepath.Join(realPath(parent), base)
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

// entry is one file of a tree.
type entry struct {
	mode string // 100644, 100755, 120000 (symbolic link); 160000 (submodule) is left out
	sha  string
}

// tree is the data folder at one revision: files by path relative to the
// data folder (slash-separated).
type tree map[string]entry

// lsTree lists the files of the data folder at commit.
func (r *Repo) lsTree(commit string) (tree, error) {
	args := append([]string{"ls-tree", "-r", "-z", "--full-tree", commit}, r.pathspec()...)
	out, err := r.git(args...)
	if err != nil {
		return nil, err
	}
	t := tree{}
	for rec := range bytes.SplitSeq(out, []byte{0}) {
		if len(rec) == 0 {
			continue
		}
		meta, p, ok := bytes.Cut(rec, []byte{'\t'})
		if !ok {
			return nil, fmt.Errorf("git ls-tree: unexpected output %q", rec)
		}
		f := strings.Fields(string(meta)) // mode type object
		if len(f) != 3 {
			return nil, fmt.Errorf("git ls-tree: unexpected output %q", rec)
		}
		if f[1] != "blob" {
			continue
		}
		if rel, ok := r.inside(string(p)); ok {
			t[rel] = entry{mode: f[0], sha: f[2]}
		}
	}
	return t, nil
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

// catFile is one `git cat-file --batch` process: it answers blob requests
// one at a time, for as long as it runs.
type catFile struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
	err bytes.Buffer
}

func (r *Repo) catFile() (*catFile, error) {
	c := &catFile{cmd: exec.Command("git", "-C", r.Top, "cat-file", "--batch")}
	c.cmd.Env = gitEnv()
	c.cmd.Stderr = &c.err
	in, err := c.cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := c.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := c.cmd.Start(); err != nil {
		return nil, fmt.Errorf("git cat-file: %w", err)
	}
	c.in, c.out = in, bufio.NewReaderSize(out, 1<<16)
	return c, nil
}

// blob returns the content of the object sha.
func (c *catFile) blob(sha string) ([]byte, error) {
	if err := c.request(sha); err != nil {
		return nil, err
	}
	return c.read(sha)
}

// request asks for the object sha; read returns it. Requests may run ahead
// of reads (from another goroutine): answers come in the order asked.
func (c *catFile) request(sha string) error {
	if _, err := io.WriteString(c.in, sha+"\n"); err != nil {
		return c.fail(err)
	}
	return nil
}

// read returns the content of the next object answered, which must be sha.
func (c *catFile) read(sha string) ([]byte, error) {
	header, err := c.out.ReadString('\n')
	if err != nil {
		return nil, c.fail(err)
	}
	f := strings.Fields(header)
	if len(f) == 2 && f[1] == "missing" {
		return nil, fmt.Errorf("git cat-file: object %s is missing (a shallow or partial clone?)", f[0])
	}
	if len(f) != 3 || f[0] != sha {
		return nil, fmt.Errorf("git cat-file: unexpected answer %q to %s", header, sha)
	}
	size, err := strconv.ParseInt(f[2], 10, 64)
	if err != nil || size < 0 {
		return nil, fmt.Errorf("git cat-file: unexpected answer %q", header)
	}
	b := make([]byte, size+1) // the content and a newline
	if _, err := io.ReadFull(c.out, b); err != nil {
		return nil, c.fail(err)
	}
	return b[:size], nil
}

func (c *catFile) fail(err error) error {
	if msg := strings.TrimSpace(c.err.String()); msg != "" {
		return fmt.Errorf("git cat-file: %s", msg)
	}
	return fmt.Errorf("git cat-file: %w", err)
}

// prefetch asks for every object of shas, in order, from a goroutine: the
// answers are then read with read, in the same order, without waiting for
// git between one object and the next.
func (c *catFile) prefetch(shas []string) {
	go func() {
		w := bufio.NewWriterSize(c.in, 1<<16)
		for _, sha := range shas {
			if _, err := w.WriteString(sha + "\n"); err != nil {
				return
			}
		}
		w.Flush()
	}()
}

// Close ends the process, also when answers were left unread.
func (c *catFile) Close() {
	c.in.Close()
	c.cmd.Process.Kill()
	c.cmd.Wait()
}

// write creates the file rel of e with content b under dir (a symbolic link
// for mode 120000: b is its target).
func write(dir, rel string, e entry, b []byte) error {
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	if st, err := os.Lstat(p); err == nil {
		if st.IsDir() {
			err = os.RemoveAll(p)
		} else {
			err = os.Remove(p)
		}
		if err != nil {
			return err
		}
	}
	if e.mode == "120000" {
		return os.Symlink(string(b), p)
	}
	perm := os.FileMode(0o644)
	if e.mode == "100755" {
		perm = 0o755
	}
	return os.WriteFile(p, b, perm)
}

// remove deletes the file rel under dir, and the folders it leaves empty up
// to dir.
func remove(dir, rel string) error {
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
		return err
	}
	for parent := filepath.Dir(p); parent != dir && strings.HasPrefix(parent, dir); parent = filepath.Dir(parent) {
		if os.Remove(parent) != nil {
			break
		}
	}
	return nil
}
