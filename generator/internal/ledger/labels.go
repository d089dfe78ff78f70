package ledger

import (
	"strings"

	"github.com/xuncha/bulletin/generator/internal/model"
)

// statusLabel is the label a ledger shows for s: the site's.
func statusLabel(s model.Status) string {
	return s.Label()
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
