package pageurl

import "testing"

func TestScheme(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{District("d"), "d/"},
		{Round("d", "r"), "d/r/"},
		{Problem("d", "r", "p"), "d/r/p/"},
		{Commons("d"), "d/common/"},
		{Common("d", "c"), "d/common/c/"},
		{Units("d"), "d/units/"},
		{Unit("d", "u"), "d/units/u/"},
		{Section(""), "_index.md"},
		{Section(Round("d", "r")), "d/r/_index.md"},
		{Leaf(Problem("d", "r", "p")), "d/r/p.md"},
		{Leaf(History), "history.md"},
		{Leaf(Search), "search.md"},
		{Section(Notices), "notices/_index.md"},
		{Notice("2024-12-31"), "notices/2024-12-31/"},
		{NoticeCompare("2024-12-31"), "notices/2024-12-31/compare/"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
