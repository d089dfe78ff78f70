package pipeline

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"

	"github.com/xuncha/bulletin/generator/internal/cachedir"
	"github.com/xuncha/bulletin/generator/internal/outputs"
	"github.com/xuncha/bulletin/generator/internal/search"
)

// A memo file (see memoFolder) is memoMagic, the version, the length of
// the header, the header, its CRC-32C, and the payload. The header is the
// shard's cache key, its districts' ids, and the payload's length and
// CRC-32C: a lookup reads it alone, and writeData the payload, each
// district's part of the files and of the search index. Numbers are
// unsigned varints, strings and bytes a varint length and the bytes, a
// CRC four bytes little-endian.
const (
	memoMagic   = "bulletin-memo\n"
	memoVersion = 2
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// memoHeader is what a lookup reads of a memo.
type memoHeader struct {
	key        string
	districts  []string
	payload    int64 // where the payload starts
	payloadLen uint64
	payloadCRC uint32
}

// memoDistrict is what a memo keeps of one district.
type memoDistrict struct {
	ID    string
	Part  outputs.Part
	Index search.Part
}

// writeMemo writes the memo of the shard of ds under the input key name
// into dir: a temporary file renamed into place.
func writeMemo(dir, name, key string, ds []memoDistrict) error {
	var p memoEnc
	for _, d := range ds {
		p.str(d.ID)
		p.bytes(d.Part.Rows)
		p.uint(uint64(len(d.Part.Changes)))
		for _, c := range d.Part.Changes {
			p.str(c.District)
			p.str(c.Title)
			p.str(c.URL)
			p.uint(uint64(c.Index))
			p.str(c.Date)
			p.str(c.Status)
			p.str(c.Note)
		}
		x := &d.Index
		p.uint(uint64(len(x.Rows)))
		for i, row := range x.Rows {
			for _, s := range row {
				p.str(s)
			}
			p.str(x.Label[i])
			p.bool(x.Only[i])
		}
		p.uint(uint64(len(x.Keys)))
		for k, key := range x.Keys {
			p.str(key)
			p.bool(x.Pair[k])
			p.bytes(x.Post[k])
			p.uint(uint64(x.Last[k]))
			p.uint(uint64(x.DF[k]))
		}
	}
	var h memoEnc
	h.str(key)
	h.uint(uint64(len(ds)))
	for _, d := range ds {
		h.str(d.ID)
	}
	h.uint(uint64(len(p.b)))
	h.b = binary.LittleEndian.AppendUint32(h.b, crc32.Checksum(p.b, castagnoli))
	var f memoEnc
	f.b = append(f.b, memoMagic...)
	f.uint(memoVersion)
	f.bytes(h.b)
	f.b = binary.LittleEndian.AppendUint32(f.b, crc32.Checksum(h.b, castagnoli))

	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".new-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // gone once renamed
	_, err = tmp.Write(f.b)
	if err == nil {
		_, err = tmp.Write(p.b)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, name))
}

// errMemo is a memo whose bytes are not those of one.
var errMemo = errors.New("not a memo of this version, or damaged")

