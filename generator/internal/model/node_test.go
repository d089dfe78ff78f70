package model

import (
	"slices"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/diag"
)

func TestNodeKeys(t *testing.T) {
	const file = "data/d/rounds/r1.yaml"
	// Two records whose key positions share one block and one names
	// table, as the loader makes them.
	names := []string{"id", "title", "report_months"}
	block := []Key{{0, 2, 5}, {1, 3, 8}, {0, 7, 9}, {2, 8, 20}}
	a := Node{Pos: diag.Pos{File: file, Line: 2, Col: 1}, Names: names[:3:3], Keys: block[0:2:2]}
	b := Node{Pos: diag.Pos{File: file, Line: 7, Col: 3}, Names: names[:3:3], Keys: block[2:4:4]}

	tests := []struct {
		name string
		n    *Node
		key  string
		want diag.Pos
		has  bool
	}{
		{"written key", &a, "title", diag.Pos{File: file, Line: 3, Col: 8}, true},
		{"absent key: the record", &a, "report_months", a.Pos, false},
		{"same key, other record", &b, "id", diag.Pos{File: file, Line: 7, Col: 9}, true},
	}
	for _, tt := range tests {
		if got := tt.n.At(tt.key); got != tt.want {
			t.Errorf("%s: At(%q) = %v, want %v", tt.name, tt.key, got, tt.want)
		}
		if got := tt.n.Has(tt.key); got != tt.has {
			t.Errorf("%s: Has(%q) = %v, want %v", tt.name, tt.key, got, tt.has)
		}
	}

	// Changing one record's keys leaves its neighbour in the block alone.
	a.SetKey("note", 4, 7)
	a.SetKey("title", 5, 8)
	b.DeleteKey("id")
	if got := a.At("note"); got != (diag.Pos{File: file, Line: 4, Col: 7}) {
		t.Errorf("after SetKey: At(note) = %v", got)
	}
	if got := a.At("title"); got != (diag.Pos{File: file, Line: 5, Col: 8}) {
		t.Errorf("after SetKey again: At(title) = %v", got)
	}
	if b.Has("id") || b.At("id") != b.Pos || b.At("report_months").Line != 8 {
		t.Errorf("after DeleteKey: b = %+v", b)
	}
	if want := []Key{{0, 2, 5}, {1, 3, 8}, {0, 7, 9}, {2, 8, 20}}; !slices.Equal(block, want) {
		t.Errorf("the shared block changed: %v", block)
	}
	if want := []string{"id", "title", "report_months"}; !slices.Equal(names, want) || !b.Has("report_months") || b.Has("note") {
		t.Errorf("the shared names changed: %v", names)
	}

	// A node without names (made by hand) takes keys too.
	var c Node
	c.SetKey("as_of", 4, 8)
	if got := c.At("as_of"); got.Line != 4 || got.Col != 8 || !c.Has("as_of") || c.Has("id") {
		t.Errorf("hand-made node: At(as_of) = %v, Has(id) = %v", got, c.Has("id"))
	}
}
