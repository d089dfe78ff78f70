//go:build unix

package pipeline

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestShardCacheModes: a site built from the cache is world-readable
// (folders 0755, files 0644) whatever the umask and whatever mode the
// cache's files have, and a restore under a usual umask tells publishing
// that its folders need no walk.
func TestShardCacheModes(t *testing.T) {
	dir := t.TempDir()
	cache := filepath.Join(dir, "cache")
	build := func(out string) {
		t.Helper()
		cfg := Config{Data: sampleData, Content: "../../../content", Templates: "../../../templates",
			Out: filepath.Join(dir, out), ShardCache: cache, Generator: "g"}
		if errs, err := Build(cfg); err != nil || len(errs) > 0 {
			t.Fatalf("build: %v %v", err, errs)
		}
	}
	modes := func(out string) {
		t.Helper()
		err := filepath.WalkDir(filepath.Join(dir, out), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			fi, err := d.Info()
			if err != nil {
				return err
			}
			want := fs.FileMode(0o644)
			if d.IsDir() {
				want = 0o755
			}
			if fi.Mode().Perm() != want {
				t.Errorf("%s: mode %04o, want %04o", p, fi.Mode().Perm(), want)
				return filepath.SkipAll
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	old := syscall.Umask(0o077)
	build("filled")
	build("restored-077")
	syscall.Umask(old)
	modes("filled")
	modes("restored-077")

	// The cache's files made private (as a cache restored under umask 077
	// by CI's cache action would be).
	err := filepath.WalkDir(cache, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && !strings.HasSuffix(p, entryManifest) {
			err = os.Chmod(p, 0o600)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	old = syscall.Umask(0o022)
	defer syscall.Umask(old)
	build("restored-022")
	modes("restored-022")

	// What the restore tells publishing.
	keys, _ := filepath.Glob(filepath.Join(cache, strings.Repeat("[0-9a-f]", 64)))
	if len(keys) == 0 {
		t.Fatal("no cache entries")
	}
	var told []string
	out := t.TempDir()
	if _, err := unpackShard(keys[0], out, []string{"", "en"}, districtDirs(t, keys[0]), func(d string) { told = append(told, d) }); err != nil {
		t.Fatal(err)
	}
	if len(told) == 0 {
		t.Errorf("a restore under umask 022 told publishing of no folder")
	}
	for _, d := range told {
		if !strings.HasPrefix(d, out) {
			t.Errorf("told of %s, outside the output", d)
		}
	}
	syscall.Umask(0o077)
	told = nil
	if _, err := unpackShard(keys[0], t.TempDir(), []string{"", "en"}, districtDirs(t, keys[0]), func(d string) { told = append(told, d) }); err != nil {
		t.Fatal(err)
	}
	if len(told) != 0 {
		t.Errorf("a restore under umask 077 (folders 0700) told publishing its folders need no walk: %v", told)
	}
}
