package ledger

import (
	"fmt"
	"os"
	"regexp"

	"github.com/xuncha/bulletin/generator/internal/model"
	yaml "go.yaml.in/yaml/v3"
)

// Doc is a round file open for editing by other callers than the ledger
// (the preview's forms): the same text splicing as Import, so comments and
// layout stay, and the same check before anything is written.
type Doc struct {
	file string
	src  []byte
	d    *roundDoc
}

// KV is a key and its value to write. Raw values (statuses, well-formed
// dates) are written as they are; others as YAML strings, quoted as needed.
// Origin names where the value comes from (a form field): errors about it
// come back under that name.
type KV struct {
	Key, Value string
	Raw        bool
	Origin     string
	Items      [][]KV // a list of mappings instead of a value
}

var isoDate = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)

// DateKV is a date field: raw when it looks like YYYY-MM-DD, else a string
// that check will refuse at its position.
func DateKV(key, value, origin string) KV {
	return KV{Key: key, Value: value, Raw: isoDate.MatchString(value), Origin: origin}
}

func (k KV) kv() kv {
	out := kv{key: k.Key, value: k.Value, plain: k.Raw, origin: k.Origin}
	if k.Items != nil {
		out.items = [][]kv{}
		for _, it := range k.Items {
			out.items = append(out.items, kvs(it))
		}
	}
	return out
}

func kvs(in []KV) []kv {
	out := make([]kv, len(in))
	for i, k := range in {
		out[i] = k.kv()
	}
	return out
}

// OpenDoc reads a round file for editing.
func OpenDoc(file string) (*Doc, error) {
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	d, err := parseRoundDoc(src)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	return &Doc{file: file, src: src, d: d}, nil
}

func (doc *Doc) problem(id string) (*yaml.Node, error) {
	n := doc.d.byID[id]
	if n == nil {
		return nil, fmt.Errorf("%s has no problem %q", doc.file, id)
	}
	return n, nil
}

// SetProblem writes one key of problem id.
func (doc *Doc) SetProblem(id string, k KV) error {
	n, err := doc.problem(id)
	if err != nil {
		return err
	}
	return doc.d.set(n, k.kv())
}

// AppendToProblem adds a mapping to the list under key of problem id
// (history, measures, reviews, extensions), creating the key when absent.
func (doc *Doc) AppendToProblem(id, key string, item []KV, origin string) error {
	n, err := doc.problem(id)
	if err != nil {
		return err
	}
	return doc.d.appendItem(n, key, kvs(item), origin)
}

// SetMeasure writes one key of measure i (0-based) of problem id.
func (doc *Doc) SetMeasure(id string, i int, k KV) error {
	n, err := doc.problem(id)
	if err != nil {
		return err
	}
	_, seq := get(n, "measures")
	if seq == nil || seq.Kind != yaml.SequenceNode || i < 0 || i >= len(seq.Content) {
		return fmt.Errorf("problem %q has no measure %d", id, i+1)
	}
	return doc.d.set(seq.Content[i], k.kv())
}

// AppendProblem adds a problem at the end of the round's problems.
func (doc *Doc) AppendProblem(item []KV, origin string) error {
	return doc.d.appendItem(doc.d.root, "problems", kvs(item), origin)
}

// NextID is the next free problem id of round r (see Import).
func NextID(r *model.Round) string {
	pl := &planner{round: r, taken: map[string]bool{}}
	for _, p := range r.Problems {
		pl.taken[p.ID] = true
	}
	return pl.nextID()
}

// FieldError is a diagnostic of check about the edited records, with the
// origin of the value it is about ("" when it is about no edited value).
type FieldError struct {
	Origin string
	At     string // FILE:LINE:COL in the file as it would be written
	Msg    string
}

// Save checks the data folder with the edited round file and, when it
// passes and dry is false, writes the file atomically. The diagnostics are
// every one check reports, each with the origin of the value it is about.
func (doc *Doc) Save(data string, asOf model.Date) ([]FieldError, error) {
	if err := doc.d.flush(); err != nil {
		return nil, err
	}
	after, spans := doc.d.ed.result()
	_, errs, err := checkWith(data, asOf, doc.file, after)
	if err != nil {
		return nil, err
	}
	var out []FieldError
	for _, e := range errs {
		fe := FieldError{At: e.Pos.String(), Msg: e.Msg}
		if e.Pos.File == doc.file {
			for _, s := range spans {
				if e.Pos.Line >= s.first && e.Pos.Line <= s.last {
					fe.Origin = s.origin
				}
			}
		}
		out = append(out, fe)
	}
	if len(out) > 0 {
		return out, nil
	}
	return nil, writeAtomic(doc.file, after)
}
