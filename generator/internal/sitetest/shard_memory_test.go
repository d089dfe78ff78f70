package sitetest

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestBuildLeavesNoHugoSiteAlive: a build, one site or in shards, stops
// every Hugo site it made. A site left open keeps its memory cache's
// goroutine, which holds all of that site's pages: a sharded build would
// then hold every shard it rendered, and its peak would grow with the data
// instead of staying one shard's.
func TestBuildLeavesNoHugoSiteAlive(t *testing.T) {
	r := root(t)
	args := []string{"build", "--content", filepath.Join(r, "content"), "--templates", filepath.Join(r, "templates")}
	for _, cap := range []string{"0", "1"} {
		before := hugoCacheGoroutines()
		out := filepath.Join(t.TempDir(), "public")
		if res := run(t, r, append(args, "--shard-problems", cap, "--out", out)...); res.code != 0 {
			t.Fatalf("--shard-problems %s: exit %d\n%s", cap, res.code, res.stderr)
		}
		after := hugoCacheGoroutines()
		// The cache's goroutine ends soon after the site is closed.
		for deadline := time.Now().Add(5 * time.Second); after > before && time.Now().Before(deadline); {
			time.Sleep(20 * time.Millisecond)
			after = hugoCacheGoroutines()
		}
		if after > before {
			t.Errorf("--shard-problems %s: %d Hugo sites are still open after the build (their pages cannot be freed)", cap, after-before)
		}
	}
}

// hugoCacheGoroutines is how many Hugo memory caches are running: one per
// Hugo site not closed.
func hugoCacheGoroutines() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	count := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "hugo/cache/dynacache.(*Cache).start") {
			count++
		}
	}
	return count
}
