package pipeline

import (
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuncha/bulletin/generator/internal/hugosite"
)

// The manifest of a cache entry (entryManifest) is text, read without a
// decoder's reflection (a shard's JSON manifest took 14 ms to decode,
// most of it the sitemap entries):
//
//	bulletin-shard-entry 2
//	<folders> <files> <sitemap entries>
//	<parent> <length> <name>          one line a folder, parents first
//	<parent> <size> <length> <name>   one line a file
//	<after> <weight> <length of file> <of text> <of title> <of path> <file><text><title><path>
//	end
//
// parent is the line number of the folder holding it among the folders
// (from 0), -1 for a shard folder, whose name is then its slash path in
// the output ("en/d001"); any other name is one path element. Every
// string is given with its length in bytes and written as it is (a
// sitemap entry's text holds line breaks). Anything missing, the last
// line included, is an error: a manifest cut short is never taken for a
// smaller shard.
const (
	entryManifest  = ".entry"
	manifestHeader = "bulletin-shard-entry 2\n"
	manifestEnd    = "end\n"
)

type manifestOfEntry struct {
	Dirs    []string // slash paths in the output, parents first
	Files   []cachedFile
	Sitemap []hugosite.SitemapEntry

	dirParent  []int // the index in Dirs of each folder's parent, -1 for a shard folder
	fileParent []int // of each file's
}

type cachedFile struct {
	Path string
	Size int64
}

// encode is the manifest's text; every file's and folder's parent must
// be listed before it (a shard folder excepted).
func (m *manifestOfEntry) encode() ([]byte, error) {
	index := make(map[string]int, len(m.Dirs))
	parent := func(p string) int {
		if i, ok := index[path.Dir(p)]; ok {
			return i
		}
		return -1
	}
	var b []byte
	b = append(b, manifestHeader...)
	b = fmt.Appendf(b, "%d %d %d\n", len(m.Dirs), len(m.Files), len(m.Sitemap))
	for i, d := range m.Dirs {
		name, p := d, parent(d)
		if p >= 0 {
			name = path.Base(d)
		}
		b = fmt.Appendf(b, "%d %d %s\n", p, len(name), name)
		index[d] = i
	}
	for _, f := range m.Files {
		p := parent(f.Path)
		if p < 0 {
			return nil, fmt.Errorf("%s: a file outside the listed folders", f.Path)
		}
		name := path.Base(f.Path)
		b = fmt.Appendf(b, "%d %d %d %s\n", p, f.Size, len(name), name)
	}
	for _, e := range m.Sitemap {
		b = fmt.Appendf(b, "%d %d %d %d %d %d %s%s%s%s\n", e.After, e.Weight, len(e.File), len(e.Text), len(e.Title), len(e.Path), e.File, e.Text, e.Title, e.Path)
	}
	return append(b, manifestEnd...), nil
}

// errManifestEnd: the manifest is cut short.
var errManifestEnd = errors.New("unexpected end of the manifest (cut short)")

// manifestText reads a manifest: s is what is left of it.
type manifestText struct {
	s   string
	err error
}

// int reads a decimal number ended by the byte end.
func (r *manifestText) int(end byte) int64 {
	if r.err != nil {
		return 0
	}
	i := strings.IndexByte(r.s, end)
	if i < 0 {
		r.err = errManifestEnd
		return 0
	}
	n, err := strconv.ParseInt(r.s[:i], 10, 64)
	if err != nil {
		r.err = fmt.Errorf("%q: not a number", r.s[:i])
		return 0
	}
	r.s = r.s[i+1:]
	return n
}

// count reads a number ended by end that counts or measures something.
func (r *manifestText) count(end byte) int {
	n := r.int(end)
	switch {
	case r.err != nil:
	case n < 0:
		r.err = fmt.Errorf("%d: out of range", n)
	case n > int64(len(r.s)):
		r.err = errManifestEnd
	}
	return int(n)
}

