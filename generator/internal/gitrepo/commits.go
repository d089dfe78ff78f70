package gitrepo

import (
	"bytes"
	"fmt"
	"strings"
)

// Commit is one commit that changed the data folder.
type Commit struct {
	Hash string `json:"commit"`
	Date string `json:"date"` // committer date, YYYY-MM-DD
}

// hasCommits reports whether rev names a commit (false in a repository
// without commits, when rev is HEAD).
func (r *Repo) hasCommits(rev string) bool {
	_, err := r.git("rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}")
	return err == nil
}

// LogCommit is a commit with the changes it made to the data folder.
type LogCommit struct {
	Commit
	Changes []Change
}

// Change is one file added, changed or deleted (mode "000000").
type Change struct {
	Path string // relative to the data folder
	Entry
}

// Gone reports whether the change deletes the file (or makes it a
// submodule, which is not a file of the data folder).
func (c Change) Gone() bool { return c.Mode == "000000" || c.Mode == "160000" }

// Log lists the commits of rev's first-parent line that changed the data
// folder, oldest first, each with its changes against its first parent: one
// `git log --raw` process for the whole history.
func (r *Repo) Log(rev string) ([]LogCommit, error) {
	if !r.hasCommits(rev) {
		return nil, nil
	}
	args := append([]string{"log", "--first-parent", "--diff-merges=first-parent", "--reverse",
		"--no-show-signature", "--raw", "-z", "--no-renames", "--no-abbrev", "--format=%x01%H %cs", rev}, r.pathspec()...)
	out, err := r.git(args...)
	if err != nil {
		return nil, err
	}
	var cs []LogCommit
	toks := bytes.Split(out, []byte{0})
	for i := 0; i < len(toks); i++ {
		tok := strings.TrimLeft(string(toks[i]), "\n")
		switch {
		case tok == "":
		case strings.HasPrefix(tok, "\x01"):
			hash, date, ok := strings.Cut(tok[1:], " ")
			if !ok {
				return nil, fmt.Errorf("git log: unexpected output %q", tok)
			}
			cs = append(cs, LogCommit{Commit: Commit{Hash: hash, Date: date}})
		case strings.HasPrefix(tok, ":"):
			// :oldmode newmode oldsha newsha status, then the path.
			f := strings.Fields(tok[1:])
			if len(f) != 5 || len(cs) == 0 || i+1 >= len(toks) {
				return nil, fmt.Errorf("git log: unexpected output %q", tok)
			}
			i++
			p := string(toks[i])
			rel, ok := r.inside(p)
			if !ok {
				continue
			}
			c := &cs[len(cs)-1]
			c.Changes = append(c.Changes, Change{Path: rel, Entry: Entry{Mode: f[1], SHA: f[3]}})
		default:
			return nil, fmt.Errorf("git log: unexpected output %q", tok)
		}
	}
	return cs, nil
}
