package ledger

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// roundDoc is a round file parsed for editing: the node tree gives
// positions, the editor splices text at them.
type roundDoc struct {
	ed       *editor
	root     *yaml.Node // the document's mapping
	problems *yaml.Node // the problems sequence; nil when the key is absent
	byID     map[string]*yaml.Node
	parent   map[*yaml.Node]*yaml.Node
	dirty    []*yaml.Node // flow collections changed in the tree, written at the end
	origin   map[*yaml.Node]string
}

func parseRoundDoc(src []byte) (*roundDoc, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("the round file is not a mapping")
	}
	d := &roundDoc{ed: newEditor(src), root: doc.Content[0], byID: map[string]*yaml.Node{}, parent: map[*yaml.Node]*yaml.Node{}, origin: map[*yaml.Node]string{}}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		for _, c := range n.Content {
			d.parent[c] = n
			walk(c)
		}
	}
	walk(d.root)
	if _, v := get(d.root, "problems"); v != nil && v.Kind == yaml.SequenceNode {
		d.problems = v
		for _, p := range v.Content {
			if _, id := get(p, "id"); id != nil {
				d.byID[id.Value] = p
			}
		}
	}
	return d, nil
}

// get returns the key and value nodes of key in mapping m.
func get(m *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// flowRoot is the outermost flow collection n is inside, or nil when n is
// written in block style all the way up.
func (d *roundDoc) flowRoot(n *yaml.Node) *yaml.Node {
	var root *yaml.Node
	for x := n; x != nil; x = d.parent[x] {
		if x.Kind != yaml.ScalarNode && x.Style&yaml.FlowStyle != 0 {
			root = x
		}
	}
	return root
}

func (d *roundDoc) markDirty(n *yaml.Node, origin string) {
	for _, x := range d.dirty {
		if x == n {
			return
		}
	}
	d.dirty = append(d.dirty, n)
	d.origin[n] = origin
}

// kv is one key and its value as YAML text to write (a scalar, or a block
// of lines for nested lists), with the ledger cell it comes from.
type kv struct {
	key    string
	value  string // scalar text; for a list, "" and items set
	plain  bool   // value is raw YAML (a date, a status), else a string to quote as needed
	items  [][]kv
	origin string
}

// scalarNode is the tree form of a kv's scalar.
func (k kv) node() *yaml.Node {
	if k.items != nil {
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, it := range k.items {
			seq.Content = append(seq.Content, mapNode(it))
		}
		return seq
	}
	if k.plain {
		return &yaml.Node{Kind: yaml.ScalarNode, Value: k.value}
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k.value}
}

func mapNode(kvs []kv) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	for _, k := range kvs {
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: k.key}, k.node())
	}
	return m
}

// lines renders kvs as a block mapping whose keys are indented by indent
// spaces; the first line starts with first instead of the indent (for "- ").
// Each key is its own edit, so errors map back to its cell.
func (d *roundDoc) insertMapping(after int, kvs []kv, indent int, first string) {
	pad := strings.Repeat(" ", indent)
	for i, k := range kvs {
		lead := pad
		if i == 0 && first != "" {
			lead = first
		}
		if k.items != nil {
			d.ed.insertAfter(after, lead+k.key+":\n", k.origin)
			for _, it := range k.items {
				d.insertMapping(after, it, indent+4, pad+"  - ")
			}
			continue
		}
		v := k.value
		if !k.plain {
			v = scalarText(k.value, 0, indent)
		}
		d.ed.insertAfter(after, lead+k.key+": "+v+"\n", k.origin)
	}
}

// set writes key: value in mapping m, replacing the value in place or
// adding the key at the end of the mapping.
func (d *roundDoc) set(m *yaml.Node, k kv) error {
	key, val := get(m, k.key)
	if root := d.flowRoot(m); root != nil {
		if val != nil {
			*val = *k.node()
		} else {
			m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: k.key}, k.node())
		}
		d.markDirty(root, k.origin)
		return nil
	}
	if val == nil {
		d.insertMapping(d.ed.mappingEnd(m), []kv{k}, m.Content[0].Column-1, "")
		return nil
	}
	if val.Kind != yaml.ScalarNode {
		return fmt.Errorf("%s is not a single value in the YAML file (line %d)", k.key, val.Line)
	}
	start, end, err := d.ed.valueExtent(key, val)
	if err != nil {
		return fmt.Errorf("line %d: %v", val.Line, err)
	}
	text := k.value
	if !k.plain {
		text = scalarText(k.value, val.Style, key.Column-1)
	}
	// A comment after a one-line value stays on the key's line when the
	// new value is a block: after its indicator, not inside its text.
	if first, rest, ok := strings.Cut(text, "\n"); ok {
		eol := end
		for eol < len(d.ed.src) && d.ed.src[eol] != '\n' && d.ed.src[eol] != '\r' {
			eol++
		}
		if tail := string(d.ed.src[end:eol]); strings.TrimSpace(tail) != "" {
			text, end = first+tail+"\n"+rest, eol
		}
	}
	d.ed.replace(start, end, text, k.origin)
	return nil
}

