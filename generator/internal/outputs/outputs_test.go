package outputs

import "testing"

func TestNeutraliseCell(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1":                    "'=1+1",
		"+cmd|' /C calc'!A0":      "'+cmd|' /C calc'!A0",
		"-2+3":                    "'-2+3",
		"@SUM(A1)":                "'@SUM(A1)",
		"\t=1":                    "'\t=1",
		"\r=1":                    "'\r=1",
		"＝HYPERLINK(\"x\")":       "'＝HYPERLINK(\"x\")",
		"污水管网":                    "污水管网",
		"2019-05-20":              "2019-05-20",
		"":                        "",
		"a=b":                     "a=b",
		"https://example.org/a/b": "https://example.org/a/b",
		"\u3000=1":                "'\u3000=1",
		"\u00a0+1":                "'\u00a0+1",
		"\u200b\u200d\ufeff-1":    "'\u200b\u200d\ufeff-1",
		"\n=1":                    "'\n=1",
		" \r\n@A1":                "' \r\n@A1",
		"﹦1":                      "'﹦1",
		"﹢1":                      "'﹢1",
		"﹣1":                      "'﹣1",
		"﹫A1":                     "'﹫A1",
		"\u3000污水":                "\u3000污水",
	} {
		if got := NeutraliseCell(in); got != want {
			t.Errorf("NeutraliseCell(%q) = %q, want %q", in, got, want)
		}
	}
}
