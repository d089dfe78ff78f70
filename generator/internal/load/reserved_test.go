package load_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/load"
)

// TestReservedIDsAreDocumented keeps the table of reserved ids in
// generator/docs/DATA-FORMAT.md and load.Reserved in step.
func TestReservedIDsAreDocumented(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "DATA-FORMAT.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	start := strings.Index(doc, "## Reserved ids")
	if start < 0 {
		t.Fatal("DATA-FORMAT.md has no Reserved ids section")
	}
	section := doc[start:]
	if end := strings.Index(section[3:], "\n## "); end >= 0 {
		section = section[:end+3]
	}
	row := regexp.MustCompile("(?m)^\\| ([a-z ]+) \\| `[^`]*` \\| (.*) \\|$")
	id := regexp.MustCompile("`([^`]+)`")
	documented := map[load.Level][]string{}
	for _, m := range row.FindAllStringSubmatch(section, -1) {
		for _, i := range id.FindAllStringSubmatch(m[2], -1) {
			documented[load.Level(m[1])] = append(documented[load.Level(m[1])], i[1])
		}
	}
	for level, ids := range load.Reserved {
		got := slices.Sorted(slices.Values(documented[level]))
		want := slices.Sorted(slices.Values(ids))
		if !slices.Equal(got, want) {
			t.Errorf("level %s: documented %v, load.Reserved has %v", level, got, want)
		}
	}
	for level := range documented {
		if _, ok := load.Reserved[level]; !ok {
			t.Errorf("documented level %q is not in load.Reserved", level)
		}
	}
}
