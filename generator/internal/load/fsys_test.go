package load_test

import (
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/xuncha/bulletin/generator/internal/load"
)

// TestFSPositions: records read from any fs.FS (here in memory, as a git
// revision is) carry the displayed folder name in every position, and its
// symbolic links are followed inside the folder only.
func TestFSPositions(t *testing.T) {
	fsys := fstest.MapFS{
		"site.yaml":            {Data: []byte("title: T\nas_of: 2024-12-31\n")},
		"d/district.yaml":      {Data: []byte("id: d\nname: D\n")},
		"d/rounds/r1.yaml":     {Data: []byte("id: r1\ntitle: R\nnumber: x\n")},
		"d/r2.txt":             {Data: []byte("id: r2\ntitle: R2\n")},
		"d/rounds/r2.yaml":     {Data: []byte("../r2.txt"), Mode: fs.ModeSymlink},
		"d/rounds/evil.yaml":   {Data: []byte("../../../etc/x.yaml"), Mode: fs.ModeSymlink},
		"d/rounds/abs.yaml":    {Data: []byte("/etc/passwd"), Mode: fs.ModeSymlink},
		"d/rounds/broken.yaml": {Data: []byte("nowhere.yaml"), Mode: fs.ModeSymlink},
	}
	data, errs := load.FS(fsys, "data")
	checkDiags(t, errs, []string{
		"data/d/rounds/r1.yaml:3:9: ",
		`data/d/rounds/evil.yaml:1:1: symbolic link points outside the data folder (to "../../../etc/x.yaml"): not read`,
		`data/d/rounds/abs.yaml:1:1: symbolic link points outside the data folder (to "/etc/passwd"): not read`,
		"data/d/rounds/broken.yaml:1:1: broken symbolic link: not read",
	})
	if data.Site.File != "data/site.yaml" || data.Dir != "data" {
		t.Errorf("site file %q, dir %q; want data/site.yaml, data", data.Site.File, data.Dir)
	}
	var files []string
	for _, r := range data.Districts[0].Rounds {
		files = append(files, r.File)
	}
	if len(files) != 2 || files[1] != "data/d/rounds/r2.yaml" {
		t.Errorf("rounds read from %q; want r1 and the link r2 under data/d/rounds", files)
	}
}
