package load

import (
	"bytes"
	"cmp"
	"strings"

	"github.com/xuncha/bulletin/generator/internal/diag"
	yaml "go.yaml.in/yaml/v3"
)

// safeguards are the fields that keep matter out of the public edition. A
// safeguard that is written is never read as absent: an empty value is an
// error, and for error messages the record it stands in is internal
// whatever its value says.
var safeguards = []string{"visibility", "withheld"}

// internalSpans returns the lines of a record file's tree that hold
// internal matter, read from the tree itself so that it holds even when the
// values do not decode: every `internal:` field; every mapping with a
// `withheld` field, or a `visibility` field other than a plain "public";
// every problem whose target is such a mapping in the same file. Error
// messages in these lines name fields and positions, never values.
func internalSpans(root *yaml.Node) []diag.Span {
	var out []diag.Span
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode {
			keys := scopeKeysOf(n)
			if keys.secret() {
				out = append(out, span(n))
				return
			}
			for i := 0; keys.internal && i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == "internal" {
					out = append(out, diag.Span{From: n.Content[i].Line, To: lastLine(n.Content[i+1])})
				}
			}
			if secret := secretTargets(seqItems(keys.targets)); len(secret) > 0 {
				for _, p := range seqItems(keys.problems) {
					if t := valueOf(p, "target"); t != nil && secret[t.Value] {
						out = append(out, span(p))
					}
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(root)
	return out
}

// mayHoldInternal reports whether the bytes of a record file may hold
// internal matter: the keys internalSpans looks for, or a backslash (a
// double-quoted key may spell them with escapes, "visib\u0069lity").
// A file without any of them has no internal spans, and its tree need
// not be walked for them (most files: a search of the bytes is much
// quicker than the walk).
func mayHoldInternal(b []byte) bool {
	for _, w := range internalWords {
		if bytes.Contains(b, w) {
			return true
		}
	}
	return false
}

// internalWords are what mayHoldInternal looks for: the keys that make
// matter internal (scopeKeysOf), and the backslash of escapes.
var internalWords = [][]byte{[]byte("internal"), []byte("withheld"), []byte("visibility"), []byte(`\`)}

// scopeKeys are the values of the keys of a mapping that decide what is
// internal matter (the first of each name; nil when absent), found in one
// look at its keys.
type scopeKeys struct {
	withheld, visibility, targets, problems *yaml.Node
	internal                                bool // an internal: key
}

func scopeKeysOf(n *yaml.Node) scopeKeys {
	var k scopeKeys
	if n.Kind != yaml.MappingNode {
		return k
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		v := n.Content[i+1]
		switch n.Content[i].Value {
		case "withheld":
			k.withheld = cmp.Or(k.withheld, v)
		case "visibility":
			k.visibility = cmp.Or(k.visibility, v)
		case "targets":
			k.targets = cmp.Or(k.targets, v)
		case "problems":
			k.problems = cmp.Or(k.problems, v)
		case "internal":
			k.internal = true
		}
	}
	return k
}

// secret reports whether the mapping says it is internal, or might: a
// withheld field of any value, or a visibility that is not a plain public.
func (k scopeKeys) secret() bool {
	v := k.visibility
	return k.withheld != nil || v != nil && (v.Kind != yaml.ScalarNode || v.Style&yaml.TaggedStyle != 0 || strings.TrimSpace(v.Value) != "public")
}

// secretRecord reports whether mapping n says it is internal, or might.
func secretRecord(n *yaml.Node) bool { return scopeKeysOf(n).secret() }

// seqItems returns the items of list n, or nil when n is not a list.
func seqItems(n *yaml.Node) []*yaml.Node {
	if n != nil && n.Kind == yaml.SequenceNode {
		return n.Content
	}
	return nil
}

// secretTargets returns the ids of the internal ones among a round's
// targets.
func secretTargets(targets []*yaml.Node) map[string]bool {
	var out map[string]bool // made for the first one: most mappings have none
	for _, t := range targets {
		if id := valueOf(t, "id"); id != nil && secretRecord(t) {
			if out == nil {
				out = map[string]bool{}
			}
			out[id.Value] = true
		}
	}
	return out
}

// valueOf returns the value of key in mapping n, or nil.
func valueOf(n *yaml.Node, key string) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func span(n *yaml.Node) diag.Span { return diag.Span{From: n.Line, To: lastLine(n)} }

// lastLine is the last line n's text reaches.
func lastLine(n *yaml.Node) int {
	last := n.Line + strings.Count(n.Value, "\n")
	for _, c := range n.Content {
		last = max(last, lastLine(c))
	}
	return last
}
