package gitdata

import (
	"path/filepath"
	"reflect"
	"strings"

	"github.com/xuncha/bulletin/generator/internal/diag"
	"github.com/xuncha/bulletin/generator/internal/model"
)

// renamer turns paths under the temporary folder a revision was written to
// into paths under the data folder the caller named.
type renamer struct {
	from, to string // both clean
}

func (n renamer) path(p string) string {
	if p == n.from {
		return n.to
	}
	if rest, ok := strings.CutPrefix(p, n.from+string(filepath.Separator)); ok {
		return filepath.Join(n.to, rest)
	}
	return p
}

// text rewrites the paths inside a message.
func (n renamer) text(s string) string {
	if !strings.Contains(s, n.from) {
		return s
	}
	return strings.ReplaceAll(s, n.from, n.to)
}

func (n renamer) list(l diag.List) diag.List {
	out := make(diag.List, len(l))
	for i, e := range l {
		e.Pos.File = n.path(e.Pos.File)
		e.Msg = n.text(e.Msg)
		out[i] = e
	}
	return out
}

var (
	posType = reflect.TypeFor[diag.Pos]()
	mapType = reflect.TypeFor[map[string]diag.Pos]()
)

// data rewrites every position and file name in the model, by reflection,
// so that records added to the model later are covered too: every diag.Pos
// (in a Node or a map of them) and every string field named File or Dir.
func (n renamer) data(d *model.Data) {
	if d == nil {
		return
	}
	seen := map[uintptr]bool{}
	n.walk(reflect.ValueOf(d), seen)
	d.Dir = n.to
}

func (n renamer) walk(v reflect.Value, seen map[uintptr]bool) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || seen[v.Pointer()] {
			return
		}
		seen[v.Pointer()] = true
		n.walk(v.Elem(), seen)
	case reflect.Interface:
		if !v.IsNil() {
			n.walk(v.Elem(), seen)
		}
	case reflect.Struct:
		if v.Type() == posType {
			if v.CanSet() {
				f := v.FieldByName("File")
				f.SetString(n.path(f.String()))
			}
			return
		}
		t := v.Type()
		for i := range v.NumField() {
			sf := t.Field(i)
			if !sf.IsExported() {
				continue
			}
			f := v.Field(i)
			if f.Kind() == reflect.String && (sf.Name == "File" || sf.Name == "Dir") && f.CanSet() {
				if sf.Name == "File" {
					f.SetString(n.path(f.String()))
				}
				continue
			}
			n.walk(f, seen)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			n.walk(v.Index(i), seen)
		}
	case reflect.Map:
		if v.Type() == mapType {
			for _, k := range v.MapKeys() {
				p := v.MapIndex(k).Interface().(diag.Pos)
				p.File = n.path(p.File)
				v.SetMapIndex(k, reflect.ValueOf(p))
			}
		}
	}
}
