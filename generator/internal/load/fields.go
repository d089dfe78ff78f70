package load

import (
	"errors"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/xuncha/bulletin/generator/internal/diag"
	"github.com/xuncha/bulletin/generator/internal/model"
	yaml "go.yaml.in/yaml/v3"
)

// rec is one mapping being decoded into a record of a kind: its fields by
// key and the model.Node of positions. Getters report what is wrong with a
// value at the value and return the zero value (or the default).
type rec struct {
	f    *file
	kind *kind
	vals []field // the known fields with a value, in the order written
	node model.Node
}

// field is one key of a record and its value.
type field struct {
	name string
	val  *yaml.Node
}

// val is the value of the field key, or nil when it is absent or empty.
// A record holds each of its kind's fields at most once (a few dozen), so
// a scan is cheaper than a map.
func (r *rec) val(key string) *yaml.Node {
	for _, fv := range r.vals {
		if fv.name == key {
			return fv.val
		}
	}
	return nil
}

// chunk is the most records, fields or key positions a file allocates at
// once: a file's first block has room for 16, each next one for twice as
// many as the last, up to chunk, so that a small file allocates little.
const chunk = 512

// cut returns an empty slice with room for n items, cut from the block
// *buf shared by the records of a file (one allocation for many records);
// appending beyond n reallocates rather than overwrite the next record's.
// A block is never moved, so that pointers into it stay good.
func cut[T any](buf *[]T, n int) []T {
	if cap(*buf)-len(*buf) < n {
		*buf = make([]T, 0, max(n, min(chunk, 2*cap(*buf)), 16))
	}
	start := len(*buf)
	*buf = (*buf)[:start+n]
	return (*buf)[start : start : start+n]
}

// scratch is the memory of the records and fields that record cuts while
// a file is decoded, none of which outlives the decoding (the model keeps
// copies of what it needs): one goroutine of Load reuses it from file to
// file, instead of allocating it again for each.
type scratch struct {
	recs   arena[rec]
	fields arena[field]
}

// reset makes the memory of the last file's records free for the next.
func (s *scratch) reset() {
	s.recs.reset()
	s.fields.reset()
}

// arena hands out slices cut from blocks, as cut does, and after reset the
// same blocks again (what they held is overwritten before it is read).
type arena[T any] struct {
	blocks [][]T
	at     int // the block being cut
}

// cut returns an empty slice with room for n items (see cut).
func (a *arena[T]) cut(n int) []T {
	for ; a.at < len(a.blocks); a.at++ {
		if b := a.blocks[a.at]; cap(b)-len(b) >= n {
			a.blocks[a.at] = b[:len(b)+n]
			return b[len(b) : len(b) : len(b)+n]
		}
	}
	last := 0
	if len(a.blocks) > 0 {
		last = cap(a.blocks[len(a.blocks)-1])
	}
	b := make([]T, n, max(n, min(chunk, 2*last), 16))
	a.blocks = append(a.blocks, b)
	a.at = len(a.blocks) - 1
	return b[:0:n]
}

func (a *arena[T]) reset() {
	for i, b := range a.blocks {
		a.blocks[i] = b[:0]
	}
	a.at = 0
}

