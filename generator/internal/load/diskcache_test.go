package load_test

import (
	"bytes"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/xuncha/bulletin/generator/internal/check"
	"github.com/xuncha/bulletin/generator/internal/diag"
	"github.com/xuncha/bulletin/generator/internal/edition"
	"github.com/xuncha/bulletin/generator/internal/load"
	"github.com/xuncha/bulletin/generator/internal/model"
	"golang.org/x/tools/txtar"
)

// dataFolders are the data folders of the project's test archives (every
// testdata/**.txtar of the generator with round or common problem files,
// materialised under root) and the sample data/ folder: what
// TestDiskCacheGivesWhatParsingGives loads.
func dataFolders(t *testing.T, root string) []string {
	t.Helper()
	folders := []string{filepath.Join("..", "..", "..", "data")}
	err := filepath.WalkDir("..", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(p, ".txtar") || !strings.Contains(filepath.ToSlash(p), "/testdata/") {
			return err
		}
		ar, err := txtar.ParseFile(p)
		if err != nil {
			return err
		}
		dst := filepath.Join(root, strings.ReplaceAll(filepath.ToSlash(p), "/", "_"))
		seen := map[string]bool{}
		for _, f := range ar.Files {
			parts := strings.Split(f.Name, "/")
			for i := 1; i+1 < len(parts); i++ {
				if (parts[i] == "rounds" || parts[i] == "common") && i >= 1 {
					if d := path.Join(parts[:i-1]...); !seen[d] {
						seen[d] = true
						folders = append(folders, filepath.Join(dst, filepath.FromSlash(d)))
					}
				}
			}
		}
		if len(seen) > 0 {
			for _, f := range ar.Files {
				q := filepath.Join(dst, filepath.FromSlash(f.Name))
				if err := os.MkdirAll(filepath.Dir(q), 0o755); err != nil {
					return err
				}
				if err := os.WriteFile(q, f.Data, 0o644); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(folders[1:])
	return slices.Compact(folders)
}

// checked is what check gives for a data folder, in both editions: the
// records and diagnostics of the internal one, the redacted records and
// diagnostics as the public one reports them.
type checked struct {
	data, public  *model.Data
	errs          diag.List
	errText       string
	publicErrText string
}

func checkWith(t *testing.T, dir string, opts ...load.Option) checked {
	t.Helper()
	c, errs := check.Records(check.Source{FS: load.Dir(dir), Display: dir, AsOf: model.NewDate(2024, 12, 31), Load: opts})
	out := checked{data: c.Data, errs: errs, errText: errs.Error()}
	if len(errs) == 0 {
		out.public = edition.Redact(c.Data)
	}
	public := slices.Clone(errs)
	public.Redact(c.Data.InternalScopes().Contains)
	out.publicErrText = public.Error()
	return out
}

// TestDiskCacheGivesWhatParsingGives: every data folder of the test
// archives and the sample data checks to the same records (deep-equal,
// positions and all), the same diagnostics (text, redacted text and
// positions) and the same public edition whether its files are parsed,
// parsed and stored, or taken from the cache, with or without the
// in-memory record cache beside it (as build has it).
func TestDiskCacheGivesWhatParsingGives(t *testing.T) {
	root := t.TempDir()
	folders := dataFolders(t, root)
	if len(folders) < 20 {
		t.Fatalf("only %d data folders found: %v", len(folders), folders)
	}
	withErrs, withInternal := 0, 0
	for _, dir := range folders {
		t.Run(filepath.Base(filepath.Dir(dir))+"_"+filepath.Base(dir), func(t *testing.T) {
			want := checkWith(t, dir)
			if len(want.errs) > 0 {
				withErrs++
			}
			if len(want.data.InternalScopes()) > 0 {
				withInternal++
			}
			store := filepath.Join(t.TempDir(), "records")
			fill := load.NewDiskCache(store, "test")
			for _, c := range []struct {
				name       string
				disk       *load.DiskCache
				records    bool // with a record cache
				wantParsed bool
			}{
				{"filling the cache", fill, false, true},
				{"from the cache", load.NewDiskCache(store, "test"), false, false},
				{"from the cache, with a record cache", load.NewDiskCache(store, "test"), true, false},
				{"another program", load.NewDiskCache(store, "other"), true, true},
			} {
				opts := []load.Option{load.WithDiskCache(c.disk)}
				if c.records {
					opts = append(opts, load.WithCache(load.NewRecordCache()))
				}
				got := checkWith(t, dir, opts...)
				if !reflect.DeepEqual(got.errs, want.errs) || got.errText != want.errText || got.publicErrText != want.publicErrText {
					t.Fatalf("%s: diagnostics\n%s\nwant\n%s\npublic\n%s\nwant\n%s", c.name, got.errText, want.errText, got.publicErrText, want.publicErrText)
				}
				if !reflect.DeepEqual(got.data, want.data) {
					t.Fatalf("%s: the records differ from those parsed", c.name)
				}
				if !reflect.DeepEqual(got.public, want.public) {
					t.Fatalf("%s: the public edition differs from that of the records parsed", c.name)
				}
				taken, parsed := c.disk.Counts()
				if c.wantParsed && taken > 0 || !c.wantParsed && parsed > 0 {
					t.Fatalf("%s: %d files taken from the cache, %d parsed", c.name, taken, parsed)
				}
			}
		})
	}
	if withErrs == 0 || withInternal == 0 {
		t.Errorf("%d folders with diagnostics, %d with internal matter: the test covers neither kind", withErrs, withInternal)
	}
}

// writeData materialises a txtar text under a new folder and returns it.
func writeData(t *testing.T, text string) string {
	t.Helper()
	root := t.TempDir()
	materialise(t, root, text)
	return filepath.Join(root, "data")
}

const cachedRound = `-- data/site.yaml --
title: T
as_of: 2024-12-31
-- data/d/district.yaml --
id: d
name: D
-- data/d/rounds/r.yaml --
id: r
title: R
targets:
  - {id: t, name: 公开单位}
  - {id: s, name: 秘密单位, visibility: internal}
problems:
  - {id: p, target: t, title: 公开问题, status: pending}
  - id: q
    target: t
    title: 暂缓公开的问题
    status: pending
    withheld: unannounced_case
  - {id: w, target: s, title: 秘密单位的问题, status: closed}
internal:
  contact: 张三
-- data/d/common/c.yaml --
id: c
title: C
units: [{id: u, name: U, status: pending}]
`

// TestDiskCacheKeepsInternalMatter: records taken from the cache keep
// every mark of internal matter (an internal target and its problems, a
// withheld problem, internal: fields), so that the public edition made
// from them carries none of it.
func TestDiskCacheKeepsInternalMatter(t *testing.T) {
	dir := writeData(t, cachedRound)
	store := filepath.Join(t.TempDir(), "records")
	checkWith(t, dir, load.WithDiskCache(load.NewDiskCache(store, "test")))
	c := load.NewDiskCache(store, "test")
	got := checkWith(t, dir, load.WithDiskCache(c))
	if taken, parsed := c.Counts(); taken != 2 || parsed != 0 {
		t.Fatalf("%d files taken from the cache, %d parsed; want 2, 0", taken, parsed)
	}
	if len(got.errs) > 0 {
		t.Fatal(got.errs)
	}
	rd := got.public.Districts[0].Rounds[0]
	var ids []string
	for _, p := range rd.Problems {
		ids = append(ids, p.ID)
	}
	if !reflect.DeepEqual(ids, []string{"p", "", ""}) || rd.Targets[1].Name != "" || len(rd.Internal) > 0 {
		t.Errorf("the public edition of records from the cache has problems %v, %d targets, internal fields %v", ids, len(rd.Targets), rd.Internal)
	}
	for _, secret := range []string{"秘密", "暂缓", "张三"} {
		if s := strings.Join(publicText(got.public), "\n"); strings.Contains(s, secret) {
			t.Errorf("the public edition of records from the cache holds %q", secret)
		}
	}
}

// publicText is every string of the records of d.
func publicText(d *model.Data) []string {
	var out []string
	var walk func(v reflect.Value)
	seen := map[uintptr]bool{}
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.String:
			out = append(out, v.String())
		case reflect.Pointer:
			if v.IsNil() || seen[v.Pointer()] {
				return
			}
			seen[v.Pointer()] = true
			walk(v.Elem())
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Struct:
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i))
				}
			}
		}
	}
	walk(reflect.ValueOf(d))
	return out
}

