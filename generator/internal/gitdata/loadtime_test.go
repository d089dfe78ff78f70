package gitdata

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/xuncha/bulletin/generator/internal/aggregate"
	"github.com/xuncha/bulletin/generator/internal/calendar"
	"github.com/xuncha/bulletin/generator/internal/edition"
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
	var tl, tv, ta time.Duration
	for i := 0; i < 10; i++ {
		t0 := time.Now()
		d, errs := load.Load(filepath.Join(dir, "data"))
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		t1 := time.Now()
		cal := calendar.New(nil)
		if e := validate.Validate(d, cal); len(e) > 0 {
			t.Fatal(e)
		}
		t2 := time.Now()
		edition.Normalize(d)
		aggregate.Compute(aggregate.Input{Data: d, Calendar: cal, Edition: aggregate.Internal})
		t3 := time.Now()
		tl += t1.Sub(t0)
		tv += t2.Sub(t1)
		ta += t3.Sub(t2)
	}
	t.Logf("size %d, load %v validate %v aggregate %v", size, tl/10, tv/10, ta/10)
}
