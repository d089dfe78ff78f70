package load

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"

	"github.com/xuncha/bulletin/generator/internal/diag"
	yaml "go.yaml.in/yaml/v3"
)

// open reads, checks and parses a record file. It returns the file and the
// root node of its one document, or a nil node when the file was refused
// (the reasons are reported).
func (l *loader) open(r *ref) (*file, *yaml.Node) {
	f := l.newFile(r)
	c := l.cfg.cache
	var blob string // the content's name in the file system, when it has one
	if ids, ok := l.fsys.(BlobFS); ok && c != nil && l.cfg.sums == nil {
		blob, _ = ids.BlobID(r.real)
	}
	if blob != "" {
		c.mu.Lock()
		hit, ok := c.files[f.path]
		c.mu.Unlock()
		if ok && hit.blob == blob { // the same content: not even read
			f.spans = hit.spans
			f.cached = hit
			return f, hit.root
		}
	}
	b := l.read(f)
	if b == nil {
		return f, nil
	}
	var sum [sha256.Size]byte
	if c != nil || l.cfg.sums != nil || l.disk != nil {
		sum = sha256.Sum256(b)
	}
	if l.cfg.sums != nil {
		l.cfg.sums.put(r.rel, sum)
	}
	if c != nil {
		c.mu.Lock()
		hit, ok := c.files[f.path]
		if ok && hit.sum == sum && blob != "" {
			hit.blob = blob
		}
		c.mu.Unlock()
		if ok && hit.sum == sum {
			f.spans = hit.spans
			f.cached = hit
			return f, hit.root
		}
	}
	if l.disk != nil {
		s := l.cfg.disk.slotFor(l.disk.kind, f, l.disk.district, l.cfg.maxFileSize, sum)
		if st, ok := s.get(); ok {
			l.restore(f, st, sum, blob)
			return f, nil
		}
		l.disk.slot = &s
	}
	if !f.checkRaw(b) {
		return f, nil
	}
	root := f.parse(b)
	if c != nil && root != nil && f.count == 0 {
		f.cached = &cachedFile{sum: sum, blob: blob, root: root, spans: f.spans}
		c.mu.Lock()
		c.files[f.path] = f.cached
		c.mu.Unlock()
	}
	return f, root
}

// BlobFS is a file system that names a regular file's content without
// reading it: gitrepo.Tree, by the blob's hash. A Cache that has seen a
// file with the same name and content then skips even reading it, so that
// a scan of the history reads only the files each commit changed.
type BlobFS interface {
	fs.FS
	// BlobID names the content of the regular file name ("" and false
	// for a symbolic link or a file it does not know). Two files with the
	// same ID have the same bytes.
	BlobID(name string) (string, bool)
}

// keep reports whether the record decoded from f may be kept in the cache
// (see NewRecordCache): the cache keeps records and f has no diagnostics.
func (l *loader) keep(f *file) bool {
	return l.cfg.cache != nil && l.cfg.cache.records && f.cached != nil && f.count == 0
}

// parse parses b, which has passed checkRaw, into the root node of its one
// document, and checks the tree before anything looks at values: no anchors
// or aliases (so nothing can expand), bounded nesting, no duplicate or
// non-text keys, no explicit tags, no control characters in text. The
// lines that hold internal matter are found first (f.spans), so that no
// message about them quotes their text.
func (f *file) parse(b []byte) *yaml.Node {
	doc, second, err := decode(b)
	switch {
	case err != nil:
		f.syntaxError(b, err)
		return nil
	case doc == nil || len(doc.Content) == 0 || isNull(doc.Content[0]):
		f.add(1, 1, "file is empty")
		return nil
	case second != nil:
		f.add(second.Line, second.Column, `more than one YAML document in the file: keep one record per file (remove this "---" and what follows, or move it to a file of its own)`)
		return nil
	}
	root := doc.Content[0]
	if mayHoldInternal(b) {
		f.spans = internalSpans(root)
	}
	if !f.checkTree(root, 1) {
		return nil
	}
	return root
}

// decode parses the first document of b and tells whether there is a
// second one. A file with no document gives a nil doc and no error.
func decode(b []byte) (doc, second *yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			doc, second, err = nil, nil, fmt.Errorf("yaml: the YAML parser failed: %v", r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var d1, d2 yaml.Node
	if err := dec.Decode(&d1); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, nil
		}
		return nil, nil, err
	}
	switch err := dec.Decode(&d2); {
	case errors.Is(err, io.EOF):
		return &d1, nil, nil
	case err != nil:
		return nil, nil, err
	}
	return &d1, &d2, nil
}