// record checks that n is a mapping with only the fields of k and all the
// required ones. It returns nil (after reporting) when n is not a mapping.
// Fields whose value is empty (nothing, ~, null) count as absent; a required
// one is reported.
func (f *file) record(n *yaml.Node, k *kind) *rec {
	if n.Kind != yaml.MappingNode {
		f.at(n, "%s must be a mapping (key: value lines), got %s", k.name, describe(n))
		return nil
	}
	most := min(len(n.Content)/2, len(k.required)+len(k.optional))
	r := &f.scratch.recs.cut(1)[:1][0]
	*r = rec{f: f, kind: k, vals: f.scratch.fields.cut(most), node: model.Node{Pos: f.pos(n), Names: k.all, Keys: cut(&f.keyBuf, most)}}
	var seen uint64   // k's fields met so far, by index
	var keys keyIndex // for keys k does not have: made for the first
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		if !isTextKey(key) {
			continue // reported by checkTree
		}
		at := k.index(key.Value)
		if at < 0 {
			if keys.n == nil {
				keys = indexKeys(n)
			}
			if keys.first(key.Value) == key { // a repeat was reported by checkTree
				f.unknownField(key, k)
			}
			continue
		}
		if seen&(1<<at) != 0 {
			continue // reported by checkTree; the first one counts
		}
		seen |= 1 << at
		name := k.field(at) // k's own string: the YAML's copy goes with the tree
		switch {
		case isNull(val) && at < len(k.required):
			f.at(val, "%q must not be empty", name)
		case isNull(val) && slices.Contains(safeguards, name) && val.Style&yaml.TaggedStyle == 0:
			f.at(val, "%q is written but empty: give its value, or remove the line (a safeguard that is written is never read as absent)", name)
		case isNull(val):
		default:
			r.vals = append(r.vals, field{name, val})
			r.node.Keys = append(r.node.Keys, model.Key{Name: uint16(at), Line: int32(max(val.Line, 1)), Col: int32(max(val.Column, 1))})
		}
	}
	for at, name := range k.required {
		if seen&(1<<at) == 0 {
			f.at(n, "%s is missing required field %q", k.name, name)
		}
	}
	return r
}

// unknownField reports a key that k does not have, with a suggestion: a
// field of k it may be a typo of, or the kind of record it belongs to.
func (f *file) unknownField(key *yaml.Node, k *kind) {
	if f.full() { // the message is dropped: skip looking for suggestions
		f.at(key, "unknown field %s in %s", diag.Value(short(key.Value)), k.name)
		return
	}
	hint := didYouMean(key.Value, k.fields())
	if hint == "" {
		for _, other := range allKinds {
			if other != k && other.known(key.Value) {
				hint = "; it is a field of " + article(other.name)
				break
			}
		}
	}
	if hint == "" {
		hint = "; fields of " + article(k.name) + ": " + strings.Join(k.fields(), ", ")
	}
	f.at(key, "unknown field %s in %s%s", diag.Value(short(key.Value)), k.name, hint)
}

// article puts "a" or "an" before a kind's name where English wants one.
func article(name string) string {
	switch {
	case name == "outcomes", name == "deadlines", name == "round deadlines", strings.HasSuffix(name, ".yaml"), strings.Contains(name, "_"):
		return name
	case strings.HasPrefix(name, "e"), strings.HasPrefix(name, "i"):
		return "an " + name
	}
	return "a " + name
}

// scalar returns the value of key when it is a scalar, else reports what
// was expected and returns nil.
func (r *rec) scalar(key, want string) *yaml.Node {
	v := r.val(key)
	if v == nil {
		return nil
	}
	if v.Kind != yaml.ScalarNode {
		r.f.at(v, "%q must be %s, got %s", key, want, describe(v))
		return nil
	}
	return v
}

// text returns a text field. A required one must not be blank.
func (r *rec) text(key string) string {
	v := r.scalar(key, "text")
	if v == nil {
		return ""
	}
	if r.kind.isRequired(key) && strings.TrimSpace(v.Value) == "" {
		r.f.at(v, "%q must not be empty", key)
	}
	return v.Value
}

// id returns an id field; ok is false when it is absent or not URL-safe.
func (r *rec) id(key string) (id string, ok bool) {
	v := r.scalar(key, "an id")
	if v == nil {
		return "", false
	}
	if p := idProblem(v.Value); p != "" {
		r.f.at(v, "id %s %s", diag.Value(short(v.Value)), p)
		return v.Value, false
	}
	return v.Value, true
}

// ids returns a list of ids.
func (r *rec) ids(key string) []string {
	var out []string
	for _, item := range r.list(key) {
		if item.Kind != yaml.ScalarNode || isNull(item) {
			r.f.at(item, "%q must list ids, got %s", key, describe(item))
			continue
		}
		if p := idProblem(item.Value); p != "" {
			r.f.at(item, "id %s %s", diag.Value(short(item.Value)), p)
		}
		out = append(out, item.Value)
	}
	return out
}

