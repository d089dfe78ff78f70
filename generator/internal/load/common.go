package load

import "github.com/xuncha/bulletin/generator/internal/model"

// common loads data/<district>/common/<id>.yaml, or returns nil when the
// file was refused.
func (l *loader) common(d *model.District, r *ref) *model.CommonProblem {
	f, root := l.open(r)
	if l.keep(f) && f.cached.common != nil {
		return handOutCommon(f.cached.common, d)
	}
	if f.stored != nil {
		if cp := f.stored.common; cp != nil {
			cp.District = d
			return cp
		}
		return nil
	}
	if root == nil {
		return nil
	}
	m := f.record(root, commonKind)
	if m == nil {
		return nil
	}
	cp := &model.CommonProblem{Node: m.node, File: r.path, InternalLines: f.spans, District: d, ID: r.stem()}
	if id, ok := m.id("id"); ok {
		cp.ID = id
		if IsReserved(CommonLevel, id) {
			f.at(m.val("id"), "common problem id %q is reserved: the site uses /%s/common/%s/ itself; choose another id and rename the file to match", id, d.ID, id)
		} else if id != r.stem() {
			f.at(m.val("id"), "common problem id %q must equal the file name without .yaml, %s", id, folderHint(r.stem(), id+".yaml"))
		}
	}
	cp.Title = m.text("title")
	cp.Category = m.text("category")
	cp.Description = m.text("description")
	cp.Rounds = m.ids("rounds")
	cp.Deadline = m.date("deadline")
	cp.Source = m.source("source")
	cp.Illustrative = m.boolean("illustrative")
	for _, u := range m.items("units", unitKind) {
		id, _ := u.id("id")
		cp.Units = append(cp.Units, &model.CommonUnit{
			Node:      u.node,
			ID:        id,
			Name:      u.text("name"),
			Type:      u.enum("type", model.TargetTypes, "other"),
			Status:    u.status("status"),
			SelfFound: u.optCount("self_found"),
			Measures:  measures(u),
			History:   history(u),
		})
	}
	if l.keep(f) {
		f.cached.keep(nil, cp)
		return handOutCommon(cp, d)
	}
	return cp
}
