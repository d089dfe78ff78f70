package search

import "encoding/binary"

// Part is the index of a run of documents made apart (one district's),
// which Index.AddPart adds to an index as if each of its documents were
// added in turn: a build keeps the part of a district whose records did
// not change, and adds it without cutting its text into keys again.
// Documents are numbered from the part's first.
type Part struct {
	Rows  [][4]string // per document: title, url, meta, snippet
	Only  []bool      // per document: Doc.Untranslated
	Label []string    // per document: Doc.Label
	Keys  []string
	Pair  []bool
	Post  [][]byte // per key: its postings, the first document's delta from 0
	Last  []uint32 // per key: the last document that holds it
	DF    []uint32 // per key: how many documents hold it
}

// PartOf indexes docs apart.
func PartOf(docs []Doc) Part {
	x := NewIndex()
	for _, d := range docs {
		x.Add(d)
	}
	return Part{Rows: x.rows, Only: x.only, Label: x.label, Keys: x.keys, Pair: x.pair, Post: x.post, Last: x.last, DF: x.df}
}

// AddPart adds the documents of p after those added so far: the index is
// then the same as if each had been added with Add.
func (x *Index) AddPart(p Part) {
	base := uint32(len(x.rows))
	x.rows = append(x.rows, p.Rows...)
	x.only = append(x.only, p.Only...)
	x.label = append(x.label, p.Label...)
	for k, key := range p.Keys {
		id, ok := x.ids[key]
		if !ok {
			id = x.newKey(key, p.Pair[k])
		}
		post := p.Post[k]
		first, n := binary.Uvarint(post)
		x.post[id] = append(binary.AppendUvarint(x.post[id], uint64(base+uint32(first)-x.last[id])), post[n:]...)
		x.last[id] = base + p.Last[k]
		x.df[id] += p.DF[k]
	}
}
