//go:build unix

package sitetest

import "syscall"

// cpuSeconds is the CPU time this process has used so far, user and
// system, all threads (the garbage collector's included).
func cpuSeconds() (float64, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9, true
}
