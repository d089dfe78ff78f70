package pipeline

import (
	"archive/tar"
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/xuncha/bulletin/generator/internal/hugosite"
)

// A cache entry is one tar file: the shard's folders, in every language,
// as paths relative to the output ("d001/", "d001/index.html",
// "en/d001/", …; each folder before what it holds), then its sitemap
// entries as the last member, shardSitemapMember. One file rather than a
// copy of the folders: restoring reads it in one sequential stream and
// only creates the site's files, and storing writes one file.
const shardSitemapMember = ".sitemap.json"

// maxCachedFile bounds what a damaged header can make unpackShard
// allocate; a page is a few kilobytes.
const maxCachedFile = 1 << 30

// packShard writes the archive of the shard's folders dirs (in every
// language's folder langDirs) under out, and its sitemap entries, to w.
func packShard(w io.Writer, out string, langDirs, dirs []string, entries []hugosite.SitemapEntry) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	tw := tar.NewWriter(bw)
	epoch := time.Unix(0, 0)
	var buf []byte
	for _, l := range langDirs {
		for _, d := range dirs {
			top := filepath.Join(out, l, d)
			err := filepath.WalkDir(top, func(p string, de fs.DirEntry, err error) error {
				if errors.Is(err, fs.ErrNotExist) && p == top {
					return nil // no page of the shard in this language
				}
				if err != nil {
					return err
				}
				rel, err := filepath.Rel(out, p)
				if err != nil {
					return err
				}
				name := filepath.ToSlash(rel)
				if de.IsDir() {
					return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: name + "/", Mode: 0o755, ModTime: epoch})
				}
				if !de.Type().IsRegular() {
					return fmt.Errorf("%s: not a regular file", p)
				}
				buf, err = readInto(buf, p)
				if err != nil {
					return err
				}
				if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Size: int64(len(buf)), Mode: 0o644, ModTime: epoch}); err != nil {
					return err
				}
				_, err = tw.Write(buf)
				return err
			})
			if err != nil {
				return err
			}
		}
	}
	data, err := json.Marshal(entries)
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: shardSitemapMember, Size: int64(len(data)), Mode: 0o644, ModTime: epoch}); err != nil {
		return err
	}
	if _, err := tw.Write(data); err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return bw.Flush()
}

// unpackShard writes the folders of the archive r (packShard's) into out
// and returns its sitemap entries. Every path must lie in one of the
// shard's folders, and none may exist in out yet. An archive cut short or
// otherwise damaged is an error.
func unpackShard(r io.Reader, out string, langDirs, dirs []string) ([]hugosite.SitemapEntry, error) {
	tops := map[string]bool{}
	for _, l := range langDirs {
		for _, d := range dirs {
			tops[path.Join(l, d)] = true
		}
	}
	tr := tar.NewReader(bufio.NewReaderSize(r, 1<<20))
	var buf []byte
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil, errors.New("the archive ends before its sitemap entries")
		}
		if err != nil {
			return nil, err
		}
		if h.Size < 0 || h.Size > maxCachedFile {
			return nil, fmt.Errorf("%s: size %d out of range", h.Name, h.Size)
		}
		if h.Name == shardSitemapMember && h.Typeflag == tar.TypeReg {
			data, err := io.ReadAll(tr)
			if err != nil {
				return nil, err
			}
			var entries []hugosite.SitemapEntry
			if err := json.Unmarshal(data, &entries); err != nil {
				return nil, fmt.Errorf("sitemap entries: %w", err)
			}
			if _, err := tr.Next(); err != io.EOF {
				return nil, errors.New("members after the sitemap entries")
			}
			return entries, nil
		}
		name := strings.TrimSuffix(h.Name, "/")
		top, ok := "", false
		for p := name; p != "." && p != "/" && p != ""; p = path.Dir(p) {
			if tops[p] {
				top, ok = p, true
			}
		}
		if !ok || !filepath.IsLocal(name) || path.Clean(name) != name {
			return nil, fmt.Errorf("%s: not in the shard's folders", h.Name)
		}
		target := filepath.Join(out, filepath.FromSlash(name))
		switch h.Typeflag {
		case tar.TypeDir:
			if name == top {
				if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
					return nil, err
				}
			}
			if err := os.Mkdir(target, 0o755); err != nil {
				return nil, err
			}
		case tar.TypeReg:
			if name == top {
				return nil, fmt.Errorf("%s: a file where the shard's folder belongs", h.Name)
			}
			if cap(buf) < int(h.Size) {
				buf = make([]byte, h.Size)
			}
			buf = buf[:h.Size]
			if _, err := io.ReadFull(tr, buf); err != nil {
				return nil, fmt.Errorf("%s: %w", h.Name, err)
			}
			if err := writeNew(target, buf); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("%s: not a file or folder", h.Name)
		}
	}
}
