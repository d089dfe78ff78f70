package history

import "testing"

// BenchmarkHistoryDistricts: 100 commits of 20 districts (60 rounds of 100
// problems, 6,000 problems), each commit changing one round. Checked by
// folder, a commit costs what its district does, not all 20. ns/op is a
// whole scan; commit-ms is per commit.
func BenchmarkHistoryDistricts(b *testing.B) {
	dir := synthRepoIn(b, 100, 20, 60, 100)
	for b.Loop() {
		h, err := Scan(dir, "data")
		if err != nil {
			b.Fatal(err)
		}
		if len(h.Points) != 100 {
			b.Fatalf("%d points, want 100", len(h.Points))
		}
	}
}
