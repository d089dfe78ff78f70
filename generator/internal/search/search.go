// Package search builds the static search index of an edition: it runs in
// the browser from plain JSON files, with no server and no network, and
// understands Chinese without a word list by indexing every character and
// every pair of adjacent characters (a query for 调休 or 污水 finds the
// pages that contain it). Latin text is indexed by lower-cased words.
//
// Files, under search/:
//
//	meta.json        {"version","docs","shards","chunk"}
//	idx/NN.json      {key: [doc ids, delta-encoded]} for keys hashing to shard NN
//	docs/NN.json     [[title, url, meta, snippet], …] for docs NN*chunk …
//
// A query fetches only the shards of its keys and the chunks of its hits.
// The index is built from the edition's view data, so the public index holds
// nothing the public pages do not.
package search

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/xuncha/bulletin/generator/internal/view"
)

// Layout constants; the browser script reads them from meta.json.
const (
	Shards  = 128
	Chunk   = 200
	Version = 1
	Dir     = "search"
)

// Doc is one searchable page.
type Doc struct {
	Title   string
	URL     string // site path without leading "/"
	Meta    string // district · round · status, shown under the title
	Snippet string
	Text    []string // everything searchable
}

// Docs lists the searchable pages of b: every district, round, problem and
// common problem it shows. statusLabel names a status for the result list.
func Docs(b *view.Bulletin, statusLabel func(string) string) []Doc {
	var docs []Doc
	for _, d := range b.Districts {
		docs = append(docs, Doc{Title: d.Name, URL: d.URL, Meta: d.Region, Snippet: clip(plain(d.NoteHTML), 90), Text: []string{d.Name, d.Region, plain(d.NoteHTML)}})
		for _, r := range d.RoundPages {
			rtext := []string{r.Title, plain(r.NoteHTML), d.Name}
			for _, t := range r.Targets {
				rtext = append(rtext, t.Name)
			}
			docs = append(docs, Doc{Title: r.Title, URL: r.URL, Meta: d.Name, Snippet: clip(plain(r.NoteHTML), 90), Text: rtext})
			for _, p := range r.ProblemPages {
				desc := plain(p.DescriptionHTML)
				text := []string{p.Title, p.Target.Name, p.Category, desc, d.Name, r.Title}
				for _, m := range p.Measures {
					text = append(text, m.Text)
				}
				for _, h := range p.History {
					text = append(text, h.Note)
				}
				docs = append(docs, Doc{
					Title:   p.Title,
					URL:     p.URL,
					Meta:    strings.Join(nonEmpty(d.Name, r.Title, p.Target.Name, statusLabel(p.Status)), " · "),
					Snippet: clip(desc, 90),
					Text:    text,
				})
			}
		}
		for _, c := range d.CommonPages {
			desc := plain(c.DescriptionHTML)
			text := []string{c.Title, c.Category, desc, d.Name}
			for _, u := range c.Units {
				text = append(text, u.Name)
				for _, m := range u.Measures {
					text = append(text, m.Text)
				}
			}
			docs = append(docs, Doc{Title: c.Title, URL: c.URL, Meta: strings.Join(nonEmpty(d.Name, "共性问题"), " · "), Snippet: clip(desc, 90), Text: text})
		}
	}
	return docs
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// plain turns sanitised HTML back into text.
func plain(h string) string {
	return strings.Join(strings.Fields(html.UnescapeString(tagRE.ReplaceAllString(h, " "))), " ")
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Keys splits text into index keys: each Han (or other non-Latin letter)
// character, each pair of adjacent ones, and each lower-cased Latin word or
// number. The browser script splits queries the same way.
func Keys(text string) []string {
	var keys []string
	var word []rune
	var prev rune
	flush := func() {
		if len(word) > 0 {
			keys = append(keys, string(word))
			word = word[:0]
		}
	}
	for _, r := range strings.ToLower(text) {
		switch {
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			word = append(word, r)
			prev = 0
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			flush()
			keys = append(keys, string(r))
			if prev != 0 {
				keys = append(keys, string([]rune{prev, r}))
			}
			prev = r
		default:
			flush()
			prev = 0
		}
	}
	flush()
	return keys
}

// Shard is the index shard of a key (FNV-1a of its UTF-8 bytes).
func Shard(key string) int {
	h := fnv.New32a()
	h.Write([]byte(key))
	return int(h.Sum32() % Shards)
}

// Write writes the index of docs under dir/search/.
func Write(dir string, docs []Doc) error { return (&Writer{}).Write(dir, docs) }

// Writer writes the index again and again into the same folder, as the
// preview server does: it remembers the keys of every text and the bytes of
// every file, so that a new version costs little and rewrites only the
// files that changed. The zero Writer is ready to use.
type Writer struct {
	keys  map[string][]string
	files map[string][]byte
}

func (w *Writer) keysOf(text string) []string {
	if w.keys == nil {
		return Keys(text)
	}
	k, ok := w.keys[text]
	if !ok {
		k = Keys(text)
		w.keys[text] = k
	}
	return k
}

// NewWriter returns a Writer that caches across calls.
func NewWriter() *Writer {
	return &Writer{keys: map[string][]string{}, files: map[string][]byte{}}
}

// Write writes the index of docs under dir/search/.
func (w *Writer) Write(dir string, docs []Doc) error {
	shards := make([]map[string][]int, Shards)
	for i := range shards {
		shards[i] = map[string][]int{}
	}
	for id, d := range docs {
		seen := map[string]bool{}
		for _, t := range d.Text {
			for _, k := range w.keysOf(t) {
				if seen[k] {
					continue
				}
				seen[k] = true
				s := shards[Shard(k)]
				s[k] = append(s[k], id)
			}
		}
	}
	files := map[string]any{
		"meta.json": map[string]int{"version": Version, "docs": len(docs), "shards": Shards, "chunk": Chunk},
	}
	for i, s := range shards {
		if len(s) == 0 {
			continue
		}
		enc := make(map[string][]int, len(s))
		for k, ids := range s {
			delta := make([]int, len(ids))
			last := 0
			for j, id := range ids {
				delta[j] = id - last
				last = id
			}
			enc[k] = delta
		}
		files[fmt.Sprintf("idx/%d.json", i)] = enc
	}
	for start := 0; start < len(docs); start += Chunk {
		var rows [][4]string
		for _, d := range docs[start:min(start+Chunk, len(docs))] {
			rows = append(rows, [4]string{d.Title, d.URL, d.Meta, d.Snippet})
		}
		files[fmt.Sprintf("docs/%d.json", start/Chunk)] = rows
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		// HTML escaping stays on: "<" in record text becomes \u003c.
		if err := enc.Encode(files[n]); err != nil {
			return err
		}
		if w.files != nil {
			if old, ok := w.files[n]; ok && bytes.Equal(old, buf.Bytes()) {
				continue
			}
			w.files[n] = bytes.Clone(buf.Bytes())
		}
		p := filepath.Join(dir, Dir, filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	if w.files != nil {
		for n := range w.files {
			if _, ok := files[n]; !ok {
				delete(w.files, n)
				os.Remove(filepath.Join(dir, Dir, filepath.FromSlash(n)))
			}
		}
	}
	return nil
}