// date returns a YYYY-MM-DD field.
func (r *rec) date(key string) model.Date {
	return r.f.date(key, r.scalar(key, "a date (YYYY-MM-DD)"))
}

// date parses scalar v (nil: absent) as a date; key names it in messages.
func (f *file) date(key string, v *yaml.Node) model.Date {
	if v == nil {
		return model.Date{}
	}
	d, err := model.ParseDate(v.Value)
	if err == nil {
		return d
	}
	var de *model.DateError
	switch {
	case errors.As(err, &de):
		f.at(v, "%q: %s %s", key, diag.Value(short(de.Text)), de.Reason)
	default:
		f.at(v, "%q: %v", key, err)
	}
	return d
}

// dates returns a list of dates with the node of each.
func (r *rec) dates(key string) ([]model.Date, []*yaml.Node) {
	var out []model.Date
	var nodes []*yaml.Node
	for _, item := range r.list(key) {
		if item.Kind != yaml.ScalarNode || isNull(item) {
			r.f.at(item, "%q must list dates (YYYY-MM-DD), got %s", key, describe(item))
			continue
		}
		if d := r.f.date(key, item); !d.IsZero() {
			out = append(out, d)
			nodes = append(nodes, item)
		}
	}
	return out, nodes
}

// boolean returns a true/false field (nothing else: not yes, not "true").
func (r *rec) boolean(key string) bool {
	v := r.scalar(key, "true or false")
	if v == nil {
		return false
	}
	if isPlain(v) && (v.Value == "true" || v.Value == "false") {
		return v.Value == "true"
	}
	r.f.at(v, "%q must be true or false, got %s", key, describe(v))
	return false
}

var wholeRE = regexp.MustCompile(`^[-+]?[0-9]+$`)

// maxCount bounds whole numbers, so that sums cannot overflow.
const maxCount = 1_000_000_000

// whole returns a whole-number field within lo..hi; ok is false when it is
// absent or wrong.
func (r *rec) whole(key string, lo, hi int) (n int, ok bool) {
	v := r.scalar(key, "a whole number")
	if v == nil {
		return 0, false
	}
	if !isPlain(v) || !wholeRE.MatchString(v.Value) {
		if isPlain(v) {
			r.f.at(v, "%q must be a whole number, got %s", key, describe(v))
		} else {
			r.f.at(v, "%q must be a whole number without quotes, got %s", key, describe(v))
		}
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimPrefix(v.Value, "+"))
	if err != nil { // out of range
		n = math.MaxInt
		if strings.HasPrefix(v.Value, "-") {
			n = math.MinInt
		}
	}
	switch {
	case n >= lo && n <= hi:
		return n, true
	case hi == maxCount && n > hi:
		r.f.at(v, "%q is too large: at most %d", key, hi)
	case lo == 0 && n < 0:
		r.f.at(v, "%q must be 0 or more, got %s", key, v.Value)
	default:
		r.f.at(v, "%q must be between %d and %d, got %s", key, lo, hi, v.Value)
	}
	return 0, false
}

// count returns a whole number ≥ 0, or 0.
func (r *rec) count(key string) int {
	n, _ := r.whole(key, 0, maxCount)
	return n
}

// optCount returns a whole number ≥ 0, or nil when absent or wrong.
func (r *rec) optCount(key string) *int {
	if n, ok := r.whole(key, 0, maxCount); ok {
		return &n
	}
	return nil
}

var numberRE = regexp.MustCompile(`^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$`)

