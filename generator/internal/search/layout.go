package search

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
)

// Layout of the files (see the package comment). search.js reads the sizes
// from meta.json, never from here.
const (
	// Version of the file layout.
	Version = 3
	// Chunk is how many documents' result rows one docs/ file holds: a
	// result list fetches the files of the rows it shows.
	Chunk = 10
	// ShardBytes is the size a shard file aims at; the number of shards is
	// the index's size divided by it, so a shard stays small however large
	// the index grows.
	ShardBytes = 12 << 10
	// InlineBytes is the largest posting list kept in its shard; a longer
	// one is cut into block files.
	InlineBytes = 1 << 10
	// BlockBytes is the size a block file aims at. A query reads a long
	// posting list only in the blocks of the documents still in question.
	BlockBytes = 4 << 10
	// Dir is the folder of the index in the site.
	Dir = "search"
)

// ShardOf is the shard of a key among n: FNV-1a of its UTF-8 bytes, mod n.
func ShardOf(key string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(key))
	return int(h.Sum32() % uint32(n))
}

// files builds the index's files and passes each, by name, to put, in a
// fixed order. The bytes passed are only valid during the call.
func (x *Index) files(put func(name string, data []byte) error) error {
	order := make([]uint32, len(x.keys))
	for i := range order {
		order[i] = uint32(i)
	}
	slices.SortFunc(order, func(a, b uint32) int { return strings.Compare(x.keys[a], x.keys[b]) })

	// Each key's shard entry, "key":value, one after another in entries.
	var entries []byte
	ends := make([]int, len(order))
	var blocks [][]byte
	var starts []uint32
	big := 0
	for i, k := range order {
		blocks, starts = x.encode(k, blocks[:0], starts[:0])
		entries = appendString(entries, x.keys[k])
		entries = append(entries, ':')
		if len(blocks) == 1 && len(blocks[0]) <= InlineBytes {
			entries = append(entries, blocks[0]...)
		} else {
			entries = fmt.Appendf(entries, `{"n":%d,"f":%d,"b":[`, x.df[k], big)
			for j, s := range starts {
				if j > 0 {
					entries = append(entries, ',')
				}
				entries = strconv.AppendUint(entries, uint64(s), 10)
				if err := put(fmt.Sprintf("blk/%d-%d.json", big, j), append(blocks[j], '\n')); err != nil {
					return err
				}
			}
			entries = append(entries, "]}"...)
			big++
		}
		ends[i] = len(entries)
	}

	// Every shard is written, empty ones too: the script reads the shard
	// of any key it is asked for.
	shards := max(1, (len(entries)+ShardBytes-1)/ShardBytes)
	byShard := make([][]int, shards) // indexes into order
	for i, k := range order {
		s := ShardOf(x.keys[k], shards)
		byShard[s] = append(byShard[s], i)
	}
	var buf []byte
	for s, is := range byShard {
		buf = append(buf[:0], '{')
		for j, i := range is {
			if j > 0 {
				buf = append(buf, ',')
			}
			start := 0
			if i > 0 {
				start = ends[i-1]
			}
			buf = append(buf, entries[start:ends[i]]...)
		}
		buf = append(buf, "}\n"...)
		if err := put(fmt.Sprintf("idx/%d.json", s), buf); err != nil {
			return err
		}
	}

	for start := 0; start < len(x.rows); start += Chunk {
		buf = append(buf[:0], '[')
		for i := start; i < min(start+Chunk, len(x.rows)); i++ {
			if i > start {
				buf = append(buf, ',')
			}
			// HTML escaping stays on: "<" in record text becomes \u003c.
			row, err := json.Marshal(x.rows[i])
			if err != nil {
				return err
			}
			switch {
			case x.label[i] != "":
				only := "0"
				if x.only[i] {
					only = "1"
				}
				row = append(append(row[:len(row)-1], ","+only+","...), strconv.Quote(x.label[i])+"]"...)
			case x.only[i]:
				row = append(row[:len(row)-1], ",1]"...)
			}
			buf = append(buf, row...)
		}
		buf = append(buf, "]\n"...)
		if err := put(fmt.Sprintf("docs/%d.json", start/Chunk), buf); err != nil {
			return err
		}
	}

	meta := fmt.Appendf(nil, `{"version":%d,"docs":%d,"chunk":%d,"shards":%d}`+"\n", Version, len(x.rows), Chunk, shards)
	return put("meta.json", meta)
}

// encode writes the postings of key k as JSON arrays of numbers, cut into
// blocks of about BlockBytes at document boundaries. In each array the
// documents are deltas from the one before (the first from 0); a pair's
// document is followed by its count of positions and their deltas (the
// first from 0). starts holds each block's first document.
func (x *Index) encode(k uint32, blocks [][]byte, starts []uint32) ([][]byte, []uint32) {
	p := x.post[k]
	doc := uint32(0)
	var cur []byte
	prev := uint32(0) // the last document written in this block
	for len(p) > 0 {
		d, n := binary.Uvarint(p)
		p = p[n:]
		doc += uint32(d)
		if cur == nil || len(cur) >= BlockBytes {
			if cur != nil {
				blocks = append(blocks, append(cur, ']'))
			}
			cur = append(make([]byte, 0, min(BlockBytes+64, 2*len(p)+16)), '[')
			starts = append(starts, doc)
			prev = 0
		} else {
			cur = append(cur, ',')
		}
		cur = strconv.AppendUint(cur, uint64(doc-prev), 10)
		prev = doc
		if !x.pair[k] {
			continue
		}
		c, n := binary.Uvarint(p)
		p = p[n:]
		cur = append(cur, ',')
		cur = strconv.AppendUint(cur, c, 10)
		for range c {
			v, n := binary.Uvarint(p)
			p = p[n:]
			cur = append(cur, ',')
			cur = strconv.AppendUint(cur, v, 10)
		}
	}
	return append(blocks, append(cur, ']')), starts
}

// appendString appends s as a JSON string. Keys are letters and digits,
// so nothing but the quotes is needed; json.Marshal keeps it exact anyway.
func appendString(b []byte, s string) []byte {
	q, _ := json.Marshal(s)
	return append(b, q...)
}