// str reads n bytes.
func (r *manifestText) str(n int) string {
	if r.err != nil {
		return ""
	}
	if n > len(r.s) {
		r.err = errManifestEnd
		return ""
	}
	s := r.s[:n]
	r.s = r.s[n:]
	return s
}

// end reads the byte c, which must come next.
func (r *manifestText) end(c byte) {
	if r.err != nil {
		return
	}
	if r.s == "" {
		r.err = errManifestEnd
	} else if r.s[0] != c {
		r.err = fmt.Errorf("%q: want %q", r.s[:min(len(r.s), 20)], c)
	} else {
		r.s = r.s[1:]
	}
}

// decodeManifest reads a manifest's text. Each name must be one path
// element (a shard folder's a clean slash path), a parent an earlier
// folder, and no path listed twice.
func decodeManifest(text string) (*manifestOfEntry, error) {
	rest, ok := strings.CutPrefix(text, manifestHeader)
	if !ok {
		first, _, _ := strings.Cut(text[:min(len(text), 80)], "\n")
		if strings.HasPrefix(manifestHeader, text) {
			return nil, errManifestEnd
		}
		return nil, fmt.Errorf("%q: not a version 2 manifest (want %q)", first, strings.TrimSpace(manifestHeader))
	}
	r := &manifestText{s: rest}
	nd, nf, ns := r.count(' '), r.count(' '), r.count('\n')
	if r.err != nil {
		return nil, r.err
	}
	m := &manifestOfEntry{Dirs: make([]string, nd), dirParent: make([]int, nd), Files: make([]cachedFile, nf), fileParent: make([]int, nf), Sitemap: make([]hugosite.SitemapEntry, ns)}
	seen := make(map[string]bool, nd+nf)
	name := func(parent, i int) string {
		n := r.str(r.count(' '))
		r.end('\n')
		if r.err != nil {
			return ""
		}
		full := n
		switch {
		case parent < -1 || parent >= i:
			r.err = fmt.Errorf("%q: its folder (%d) is not listed before it", n, parent)
		case parent == -1 && (n == "" || !filepath.IsLocal(n) || path.Clean(n) != n || strings.Contains(n, `\`)):
			r.err = fmt.Errorf("%s: not in the shard's folders", n)
		case parent >= 0 && (n == "" || n == "." || n == ".." || strings.ContainsAny(n, `/\`)):
			r.err = fmt.Errorf("%q: not a file or folder name", n)
		case parent >= 0:
			full = m.Dirs[parent] + "/" + n
		}
		if r.err == nil && seen[full] {
			r.err = fmt.Errorf("%s: listed twice", full)
		}
		seen[full] = true
		return full
	}
	for i := range nd {
		p := int(r.int(' '))
		m.dirParent[i] = p
		m.Dirs[i] = name(p, i)
	}
	for i := range nf {
		p := int(r.int(' '))
		if r.err == nil && p < 0 {
			r.err = fmt.Errorf("file %d: not in a listed folder", i)
		}
		m.fileParent[i] = p
		m.Files[i].Size = r.int(' ')
		m.Files[i].Path = name(p, nd)
	}
	for i := range ns {
		e := &m.Sitemap[i]
		e.After, e.Weight = int(r.int(' ')), int(r.int(' '))
		lf, lt, ll, lp := r.count(' '), r.count(' '), r.count(' '), r.count(' ')
		e.File, e.Text, e.Title, e.Path = r.str(lf), r.str(lt), r.str(ll), r.str(lp)
		r.end('\n')
	}
	if r.err == nil && r.s != manifestEnd {
		if strings.HasPrefix(manifestEnd, r.s) {
			r.err = errManifestEnd
		} else {
			r.err = fmt.Errorf("%q: want the manifest's end", r.s[:min(len(r.s), 20)])
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	return m, nil
}

// readManifest reads the manifest of the cache entry entry.
func readManifest(entry string) (*manifestOfEntry, error) {
	data, err := readInto(nil, filepath.Join(entry, entryManifest))
	if err != nil {
		return nil, err
	}
	m, err := decodeManifest(string(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", entryManifest, err)
	}
	return m, nil
}
