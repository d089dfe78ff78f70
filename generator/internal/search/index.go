package search

import (
	"encoding/binary"
	"slices"
	"unicode/utf8"
)

// Index collects the postings of documents as they are added. It keeps
// every key once (interned) and each key's postings as varints in one
// growing byte slice, so adding a document allocates only when a key is
// new or a posting list grows, never per character.
type Index struct {
	ids   map[string]uint32
	keys  []string
	pair  []bool      // the key is a pair of adjacent tokens
	post  [][]byte    // per key: varint doc delta, then for a pair: count and position deltas
	last  []uint32    // per key: the last document it was added for
	df    []uint32    // per key: how many documents hold it
	rows  [][4]string // title, url, meta, snippet
	only  []bool      // Doc.Untranslated
	label []string    // Doc.Label

	// scratch, reused for every document
	occ  []occurrence
	seen []uint32 // the document's keys, in the order they first occur
	cnt  []uint32 // per key: its occurrences in the document (0 outside Add)
	at   []uint32 // per key: where its positions go in pos
	pos  []uint32 // the document's positions, grouped by key
	tok  tokenizer
	prev []byte
	buf  []byte
	emit func([]byte, uint32, bool)
}

type occurrence struct{ key, pos uint32 }

// NewIndex returns an empty index.
func NewIndex() *Index {
	x := &Index{ids: map[string]uint32{}}
	x.emit = x.token
	return x
}

// Len is the number of documents added.
func (x *Index) Len() int { return len(x.rows) }

// Add adds a document; its id is the number of documents added before it.
func (x *Index) Add(d Doc) {
	doc := uint32(len(x.rows))
	x.rows = append(x.rows, [4]string{d.Title, d.URL, d.Meta, d.Snippet})
	x.only = append(x.only, d.Untranslated)
	x.label = append(x.label, d.Label)
	x.occ = x.occ[:0]
	x.tok.pos = 0
	for _, t := range d.Text {
		x.prev = x.prev[:0]
		x.tok.scan(t, x.emit)
	}
	// Group the positions by key, each key's in the order they occur
	// (ascending): a counting sort over the document's keys.
	x.seen = x.seen[:0]
	for _, o := range x.occ {
		if x.cnt[o.key] == 0 {
			x.seen = append(x.seen, o.key)
		}
		x.cnt[o.key]++
	}
	n := uint32(0)
	for _, k := range x.seen {
		x.at[k] = n
		n += x.cnt[k]
	}
	x.pos = slices.Grow(x.pos[:0], int(n))[:n]
	for _, o := range x.occ {
		x.pos[x.at[o.key]] = o.pos
		x.at[o.key]++
	}
	for _, k := range x.seen {
		c := x.cnt[k]
		x.cnt[k] = 0
		p := x.post[k]
		p = binary.AppendUvarint(p, uint64(doc-x.last[k]))
		if x.pair[k] {
			p = binary.AppendUvarint(p, uint64(c))
			last := uint32(0)
			for _, pos := range x.pos[x.at[k]-c : x.at[k]] {
				p = binary.AppendUvarint(p, uint64(pos-last))
				last = pos
			}
		}
		x.post[k] = p
		x.last[k] = doc
		x.df[k]++
	}
}

// token records a token and the pair it makes with the token before it.
func (x *Index) token(tok []byte, pos uint32, adjacent bool) {
	x.occ = append(x.occ, occurrence{x.id(tok, false), pos})
	if adjacent && len(x.prev) > 0 {
		x.buf = append(append(x.buf[:0], x.prev...), tok...)
		x.occ = append(x.occ, occurrence{x.id(x.buf, true), pos - 1})
	}
	x.prev = append(x.prev[:0], tok...)
}

func (x *Index) id(b []byte, pair bool) uint32 {
	if id, ok := x.ids[string(b)]; ok {
		return id
	}
	return x.newKey(string(b), pair)
}

// newKey adds key k, which the index does not have.
func (x *Index) newKey(k string, pair bool) uint32 {
	id := uint32(len(x.keys))
	x.ids[k] = id
	x.keys = append(x.keys, k)
	x.pair = append(x.pair, pair)
	x.post = append(x.post, nil)
	x.last = append(x.last, 0)
	x.df = append(x.df, 0)
	x.cnt = append(x.cnt, 0)
	x.at = append(x.at, 0)
	return id
}

// isPair tells a pair key from a token: a token is one non-ASCII
// character or a run of ASCII letters and digits.
func isPair(k string) bool {
	if k == "" || k[0] < utf8.RuneSelf {
		for i := 0; i < len(k); i++ {
			if k[i] >= utf8.RuneSelf {
				return true
			}
		}
		return false
	}
	_, n := utf8.DecodeRuneInString(k)
	return n < len(k)
}
