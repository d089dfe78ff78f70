package validate

import (
	"strings"

	"github.com/xuncha/bulletin/generator/internal/model"
)

// extraFigures checks outcomes.extra: each label and unit once in a record
// (the same label and unit are summed across records, so within one record
// a second one is a mistake).
func (c *checker) extraFigures(who string, extra []model.ExtraFigure) {
	first := map[[2]string]int{}
	for _, x := range extra {
		label := strings.TrimSpace(x.Label)
		if label == "" {
			continue // reported by the loader
		}
		k := [2]string{label, strings.TrimSpace(x.Unit)}
		if line, dup := first[k]; dup {
			c.add(x.At("label"), "%s: outcomes.extra lists %q%s twice (first at line %d): give one figure per label and unit", who, label, unitSuffix(x.Unit), line)
			continue
		}
		first[k] = x.At("label").Line
	}
}

func unitSuffix(unit string) string {
	if strings.TrimSpace(unit) == "" {
		return ""
	}
	return " (" + strings.TrimSpace(unit) + ")"
}
