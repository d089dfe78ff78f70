package ledger

import (
	"strings"

	"github.com/xuncha/bulletin/generator/internal/model"
)

// statusLabels are the site's Chinese status labels.
// TODO(loader): replace with the project's one status-label table.
var statusLabels = map[model.Status]string{
	model.Pending:    "未整改",
	model.InProgress: "整改中",
	model.LongTerm:   "长期坚持",
	model.Rectified:  "已完成整改",
	model.Closed:     "已销号",
}

// statusLabel is the label a ledger shows for s.
func statusLabel(s model.Status) string {
	if l, ok := statusLabels[s]; ok {
		return l
	}
	return string(s)
}

// statusChoices are the labels a ledger offers, in the site's order.
func statusChoices() []string {
	var out []string
	for _, s := range model.Statuses {
		out = append(out, statusLabel(s))
	}
	return out
}

// parseStatus reads a status cell: a label as the ledger offers it, or the
// status's own name (rectified) as the YAML writes it.
func parseStatus(text string) (model.Status, bool) {
	t := strings.TrimSpace(text)
	for _, s := range model.Statuses {
		if t == statusLabel(s) || t == string(s) {
			return s, true
		}
	}
	return "", false
}