// unset removes key (and its value) from mapping m; nothing when absent.
// In block style the key's lines go; when the key opens a list item
// ("- owner: …") the item's next key takes its place after the dash.
func (d *roundDoc) unset(m *yaml.Node, key, origin string) error {
	at := -1
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			at = i
		}
	}
	if at < 0 {
		return nil
	}
	if root := d.flowRoot(m); root != nil {
		m.Content = append(m.Content[:at:at], m.Content[at+2:]...)
		d.markDirty(root, origin)
		return nil
	}
	k, v := m.Content[at], m.Content[at+1]
	var end int
	if v.Kind == yaml.ScalarNode {
		_, e, err := d.ed.valueExtent(k, v)
		if err != nil {
			return fmt.Errorf("line %d: %v", v.Line, err)
		}
		end = e
	} else {
		end = d.ed.lineEnd(d.ed.blockEnd(k.Line, k.Column-1))
	}
	start := d.ed.offset(k.Line, k.Column)
	lineStart := d.ed.lines[k.Line-1]
	if strings.TrimSpace(string(d.ed.src[lineStart:start])) == "" {
		// The key starts its line: its lines go, up to the next one.
		next := d.ed.lineEnd(d.ed.lineOf(end))
		for next < len(d.ed.src) && d.ed.src[next] != '\n' {
			next++
		}
		if next < len(d.ed.src) {
			next++
		}
		d.ed.replace(lineStart, next, "", origin)
		return nil
	}
	// The key follows the dash of a list item: the next key moves up.
	if at+2 >= len(m.Content) {
		return fmt.Errorf("line %d: %s is all the item has", k.Line, key)
	}
	nk := m.Content[at+2]
	d.ed.replace(start, d.ed.offset(nk.Line, nk.Column), "", origin)
	return nil
}

// appendItem adds a mapping to the list under key in mapping m, creating
// the key when absent.
func (d *roundDoc) appendItem(m *yaml.Node, key string, item []kv, origin string) error {
	_, seq := get(m, key)
	if seq != nil && seq.Kind != yaml.SequenceNode {
		return fmt.Errorf("%s (line %d) is not a list in the YAML file", key, seq.Line)
	}
	if seq == nil {
		if root := d.flowRoot(m); root != nil {
			m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{mapNode(item)}})
			d.markDirty(root, origin)
			return nil
		}
		d.insertMapping(d.ed.mappingEnd(m), []kv{{key: key, items: [][]kv{item}, origin: origin}}, m.Content[0].Column-1, "")
		return nil
	}
	if root := d.flowRoot(seq); root != nil || len(seq.Content) == 0 {
		seq.Content = append(seq.Content, mapNode(item))
		if root == nil {
			root = seq
			seq.Style |= yaml.FlowStyle
		}
		d.markDirty(root, origin)
		return nil
	}
	dash := seq.Column - 1
	last := seq.Content[len(seq.Content)-1]
	indent := dash + 2
	if last.Kind == yaml.MappingNode && len(last.Content) > 0 {
		indent = last.Content[0].Column - 1
	}
	first := strings.Repeat(" ", dash) + "-" + strings.Repeat(" ", max(1, indent-dash-1))
	d.insertMapping(d.ed.itemEnd(seq, len(seq.Content)-1), item, indent, first)
	return nil
}

// flush writes the flow collections changed in the tree.
func (d *roundDoc) flush() error {
	for _, n := range d.dirty {
		start := d.ed.offset(n.Line, n.Column)
		end, ok := flowEnd(d.ed.src, start)
		if !ok {
			return fmt.Errorf("line %d: unterminated flow collection", n.Line)
		}
		c := *n // its comments are outside the brackets, left where they are
		c.Style |= yaml.FlowStyle
		c.HeadComment, c.LineComment, c.FootComment = "", "", ""
		b, err := yaml.Marshal(&c)
		if err != nil {
			return err
		}
		d.ed.replace(start, end, strings.TrimSuffix(string(b), "\n"), d.origin[n])
	}
	return nil
}

var numberedRE = regexp.MustCompile(`^\s*(\d+)\s*[.、．)）]\s*`)

// cellLines splits a multi-line cell into its lines, numbers "1. " taken
// off when they count 1, 2, 3 …
func cellLines(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	raw := strings.Split(strings.ReplaceAll(s, "\r", ""), "\n")
	var lines []string
	for _, l := range raw {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, strings.TrimSpace(l))
		}
	}
	numbered := len(lines) > 0
	for i, l := range lines {
		m := numberedRE.FindStringSubmatch(l)
		if m == nil || m[1] != strconv.Itoa(i+1) {
			numbered = false
		}
	}
	if numbered && len(lines) > 1 || numbered && len(lines) == 1 && strings.Contains(s, "\n") {
		for i, l := range lines {
			lines[i] = strings.TrimSpace(numberedRE.ReplaceAllString(l, ""))
		}
	}
	return lines
}

// perMeasureLines splits a 责任单位 or 整改时限 cell for n measures: one
// line gives every measure the same value; numbered lines go to their
// measure ("2. 区水务局"), an empty line leaves its measure as it was.
func perMeasureLines(s string, n int) ([]string, bool) {
	out := make([]string, n)
	raw := strings.Split(strings.ReplaceAll(strings.TrimSpace(s), "\r", ""), "\n")
	if len(raw) == 1 {
		if m := numberedRE.FindStringSubmatch(raw[0]); m != nil && n > 1 {
			i, _ := strconv.Atoi(m[1])
			if i < 1 || i > n {
				return nil, false
			}
			out[i-1] = strings.TrimSpace(raw[0][len(m[0]):])
			return out, true
		}
		for i := range out {
			out[i] = strings.TrimSpace(raw[0])
		}
		return out, true
	}
	next := 0
	for _, l := range raw {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		i := next
		if m := numberedRE.FindStringSubmatch(l); m != nil {
			i, _ = strconv.Atoi(m[1])
			i--
			l = strings.TrimSpace(l[len(m[0]):])
		}
		if i < 0 || i >= n {
			return nil, false
		}
		out[i] = l
		next = i + 1
	}
	return out, true
}
