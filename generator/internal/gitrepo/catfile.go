package gitrepo

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
)

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

// blob returns the content of the object sha, and its size. A blob larger
// than limit is not kept: its size is returned with a nil content.
func (c *catFile) blob(sha string, limit int64) ([]byte, int64, error) {
	if _, err := io.WriteString(c.in, sha+"\n"); err != nil {
		return nil, 0, c.fail(err)
	}
	header, err := c.out.ReadString('\n')
	if err != nil {
		return nil, 0, c.fail(err)
	}
	f := strings.Fields(header)
	if len(f) == 2 && f[1] == "missing" {
		return nil, 0, fmt.Errorf("git cat-file: object %s is missing (a shallow or partial clone?)", f[0])
	}
	if len(f) != 3 || f[0] != sha {
		return nil, 0, fmt.Errorf("git cat-file: unexpected answer %q to %s", header, sha)
	}
	size, err := strconv.ParseInt(f[2], 10, 64)
	if err != nil || size < 0 {
		return nil, 0, fmt.Errorf("git cat-file: unexpected answer %q", header)
	}
	if size > limit {
		if _, err := io.CopyN(io.Discard, c.out, size+1); err != nil {
			return nil, 0, c.fail(err)
		}
		return nil, size, nil
	}
	b := make([]byte, size+1) // the content and a newline
	if _, err := io.ReadFull(c.out, b); err != nil {
		return nil, 0, c.fail(err)
	}
	return b[:size], size, nil
}

func (c *catFile) fail(err error) error {
	if msg := strings.TrimSpace(c.err.String()); msg != "" {
		return fmt.Errorf("git cat-file: %s", msg)
	}
	return fmt.Errorf("git cat-file: %w", err)
}

// Close ends the process, also when answers were left unread.
func (c *catFile) Close() {
	c.in.Close()
	c.cmd.Process.Kill()
	c.cmd.Wait()
}