// TestDiskCacheDamagedEntries: an entry that is cut short, has a byte
// changed, is empty, is another file's entry or was written by another
// version of the layout is a miss: the file is parsed again, the records
// are those parsed, and the entry is written anew (the next load takes it).
// A file that changed is parsed again.
func TestDiskCacheDamagedEntries(t *testing.T) {
	dir := writeData(t, cachedRound)
	want := checkWith(t, dir)
	for _, c := range []struct {
		name   string
		damage func(b, other []byte) []byte
	}{
		{"cut short", func(b, _ []byte) []byte { return b[:len(b)-1] }},
		{"cut in half", func(b, _ []byte) []byte { return b[:len(b)/2] }},
		{"empty", func(b, _ []byte) []byte { return nil }},
		{"a byte changed in the body", func(b, _ []byte) []byte { b[len(b)/2] ^= 1; return b }},
		{"a byte changed in the sum", func(b, _ []byte) []byte { b[len(b)-1] ^= 1; return b }},
		{"another file's entry", func(_, other []byte) []byte { return other }},
		{"another layout", func(b, _ []byte) []byte { b[bytes.IndexByte(b, 1)] = 2; return b }},
	} {
		t.Run(c.name, func(t *testing.T) {
			store := filepath.Join(t.TempDir(), "records")
			checkWith(t, dir, load.WithDiskCache(load.NewDiskCache(store, "test")))
			entries, err := os.ReadDir(store)
			if err != nil || len(entries) != 2 {
				t.Fatalf("%d entries (%v), want 2", len(entries), err)
			}
			first, _ := os.ReadFile(filepath.Join(store, entries[0].Name()))
			second, _ := os.ReadFile(filepath.Join(store, entries[1].Name()))
			if err := os.WriteFile(filepath.Join(store, entries[0].Name()), c.damage(first, second), 0o644); err != nil {
				t.Fatal(err)
			}
			for i, wantParsed := range []int{1, 0} {
				dc := load.NewDiskCache(store, "test")
				got := checkWith(t, dir, load.WithDiskCache(dc))
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("load %d: the records or diagnostics differ from those parsed", i+1)
				}
				if taken, parsed := dc.Counts(); parsed != wantParsed || taken != 2-wantParsed {
					t.Fatalf("load %d: %d taken, %d parsed; want %d parsed", i+1, taken, parsed, wantParsed)
				}
			}
		})
	}
	t.Run("a file that changed", func(t *testing.T) {
		store := filepath.Join(t.TempDir(), "records")
		checkWith(t, dir, load.WithDiskCache(load.NewDiskCache(store, "test")))
		p := filepath.Join(dir, "d", "rounds", "r.yaml")
		b, _ := os.ReadFile(p)
		os.WriteFile(p, bytes.Replace(b, []byte("status: closed"), []byte("status: rectified"), 1), 0o644)
		want := checkWith(t, dir)
		dc := load.NewDiskCache(store, "test")
		got := checkWith(t, dir, load.WithDiskCache(dc))
		if !reflect.DeepEqual(got, want) {
			t.Fatal("the records of a changed file differ from those parsed")
		}
		if taken, parsed := dc.Counts(); taken != 1 || parsed != 1 {
			t.Fatalf("%d taken, %d parsed; want the changed file parsed, the other taken", taken, parsed)
		}
		if st := got.data.Districts[0].Rounds[0].Problems[2].Status; st != model.Rectified {
			t.Fatalf("the changed problem's status is %s", st)
		}
		if n, err := dc.Prune(); n != 1 || err != nil {
			t.Errorf("the prune removed %d entries (%v), want the changed file's old one", n, err)
		}
		entries, _ := os.ReadDir(store)
		if len(entries) != 2 {
			t.Errorf("%d entries left after the prune, want 2", len(entries))
		}
	})
}

