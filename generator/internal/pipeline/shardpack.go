package pipeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/xuncha/bulletin/generator/internal/hugosite"
)

// A cache entry is a folder, DIR/<key>/: the shard's folders, in every
// language, at their paths in the output ("d001/", "en/d001/", …), and
// entryManifest. Its files are hard links to the ones the build that
// stored it rendered (copies where links cannot be made, see linkTree).
// A build moves the folders into its site (takeShard) and puts them back
// once the site is published (takenEntries.putBack); without that,
// unpackShard links the files into the site. Neither copies a page, and
// a published site shares its storage with the cache, so nothing may
// rewrite a published file in place (the publish step only renames
// folders, and changes no mode that is already right).
//
// The manifest lists every folder (parents first) and file, with its
// size, and the shard's sitemap entries. It is written last, and the
// folder renamed into place only when complete; a restore checks every
// file against it, so an entry that a cache restored in part (CI's cache
// actions) or a disk error left incomplete is found out, rendered again
// and replaced.
const entryManifest = ".entry.json"

// entryVersion is the layout of an entry and its manifest.
const entryVersion = 1

type manifestOfEntry struct {
	Version int                     `json:"version"`
	Dirs    []string                `json:"dirs"`
	Files   []cachedFile            `json:"files"`
	Sitemap []hugosite.SitemapEntry `json:"sitemap"`
}

type cachedFile struct {
	Path string `json:"p"`
	Size int64  `json:"n"`
}

// packShard makes the folder entry (which must exist and be empty) the
// cache entry of the shard's folders dirs (in every language's folder
// langDirs) under out, with its sitemap entries.
func packShard(entry, out string, langDirs, dirs []string, entries []hugosite.SitemapEntry) error {
	m := manifestOfEntry{Version: entryVersion, Sitemap: entries}
	for _, l := range langDirs {
		for _, d := range dirs {
			name := path.Join(l, d)
			top := filepath.Join(out, filepath.FromSlash(name))
			if _, err := os.Lstat(top); errors.Is(err, os.ErrNotExist) {
				continue // no page of the shard in this language
			}
			to := filepath.Join(entry, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
				return err
			}
			err := linkTree(top, to, func(rel string, dir bool, size int64) {
				p := path.Join(name, rel)
				if dir {
					m.Dirs = append(m.Dirs, p)
				} else {
					m.Files = append(m.Files, cachedFile{p, size})
				}
			})
			if err != nil {
				return err
			}
		}
	}
	data, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return writeNew(filepath.Join(entry, entryManifest), data)
}

// unpackShard links the folders of the cache entry entry (packShard's)
// into out and returns its sitemap entries. Every path must lie in one of
// the shard's folders, and none may exist in out yet. An entry without
// its manifest, or with a file missing, of another size or not a regular
// file, is an error. Every file is made 0644 (a mode that is right
// already is left alone), and when the folders it made are 0755 (the
// umask let them be), ready, when set, is told each shard folder it made
// once it is complete: publishing need not walk them (publish.Staging.Ready).
func unpackShard(entry, out string, langDirs, dirs []string, ready func(dir string)) ([]hugosite.SitemapEntry, error) {
	m, err := readManifest(entry)
	if err != nil {
		return nil, err
	}
	topOf := shardTops(langDirs, dirs)
	var made []string // the shard folders
	for _, name := range m.Dirs {
		top, err := topOf(name)
		if err != nil {
			return nil, err
		}
		target := filepath.Join(out, filepath.FromSlash(name))
		if name == top {
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return nil, err
			}
		}
		if err := os.Mkdir(target, 0o755); err != nil {
			return nil, err
		}
		if name == top {
			made = append(made, target)
		}
	}
	for _, f := range m.Files {
		top, err := topOf(f.Path)
		if err != nil {
			return nil, err
		}
		if f.Path == top {
			return nil, fmt.Errorf("%s: a file where the shard's folder belongs", f.Path)
		}
		from, to := filepath.Join(entry, filepath.FromSlash(f.Path)), filepath.Join(out, filepath.FromSlash(f.Path))
		size, perm, err := linkFileMode(from, to)
		if err != nil {
			return nil, err
		}
		if size != f.Size {
			return nil, fmt.Errorf("%s: %d bytes, the entry lists %d", from, size, f.Size)
		}
		if perm != 0o644 {
			// The cache's file too, if linked: the mode it is published with.
			if err := os.Chmod(to, 0o644); err != nil {
				return nil, err
			}
		}
	}
	if ready != nil && len(made) > 0 {
		// Every folder was made by one Mkdir(0755) under the same umask:
		// one tells the mode of all.
		if fi, err := os.Lstat(made[0]); err == nil && fi.Mode().Perm() == 0o755 {
			for _, d := range made {
				ready(d)
			}
		}
	}
	return m.Sitemap, nil
}

// A shard folder takeShard moved: its slash path in the output, and how
// many folders and files it holds (itself included).
type movedTop struct {
	path  string
	count int
}

