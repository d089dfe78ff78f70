package load_test

import (
	"fmt"
	"testing"
)

func TestTmpShow(t *testing.T) {
	for _, s := range []string{
		round + "revisits: [a, b\nnote: x\n",
		round + "---\nnote: [\n",
		round + "targets:\n  - id: a\n    name: 甲\n   type: town\n",
		round + "note: \"abc\" def\n",
		round + "note: 'it''s\n",
		round + "problems:\n  - id: p1\n    title: x\n    description: |\n      text\n    status: pending\n  status: x\n",
		round + "note: a\n  b: c\n",
		round + "targets:\n- id: a\n  name: b\n - id: c\n",
		round + "note: {a: 1, b}\n",
		round + "note: [a, b]]\n",
		round + "note: `x`\n",
		round + "note: |\n text\n  more\n bad: x\n",
		round + "title2 x\n",
		round + "a: b\n\"c\" d: e\n",
		"-- data/d/rounds/r.yaml --\n" + "a: &x\n",
		"-- data/d/rounds/r.yaml --\n" + "!!binary aGVsbG8=\n",
		"-- data/d/rounds/r.yaml --\n" + "%YAML 1.1\n---\nid: r\ntitle: T\n",
		"-- data/d/rounds/r.yaml --\n" + "%FOO\n---\nid: r\ntitle: T\n",
		"-- data/d/rounds/r.yaml --\n" + "id: r\ntitle: !custom T\n",
	} {
		_, got := loadText(t, s, nil)
		fmt.Printf("----\n%s\n=> %v\n", s[len("-- data/d/rounds/r.yaml --\n"):], got)
	}
}
