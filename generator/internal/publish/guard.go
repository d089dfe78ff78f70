package publish

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/xuncha/bulletin/generator/internal/realpath"
)

// Marker is the file every build leaves at the root of the folder it
// publishes. A build replaces only a folder that has it (or an empty or
// absent one): it never destroys what it did not create.
const Marker = ".bulletin-site"

const markerText = "This folder was written by `go run ./generator build`. A build replaces it\n" +
	"as a whole; it refuses to replace a folder without this file.\n"

// ErrRefused is wrapped by the errors of CheckOut.
var ErrRefused = errors.New("refusing --out")

// CheckOut tells whether a build may replace out: it must be absent, an
// empty folder, or a folder a build wrote (it holds Marker, or legacy says
// an earlier build wrote it). It may never be a file, one of the folders in
// keep (the records, the content pages, the templates), a folder inside
// one of them or holding one of them, or a folder holding a git
// repository. Every refusal wraps ErrRefused.
func CheckOut(out string, keep []string, legacy func(dir string) bool) error {
	refuse := func(format string, args ...any) error {
		return fmt.Errorf("%w %s: %s", ErrRefused, out, fmt.Sprintf(format, args...))
	}
	abs, err := realpath.Of(out)
	if err != nil {
		return err
	}
	for _, k := range keep {
		kabs, err := realpath.Of(k)
		if err != nil {
			continue
		}
		switch {
		case kabs == abs:
			return refuse("it is the %s folder; give a folder of its own, e.g. --out public", filepath.Base(k))
		case within(kabs, abs):
			return refuse("it holds the %s folder (%s); give a folder of its own, e.g. --out public", filepath.Base(k), k)
		case within(abs, kabs):
			return refuse("it is inside the %s folder (%s); give a folder of its own, e.g. --out public", filepath.Base(k), k)
		}
	}
	st, err := os.Lstat(out)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case st.Mode()&fs.ModeSymlink != 0:
		return refuse("it is a symbolic link; give the folder itself")
	case !st.IsDir():
		return refuse("it is a file, not a folder")
	}
	if _, err := os.Lstat(filepath.Join(out, ".git")); err == nil {
		return refuse("it holds a git repository (.git); give a folder of its own, e.g. --out public")
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	if st, err := os.Lstat(filepath.Join(out, Marker)); err == nil && st.Mode().IsRegular() {
		return nil
	}
	if legacy != nil && legacy(out) {
		return nil
	}
	return refuse("it is not empty and no build wrote it (it has no %s file); a build replaces the whole folder, so give an empty or new one", Marker)
}

// within reports whether path is inside dir (not dir itself).
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