// number returns a decimal number within lo..hi, or nil when absent or
// wrong. percent selects the message for percentages.
func (r *rec) number(key string, lo, hi float64, percent bool) *float64 {
	v := r.scalar(key, "a number")
	if v == nil {
		return nil
	}
	if !isPlain(v) || !numberRE.MatchString(v.Value) {
		r.f.at(v, "%q must be a number, got %s", key, describe(v))
		return nil
	}
	x, err := strconv.ParseFloat(v.Value, 64)
	switch {
	case err != nil || math.IsInf(x, 0) || math.IsNaN(x):
		r.f.at(v, "%q must be a number, got %s", key, describe(v))
	case percent && (x < lo || x > hi):
		r.f.at(v, "%q must be a percentage between %g and %g, got %s", key, lo, hi, v.Value)
	case x < lo:
		r.f.at(v, "%q must be 0 or more, got %s", key, v.Value)
	case x > hi:
		r.f.at(v, "%q is too large: at most %g", key, hi)
	default:
		return &x
	}
	return nil
}

// enum returns a field that must be one of allowed, or def when absent.
func (r *rec) enum(key string, allowed []string, def string) string {
	v := r.val(key)
	if v == nil {
		return def
	}
	if v.Kind == yaml.ScalarNode {
		for _, a := range allowed { // the common case, without building the message
			if v.Value == a {
				return a
			}
		}
	}
	v = r.scalar(key, "one of "+strings.Join(allowed, ", "))
	if v == nil {
		return def
	}
	for _, a := range allowed {
		if v.Value == a {
			return a
		}
	}
	r.f.at(v, "%q must be one of %s; got %s%s", key, strings.Join(allowed, ", "), describe(v), didYouMean(v.Value, allowed))
	return def
}

var statusNames = func() []string {
	out := make([]string, len(model.Statuses))
	for i, s := range model.Statuses {
		out[i] = string(s)
	}
	return out
}()

// status returns a status field.
func (r *rec) status(key string) model.Status {
	return model.Status(r.enum(key, statusNames, ""))
}

// list returns the items of a list field.
func (r *rec) list(key string) []*yaml.Node {
	v := r.val(key)
	if v == nil {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		r.f.at(v, "%q must be a list, got %s", key, describe(v))
		return nil
	}
	return v.Content
}

// sub returns the mapping of key as a record of kind k, or nil.
func (r *rec) sub(key string, k *kind) *rec {
	v := r.val(key)
	if v == nil {
		return nil
	}
	if v.Kind != yaml.MappingNode {
		r.f.at(v, "%q must be a mapping (key: value lines), got %s", key, describe(v))
		return nil
	}
	return r.f.record(v, k)
}

// items returns the records of a list of mappings of kind k.
func (r *rec) items(key string, k *kind) []*rec {
	list := r.list(key)
	if len(list) == 0 {
		return nil
	}
	out := make([]*rec, 0, len(list))
	for _, item := range list {
		if item.Kind == yaml.ScalarNode && !isNull(item) {
			r.f.at(item, "each item of %q must be %s with fields (%s), got text", key, article(k.name), strings.Join(k.fields(), ", "))
			continue
		}
		if s := r.f.record(item, k); s != nil {
			out = append(out, s)
		}
	}
	return out
}

// internal flattens an `internal:` map into fields, in the order written:
// a scalar gives its text, a nested map or list compact flow YAML. Any keys
// are allowed.
func (r *rec) internal(key string) []model.Field {
	v := r.val(key)
	if v == nil {
		return nil
	}
	if v.Kind != yaml.MappingNode {
		r.f.at(v, "%q must be a mapping of names to values, got %s", key, describe(v))
		return nil
	}
	var out []model.Field
	seen := map[string]bool{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		if k.Kind != yaml.ScalarNode || seen[k.Value] {
			continue // reported by checkTree
		}
		seen[k.Value] = true
		var text string
		switch {
		case isNull(val):
		case val.Kind == yaml.ScalarNode:
			text = val.Value
			if !isPlain(val) && val.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
				text = strings.TrimRight(text, "\n")
			}
		default:
			text = flowText(val)
		}
		out = append(out, model.Field{Key: k.Value, Value: text})
	}
	return out
}

// source returns the source of key, or nil.
func (r *rec) source(key string) *model.Source {
	s := r.sub(key, sourceKind)
	if s == nil {
		return nil
	}
	return &model.Source{Node: s.node, Title: s.text("title"), URL: s.text("url"), Date: s.date("date")}
}
