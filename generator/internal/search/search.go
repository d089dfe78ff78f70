// Package search builds the static search index of an edition: plain
// files that search.js reads in the browser, with no server and no network.
// It understands Chinese without a word list: every character and every
// pair of adjacent characters is a key, and a pair's postings carry its
// positions, so a query of any length finds exactly the pages that hold it,
// characters adjacent and in order. Latin text is indexed by lower-cased
// words. How text is cut into tokens is written in tokens.go.
//
// Files, under search/:
//
//	meta.json       {"version","docs","chunk","shards"}
//	idx/S.json      {key: postings, …} for the keys whose FNV-1a hash is S mod shards;
//	                a long posting list is {"n": documents, "f": F, "b": [first document of each block]}
//	blk/F-J.json    block J of long posting list F
//	docs/C.json     [[title, url, meta, snippet], …] for documents C*chunk …;
//	                a fifth element 1: the page is in the records' language only
//	                (else 0 when a sixth follows); a sixth: the key of the
//	                label shown after meta in the page's language (the
//	                search page's data-text "labels": status_rectified, target,
//	                common_problem), so a row holds record text only
//
// Postings are one JSON array of numbers: each document as the delta from
// the one before (the first from 0), and after a pair's document, its number
// of positions and their deltas. A character or word has no positions.
//
// A query reads its keys' shards, then the long lists rarest first, and of
// each the blocks of the documents still in question; then the rows of the
// results it shows. The number of shards grows with the index, so one
// shard stays near ShardBytes. The index is built from the edition's view
// data, so the public index holds nothing the public pages do not.
package search

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"html"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/xuncha/bulletin/generator/internal/view"
)

// Doc is one searchable page.
type Doc struct {
	Title string
	URL   string // site path without leading "/"
	Meta  string // district · round · unit (record text), shown under the title
	// Label is the key of a label shown after Meta in the reader's
	// language: the problem's status, or what kind of page it is.
	Label   string
	Snippet string
	Text    []string // everything searchable
	// Untranslated: the page exists in the records' language only (a
	// problem page, see pipeline.recordLanguageOnly), so every interface
	// language links to it there.
	Untranslated bool
}

// Docs lists the searchable pages of b: every district, round, problem,
// unit (by its name and former names) and common problem it shows, the
// districts' in turn (DistrictDocs).
func Docs(b *view.Bulletin) []Doc {
	var docs []Doc
	for _, d := range b.Districts {
		docs = append(docs, DistrictDocs(d)...)
	}
	return docs
}

// DistrictDocs lists the searchable pages of district d: itself, its
// rounds and their problems, its units and its common problems. They
// depend on d alone, so an index can be filled one district at a time.
func DistrictDocs(d *view.District) []Doc {
	var docs []Doc
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
				Title:        p.Title,
				URL:          p.URL,
				Meta:         strings.Join(nonEmpty(d.Name, r.Title, p.Target.Name), " · "),
				Label:        "status_" + p.Status,
				Snippet:      clip(desc, 90),
				Text:         text,
				Untranslated: true,
			})
		}
	}
	for _, u := range d.UnitPages {
		text := append([]string{u.Title, d.Name}, u.FormerNames...)
		snippet := ""
		if len(u.FormerNames) > 0 {
			snippet = "原名：" + strings.Join(u.FormerNames, "、")
		}
		docs = append(docs, Doc{Title: u.Title, URL: u.URL, Meta: d.Name, Label: "target", Snippet: snippet, Text: text})
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
		docs = append(docs, Doc{Title: c.Title, URL: c.URL, Meta: d.Name, Label: "common_problem", Snippet: clip(desc, 90), Text: text})
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

// Write writes the index of docs under dir/search/.
func Write(dir string, docs []Doc) error { return (&Writer{}).Write(dir, docs) }

// Writer writes the index again and again into the same folder, as the
// preview server does: it remembers the bytes of every file, so that a new
// version rewrites only the files that changed and removes those that are
// gone. The zero Writer keeps nothing and writes every file.
type Writer struct {
	files  map[string][]byte
	store  string            // NewStoreWriter's folder
	stored func(name string) // told of each store file used
}

// NewWriter returns a Writer that remembers its files across calls.
func NewWriter() *Writer { return &Writer{files: map[string][]byte{}} }

// NewStoreWriter returns a Writer that keeps every file of the index in
// the folder store, named by the SHA-256 of its bytes (64 hex digits),
// and makes the index's file a hard link to it: a file that an earlier
// build stored, as most are when few records changed, costs a link
// rather than a new file (the build with --shard-cache). A store file of
// another size than its bytes (a store restored in part) is written
// again; where a link cannot be made (another file system), the index's
// file is written. stored, when set, is told the name of every store file
// the index uses. The index's files share their storage with the store's,
// so the Writer never rewrites one in place, and nor may anyone else.
func NewStoreWriter(store string, stored func(name string)) *Writer {
	return &Writer{store: store, stored: stored}
}

// Write writes the index of docs under dir/search/.
func (w *Writer) Write(dir string, docs []Doc) error {
	x := NewIndex()
	for _, d := range docs {
		x.Add(d)
	}
	return w.WriteIndex(dir, x)
}

// WriteIndex writes x under dir/search/.
func (w *Writer) WriteIndex(dir string, x *Index) error {
	root := filepath.Join(dir, Dir)
	made := map[string]bool{}
	written := map[string]bool{}
	err := x.files(func(name string, data []byte) error {
		if w.files != nil {
			written[name] = true
			if old, ok := w.files[name]; ok && bytes.Equal(old, data) {
				return nil
			}
			w.files[name] = bytes.Clone(data)
		}
		p := filepath.Join(root, filepath.FromSlash(name))
		if d := filepath.Dir(p); !made[d] {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
			made[d] = true
		}
		if w.store != "" {
			return w.link(p, data)
		}
		return os.WriteFile(p, data, 0o644)
	})
	if err != nil {
		return err
	}
	for name := range w.files {
		if !written[name] {
			delete(w.files, name)
			if err := os.Remove(filepath.Join(root, filepath.FromSlash(name))); err != nil && !os.IsNotExist(err) {
				return err
			}
		}
	}
	return nil
}

// link makes p a hard link to the store's file of data, storing it first
// when the store does not have it.
func (w *Writer) link(p string, data []byte) error {
	sum := sha256.Sum256(data)
	name := hex.EncodeToString(sum[:])
	sp := filepath.Join(w.store, name)
	if w.stored != nil {
		w.stored(name)
	}
	if fi, err := os.Lstat(sp); err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(data)) {
		if err := storeFile(w.store, sp, data); err != nil {
			return err
		}
	}
	err := os.Link(sp, p)
	if errors.Is(err, fs.ErrExist) {
		// An earlier version of the file (the Writer used again on the
		// same folder): replaced, never rewritten, as it may be a link.
		if err = os.Remove(p); err == nil {
			err = os.Link(sp, p)
		}
	}
	if err != nil {
		return os.WriteFile(p, data, 0o644)
	}
	return nil
}

// storeFile writes data into the store as sp: whole or not at all (into
// a file of its own, renamed into place when complete).
func storeFile(store, sp string, data []byte) error {
	if err := os.MkdirAll(store, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(store, ".new-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // gone once renamed
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), sp)
	}
	return err
}