// readMemoHeader reads the header of the memo file path, and checks the
// file's length against it.
func readMemoHeader(path string) (memoHeader, error) {
	f, err := os.Open(path)
	if err != nil {
		return memoHeader{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return memoHeader{}, err
	}
	buf := make([]byte, min(fi.Size(), 4096))
	if _, err := io.ReadFull(f, buf); err != nil {
		return memoHeader{}, err
	}
	d := memoDec{b: buf}
	if len(buf) < len(memoMagic) || string(buf[:len(memoMagic)]) != memoMagic {
		return memoHeader{}, errMemo
	}
	d.off = len(memoMagic)
	if v := d.uint(); v != memoVersion || d.err != nil {
		return memoHeader{}, errMemo
	}
	n := d.uint()
	if d.err != nil || n > uint64(fi.Size()) {
		return memoHeader{}, errMemo
	}
	start := int64(d.off)
	end := start + int64(n) + 4
	if end > fi.Size() {
		return memoHeader{}, errMemo
	}
	if end > int64(len(buf)) {
		buf = make([]byte, end)
		if _, err := f.ReadAt(buf, 0); err != nil {
			return memoHeader{}, err
		}
	}
	hb := buf[start : start+int64(n)]
	if crc32.Checksum(hb, castagnoli) != binary.LittleEndian.Uint32(buf[start+int64(n):end]) {
		return memoHeader{}, errMemo
	}
	d = memoDec{b: hb}
	h := memoHeader{payload: end}
	h.key = d.str()
	for range d.count() {
		h.districts = append(h.districts, d.str())
	}
	h.payloadLen = d.uint()
	h.payloadCRC = d.u32()
	if d.err != nil || d.off != len(hb) || !cachedir.IsKey(h.key) || uint64(end)+h.payloadLen != uint64(fi.Size()) {
		return memoHeader{}, errMemo
	}
	return h, nil
}

// readMemo reads the districts of the memo file path, whose header is h.
func readMemo(path string, h memoHeader) ([]memoDistrict, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, h.payloadLen)
	if _, err := f.ReadAt(buf, h.payload); err != nil {
		return nil, err
	}
	if crc32.Checksum(buf, castagnoli) != h.payloadCRC {
		return nil, errMemo
	}
	d := memoDec{b: buf, s: string(buf)}
	ds := make([]memoDistrict, len(h.districts))
	for k := range ds {
		m := &ds[k]
		if m.ID = d.str(); m.ID != h.districts[k] {
			return nil, errMemo
		}
		m.Part.Rows = d.bytes()
		m.Part.Changes = make([]outputs.Change, d.count())
		for i := range m.Part.Changes {
			c := &m.Part.Changes[i]
			c.District, c.Title, c.URL = d.str(), d.str(), d.str()
			c.Index = int(d.uint())
			c.Date, c.Status, c.Note = d.str(), d.str(), d.str()
		}
		x := &m.Index
		docs := d.count()
		x.Rows, x.Label, x.Only = make([][4]string, docs), make([]string, docs), make([]bool, docs)
		for i := range docs {
			for j := range x.Rows[i] {
				x.Rows[i][j] = d.str()
			}
			x.Label[i], x.Only[i] = d.str(), d.bool()
		}
		keys := d.count()
		x.Keys, x.Pair, x.Post, x.Last, x.DF = make([]string, keys), make([]bool, keys), make([][]byte, keys), make([]uint32, keys), make([]uint32, keys)
		for k := range keys {
			x.Keys[k], x.Pair[k], x.Post[k] = d.str(), d.bool(), d.bytes()
			last, df := d.uint(), d.uint()
			// What AddPart relies on: a first document, no document
			// past the part's last.
			if first, n := binary.Uvarint(x.Post[k]); n <= 0 || first > last || last >= uint64(docs) || df == 0 || df > uint64(docs) {
				d.fail()
			}
			x.Last[k], x.DF[k] = uint32(last), uint32(df)
		}
		if d.err != nil {
			return nil, d.err
		}
	}
	if d.off != len(buf) {
		return nil, errMemo
	}
	return ds, nil
}

type memoEnc struct{ b []byte }

func (e *memoEnc) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *memoEnc) str(s string)  { e.uint(uint64(len(s))); e.b = append(e.b, s...) }
func (e *memoEnc) bytes(b []byte) {
	e.uint(uint64(len(b)))
	e.b = append(e.b, b...)
}
func (e *memoEnc) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

// memoDec reads what memoEnc wrote from b (and its strings from s, b as
// a string when set, so that they share its memory); the first error
// sticks, and every read after it gives zero values.
type memoDec struct {
	b   []byte
	s   string
	off int
	err error
}

func (d *memoDec) fail() {
	if d.err == nil {
		d.err = errMemo
	}
}

func (d *memoDec) uint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b[d.off:])
	if n <= 0 {
		d.fail()
		return 0
	}
	d.off += n
	return v
}

// count is a number of items that follow, each at least a byte long.
func (d *memoDec) count() int {
	n := d.uint()
	if n > uint64(len(d.b)-d.off) {
		d.fail()
		return 0
	}
	return int(n)
}

// span is the next length-prefixed run of bytes.
func (d *memoDec) span() (int, int) {
	n := d.uint()
	if d.err != nil || n > uint64(len(d.b)-d.off) {
		d.fail()
		return 0, 0
	}
	start := d.off
	d.off += int(n)
	return start, d.off
}

func (d *memoDec) str() string {
	i, j := d.span()
	if d.s != "" {
		return d.s[i:j]
	}
	return string(d.b[i:j])
}

func (d *memoDec) bytes() []byte {
	i, j := d.span()
	return d.b[i:j:j]
}

func (d *memoDec) bool() bool {
	if d.err != nil || d.off >= len(d.b) {
		d.fail()
		return false
	}
	v := d.b[d.off]
	d.off++
	if v > 1 {
		d.fail()
	}
	return v == 1
}

func (d *memoDec) u32() uint32 {
	if d.err != nil || len(d.b)-d.off < 4 {
		d.fail()
		return 0
	}
	v := binary.LittleEndian.Uint32(d.b[d.off:])
	d.off += 4
	return v
}
