// Package publish builds a site next to its destination and swaps it in only
// when complete, so a failed or killed build leaves the published folder
// exactly as it was and a successful one leaves nothing stale.
//
// Layout, for --out public:
//
//	public/                    the published site
//	.public.lock               held (flock) while a build runs
//	.public.staging-XXXX/      the build in progress
//
// On Linux the swap is one renameat2(RENAME_EXCHANGE): at every instant
// public/ is either the old site or the new one. Where the file system cannot
// exchange, public/ is renamed aside and the staging folder renamed in; a
// build killed between the two renames is repaired by the next one.
package publish

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Staging is a build in progress.
type Staging struct {
	out  string // destination
	dir  string // staging folder
	lock *os.File

	mu    sync.Mutex
	ready map[string]bool // absolute paths of folders Commit need not make readable
}

func names(out string) (parent, base string) {
	out = filepath.Clean(out)
	return filepath.Dir(out), filepath.Base(out)
}

// Stage locks out's parent for this build, repairs or removes what earlier
// interrupted builds left, and creates an empty staging folder.
func Stage(out string) (*Staging, error) {
	parent, base := names(out)
	if base == "." || base == "/" || base == ".." {
		return nil, fmt.Errorf("--out %q: give a folder to publish into", out)
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	lock, err := os.OpenFile(filepath.Join(parent, "."+base+".lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := tryLock(lock); err != nil {
		lock.Close()
		return nil, fmt.Errorf("another build is publishing to %s", out)
	}
	if err := Recover(out); err != nil {
		unlock(lock)
		return nil, err
	}
	dir, err := os.MkdirTemp(parent, "."+base+".staging-")
	if err != nil {
		unlock(lock)
		return nil, err
	}
	// MkdirTemp makes the folder 0700: a web server running as another
	// user, or rsync -a, could not read the published site.
	if err := os.Chmod(dir, 0o755); err != nil {
		os.RemoveAll(dir)
		unlock(lock)
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, Marker), []byte(markerText), 0o644); err != nil {
		os.RemoveAll(dir)
		unlock(lock)
		return nil, err
	}
	return &Staging{out: filepath.Clean(out), dir: dir, lock: lock}, nil
}

// Recover repairs what an interrupted build left next to out: it restores
// out from a half-finished swap and removes stale staging folders. The
// caller must hold the lock (Stage does).
func Recover(out string) error {
	parent, base := names(out)
	entries, err := os.ReadDir(parent)
	if err != nil {
		return err
	}
	_, statErr := os.Lstat(out)
	outMissing := os.IsNotExist(statErr)
	for _, e := range entries {
		name := e.Name()
		p := filepath.Join(parent, name)
		switch {
		case strings.HasPrefix(name, "."+base+".old-"):
			if outMissing {
				// Killed between the two renames of the fallback swap.
				if err := os.Rename(p, out); err != nil {
					return err
				}
				outMissing = false
				continue
			}
			if err := os.RemoveAll(p); err != nil {
				return err
			}
		case strings.HasPrefix(name, "."+base+".staging-"):
			if err := os.RemoveAll(p); err != nil {
				return err
			}
		}
	}
	return nil
}

// Dir is the folder to build into.
func (s *Staging) Dir() string { return s.dir }

// Ready tells Commit that the folder dir inside the staging folder is
// world-readable already (it, and every folder in it, 0755, and every
// file 0644): whoever made it checked each as it made it, and Commit does
// not walk it again. The shard cache does so for the shards it restores.
func (s *Staging) Ready(dir string) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return // walked then
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ready == nil {
		s.ready = map[string]bool{}
	}
	s.ready[abs] = true
}

// errNoExchange: the system or file system cannot swap two folders in one
// step (exchange).
var errNoExchange = errors.New("no atomic exchange of folders here")

// Commit swaps the staging folder in as out and removes the old site.
func (s *Staging) Commit() error { return s.CommitThen(nil) }

// CommitThen is Commit, calling then (when set) once the new site is
// published, before the old one is removed: site is the published
// folder, old the folder now holding the site it replaced ("" when there
// was none). What then moves out of old is kept; the rest is removed.
func (s *Staging) CommitThen(then func(site, old string)) error {
	defer unlock(s.lock)
	if then == nil {
		then = func(string, string) {}
	}
	s.mu.Lock()
	ready := s.ready
	s.mu.Unlock()
	if err := worldReadable(s.dir, ready); err != nil {
		os.RemoveAll(s.dir)
		return fmt.Errorf("publishing %s: %w", s.out, err)
	}
	if _, err := os.Lstat(s.out); os.IsNotExist(err) {
		if err := os.Rename(s.dir, s.out); err != nil {
			return err
		}
		then(s.out, "")
		return nil
	}
	err := exchange(s.dir, s.out)
	if err == nil {
		// s.dir now holds the old site.
		then(s.out, s.dir)
		return os.RemoveAll(s.dir)
	}
	if !errors.Is(err, errNoExchange) {
		os.RemoveAll(s.dir)
		return fmt.Errorf("publishing %s: %w", s.out, err)
	}
	parent, base := names(s.out)
	old, err := os.MkdirTemp(parent, "."+base+".old-")
	if err != nil {
		return err
	}
	if err := os.Remove(old); err != nil {
		return err
	}
	if err := os.Rename(s.out, old); err != nil {
		return err
	}
	if err := os.Rename(s.dir, s.out); err != nil {
		os.Rename(old, s.out)
		return err
	}
	then(s.out, old)
	return os.RemoveAll(old)
}

// DirMode and FileMode are the modes a published site's folders and files
// have (worldReadable).
const (
	DirMode  fs.FileMode = 0o755
	FileMode fs.FileMode = 0o644
)

// worldReadable makes every folder under dir 0755 and every file 0644,
// whatever the umask the build ran under: the site is published, and a web
// server running as another user (or rsync -a to one) must read it all.
// A mode that is already right is left alone: changing it would still
// write the file's metadata (the kernel's work, for every page of a large
// site), and a page restored from the shard cache shares it with the
// cache's file. The folders in ready (absolute paths) are left out.
func worldReadable(dir string, ready map[string]bool) error {
	root := dir
	if len(ready) > 0 {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return err
		}
		root = abs
	}
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		var want fs.FileMode
		switch {
		case err != nil:
			return err
		case d.IsDir() && ready[p]:
			return filepath.SkipDir
		case d.IsDir():
			want = DirMode
		case d.Type().IsRegular():
			want = FileMode
		default:
			return nil // a symbolic link has no mode of its own
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if fi.Mode().Perm() == want && fi.Mode()&(fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky) == 0 {
			return nil
		}
		return os.Chmod(p, want)
	})
}

// Abort removes the staging folder and leaves out untouched.
func (s *Staging) Abort() {
	os.RemoveAll(s.dir)
	unlock(s.lock)
}

func unlock(f *os.File) {
	if f == nil {
		return
	}
	unlockFile(f)
	f.Close()
}
