package pipeline

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// TestShardCacheKnowsTheGenerator: a cache entry is reused by the program
// that made it and by no other version of it (which may render the same
// inputs otherwise), and the default identity is the running program's.
func TestShardCacheKnowsTheGenerator(t *testing.T) {
	dir := t.TempDir()
	cache := filepath.Join(dir, "cache")
	build := func(out, generator string) string {
		t.Helper()
		var log bytes.Buffer
		cfg := Config{Data: sampleData, Content: "../../../content", Templates: "../../../templates",
			Out: filepath.Join(dir, out), ShardCache: cache, Generator: generator, Log: &log}
		if errs, err := Build(cfg); err != nil || len(errs) > 0 {
			t.Fatalf("build: %v %v", err, errs)
		}
		return log.String()
	}
	if log := build("a1", "version-a"); !strings.Contains(log, "build: 0 of ") {
		t.Fatalf("first build: %q", log)
	}
	if log := build("a2", "version-a"); !strings.Contains(log, "shards reused") || strings.Contains(log, "build: 0 of ") {
		t.Errorf("the same program reused nothing: %q", log)
	}
	if log := build("b1", "version-b"); !strings.Contains(log, "build: 0 of ") {
		t.Errorf("another version of the program reused the first one's shards: %q", log)
	}
	id, err := executableHash()
	if again, err2 := executableHash(); err != nil || err2 != nil || len(id) != 64 || again != id {
		t.Errorf("executableHash: %q %v, then %q %v", id, err, again, err2)
	}
}
