package load_test

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/load"
)

// TestFileSums: WithFileSums gives the SHA-256 of every record file Load
// read, by its path in the data folder, in path order, whatever the number
// of workers; a file that is not a record file is not read.
func TestFileSums(t *testing.T) {
	const dir = "../../../data"
	var want []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, p)
		want = append(want, fmt.Sprintf("%q %x\n", filepath.ToSlash(rel), sha256.Sum256(b)))
		return nil
	})
	sort.Strings(want)
	if len(want) < 10 {
		t.Fatalf("the sample records have %d files", len(want))
	}
	for _, workers := range []int{1, 4} {
		sums := load.NewFileSums()
		if _, errs := load.Load(dir, load.WithFileSums(sums), load.WithWorkers(workers)); len(errs) > 0 {
			t.Fatal(errs)
		}
		var got bytes.Buffer
		sums.WriteTo(&got)
		if got.String() != strings.Join(want, "") || sums.Len() != len(want) {
			t.Errorf("%d workers: the sums are\n%s\nwant\n%s", workers, got.String(), strings.Join(want, ""))
		}
	}
}
