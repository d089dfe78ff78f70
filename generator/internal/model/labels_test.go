package model

import (
	"os"
	"testing"

	yaml "go.yaml.in/yaml/v3"
)

// TestStatusLabelsMatchTheTemplates: the Go table and the templates'
// translation files name every status the same.
func TestStatusLabelsMatchTheTemplates(t *testing.T) {
	for _, lang := range []string{"zh-cn", "en"} {
		b, err := os.ReadFile("../../../templates/i18n/" + lang + ".yaml")
		if err != nil {
			t.Fatal(err)
		}
		var tr map[string]string
		if err := yaml.Unmarshal(b, &tr); err != nil {
			t.Fatal(err)
		}
		for _, s := range Statuses {
			if got, want := tr["status_"+string(s)], s.LabelIn(lang); got != want {
				t.Errorf("%s.yaml: status_%s is %q, the Go table says %q", lang, s, got, want)
			}
		}
	}
}
