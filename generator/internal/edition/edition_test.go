package edition

import (
	"reflect"
	"strings"
	"testing"

	"github.com/xuncha/bulletin/generator/internal/model"
)

const marker = "SECRET"

// fill sets every string reachable from v to a marker, gives every slice one
// element and allocates every pointer, so that a new field of the model is
// covered by the test below without anyone touching it.
func fill(v reflect.Value, path string, depth int) {
	if depth > 8 {
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(marker + "-" + path)
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		fill(v.Elem(), path, depth+1)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return
		}
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0), path+"[0]", depth+1)
		v.Set(s)
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(model.Date{}) || v.Type() == reflect.TypeOf(model.Node{}) {
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), path+"."+v.Type().Field(i).Name, depth+1)
			}
		}
	}
}

// TestRedactClearsEveryString builds records where every string is a
// marker, marks the problem and the target internal, and checks that after
// Redact no internal record and no internal field carries a marker.
func TestRedactClearsEveryString(t *testing.T) {
	var p model.Problem
	fill(reflect.ValueOf(&p).Elem(), "problem", 0)
	p.Visibility, p.Status, p.Withheld, p.Target = model.Internal, model.InProgress, "state_secret", "t"
	p.Round = nil
	for i := range p.History {
		p.History[i].Status = model.InProgress
		p.History[i].Revisit = "rv"
	}
	for i := range p.Reviews {
		p.Reviews[i].Result = "returned"
	}
	var tg model.Target
	fill(reflect.ValueOf(&tg).Elem(), "target", 0)
	tg.ID, tg.Visibility, tg.Type = "t", model.Internal, "other"
	pub := &model.Problem{ID: "pub", Target: "t", Title: "public", Status: model.Rectified, Visibility: model.Public,
		Internal: []model.Field{{Key: "k", Value: marker + "-public-problem-internal"}}}
	var r model.Round
	r.ID, r.Title = "r", "round"
	r.Internal = []model.Field{{Key: "k", Value: marker + "-round-internal"}}
	r.Targets = []*model.Target{&tg}
	r.Problems = []*model.Problem{&p, pub}
	dist := &model.District{ID: "d", Name: "D", Rounds: []*model.Round{&r},
		Internal: []model.Field{{Key: "k", Value: marker + "-district-internal"}}}
	data := &model.Data{Site: &model.Site{Title: "s"}, Districts: []*model.District{dist}}
	Normalize(data)

	out := Redact(data)

	var leaks []string
	walk(reflect.ValueOf(out), "data", func(path, s string) {
		if strings.Contains(s, marker) {
			leaks = append(leaks, path+" = "+s)
		}
	})
	if len(leaks) > 0 {
		t.Errorf("the public edition's records still carry internal text:\n%s", strings.Join(leaks, "\n"))
	}
	// What the totals need survives.
	rp := out.Districts[0].Rounds[0].Problems[0]
	if rp.Status != model.InProgress || rp.Visibility != model.Internal || rp.Withheld != "state_secret" ||
		len(rp.History) != 1 || len(rp.Reviews) != 1 || len(rp.Extensions) != 1 || rp.Extensions[0].Due != p.Extensions[0].Due {
		t.Errorf("the stub lost facts the totals need: %+v", rp)
	}
	if pub := out.Districts[0].Rounds[0].Problems[1]; pub.Visibility != model.Internal {
		t.Errorf("a problem of an internal target must be internal after Normalize")
	}
	// The input is untouched.
	if !strings.HasPrefix(p.Title, marker) || len(dist.Internal) != 1 {
		t.Error("Redact modified its input")
	}
}

// walk calls fn for every string reachable from v.
func walk(v reflect.Value, path string, fn func(path, s string)) {
	switch v.Kind() {
	case reflect.String:
		fn(path, v.String())
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walk(v.Elem(), path, fn)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			walk(v.Index(i), path+"["+string(rune('0'+i%10))+"]", fn)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if !f.IsExported() || f.Name == "Round" || f.Name == "District" {
				continue // back-pointers
			}
			walk(v.Field(i), path+"."+f.Name, fn)
		}
	}
}

// TestRedactInternalUnits: an internal unit of units.yaml is not even named
// in the public edition, a public unit loses its internal fields, and a
// target that is an internal unit becomes an internal target, so that its
// problems are withheld and no round links the unit.
func TestRedactInternalUnits(t *testing.T) {
	var secret model.Unit
	fill(reflect.ValueOf(&secret).Elem(), "unit", 0)
	secret.ID, secret.Visibility, secret.Type = "secret", model.Internal, "other"
	public := &model.Unit{ID: "water", Name: "区水利局", Visibility: model.Public,
		Internal: []model.Field{{Key: "k", Value: marker + "-unit-internal"}}}
	tg := &model.Target{ID: "t", Unit: "secret", Name: marker + "-target-name", Visibility: model.Public}
	tw := &model.Target{ID: "w", Unit: "water", Visibility: model.Public}
	p := &model.Problem{ID: "p", Target: "t", Title: marker + "-problem", Status: model.Pending, Visibility: model.Public}
	q := &model.Problem{ID: "q", Target: "w", Title: "public", Status: model.Pending, Visibility: model.Public}
	r := &model.Round{ID: "r", Title: "round", Targets: []*model.Target{tg, tw}, Problems: []*model.Problem{p, q}}
	dist := &model.District{ID: "d", Name: "D", Rounds: []*model.Round{r}, Units: []*model.Unit{&secret, public}}
	data := &model.Data{Site: &model.Site{Title: "s"}, Districts: []*model.District{dist}}
	Normalize(data)
	out := Redact(data)

	var leaks []string
	walk(reflect.ValueOf(out), "data", func(path, s string) {
		if strings.Contains(s, marker) || s == "secret" {
			leaks = append(leaks, path+" = "+s)
		}
	})
	if len(leaks) > 0 {
		t.Errorf("the public edition still names the internal unit:\n%s", strings.Join(leaks, "\n"))
	}
	od := out.Districts[0]
	if len(od.Units) != 1 || od.Units[0].ID != "water" {
		t.Errorf("public units = %+v, want water alone", od.Units)
	}
	if got := od.Rounds[0].Problems[0].Visibility; got != model.Internal {
		t.Errorf("a problem of a target that is an internal unit has visibility %q, want internal", got)
	}
	if got := od.Rounds[0].Targets[1].Unit; got != "water" {
		t.Errorf("a target of a public unit lost its unit: %q", got)
	}
	if len(public.Internal) != 1 {
		t.Error("Redact modified its input")
	}
}
