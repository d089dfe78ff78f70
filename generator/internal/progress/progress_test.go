package progress

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestEnabled(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tests := []struct {
		name string
		f    *os.File
		env  map[string]string
	}{
		{"a regular file is not a terminal", f, nil},
		{"CI set", f, map[string]string{"CI": "true"}},
		{"dumb terminal", f, map[string]string{"TERM": "dumb"}},
		{"no file", nil, nil},
	}
	for _, tt := range tests {
		if Enabled(tt.f, env(tt.env)) {
			t.Errorf("%s: Enabled = true, want false", tt.name)
		}
	}
}

func TestSilent(t *testing.T) {
	var nilBar *Bar
	nilBar.Step()
	nilBar.Done()
	b := &Bar{}
	b.Step()
	b.Done()
	// New under `go test` writes to a stderr that is not a terminal, or CI is set.
	if os.Getenv("CI") != "" {
		if n := New("x", 3); n.w != nil {
			t.Error("New draws although CI is set")
		}
	}
}

func TestBarDraws(t *testing.T) {
	var buf bytes.Buffer
	clock := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	b := NewTo(&buf, "history", 4)
	b.now = func() time.Time { return clock }
	b.Step() // first step draws
	b.Step() // same instant: throttled
	clock = clock.Add(time.Second)
	b.Step() // later: draws
	b.Step() // the last step always draws
	b.Done()
	want := "\rhistory: 1/4 (25%)\rhistory: 3/4 (75%)\rhistory: 4/4 (100%)\r\x1b[K"
	if got := buf.String(); got != want {
		t.Errorf("output\n got %q\nwant %q", got, want)
	}
	if strings.Contains(want, "\n") {
		t.Error("progress must stay on one line")
	}
}
