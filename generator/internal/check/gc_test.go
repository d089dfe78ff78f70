package check

import (
	"os"
	"runtime/debug"
	"testing"
)

// TestTuneGC: check runs with GCPercent and gives the previous target
// back; a GOGC the user set wins.
func TestTuneGC(t *testing.T) {
	t.Setenv("GOGC", "") // restored when the test ends
	os.Unsetenv("GOGC")
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	restore := TuneGC()
	if got := debug.SetGCPercent(GCPercent); got != GCPercent {
		t.Errorf("while checking, the GC target is %d, want %d", got, GCPercent)
	}
	restore()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("after checking, the GC target is %d, want 100 back", got)
	}

	os.Setenv("GOGC", "50")
	restore = TuneGC()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC set, check changed the GC target to %d", got)
	}
	restore()
}
