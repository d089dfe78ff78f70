package gitdata

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/xuncha/bulletin/generator/internal/calendar"
	"github.com/xuncha/bulletin/generator/internal/load"
	"github.com/xuncha/bulletin/generator/internal/validate"
)

func TestLoadTime(t *testing.T) {
	s := newSynth(12, 40)
	dir := t.TempDir()
	size := 0
	for p, c := range s.files() {
		fp := filepath.Join(dir, p)
		os.MkdirAll(filepath.Dir(fp), 0o755)
		os.WriteFile(fp, []byte(c), 0o644)
		size += len(c)
	}
	t0 := time.Now()
	for i := 0; i < 10; i++ {
		d, errs := load.Load(filepath.Join(dir, "data"))
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		if e := validate.Validate(d, calendar.New(nil)); len(e) > 0 {
			t.Fatal(e)
		}
	}
	t.Logf("size %d, load+validate %v", size, time.Since(t0)/10)
}
