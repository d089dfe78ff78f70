package load_test

import (
	"io/fs"
	"reflect"
	"testing"
	"testing/fstest"

	"github.com/xuncha/bulletin/generator/internal/load"
)

// blobFS is a MapFS that names each file's content (load.BlobFS) by the
// version given in ids, and counts the files opened.
type blobFS struct {
	fstest.MapFS
	ids    map[string]string
	opened map[string]int
}

func (b *blobFS) Open(name string) (fs.File, error) {
	b.opened[name]++
	return b.MapFS.Open(name)
}

func (b *blobFS) BlobID(name string) (string, bool) {
	id, ok := b.ids[name]
	return id, ok
}

// TestBlobFSSkipsReading: through a record cache, a file of a BlobFS whose
// content the cache has seen under the same name and ID is not even read,
// and the model is a fresh load's; a file with a new ID is read again.
func TestBlobFSSkipsReading(t *testing.T) {
	const round = "d/rounds/r.yaml"
	roundText := func(status string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("id: r\ntitle: R\ntargets: [{id: t, name: T}]\nproblems:\n  - {id: p, target: t, title: P, status: " + status + "}\n")}
	}
	b := &blobFS{MapFS: fstest.MapFS{
		"site.yaml":       {Data: []byte("title: T\nas_of: 2024-12-31\n")},
		"d/district.yaml": {Data: []byte("id: d\nname: D\n")},
		round:             roundText("pending"),
	}, ids: map[string]string{round: "v1"}, opened: map[string]int{}}
	c := load.NewRecordCache()
	check := func(what string, wantOpened int) {
		t.Helper()
		b.opened = map[string]int{}
		got, gotErrs := load.FS(b, "data", load.WithCache(c))
		want, wantErrs := load.FS(b.MapFS, "data")
		if len(gotErrs) > 0 || !reflect.DeepEqual(gotErrs, wantErrs) || !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: the model or diagnostics differ from a fresh load's: %v", what, gotErrs)
		}
		if b.opened[round] != wantOpened {
			t.Errorf("%s: the round file was opened %d times, want %d", what, b.opened[round], wantOpened)
		}
	}
	check("first load", 1)
	check("the same blob", 0)
	b.MapFS[round], b.ids[round] = roundText("closed"), "v2"
	check("a new blob", 1)
	check("the new blob again", 0)
	delete(b.ids, round) // a symbolic link, say: no ID
	check("no ID", 1)
}