// takeShard moves the shard folders of the cache entry entry into out, as
// they are: a rename each, no folder or file made. They are checked first
// against the manifest (every folder and file there, each file regular
// and of its size, nothing else; folders made 0755 and files 0644 where
// they are not), so ready, when set, is told each (publish.Staging.Ready).
// The entry keeps its manifest only, until the folders are put back
// (shardCache.putBack). Every path must lie in one of the shard's
// folders, and none may exist in out yet. On an error nothing is left in
// out.
func takeShard(entry, out string, langDirs, dirs []string, ready func(dir string)) ([]hugosite.SitemapEntry, []movedTop, error) {
	m, err := readManifest(entry)
	if err != nil {
		return nil, nil, err
	}
	topOf := shardTops(langDirs, dirs)
	isDir := map[string]bool{}
	size := map[string]int64{}
	var moved []movedTop
	for _, name := range m.Dirs {
		top, err := topOf(name)
		if err != nil {
			return nil, nil, err
		}
		isDir[name] = true
		if name == top {
			moved = append(moved, movedTop{path: name})
		}
	}
	for _, f := range m.Files {
		top, err := topOf(f.Path)
		if err != nil {
			return nil, nil, err
		}
		if f.Path == top {
			return nil, nil, fmt.Errorf("%s: a file where the shard's folder belongs", f.Path)
		}
		size[f.Path] = f.Size
	}
	seen := 0
	for i, t := range moved {
		from := filepath.Join(entry, filepath.FromSlash(t.path))
		err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(entry, p)
			if err != nil {
				return err
			}
			name := filepath.ToSlash(rel)
			fi, err := d.Info()
			if err != nil {
				return err
			}
			want := fs.FileMode(0o644)
			switch n, listed := size[name]; {
			case d.IsDir() && isDir[name]:
				want = 0o755
			case !listed || d.IsDir():
				return fmt.Errorf("%s: not in the entry's manifest", p)
			case !fi.Mode().IsRegular():
				return fmt.Errorf("%s: %w", p, errNotRegular)
			case fi.Size() != n:
				return fmt.Errorf("%s: %d bytes, the entry lists %d", p, fi.Size(), n)
			}
			moved[i].count++
			if fi.Mode().Perm() != want {
				return os.Chmod(p, want)
			}
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
		seen += moved[i].count
	}
	if seen != len(m.Dirs)+len(m.Files) {
		return nil, nil, fmt.Errorf("%s: %d folders and files, the manifest lists %d", entry, seen, len(m.Dirs)+len(m.Files))
	}
	for i, t := range moved {
		to := filepath.Join(out, filepath.FromSlash(t.path))
		err := os.MkdirAll(filepath.Dir(to), 0o755)
		if err == nil {
			if _, serr := os.Lstat(to); serr == nil {
				err = &fs.PathError{Op: "restore", Path: to, Err: fs.ErrExist}
			}
		}
		if err == nil {
			err = os.Rename(filepath.Join(entry, filepath.FromSlash(t.path)), to)
		}
		if err != nil {
			for _, b := range moved[:i] {
				os.Rename(filepath.Join(out, filepath.FromSlash(b.path)), filepath.Join(entry, filepath.FromSlash(b.path)))
			}
			return nil, nil, err
		}
	}
	if ready != nil {
		for _, t := range moved {
			ready(filepath.Join(out, filepath.FromSlash(t.path)))
		}
	}
	return m.Sitemap, moved, nil
}

// readManifest reads the manifest of the cache entry entry.
func readManifest(entry string) (*manifestOfEntry, error) {
	data, err := os.ReadFile(filepath.Join(entry, entryManifest))
	if err != nil {
		return nil, err
	}
	var m manifestOfEntry
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", entryManifest, err)
	}
	if m.Version != entryVersion {
		return nil, fmt.Errorf("%s: version %d, want %d", entryManifest, m.Version, entryVersion)
	}
	return &m, nil
}

// shardTops returns topOf: the shard folder (of dirs in langDirs) that
// holds the slash path name, or an error when none does or name is not a
// clean relative path.
func shardTops(langDirs, dirs []string) func(name string) (string, error) {
	tops := map[string]bool{}
	for _, l := range langDirs {
		for _, d := range dirs {
			tops[path.Join(l, d)] = true
		}
	}
	return func(name string) (string, error) {
		top := ""
		for p := name; p != "." && p != "/" && p != ""; p = path.Dir(p) {
			if tops[p] {
				top = p
			}
		}
		if top == "" || !filepath.IsLocal(name) || path.Clean(name) != name {
			return "", fmt.Errorf("%s: not in the shard's folders", name)
		}
		return top, nil
	}
}

// sameTree reports whether the folder a holds exactly count folders and
// files (itself included), each at the same path in b, and every file the
// same file as b's (a hard link to it: the same bytes, as nothing
// rewrites a page in place).
func sameTree(a, b string, count int) bool {
	n := 0
	err := filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(a, p)
		if err != nil {
			return err
		}
		fb, err := os.Lstat(filepath.Join(b, rel))
		if err != nil {
			return err
		}
		n++
		if d.IsDir() {
			if !fb.IsDir() {
				return errNotSame
			}
			return nil
		}
		fa, err := d.Info()
		if err != nil {
			return err
		}
		if !fa.Mode().IsRegular() || !os.SameFile(fa, fb) {
			return errNotSame
		}
		return nil
	})
	return err == nil && n == count
}

var errNotSame = errors.New("not the same")
