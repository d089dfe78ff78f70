// Command barehugo renders a bare Hugo site through package hugosite, for
// the peak-memory benchmark in bench_test.go: it is the yardstick the
// generator's build is measured against. It is not part of the generator
// and lives under testdata/ so that ./... never builds it.
//
// Usage: barehugo SITE.json OUT
//
// SITE.json is a hugosite.Site as JSON (bench_test.go writes it).
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/xuncha/bulletin/generator/internal/hugosite"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: barehugo SITE.json OUT")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(siteFile, out string) error {
	b, err := os.ReadFile(siteFile)
	if err != nil {
		return err
	}
	var site hugosite.Site
	if err := json.Unmarshal(b, &site); err != nil {
		return err
	}
	if site.OutDir, err = filepath.Abs(out); err != nil {
		return err
	}
	return hugosite.Build(site)
}
