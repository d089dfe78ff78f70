package sitetest

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// change runs a script instruction that changes the project: mkdir, rm, cp, or
// git (with a fixed author and committer, and dates that move one day per
// commit so that history is ordered and reproducible).
// commits counts the script's git runs, for their dates.
func change(t testing.TB, dir, where, verb string, args []string, commits *int) {
	t.Helper()
	at := func(p string) string { return filepath.Join(dir, filepath.FromSlash(p)) }
	var err error
	switch {
	case verb == "mkdir" && len(args) == 1:
		err = os.MkdirAll(at(args[0]), 0o755)
	case verb == "rm" && len(args) == 1:
		err = os.RemoveAll(at(args[0]))
	case verb == "cp" && len(args) == 2:
		var b []byte
		if b, err = os.ReadFile(at(args[0])); err == nil {
			if err = os.MkdirAll(filepath.Dir(at(args[1])), 0o755); err == nil {
				err = os.WriteFile(at(args[1]), b, 0o644)
			}
		}
	case verb == "git":
		*commits++
		date := strconv.Itoa(1700000000+86400**commits) + " +0800"
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=test", "GIT_AUTHOR_EMAIL=test@example.org",
			"GIT_COMMITTER_NAME=test", "GIT_COMMITTER_EMAIL=test@example.org",
			"GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date, "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		var out []byte
		if out, err = cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", where, err, out)
		}
	default:
		t.Fatalf("%s: wrong arguments", where)
	}
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
}

// modes checks the permissions of DIR's folders and files.
func modes(t testing.TB, dir, where string, args []string) {
	t.Helper()
	if len(args) != 3 {
		t.Fatalf("%s: want modes DIR DIRMODE FILEMODE", where)
	}
	dm, err1 := strconv.ParseUint(args[1], 8, 32)
	fm, err2 := strconv.ParseUint(args[2], 8, 32)
	if err1 != nil || err2 != nil {
		t.Fatalf("%s: modes are octal", where)
	}
	bad := 0
	err := filepath.WalkDir(filepath.Join(dir, filepath.FromSlash(args[0])), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		want := fs.FileMode(fm)
		if d.IsDir() {
			want = fs.FileMode(dm)
		}
		if info.Mode().Perm() != want && bad < 5 {
			bad++
			rel, _ := filepath.Rel(dir, p)
			t.Errorf("%s: %s has mode %04o", where, rel, info.Mode().Perm())
		}
		return nil
	})
	if err != nil {
		t.Errorf("%s: %v", where, err)
	}
}