// TestDiskCacheKeepsTheHistoryScanCheap: records taken from the disk cache
// fill the in-memory record cache as parsed ones do, so that loading a
// version of the files from git (a BlobFS) through it hands out the kept
// records (which share their lists) instead of parsing them again.
func TestDiskCacheKeepsTheHistoryScanCheap(t *testing.T) {
	dir := writeData(t, cachedRound)
	store := filepath.Join(t.TempDir(), "records")
	load.FS(load.Dir(dir), "data", load.WithDiskCache(load.NewDiskCache(store, "test")))
	rc := load.NewRecordCache()
	dc := load.NewDiskCache(store, "test")
	tree, errs := load.FS(load.Dir(dir), "data", load.WithCache(rc), load.WithDiskCache(dc))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if taken, _ := dc.Counts(); taken != 2 {
		t.Fatalf("%d files taken from the disk cache, want 2", taken)
	}
	b := &blobFS{MapFS: fstest.MapFS{}, ids: map[string]string{"d/rounds/r.yaml": "v1", "d/common/c.yaml": "v1"}, opened: map[string]int{}}
	for _, name := range []string{"site.yaml", "d/district.yaml", "d/rounds/r.yaml", "d/common/c.yaml"} {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		b.MapFS[name] = &fstest.MapFile{Data: data}
	}
	for i := range 2 {
		got, errs := load.FS(b, "data", load.WithCache(rc))
		want, wantErrs := load.FS(b.MapFS, "data")
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(errs, wantErrs) {
			t.Fatal("a version loaded through the record cache differs from a fresh load")
		}
		if &got.Districts[0].Rounds[0].Internal[0] != &tree.Districts[0].Rounds[0].Internal[0] {
			t.Fatalf("look %d: the round was parsed again, not handed out from the record the disk cache gave", i+1)
		}
	}
	if b.opened["d/rounds/r.yaml"] != 1 {
		t.Errorf("the round file was opened %d times, want once (then known by its blob)", b.opened["d/rounds/r.yaml"])
	}
}