// checkTree walks the raw tree before any value is used. Anchors, aliases
// and nesting beyond MaxDepth make the file refused (false); duplicate keys,
// keys that are not text, merge keys and control characters are reported
// and decoding goes on.
func (f *file) checkTree(n *yaml.Node, depth int) bool {
	ok := true
	if n.Anchor != "" {
		f.at(n, "anchors and aliases are not allowed: write the value out in full")
		ok = false
	}
	if depth > MaxDepth {
		f.at(n, "nesting is deeper than %d levels", MaxDepth)
		return false
	}
	if n.Style&yaml.TaggedStyle != 0 {
		// A tag can change what a value means (visibility: !!null internal
		// would read as no visibility at all): none is allowed.
		f.at(n, "YAML tag %s is not allowed in records: write the value without it (in quotes if it must stay text)", tagName(n))
	}
	switch n.Kind {
	case yaml.AliasNode:
		f.at(n, "anchors and aliases are not allowed: write the value out in full")
		return false
	case yaml.ScalarNode:
		f.checkText(n)
	case yaml.MappingNode:
		keys := indexKeys(n)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			switch {
			case k.Kind != yaml.ScalarNode:
				f.at(k, "a key must be plain text, not %s", describe(k))
			case k.Tag == "!!merge":
				f.at(k, "merge keys (<<) are not allowed: write the fields out in full")
			default:
				if first := keys.first(k.Value); first != k {
					f.at(k, "duplicate key %s (first at line %d)", diag.Value(short(k.Value)), first.Line)
				}
			}
			ok = f.checkTree(k, depth+1) && ok
			ok = f.checkTree(n.Content[i+1], depth+1) && ok
		}
		return ok
	}
	for _, c := range n.Content {
		ok = f.checkTree(c, depth+1) && ok
	}
	return ok
}

// isTextKey reports whether mapping key k is one that names a field: plain
// text, not a merge key (checkTree reports the others).
func isTextKey(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.Tag != "!!merge"
}

// keyIndex finds the first text key of a mapping by name. Records have a
// few dozen keys at most: for those a scan is cheaper than building a map;
// a larger mapping (any mapping can be written) gets a map, so that finding
// every key stays linear.
type keyIndex struct {
	n *yaml.Node
	m map[string]*yaml.Node
}

// scanPairs is the most pairs a keyIndex scans instead of indexing.
const scanPairs = 32

func indexKeys(n *yaml.Node) keyIndex {
	ki := keyIndex{n: n}
	if len(n.Content) > 2*scanPairs {
		ki.m = make(map[string]*yaml.Node, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i]; isTextKey(k) {
				if _, dup := ki.m[k.Value]; !dup {
					ki.m[k.Value] = k
				}
			}
		}
	}
	return ki
}

// first is the first text key named name, or nil.
func (ki keyIndex) first(name string) *yaml.Node {
	if ki.m != nil {
		return ki.m[name]
	}
	for i := 0; i+1 < len(ki.n.Content); i += 2 {
		if k := ki.n.Content[i]; isTextKey(k) && k.Value == name {
			return k
		}
	}
	return nil
}

// checkText reports control characters in a scalar's value (written with
// escapes such as "\0"; raw ones were refused by checkRaw). Newlines and
// tabs are allowed.
func (f *file) checkText(n *yaml.Node) {
	s := n.Value
	i := 0 // the first byte that may begin a control character
	for i < len(s) && (s[i] >= 0x20 && s[i] != 0x7F && s[i] != 0xC2 || s[i] == '\n' || s[i] == '\t') {
		i++
	}
	for _, r := range s[i:] {
		if r != '\n' && r != '\t' && (r < 0x20 || r == 0x7F || r >= 0x80 && r < 0xA0) {
			f.at(n, "text contains control character U+%04X: remove it", r)
			return
		}
	}
}

// tagName is how n's tag was most likely written: !!null rather than
// tag:yaml.org,2002:null; a local tag (!anything) is record text.
func tagName(n *yaml.Node) any {
	if t := n.ShortTag(); strings.HasPrefix(t, "!!") {
		return strconv.Quote(short(t))
	}
	return diag.Value(short(n.Tag))
}

// at reports a diagnostic at node n.
func (f *file) at(n *yaml.Node, format string, args ...any) {
	f.add(n.Line, n.Column, format, args...)
}

// pos is the position of n.
func (f *file) pos(n *yaml.Node) diag.Pos {
	return diag.Pos{File: f.path, Line: max(n.Line, 1), Col: max(n.Column, 1)}
}

// isNull reports whether n is an empty value (nothing, ~ or null).
func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// isPlain reports whether a scalar was written without quotes or block
// indicators.
func isPlain(n *yaml.Node) bool {
	return n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0
}

// describe names what n is, for "expected X, got Y" messages: a kind of
// value, or the text as a diag.Value (hidden inside internal matter).
func describe(n *yaml.Node) any {
	switch {
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Kind == yaml.AliasNode:
		return "an alias"
	case isNull(n):
		return "nothing"
	}
	return diag.Value(short(n.Value))
}

// short cuts long text for messages.
func short(s string) string {
	const limit = 60
	n := 0
	for i := range s {
		if n == limit {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// flowText renders a nested value of an `internal:` map as compact
// one-line YAML.
func flowText(n *yaml.Node) string {
	c := flowCopy(n)
	out, err := yaml.Marshal(c)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

func flowCopy(n *yaml.Node) *yaml.Node {
	c := *n
	c.HeadComment, c.LineComment, c.FootComment = "", "", ""
	if c.Kind == yaml.MappingNode || c.Kind == yaml.SequenceNode {
		c.Style = yaml.FlowStyle
	}
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, k := range n.Content {
		c.Content[i] = flowCopy(k)
	}
	return &c
}
