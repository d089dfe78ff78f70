// Command maxrss runs a command and prints, as the last line of stderr,
// "maxrss-kB N cpu-ms M": its peak resident memory in kilobytes
// (ru_maxrss) and the CPU time it used (user + system, milliseconds), for
// the peak-memory benchmarks in bench_test.go.
//
// Why a wrapper: on Linux a process started by exec inherits, as its
// starting ru_maxrss, the peak RSS of the process it was forked from (the
// kernel folds the old memory map's high-water mark into the new one at
// exec). Started from the benchmark process, which holds whole sites in
// memory, every child would report at least the benchmark's own peak. This
// wrapper is a few megabytes, so that is all it adds.
//
// Usage: maxrss COMMAND [ARG...]
package main

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: maxrss COMMAND [ARG...]")
		os.Exit(2)
	}
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	if cmd.ProcessState == nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		fmt.Fprintln(os.Stderr, "maxrss: no rusage on this system")
		os.Exit(1)
	}
	cpu := ru.Utime.Nano() + ru.Stime.Nano()
	fmt.Fprintf(os.Stderr, "maxrss-kB %d cpu-ms %d\n", ru.Maxrss, cpu/1e6)
	os.Exit(cmd.ProcessState.ExitCode())
}
