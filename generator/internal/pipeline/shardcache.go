package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/xuncha/bulletin/generator/internal/hugosite"
	"github.com/xuncha/bulletin/generator/internal/view"
)

// shardCache reuses a shard's output when its inputs did not change
// (--shard-cache DIR): DIR/<key>/ holds the shard's folders as rendered
// and its sitemap entries, keyed by a hash of everything its pages are made
// of.
type shardCache struct {
	dir          string
	base         string // hash of what every shard shares: templates, content, site parameters, site-wide pages
	hits, misses int
}

const shardCacheEntries = "sitemap.json"

// newShardCache is nil when dir is "".
func newShardCache(cfg Config, b *view.Bulletin, site hugosite.Site) (*shardCache, error) {
	if cfg.ShardCache == "" {
		return nil, nil
	}
	h := sha256.New()
	io.WriteString(h, "bulletin-shard-cache-v1\n")
	if err := hashFolders(h, cfg.Templates, cfg.Content); err != nil {
		return nil, err
	}
	// The site's parameters (every page reads site.Params.bulletin), its
	// languages and sitemap setting, and the site-wide pages that shard
	// pages link to (their paths and titles: the templates read nothing
	// else of them from a shard's page).
	shared := struct {
		Site      view.Site
		Languages []hugosite.Language
		Sitemap   bool
		Pages     []any
	}{b.Site, site.Languages, site.Sitemap, nil}
	for _, p := range site.Pages {
		fm := map[string]any{}
		for k, v := range p.FrontMatter {
			if k != "params" {
				fm[k] = v
			}
		}
		shared.Pages = append(shared.Pages, []any{p.Path, fm})
	}
	if err := json.NewEncoder(h).Encode(shared); err != nil {
		return nil, err
	}
	return &shardCache{dir: cfg.ShardCache, base: hex.EncodeToString(h.Sum(nil))}, nil
}

// key is the cache key of a shard: its pages as Hugo gets them (path,
// front matter: the view data and the place in the site, and languages).
func (c *shardCache) key(sh hugosite.Shard) (string, error) {
	h := sha256.New()
	io.WriteString(h, c.base)
	enc := json.NewEncoder(h)
	for _, p := range sh.Pages() {
		if err := enc.Encode([]any{p.Path, p.FrontMatter, p.DefaultLanguageOnly}); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// build renders the shard of b at idx into site.OutDir, or copies it from
// the cache; a rendered shard is stored in the cache.
func (c *shardCache) build(site hugosite.Site, b *view.Bulletin, idx []int) ([]hugosite.SitemapEntry, error) {
	sh := shardOf(b, idx)
	if c == nil {
		return hugosite.BuildShard(site, sh)
	}
	key, err := c.key(sh)
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(c.dir, key)
	if data, err := os.ReadFile(filepath.Join(dir, shardCacheEntries)); err == nil {
		var entries []hugosite.SitemapEntry
		if err := json.Unmarshal(data, &entries); err == nil {
			if err := copyShard(dir, site.OutDir, site.LangDirs(), sh.Dirs); err != nil {
				return nil, err
			}
			c.hits++
			return entries, nil
		}
	}
	entries, err := hugosite.BuildShard(site, sh)
	if err != nil {
		return nil, err
	}
	c.misses++
	// Stored whole or not at all: into a folder of its own, renamed into
	// place when complete.
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(c.dir, ".new-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	if err := copyShard(site.OutDir, tmp, site.LangDirs(), sh.Dirs); err != nil {
		return nil, err
	}
	data, err := json.Marshal(entries)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(tmp, shardCacheEntries), data, 0o644); err != nil {
		return nil, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, dir); err != nil && !errors.Is(err, fs.ErrExist) && !isNotEmpty(err) {
		return nil, err
	}
	return entries, nil
}

func isNotEmpty(err error) bool {
	var le *os.LinkError
	return errors.As(err, &le) && le.Err != nil && le.Err.Error() == "directory not empty"
}

func (c *shardCache) report(w io.Writer) {
	if c != nil && w != nil {
		fmt.Fprintf(w, "build: %d of %d shards reused from %s\n", c.hits, c.hits+c.misses, c.dir)
	}
}

// copyShard copies the districts' folders (in every language) from one
// output folder to another.
func copyShard(from, to string, langDirs, dirs []string) error {
	for _, l := range langDirs {
		for _, d := range dirs {
			src := filepath.Join(from, l, d)
			if _, err := os.Stat(src); errors.Is(err, fs.ErrNotExist) {
				continue
			}
			dst := filepath.Join(to, l, d)
			if _, err := os.Lstat(dst); err == nil {
				return fmt.Errorf("%s exists already", dst)
			}
			if err := copyTree(src, dst); err != nil {
				return err
			}
		}
	}
	return nil
}

// hashFolders writes every file of the folders (path, size, bytes, in
// order) into h; a folder that does not exist adds nothing.
func hashFolders(h io.Writer, dirs ...string) error {
	for _, dir := range dirs {
		fmt.Fprintf(h, "folder\n")
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if errors.Is(err, fs.ErrNotExist) && p == dir {
				return nil
			}
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			fmt.Fprintf(h, "%q %d\n", filepath.ToSlash(rel), len(data))
			h.Write(data)
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
