package gitrepo

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxBlob is the largest blob a Tree keeps in memory (64 MiB). A larger one
// has its size (so that the loader refuses it by size) and no content.
const maxBlob = 64 << 20

// Entry is one file of a tree: its mode (100644, 100755, 120000 for a
// symbolic link; submodules are left out) and its blob.
type Entry struct {
	Mode string
	SHA  string
}

// Link reports whether the entry is a symbolic link.
func (e Entry) Link() bool { return e.Mode == "120000" }

// Tree is the data folder at a commit as an fs.FS, its root the data
// folder: what package load reads. It implements fs.ReadDirFS, fs.StatFS
// and fs.ReadLinkFS; Open and Stat follow symbolic links that stay inside
// the tree. Blobs are read through one `git cat-file --batch` process when
// first opened, and kept. Apply moves it to another commit, so that a scan
// of the history reads only what changed. A Tree is safe for concurrent
// use; Close ends the git process.
type Tree struct {
	r *Repo

	mu    sync.Mutex
	cf    *catFile
	files map[string]*blob           // by path relative to the data folder
	dirs  map[string]map[string]bool // folder → child name → is a folder; nil: to compute
}

type blob struct {
	Entry
	size int64 // -1: not known yet
	data []byte
	read bool
}

// Tree lists the data folder at commit (one `git ls-tree -r -z -l`). It
// returns ErrNoData (wrapped) when the folder does not exist there.
func (r *Repo) Tree(commit string) (*Tree, error) {
	args := append([]string{"ls-tree", "-r", "-z", "-l", "--full-tree", commit}, r.pathspec()...)
	out, err := r.git(args...)
	if err != nil {
		return nil, err
	}
	t := &Tree{r: r, files: map[string]*blob{}}
	for rec := range bytes.SplitSeq(out, []byte{0}) {
		if len(rec) == 0 {
			continue
		}
		meta, p, ok := bytes.Cut(rec, []byte{'\t'})
		f := strings.Fields(string(meta)) // mode type object size
		if !ok || len(f) != 4 {
			return nil, fmt.Errorf("git ls-tree: unexpected output %q", rec)
		}
		if f[1] != "blob" {
			continue
		}
		size, err := strconv.ParseInt(f[3], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("git ls-tree: unexpected output %q", rec)
		}
		if rel, ok := r.inside(string(p)); ok {
			t.files[rel] = &blob{Entry: Entry{Mode: f[0], SHA: f[2]}, size: size}
		}
	}
	if len(t.files) == 0 {
		return nil, fmt.Errorf("%s at %.12s: %w", r.Display, commit, ErrNoData)
	}
	return t, nil
}

// EmptyTree is the data folder before the first commit that made it: a Tree
// that changes are applied to.
func (r *Repo) EmptyTree() *Tree { return &Tree{r: r, files: map[string]*blob{}} }

// Apply moves the tree to the next commit: changes are what that commit
// changed in the data folder.
func (t *Tree) Apply(changes []Change) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, c := range changes {
		if c.Gone() {
			delete(t.files, c.Path)
		} else if old := t.files[c.Path]; old == nil || old.Entry != c.Entry {
			t.files[c.Path] = &blob{Entry: c.Entry, size: -1}
		}
	}
	t.dirs = nil
}

// Entry returns the entry of the file rel (slash-separated, relative to the
// data folder).
func (t *Tree) Entry(rel string) (Entry, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	b, ok := t.files[rel]
	if !ok {
		return Entry{}, false
	}
	return b.Entry, true
}

// Empty reports whether the data folder has no file.
func (t *Tree) Empty() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.files) == 0
}

// Close ends the git process. The tree's files read so far stay readable.
func (t *Tree) Close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.cf != nil {
		t.cf.Close()
		t.cf = nil
	}
}

// load reads b's content (and size) once. Called with t.mu held.
func (t *Tree) load(b *blob) error {
	if b.read {
		return nil
	}
	if t.cf == nil {
		cf, err := t.r.catFile()
		if err != nil {
			return err
		}
		t.cf = cf
	}
	data, size, err := t.cf.blob(b.SHA, maxBlob)
	if err != nil {
		return err
	}
	b.data, b.size, b.read = data, size, true
	return nil
}

// index computes the folders. Called with t.mu held.
func (t *Tree) index() map[string]map[string]bool {
	if t.dirs != nil {
		return t.dirs
	}
	t.dirs = map[string]map[string]bool{".": {}}
	for p := range t.files {
		child, isDir := p, false
		for {
			dir := path.Dir(child)
			kids := t.dirs[dir]
			if kids == nil {
				kids = map[string]bool{}
				t.dirs[dir] = kids
			}
			kids[path.Base(child)] = isDir
			if dir == "." {
				break
			}
			child, isDir = dir, true
		}
	}
	return t.dirs
}

