// Command generator builds the bulletin of rectification after inspection
// (巡察整改公开) from the records in data/. See README.md.
package main

import (
	"os"

	"github.com/xuncha/bulletin/generator/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.Env{Stdout: os.Stdout, Stderr: os.Stderr}))
}
