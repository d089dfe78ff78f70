package editform

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestForms: each form appends what it says to the problem, and a value
// check refuses comes back beside its field.
func TestForms(t *testing.T) {
	tests := []struct {
		name   string
		form   url.Values
		append string // the text the file must end with
		field  string // else: the field whose error must show
		msg    string
	}{{
		name:   "measure",
		form:   url.Values{"action": {"measure"}, "text": {"建立台账"}, "owner": {"区教育局"}, "due": {"2024-12-31"}},
		append: "      - text: 措施一\n      - text: 建立台账\n        owner: 区教育局\n        due: 2024-12-31\n",
	}, {
		name:   "measure done",
		form:   url.Values{"action": {"done"}, "measure": {"0"}, "date": {"2024-11-01"}},
		append: "      - text: 措施一\n        done: 2024-11-01\n",
	}, {
		name:   "review",
		form:   url.Values{"action": {"review"}, "date": {"2024-11-05"}, "result": {"returned"}, "opinion": {"措施不具体"}},
		append: "    reviews:\n      - date: 2024-11-05\n        result: returned\n        opinion: 措施不具体\n",
	}, {
		name:   "extension",
		form:   url.Values{"action": {"extension"}, "approved": {"2024-12-01"}, "due": {"2025-03-31"}, "reason": {"需村民代表大会表决"}},
		append: "    extensions:\n      - approved: 2024-12-01\n        due: 2025-03-31\n        reason: 需村民代表大会表决\n",
	}, {
		name:  "extension before the due date it replaces",
		form:  url.Values{"action": {"extension"}, "approved": {"2024-10-01"}, "due": {"2024-11-01"}},
		field: "extension-due", msg: "整改时限有误（未保存）：",
	}, {
		name:  "a measure done in the future",
		form:  url.Values{"action": {"done"}, "measure": {"0"}, "date": {"2025-06-01"}},
		field: "done-date", msg: "日期有误（未保存）：",
	}, {
		name:  "a review with no date",
		form:  url.Values{"action": {"review"}, "result": {"passed"}},
		field: "review-date", msg: "请填写日期",
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, dir := project(t)
			file := filepath.Join(dir, "data/qu/rounds/r1.yaml")
			f := tc.form
			f.Set("csrf", s.token)
			f.Set("round", "qu/r1")
			f.Set("problem", "p001")
			f.Set("back", "/qu/r1/p001/")
			w := post(s, "/_edit/save", f, nil)
			b, _ := os.ReadFile(file)
			if tc.field == "" {
				if w.Code != http.StatusSeeOther || !strings.HasSuffix(string(b), tc.append) || !strings.HasPrefix(string(b), round[:len(round)-len("      - text: 措施一\n")]) {
					t.Errorf("%d\n%s\nfile:\n%s", w.Code, w.Body, b)
				}
				return
			}
			body := w.Body.String()
			if w.Code != http.StatusUnprocessableEntity || !strings.Contains(body, `<div id="`+tc.field+`-err" role="alert"><p class="err">`+tc.msg) {
				t.Errorf("%d\n%s", w.Code, body)
			}
			if string(b) != round {
				t.Error("written")
			}
		})
	}
}
