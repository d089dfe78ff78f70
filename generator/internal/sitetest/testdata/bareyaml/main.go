// Command bareyaml reads every .yaml file under a folder and decodes it
// into a yaml.Node, one file after another, nothing else: the yardstick the
// generator's check is measured against as a process (bench_test.go's
// bareYAML in a program of its own, with the Go runtime's defaults). It
// is not part of the generator and lives under testdata/ so that ./...
// never builds it.
//
// Usage: bareyaml DIR
package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: bareyaml DIR")
		os.Exit(2)
	}
	files := 0
	err := filepath.WalkDir(os.Args[1], func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var n yaml.Node
		files++
		return yaml.Unmarshal(data, &n)
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(files, "files")
}
