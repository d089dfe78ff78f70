package cli

import (
	"bytes"
	"encoding/csv"
	"os"
	"strings"
	"testing"
)

const ledgerSite = "title: t\nas_of: 2024-12-31\n"
const ledgerRound = `# 第一轮
id: r1
title: 第一轮巡察
feedback: 2024-09-27
targets:
  - id: t1
    name: 区教育局党组
problems:
  - id: p001
    target: t1
    title: 问题一
    status: pending   # 未整改
`

// TestLedgerCommands: export, a clerk's edit, a dry run that writes
// nothing, a bad edit that exits 1 and writes nothing, the import.
func TestLedgerCommands(t *testing.T) {
	t.Chdir(t.TempDir())
	write(t, map[string]string{
		"data/site.yaml":         ledgerSite,
		"data/qu/district.yaml":  "id: qu\nname: 某区\n",
		"data/qu/rounds/r1.yaml": ledgerRound,
	})
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Main(args, Env{Stdout: &out, Stderr: &errb})
		return code, out.String(), errb.String()
	}
	if code, _, stderr := run("ledger", "export"); code != 2 || !strings.Contains(stderr, "--round") {
		t.Errorf("export without --round: %d %s", code, stderr)
	}
	code, stdout, stderr := run("ledger", "export", "--round", "qu/r1", "--out", "l.csv")
	if code != 0 || stdout != "wrote the internal ledger of qu/r1 (1 problems) to l.csv\n" {
		t.Fatalf("export: %d %q %s", code, stdout, stderr)
	}
	edit := func(status, done string) {
		b, _ := os.ReadFile("l.csv")
		rows, _ := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
		rows[2][8], rows[2][9] = status, done
		var out bytes.Buffer
		csv.NewWriter(&out).WriteAll(rows)
		os.WriteFile("l.csv", out.Bytes(), 0o644)
	}
	edit("已完了", "")
	code, _, stderr = run("ledger", "import", "l.csv")
	if want := `l.csv:l!I3: 状态 "已完了" 不是有效状态（可选：未整改、整改中、基本完成、长期坚持、已完成整改、已销号）` + "\n1 error; nothing written\n"; code != 1 || stderr != want {
		t.Errorf("bad status: %d\n%s\nwant\n%s", code, stderr, want)
	}
	edit("整改中", "")
	code, stdout, _ = run("ledger", "import", "l.csv", "--date", "2024-10-16", "--dry-run")
	if code != 0 || !strings.HasPrefix(stdout, "p001: 状态 未整改 → 整改中（2024-10-16）\n\n<!-- bulletin-data-diff -->") || !strings.Contains(stdout, "(dry run: nothing written)") {
		t.Errorf("dry run: %d\n%s", code, stdout)
	}
	if b, _ := os.ReadFile("data/qu/rounds/r1.yaml"); string(b) != ledgerRound {
		t.Error("a dry run wrote the round file")
	}
	code, stdout, stderr = run("ledger", "import", "--date", "2024-10-16", "l.csv")
	if code != 0 || !strings.Contains(stdout, "changed data/qu/rounds/r1.yaml: 1 problems changed, 0 added") {
		t.Fatalf("import: %d\n%s\n%s", code, stdout, stderr)
	}
	want := strings.Replace(ledgerRound, "status: pending   # 未整改", "status: in_progress   # 未整改", 1) +
		"    history:\n      - date: 2024-10-16\n        status: in_progress\n"
	if b, _ := os.ReadFile("data/qu/rounds/r1.yaml"); string(b) != want {
		t.Errorf("round file:\n%s\nwant:\n%s", b, want)
	}
	code, stdout, _ = run("ledger", "import", "l.csv")
	if code != 0 || !strings.Contains(stdout, "nothing to change") {
		t.Errorf("second import: %d %s", code, stdout)
	}
}
