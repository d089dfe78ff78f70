// Package realpath resolves where a path really is on disk: the one rule
// for comparing folders that may be reached through symbolic links (the
// data folder and its git work tree, a build's output and the folders it
// must not replace, a file and the repository that holds it).
package realpath

import "path/filepath"

// Of is p made absolute with every symbolic link of its existing part
// resolved; the part that does not exist (yet) is kept as written.
func Of(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	rest := ""
	for cur := abs; ; {
		if r, err := filepath.EvalSymlinks(cur); err == nil {
			return filepath.Join(r, rest), nil
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(cur), rest)
		cur = parent
	}
}

// Rel is target relative to base, both resolved by Of, slash-separated;
// false when target is not base or inside it.
func Rel(base, target string) (string, bool) {
	b, err1 := Of(base)
	t, err2 := Of(target)
	if err1 != nil || err2 != nil {
		return "", false
	}
	rel, err := filepath.Rel(b, t)
	if err != nil || rel == ".." || filepath.IsAbs(rel) || len(rel) > 2 && rel[:3] == ".."+string(filepath.Separator) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}