// lookup finds name, following symbolic links inside the tree when follow
// is set. Called with t.mu held. It returns the blob (nil for a folder) and
// the path reached.
func (t *Tree) lookup(op, name string, follow bool) (*blob, string, error) {
	if !fs.ValidPath(name) {
		return nil, "", &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	for hops := 0; ; hops++ {
		if _, ok := t.index()[name]; ok {
			return nil, name, nil
		}
		b := t.files[name]
		if b == nil || hops > 40 {
			return nil, "", &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
		}
		if !b.Link() || !follow {
			return b, name, nil
		}
		if err := t.load(b); err != nil {
			return nil, "", &fs.PathError{Op: op, Path: name, Err: err}
		}
		target := string(b.data)
		if path.IsAbs(target) {
			return nil, "", &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
		}
		name = path.Join(path.Dir(name), target)
		if !fs.ValidPath(name) || strings.HasPrefix(name, "../") || name == ".." {
			return nil, "", &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
		}
	}
}

func (t *Tree) stat(op, name string, follow bool) (fs.FileInfo, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	b, p, err := t.lookup(op, name, follow)
	if err != nil {
		return nil, err
	}
	if b == nil {
		return info{name: path.Base(p), dir: true}, nil
	}
	if b.size < 0 {
		if err := t.load(b); err != nil {
			return nil, &fs.PathError{Op: op, Path: name, Err: err}
		}
	}
	return info{name: path.Base(name), size: b.size, mode: mode(b.Entry)}, nil
}

// Stat describes name, following symbolic links.
func (t *Tree) Stat(name string) (fs.FileInfo, error) { return t.stat("stat", name, true) }

// Lstat describes name without following a symbolic link.
func (t *Tree) Lstat(name string) (fs.FileInfo, error) { return t.stat("lstat", name, false) }

// ReadLink returns the target of the symbolic link name.
func (t *Tree) ReadLink(name string) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	b, _, err := t.lookup("readlink", name, false)
	if err == nil && (b == nil || !b.Link()) {
		err = &fs.PathError{Op: "readlink", Path: name, Err: fs.ErrInvalid}
	}
	if err == nil {
		err = t.load(b)
	}
	if err != nil {
		return "", err
	}
	return string(b.data), nil
}

// ReadDir lists the folder name in name order.
func (t *Tree) ReadDir(name string) ([]fs.DirEntry, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	b, p, err := t.lookup("readdir", name, true)
	if err != nil {
		return nil, err
	}
	if b != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fmt.Errorf("not a directory")}
	}
	kids := t.index()[p]
	names := make([]string, 0, len(kids))
	for k := range kids {
		names = append(names, k)
	}
	slices.Sort(names)
	out := make([]fs.DirEntry, 0, len(names))
	for _, k := range names {
		if kids[k] {
			out = append(out, fs.FileInfoToDirEntry(info{name: k, dir: true}))
			continue
		}
		f := t.files[path.Join(p, k)]
		out = append(out, dirEntry{t: t, path: path.Join(p, k), mode: mode(f.Entry)})
	}
	return out, nil
}

// Open opens name for reading, following symbolic links.
func (t *Tree) Open(name string) (fs.File, error) {
	t.mu.Lock()
	b, p, err := t.lookup("open", name, true)
	if err == nil && b != nil {
		err = t.load(b)
		if err == nil && b.data == nil && b.size > 0 {
			err = &fs.PathError{Op: "open", Path: name, Err: fmt.Errorf("file is larger than %d MiB", maxBlob>>20)}
		}
	}
	t.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if b == nil {
		entries, err := t.ReadDir(p)
		if err != nil {
			return nil, err
		}
		return &dirFile{info: info{name: path.Base(name), dir: true}, entries: entries}, nil
	}
	return &file{info: info{name: path.Base(name), size: b.size, mode: mode(b.Entry)}, Reader: bytes.NewReader(b.data)}, nil
}

func mode(e Entry) fs.FileMode {
	switch e.Mode {
	case "120000":
		return fs.ModeSymlink | 0o777
	case "100755":
		return 0o755
	}
	return 0o644
}

// info describes a file or folder of a Tree.
type info struct {
	name string
	size int64
	mode fs.FileMode
	dir  bool
}

func (i info) Name() string { return i.name }
func (i info) Size() int64  { return i.size }
func (i info) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o755
	}
	return i.mode
}
func (i info) ModTime() time.Time { return time.Time{} }
func (i info) IsDir() bool        { return i.dir }
func (i info) Sys() any           { return nil }

// dirEntry is a file in a folder listing.
type dirEntry struct {
	t    *Tree
	path string
	mode fs.FileMode
}

func (d dirEntry) Name() string               { return path.Base(d.path) }
func (d dirEntry) IsDir() bool                { return false }
func (d dirEntry) Type() fs.FileMode          { return d.mode.Type() }
func (d dirEntry) Info() (fs.FileInfo, error) { return d.t.Lstat(d.path) }

type file struct {
	info
	*bytes.Reader
}

func (f *file) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *file) Close() error               { return nil }

type dirFile struct {
	info
	entries []fs.DirEntry
	off     int
}

func (d *dirFile) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *dirFile) Close() error               { return nil }
func (d *dirFile) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.name, Err: fs.ErrInvalid}
}

func (d *dirFile) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.off:]
	if n <= 0 {
		d.off = len(d.entries)
		return rest, nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	rest = rest[:min(n, len(rest))]
	d.off += len(rest)
	return rest, nil
}

// BlobID names the content of the regular file name by its blob's hash,
// without reading it (load.BlobFS): false for a symbolic link, a folder or
// a file the tree does not have. name is not resolved through links.
func (t *Tree) BlobID(name string) (string, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	b := t.files[name]
	if b == nil || b.Link() || b.Mode == "160000" {
		return "", false
	}
	return "git-blob " + b.SHA, true
}
