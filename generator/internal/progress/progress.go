// Package progress shows how far a long piece of work has got, on standard
// error, and only for a person watching a terminal: when standard error is
// not a terminal (a log file, a pipe, CI) or the CI variable is set, it
// prints nothing at all, so logs and test output stay clean and identical
// from run to run.
//
//	p := progress.New("history", len(commits))
//	for range commits {
//		…
//		p.Step()
//	}
//	p.Done()
package progress

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/term"
)

// Bar reports the progress of one piece of work. The zero value and a nil
// *Bar are silent. It is safe for concurrent use.
type Bar struct {
	mu    sync.Mutex
	w     io.Writer // nil: silent
	label string
	total int
	done  int
	last  time.Time // last redraw
	every time.Duration
	now   func() time.Time
	drawn bool
}

// New returns a Bar for total steps, labelled label, that draws on standard
// error when Enabled.
func New(label string, total int) *Bar {
	if !Enabled(os.Stderr, os.Getenv) {
		return &Bar{}
	}
	return NewTo(os.Stderr, label, total)
}

// NewTo returns a Bar that always draws on w (for tests, or a caller that
// decided itself).
func NewTo(w io.Writer, label string, total int) *Bar {
	return &Bar{w: w, label: label, total: total, every: 100 * time.Millisecond, now: time.Now}
}

// Enabled reports whether progress should be shown on f: f is a terminal
// and the CI variable (set by GitHub Actions, GitLab CI and most others) is
// empty. getenv is os.Getenv outside tests.
func Enabled(f *os.File, getenv func(string) string) bool {
	if getenv("CI") != "" || getenv("TERM") == "dumb" {
		return false
	}
	return f != nil && term.IsTerminal(int(f.Fd()))
}

// Step records one more step done.
func (b *Bar) Step() { b.Add(1) }

// Add records n more steps done and redraws at most ten times a second.
func (b *Bar) Add(n int) {
	if b == nil || b.w == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done += n
	t := b.now()
	if b.drawn && t.Sub(b.last) < b.every && b.done < b.total {
		return
	}
	b.last = t
	b.drawn = true
	fmt.Fprintf(b.w, "\r%s", b.line())
}

func (b *Bar) line() string {
	if b.total <= 0 {
		return fmt.Sprintf("%s: %d", b.label, b.done)
	}
	return fmt.Sprintf("%s: %d/%d (%d%%)", b.label, b.done, b.total, b.done*100/b.total)
}

// Done clears the line, so that what is printed next starts clean.
func (b *Bar) Done() {
	if b == nil || b.w == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.drawn {
		fmt.Fprint(b.w, "\r\x1b[K")
		b.drawn = false
	}
}

// Phase names the step now under way and counts the one before it as done.
func (b *Bar) Phase(label string) {
	if b == nil || b.w == nil {
		return
	}
	b.mu.Lock()
	if b.drawn {
		b.done++
	}
	b.label = label
	b.drawn = true
	fmt.Fprintf(b.w, "\r\x1b[K%s", b.line())
	b.mu.Unlock()
}
