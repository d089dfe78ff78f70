package load

import (
	"strings"

	"github.com/xuncha/bulletin/generator/internal/model"
	yaml "go.yaml.in/yaml/v3"
)

// units loads data/<district>/units.yaml into d.Units: a list of the
// district's inspected units, each named once.
func (l *loader) units(d *model.District, r *ref) {
	d.UnitsFile = r.path
	f, root := l.open(r)
	d.UnitsInternal = f.spans
	if root == nil {
		return
	}
	if root.Kind != yaml.SequenceNode {
		f.at(root, "units.yaml must be a list of units (lines starting with \"- id: …\"), got %s", describe(root))
		return
	}
	for _, item := range root.Content {
		if item.Kind == yaml.ScalarNode && !isNull(item) {
			f.at(item, "each item of units.yaml must be %s with fields (%s), got text", article(inspectedUnitKind.name), strings.Join(inspectedUnitKind.fields(), ", "))
			continue
		}
		m := f.record(item, inspectedUnitKind)
		if m == nil {
			continue
		}
		id, ok := m.id("id")
		if ok && IsReserved(UnitLevel, id) {
			f.at(m.val("id"), "unit id %q is reserved: the site uses /%s/units/%s/ itself; choose another id", id, d.ID, id)
		}
		u := &model.Unit{
			Node:        m.node,
			ID:          id,
			Name:        m.text("name"),
			FormerNames: m.texts("former_names"),
			Type:        m.enum("type", model.TargetTypes, "other"),
			Visibility:  m.enum("visibility", visibilities, model.Public),
			Internal:    m.internal("internal"),
		}
		for _, n := range m.items("notices", noticeKind) {
			u.Notices = append(u.Notices, model.Notice{Node: n.node, Title: n.text("title"), URL: n.text("url"), Date: n.date("date")})
		}
		d.Units = append(d.Units, u)
	}
}

// texts returns a list of non-empty texts.
func (r *rec) texts(key string) []string {
	var out []string
	for _, item := range r.list(key) {
		if item.Kind != yaml.ScalarNode || isNull(item) || strings.TrimSpace(item.Value) == "" {
			r.f.at(item, "%q must list names (text), got %s", key, describe(item))
			continue
		}
		out = append(out, item.Value)
	}
	return out
}
