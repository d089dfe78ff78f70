package pipeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"

	"github.com/xuncha/bulletin/generator/internal/hugosite"
)

// A cache entry is a folder, DIR/<key>/: the shard's folders, in every
// language, at their paths in the output ("d001/", "en/d001/", …), and
// entryManifest. Its files are hard links to the ones the build that
// stored it rendered (copies where links cannot be made, see linkTree),
// and a restore links them into the new site again: neither copies a
// page, and a published site shares its storage with the cache. So
// nothing may rewrite a published file in place (the publish step only
// renames folders, and changes no mode that is already right).
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
	tops := map[string]bool{}
	for _, l := range langDirs {
		for _, d := range dirs {
			tops[path.Join(l, d)] = true
		}
	}
	// topOf is the shard folder that holds name ("" if none).
	topOf := func(name string) (string, error) {
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
