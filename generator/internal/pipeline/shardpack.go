package pipeline

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/xuncha/bulletin/generator/internal/hugosite"
	"github.com/xuncha/bulletin/generator/internal/publish"
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
// The manifest (manifest.go) lists every folder (parents first) and
// file, with its size, and the shard's sitemap entries. It is written
// last, and the folder renamed into place only when complete; a restore
// checks every file against it, so an entry that a cache restored in part
// (CI's cache actions) or a disk error left incomplete is found out,
// rendered again and replaced. Beside it, the stamps of its folders
// (entryStamps) spare a build over the published site listing them.

// packShard makes the folder entry (which must exist and be empty) the
// cache entry of the shard's folders dirs (in every language's folder
// langDirs) under out, with its sitemap entries.
func packShard(entry, out string, langDirs, dirs []string, entries []hugosite.SitemapEntry) error {
	m := manifestOfEntry{Sitemap: entries}
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
	data, err := m.encode()
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

// takenShard is what takeShard moved out of an entry and knows of it.
type takenShard struct {
	m    *manifestOfEntry
	tops []int // the shard folders moved, by their index in m.Dirs

	topOf    []int // for each folder of m, the index of its shard folder
	children []int // for each folder of m, how many folders and files it holds

	stamps entryStamps // as read from the entry
	// The published folders' stamps (not known for the shard folders,
	// which the move changed) and their files' inodes, on pubDev (0: not
	// known).
	pub      []dirStamp
	pubFiles []uint64
	pubDev   uint64
	inodes   bool // this system tells files' inodes (lstatOf)

	listed int // the folders listed: not known unchanged from their stamps
}

// takeShard moves the shard folders of the cache entry entry into out, as
// they are: a rename each, no folder or file made. They are checked first
// against the manifest (every folder and file there, each file regular
// and of its size, nothing else; folders made 0755 and files 0644 where
// they are not), so ready, when set, is told each (publish.Staging.Ready).
// Every folder and file is looked at once (lstat); "nothing else" needs a
// folder listed only when its stamp (entryStamps) does not tell it is
// unchanged since a build saw it hold what it should; now is the file
// system's time before this build looked at any (fsNow; 0: no stamp is
// made). The entry keeps its manifest and stamps only, until the folders
// are put back (takenEntries.putBack). Every path must lie in one of the
// shard's folders, and none may exist in out yet. On an error nothing is
// left in out.
func takeShard(entry, out string, langDirs, dirs []string, ready func(dir string), now int64) ([]hugosite.SitemapEntry, *takenShard, error) {
	m, err := readManifest(entry)
	if err != nil {
		return nil, nil, err
	}
	ts, err := checkShard(entry, m, langDirs, dirs, now)
	if err != nil {
		return nil, nil, err
	}
	for i, d := range ts.tops {
		rel := filepath.FromSlash(m.Dirs[d])
		to := filepath.Join(out, rel)
		err := os.MkdirAll(filepath.Dir(to), 0o755)
		if err == nil {
			if _, serr := os.Lstat(to); serr == nil {
				err = &fs.PathError{Op: "restore", Path: to, Err: fs.ErrExist}
			}
		}
		if err == nil {
			err = os.Rename(filepath.Join(entry, rel), to)
		}
		if err != nil {
			for _, b := range ts.tops[:i] {
				rel := filepath.FromSlash(m.Dirs[b])
				os.Rename(filepath.Join(out, rel), filepath.Join(entry, rel))
			}
			return nil, nil, err
		}
	}
	if ready != nil {
		for _, d := range ts.tops {
			ready(filepath.Join(out, filepath.FromSlash(m.Dirs[d])))
		}
	}
	return m.Sitemap, ts, nil
}

// checkShard is takeShard's check of the entry's folders, before it
// moves them.
func checkShard(entry string, m *manifestOfEntry, langDirs, dirs []string, now int64) (*takenShard, error) {
	topOf := shardTops(langDirs, dirs)
	nd := len(m.Dirs)
	ts := &takenShard{m: m, topOf: make([]int, nd), children: make([]int, nd), pub: make([]dirStamp, nd), pubFiles: make([]uint64, len(m.Files))}
	for i, d := range m.Dirs {
		p := m.dirParent[i]
		if p >= 0 {
			ts.topOf[i] = ts.topOf[p]
			ts.children[p]++
			continue
		}
		if top, err := topOf(d); err != nil {
			return nil, err
		} else if top != d {
			return nil, fmt.Errorf("%s: listed as a shard folder, inside %s", d, top)
		}
		ts.topOf[i] = i
		ts.tops = append(ts.tops, i)
	}
	for _, p := range m.fileParent {
		ts.children[p]++
	}
	ts.stamps = readStamps(entry, m)
	buf := make([]byte, 8<<10)
	for i, d := range m.Dirs {
		p := filepath.Join(entry, filepath.FromSlash(d))
		st, err := lstatOf(p)
		if err != nil {
			return nil, err
		}
		if st.kind != kindDir {
			return nil, fmt.Errorf("%s: not a folder", p)
		}
		if i == 0 {
			ts.pubDev = st.dev
		}
		if !ts.stamps.entry[i].matches(st) || m.dirParent[i] < 0 {
			ts.listed++
			n, err := countEntries(p, buf)
			if err != nil {
				return nil, err
			}
			if n != ts.children[i] {
				return nil, fmt.Errorf("%s: %d files and folders, the entry's manifest lists %d: not the entry's", p, n, ts.children[i])
			}
		}
		if st.perm != publish.DirMode {
			if err := os.Chmod(p, publish.DirMode); err != nil {
				return nil, err
			}
			continue // changed now: no stamp
		}
		if m.dirParent[i] >= 0 {
			ts.pub[i] = stampOf(st, now)
		}
	}
	for i, f := range m.Files {
		p := filepath.Join(entry, filepath.FromSlash(f.Path))
		st, err := lstatOf(p)
		switch {
		case err != nil:
			return nil, err
		case st.kind != kindFile:
			return nil, fmt.Errorf("%s: %w", p, errNotRegular)
		case st.size != f.Size:
			return nil, fmt.Errorf("%s: %d bytes, the entry lists %d", p, st.size, f.Size)
		}
		if st.perm != publish.FileMode {
			if err := os.Chmod(p, publish.FileMode); err != nil {
				return nil, err
			}
		}
		if st.dev == ts.pubDev {
			ts.pubFiles[i] = st.ino
		}
		ts.inodes = ts.inodes || st.ino != 0
	}
	return ts, nil
}

// sameAsPublished reports whether the shard folder top (an index in
// ts.m.Dirs) in the site old holds the very same folders and files as the
// one published from ts: each folder of the manifest and nothing else,
// each file the same (inode) as the published one. A folder whose stamp
// from the build that published it (ts.stamps.site) still holds is not
// listed, nor are its files looked at: their inodes are known. It returns
// the stamps its folders then have in the entry, when they go there.
func sameAsPublished(old string, ts *takenShard, top int, now int64) (bool, map[int]dirStamp) {
	m := ts.m
	unchanged := map[int]bool{}
	stamps := map[int]dirStamp{}
	buf := make([]byte, 8<<10)
	for i, d := range m.Dirs {
		if ts.topOf[i] != top {
			continue
		}
		p := filepath.Join(old, filepath.FromSlash(d))
		st, err := lstatOf(p)
		if err != nil || st.kind != kindDir || st.dev != ts.pubDev {
			return false, nil
		}
		if i != top && ts.stamps.site[i].matches(st) {
			unchanged[i] = true
		} else if n, err := countEntries(p, buf); err != nil || n != ts.children[i] {
			return false, nil
		}
		if i != top {
			stamps[i] = stampOf(st, now)
		}
	}
	for i, f := range m.Files {
		p := m.fileParent[i]
		if ts.topOf[p] != top {
			continue
		}
		if ts.pubFiles[i] == 0 {
			return false, nil
		}
		if unchanged[p] && ts.stamps.siteFiles[i] != 0 {
			if ts.stamps.siteFiles[i] != ts.pubFiles[i] {
				return false, nil
			}
			continue
		}
		st, err := lstatOf(filepath.Join(old, filepath.FromSlash(f.Path)))
		if err != nil || st.kind != kindFile || st.dev != ts.pubDev || st.ino != ts.pubFiles[i] {
			return false, nil
		}
	}
	return true, stamps
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
