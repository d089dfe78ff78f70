package pipeline

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/edition"
)

// TestBuildTakesRecordsFromTheShardCache: a build with --shard-cache keeps
// what loading each round and common problem file gave in DIR/records and
// the next takes the files that did not change from there, parsing none;
// in both editions the site is byte for byte the one built without the
// cache (the public one carries none of the sample's internal matter);
// after an edit only the edited file is parsed, and --shard-cache-prune
// removes its old entry.
func TestBuildTakesRecordsFromTheShardCache(t *testing.T) {
	for _, ed := range []edition.Edition{edition.PublicEdition, edition.InternalEdition} {
		t.Run(string(ed), func(t *testing.T) {
			dir := t.TempDir()
			data, cache := filepath.Join(dir, "data"), filepath.Join(dir, "cache")
			if err := copyTree(sampleData, data); err != nil {
				t.Fatal(err)
			}
			build := func(out, cache string, prune bool) string {
				t.Helper()
				var log bytes.Buffer
				cfg := Config{Data: data, Content: "../../../content", Templates: "../../../templates", Edition: ed,
					Out: filepath.Join(dir, out), ShardCache: cache, ShardCachePrune: prune, Generator: "g", Log: &log}
				if errs, err := Build(cfg); err != nil || len(errs) > 0 {
					t.Fatalf("build: %v %v", err, errs)
				}
				return log.String()
			}
			records := func(log string) (taken, parsed int) {
				t.Helper()
				i := strings.Index(log, "record files taken")
				j := strings.LastIndex(log[:max(i, 0)], "build: ")
				if i < 0 || j < 0 {
					t.Fatalf("no report of the record cache: %q", log)
				}
				if _, err := fmt.Sscanf(log[j:], "build: %d record files taken from "+filepath.Join(cache, "records")+", %d parsed", &taken, &parsed); err != nil {
					t.Fatalf("%v: %q", err, log)
				}
				return taken, parsed
			}
			same := func(what, out string, want map[string]string) {
				t.Helper()
				got := treeFiles(t, filepath.Join(dir, out))
				if len(got) != len(want) {
					t.Errorf("%s: %d files, want %d", what, len(got), len(want))
				}
				for name, b := range want {
					if got[name] != b {
						t.Errorf("%s: %s differs from the build without the cache", what, name)
					}
				}
				if ed.Public() {
					for name, b := range got {
						if strings.Contains(b, "赵某") || strings.Contains(b, "第三审查调查室") {
							t.Errorf("%s: %s carries internal matter", what, name)
						}
					}
				}
			}
			build("plain", "", false)
			want := treeFiles(t, filepath.Join(dir, "plain"))
			if taken, parsed := records(build("first", cache, false)); taken != 0 || parsed == 0 {
				t.Fatalf("first build: %d record files taken, %d parsed", taken, parsed)
			}
			same("first build", "first", want)
			files, _ := os.ReadDir(filepath.Join(cache, "records"))
			taken, parsed := records(build("second", cache, false))
			if parsed != 0 || taken != len(files) {
				t.Fatalf("second build: %d record files taken, %d parsed; the cache has %d", taken, parsed, len(files))
			}
			same("second build", "second", want)

			edit(t, filepath.Join(data, "shili", "rounds", "2024-r2.yaml"))
			build("plain2", "", false)
			want = treeFiles(t, filepath.Join(dir, "plain2"))
			if taken, parsed := records(build("third", cache, true)); parsed != 1 || taken != len(files)-1 {
				t.Fatalf("after an edit: %d record files taken, %d parsed", taken, parsed)
			}
			same("after an edit", "third", want)
			if after, _ := os.ReadDir(filepath.Join(cache, "records")); len(after) != len(files) {
				t.Errorf("after an edit and a prune the cache holds %d records, want %d", len(after), len(files))
			}
		})
	}
}
