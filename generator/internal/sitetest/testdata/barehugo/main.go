// Command barehugo renders a bare Hugo site through package hugosite, for
// the peak-memory benchmark in bench_test.go: it is the yardstick the
// generator's build is measured against. It is not part of the generator
// and lives under testdata/ so that ./... never builds it.
//
// Usage: barehugo TEMPLATES CONTENT OUT
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/xuncha/bulletin/generator/internal/hugosite"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: barehugo TEMPLATES CONTENT OUT")
		os.Exit(2)
	}
	out, err := filepath.Abs(os.Args[3])
	if err == nil {
		err = hugosite.Build(BareSite(os.Args[1], os.Args[2], out))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// BareSite is the bare site's configuration. bench_test.go keeps a copy in
// step (bareSite); a test package cannot import a main package.
func BareSite(templates, content, out string) hugosite.Site {
	return hugosite.Site{
		Templates: templates,
		Content:   content,
		OutDir:    out,
		BaseURL:   "https://example.org/",
		Title:     "bare",
		Languages: []hugosite.Language{{Code: "zh-cn", Locale: "zh-CN", Label: "中文"}},
	}
}
