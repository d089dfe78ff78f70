package load

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/xuncha/bulletin/generator/internal/decimal"
	"github.com/xuncha/bulletin/generator/internal/diag"
	"github.com/xuncha/bulletin/generator/internal/model"
)

// filler sets every field of a value to something not zero, each scalar
// different, by reflection: a field added to the model that the codec
// does not write comes back zero, and TestCodecCoversEveryField fails.
type filler struct{ n int }

var (
	dateType    = reflect.TypeFor[model.Date]()
	decimalType = reflect.TypeFor[decimal.Decimal]()
	districtPtr = reflect.TypeFor[*model.District]()
	roundPtr    = reflect.TypeFor[*model.Round]()
)

func (f *filler) fill(v reflect.Value) {
	f.n++
	switch t := v.Type(); {
	case t == dateType:
		v.Set(reflect.ValueOf(model.NewDate(2000+f.n%30, time.Month(1+f.n%12), 1+f.n%28)))
	case t == decimalType:
		d, err := decimal.Parse(fmt.Sprintf("%d.%03d0", f.n, f.n%1000))
		if err != nil {
			panic(err)
		}
		v.Set(reflect.ValueOf(d))
	case t == districtPtr, t == roundPtr:
		// The loader sets them when it hands the record out: not stored.
	default:
		switch t.Kind() {
		case reflect.String:
			v.SetString(fmt.Sprintf("%s %d 文", t.Name(), f.n))
		case reflect.Bool:
			v.SetBool(true)
		case reflect.Int, reflect.Int32, reflect.Int64:
			v.SetInt(int64(f.n))
		case reflect.Uint16:
			v.SetUint(uint64(f.n))
		case reflect.Float64:
			v.SetFloat(float64(f.n) + 0.5)
		case reflect.Pointer:
			v.Set(reflect.New(t.Elem()))
			f.fill(v.Elem())
		case reflect.Slice:
			v.Set(reflect.MakeSlice(t, 2, 2))
			for i := range 2 {
				f.fill(v.Index(i))
			}
		case reflect.Struct:
			for i := range t.NumField() {
				if t.Field(i).IsExported() {
					f.fill(v.Field(i))
				}
			}
		default:
			panic(fmt.Sprintf("filler: no value for %s", t))
		}
	}
}

func roundTrip(t *testing.T, s *stored) *stored {
	t.Helper()
	got, ok := decodeStored(encodeStored(nil, s))
	if !ok {
		t.Fatal("what was encoded does not decode")
	}
	return got
}

// TestCodecCoversEveryField: a round and a common problem with every
// field of the model set (by reflection), diagnostics with and without
// redacted text, and a round whose outcomes share its source, read back
// deep-equal.
func TestCodecCoversEveryField(t *testing.T) {
	f := &filler{}
	var rd model.Round
	f.fill(reflect.ValueOf(&rd).Elem())
	for _, p := range rd.Problems {
		p.Round = &rd
	}
	var cp model.CommonProblem
	f.fill(reflect.ValueOf(&cp).Elem())
	var errs diag.List
	errs.Add(diag.Pos{File: "data/d/rounds/r.yaml", Line: 3, Col: 5}, "bad %s", diag.Value("秘密"))
	errs.AddInternal(diag.Pos{File: "data/d/rounds/r.yaml", Line: 4, Col: 1}, "bad %s", diag.Value("秘密"))
	errs.Add(diag.Pos{File: "data/d/rounds/r.yaml", Line: 9, Col: 2}, "plain")
	if errs[0].Redacted() == "" {
		t.Fatal("the first diagnostic has no redacted text to keep")
	}
	shared := rd
	shared.Outcomes = &model.Outcomes{Source: shared.Source}
	shared.Problems = nil // theirs point to rd
	for i, s := range []*stored{
		{round: &rd, errs: errs},
		{common: &cp},
		{errs: errs}, // refused
		{round: &shared},
		{round: &model.Round{}}, // every list nil
		{round: &model.Round{Targets: []*model.Target{}, Problems: []*model.Problem{}, Node: model.Node{Names: roundKind.all, Keys: []model.Key{}}}},
	} {
		got := roundTrip(t, s)
		if got.round != nil {
			for _, p := range got.round.Problems {
				if p.Round != got.round {
					t.Fatal("a decoded problem does not point to its round")
				}
			}
		}
		if !reflect.DeepEqual(got, s) {
			t.Errorf("case %d: decoded\n%+v\nwant\n%+v", i, got.round, s.round)
		}
	}
	if got := roundTrip(t, &stored{round: &shared}); got.round.Outcomes.Source != got.round.Source {
		t.Error("outcomes that share the round's source read back with a copy of it")
	}
	if got := roundTrip(t, &stored{round: &model.Round{Node: model.Node{Names: problemKind.all}}}); &got.round.Names[0] != &problemKind.all[0] {
		t.Error("a node's field names read back as a copy, not the kind's own")
	}
}

// TestDecodeRefusesDamage: every prefix of an entry, and the entry with any
// one byte changed, decodes to an error or to something, never a panic;
// a cut one never decodes.
func TestDecodeRefusesDamage(t *testing.T) {
	f := &filler{}
	var rd model.Round
	f.fill(reflect.ValueOf(&rd).Elem())
	b := encodeStored(nil, &stored{round: &rd})
	for i := range b {
		if _, ok := decodeStored(b[:i]); ok {
			t.Fatalf("the first %d of %d bytes decode", i, len(b))
		}
		c := append([]byte(nil), b...)
		c[i] ^= 0xA5
		decodeStored(c) // must not panic
	}
}

// FuzzDecodeStored: no bytes make the decoder panic.
func FuzzDecodeStored(f *testing.F) {
	var rd model.Round
	(&filler{}).fill(reflect.ValueOf(&rd).Elem())
	f.Add(encodeStored(nil, &stored{round: &rd}))
	f.Fuzz(func(t *testing.T, b []byte) { decodeStored(b) })
}
