package load

import (
	"math"
	"time"

	"github.com/xuncha/bulletin/generator/internal/decimal"
	"github.com/xuncha/bulletin/generator/internal/diag"
	"github.com/xuncha/bulletin/generator/internal/model"
)

// The record codec writes what loading one round or common problem file
// gave (the record, nil when the file was refused, and the file's
// diagnostics) as compact binary, and reads it back exactly: every field,
// every position, nil and empty lists told apart, so that a record read
// from a DiskCache is deep-equal to the one parsed (TestCodecCoversEveryField
// fills every field of the model by reflection and goes red for one the
// codec forgets). Numbers are varints; a string is written once per entry
// and referred to by its number after that (a record's file name is in
// every position; statuses and field names repeat); dates are y/m/d. The
// layout has no version of its own: a DiskCache entry is keyed by the
// program that wrote it, and is never read by another.

// stored is what loading one record file gave.
type stored struct {
	round  *model.Round
	common *model.CommonProblem
	errs   diag.List
}

// What the file gave.
const (
	storedRefused = iota
	storedRound
	storedCommon
)

// encoder appends to b.
type encoder struct {
	b    []byte
	strs map[string]uint64
	keys int // key positions written so far
}

func (e *encoder) uint(v uint64) {
	for v >= 0x80 {
		e.b = append(e.b, byte(v)|0x80)
		v >>= 7
	}
	e.b = append(e.b, byte(v))
}

func (e *encoder) int(v int) { e.uint(uint64(v)<<1 ^ uint64(int64(v)>>63)) }

func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

// str writes s: 0 for "", 2n+1 for the nth string written before, or 2×len
// and the bytes.
func (e *encoder) str(s string) {
	if s == "" {
		e.uint(0)
		return
	}
	if i, ok := e.strs[s]; ok {
		e.uint(i<<1 | 1)
		return
	}
	e.strs[s] = uint64(len(e.strs))
	e.uint(uint64(len(s)) << 1)
	e.b = append(e.b, s...)
}

// count writes the length of a list, 0 for nil: len+1.
func count[T any](e *encoder, s []T) bool {
	if s == nil {
		e.uint(0)
		return false
	}
	e.uint(uint64(len(s)) + 1)
	return true
}

func (e *encoder) strings(s []string) {
	if count(e, s) {
		for _, v := range s {
			e.str(v)
		}
	}
}

func (e *encoder) optInt(p *int) {
	e.bool(p != nil)
	if p != nil {
		e.int(*p)
	}
}

func (e *encoder) date(d model.Date) {
	if d.IsZero() {
		e.uint(0)
		return
	}
	t := d.Time()
	e.uint((uint64(t.Year())*16+uint64(t.Month()))*32 + uint64(t.Day()))
}

// decimal writes a figure by its digits (decimal.Parse reads them back
// with the same scale); the zero Decimal, which has no digits, apart.
func (e *encoder) decimal(d decimal.Decimal) {
	if d == (decimal.Decimal{}) {
		e.uint(0)
		return
	}
	e.uint(1)
	e.str(d.String())
}

func (e *encoder) spans(s []diag.Span) {
	if count(e, s) {
		for _, sp := range s {
			e.int(sp.From)
			e.int(sp.To)
		}
	}
}

func (e *encoder) fields(fs []model.Field) {
	if count(e, fs) {
		for _, f := range fs {
			e.str(f.Key)
			e.str(f.Value)
		}
	}
}

// node writes a Node; its Names by the kind they are the fields of, when
// they are (they are shared with every record of the kind).
func (e *encoder) node(n model.Node) {
	e.str(n.Pos.File)
	e.int(n.Pos.Line)
	e.int(n.Pos.Col)
	k := 0
	if len(n.Names) > 0 {
		for i, kd := range allKinds {
			if len(kd.all) == len(n.Names) && &kd.all[0] == &n.Names[0] {
				k = i + 1
				break
			}
		}
	}
	e.uint(uint64(k))
	if k == 0 {
		e.strings(n.Names)
	}
	if count(e, n.Keys) {
		e.keys += len(n.Keys)
		for _, key := range n.Keys {
			e.uint(uint64(key.Name))
			e.int(int(key.Line))
			e.int(int(key.Col))
		}
	}
}

func (e *encoder) source(s *model.Source) {
	e.bool(s != nil)
	if s != nil {
		e.node(s.Node)
		e.str(s.Title)
		e.str(s.URL)
		e.date(s.Date)
	}
}

func (e *encoder) measures(ms []model.Measure) {
	if count(e, ms) {
		for _, m := range ms {
			e.node(m.Node)
			e.str(m.Text)
			e.str(m.Owner)
			e.date(m.Due)
			e.date(m.Done)
		}
	}
}

func (e *encoder) history(hs []model.HistoryEntry) {
	if count(e, hs) {
		for _, h := range hs {
			e.node(h.Node)
			e.date(h.Date)
			e.str(string(h.Status))
			e.str(h.Note)
			e.str(h.Revisit)
		}
	}
}

// outcomes writes o; its Source as "the round's" (2) when it is the same
// record as the round's source (roundSource), as load makes it by default.
func (e *encoder) outcomes(o *model.Outcomes, roundSource *model.Source) {
	e.bool(o != nil)
	if o == nil {
		return
	}
	e.node(o.Node)
	e.bool(o.FundsRecovered != nil)
	if o.FundsRecovered != nil {
		e.decimal(*o.FundsRecovered)
	}
	for _, p := range outcomeFigures(o) {
		e.optInt(*p)
	}
	if count(e, o.Extra) {
		for _, x := range o.Extra {
			e.node(x.Node)
			e.str(x.Label)
			e.decimal(x.Value)
			e.str(x.Unit)
		}
	}
	if o.Source != nil && o.Source == roundSource {
		e.uint(2)
		return
	}
	e.uint(1)
	e.source(o.Source)
}

// outcomeFigures are the counts of o, in the order the codec writes them.
func outcomeFigures(o *model.Outcomes) []**int {
	return []**int{
		&o.RulesMade, &o.RulesImproved, &o.LeadsFound, &o.LeadsTransferred, &o.CasesFiled,
		&o.PeopleDisciplined, &o.OnTheSpotFound, &o.OnTheSpotFixed, &o.ReviewOpinions,
		&o.ReminderLetters, &o.RecommendationLetters, &o.UnitsRevisited, &o.RevisitProblems,
	}
}

func summaryFigures(s *model.Summary) []**int {
	return []**int{&s.Found, &s.Rectified, &s.BasicallyDone, &s.InProgress, &s.NotDone, &s.LongTerm, &s.Overdue, &s.Extended, &s.Measures, &s.MeasuresDone}
}

func (e *encoder) round(rd *model.Round) {
	e.node(rd.Node)
	e.str(rd.File)
	e.spans(rd.InternalLines)
	e.str(rd.ID)
	e.int(rd.Number)
	e.str(rd.Kind)
	e.str(rd.Level)
	e.bool(rd.Deadlines != nil)
	if d := rd.Deadlines; d != nil {
		e.node(d.Node)
		e.int(d.MeasuresWorkingDays)
		e.int(d.ReportMonths)
		e.int(d.DueSoonDays)
	}
	e.str(rd.Title)
	e.date(rd.Started)
	e.date(rd.Ended)
	e.date(rd.Feedback)
	e.source(rd.Source)
	if count(e, rd.Targets) {
		for _, t := range rd.Targets {
			e.node(t.Node)
			e.str(t.ID)
			e.str(t.Unit)
			e.str(t.Name)
			e.str(t.Type)
			e.str(t.Visibility)
			e.fields(t.Internal)
		}
	}
	if count(e, rd.Problems) {
		for _, p := range rd.Problems {
			e.problem(p)
		}
	}
	e.bool(rd.Summary != nil)
	if s := rd.Summary; s != nil {
		e.node(s.Node)
		for _, p := range summaryFigures(s) {
			e.optInt(*p)
		}
		e.str(s.Rate)
		e.str(s.Basis)
		e.date(s.AsOf)
	}
	e.strings(rd.Revisits)
	e.int(rd.TargetCount)
	e.str(rd.Listing)
	e.outcomes(rd.Outcomes, rd.Source)
	e.fields(rd.Internal)
	e.bool(rd.Illustrative)
	e.str(rd.Note)
}

func (e *encoder) problem(p *model.Problem) {
	e.node(p.Node)
	e.str(p.ID)
	e.str(p.Target)
	e.str(p.Category)
	e.str(p.Title)
	e.str(p.Description)
	e.bool(p.Common)
	e.str(p.CommonRef)
	e.str(string(p.Status))
	e.date(p.Due)
	e.measures(p.Measures)
	e.history(p.History)
	e.str(p.Visibility)
	e.str(p.Withheld)
	e.fields(p.Internal)
	if count(e, p.Extensions) {
		for _, x := range p.Extensions {
			e.node(x.Node)
			e.date(x.Approved)
			e.date(x.Due)
			e.str(x.Reason)
		}
	}
	if count(e, p.Reviews) {
		for _, v := range p.Reviews {
			e.node(v.Node)
			e.date(v.Date)
			e.str(v.Result)
			e.str(v.Opinion)
		}
	}
	e.bool(p.Illustrative)
}

func (e *encoder) common(cp *model.CommonProblem) {
	e.node(cp.Node)
	e.str(cp.File)
	e.spans(cp.InternalLines)
	e.str(cp.ID)
	e.str(cp.Title)
	e.str(cp.Category)
	e.str(cp.Description)
	e.strings(cp.Rounds)
	e.date(cp.Deadline)
	e.source(cp.Source)
	if count(e, cp.Units) {
		for _, u := range cp.Units {
			e.node(u.Node)
			e.str(u.ID)
			e.str(u.Name)
			e.str(u.Type)
			e.str(string(u.Status))
			e.optInt(u.SelfFound)
			e.measures(u.Measures)
			e.history(u.History)
		}
	}
	e.bool(cp.Illustrative)
}

// encodeStored appends s to b: the number of key positions (so that the
// decoder cuts them from one block), what the file gave, its diagnostics,
// its record.
func encodeStored(b []byte, s *stored) []byte {
	body := &encoder{strs: map[string]uint64{}}
	switch {
	case s.round != nil:
		body.uint(storedRound)
	case s.common != nil:
		body.uint(storedCommon)
	default:
		body.uint(storedRefused)
	}
	body.uint(uint64(len(s.errs)))
	for _, d := range s.errs {
		body.str(d.Pos.File)
		body.int(d.Pos.Line)
		body.int(d.Pos.Col)
		body.str(d.Msg)
		body.str(d.Redacted())
	}
	switch {
	case s.round != nil:
		body.round(s.round)
	case s.common != nil:
		body.common(s.common)
	}
	head := &encoder{b: b}
	head.uint(uint64(body.keys))
	return append(head.b, body.b...)
}

// decoder reads what encoder wrote from s. Whatever the bytes, it never
// panics nor allocates much more than they could hold: a wrong byte sets
// bad, and what is read after it is garbage that decodeStored throws away.
type decoder struct {
	s    string
	at   int
	bad  bool
	strs []string
	keys []model.Key // the block key positions are cut from
}

func (d *decoder) uint() uint64 {
	var x uint64
	for shift := uint(0); shift < 64; shift += 7 {
		if d.at >= len(d.s) {
			d.bad = true
			return 0
		}
		c := d.s[d.at]
		d.at++
		x |= uint64(c&0x7F) << shift
		if c < 0x80 {
			return x
		}
	}
	d.bad = true
	return 0
}

func (d *decoder) int() int {
	u := d.uint()
	return int(int64(u>>1) ^ -int64(u&1))
}

func (d *decoder) int32() int32 {
	v := d.int()
	if v < math.MinInt32 || v > math.MaxInt32 {
		d.bad = true
		return 0
	}
	return int32(v)
}

func (d *decoder) bool() bool {
	switch d.uint() {
	case 0:
		return false
	case 1:
		return true
	}
	d.bad = true
	return false
}

func (d *decoder) str() string {
	v := d.uint()
	switch {
	case v == 0:
		return ""
	case v&1 == 1:
		if i := v >> 1; i < uint64(len(d.strs)) {
			return d.strs[i]
		}
	case v>>1 <= uint64(len(d.s)-d.at):
		s := d.s[d.at : d.at+int(v>>1)]
		d.at += int(v >> 1)
		d.strs = append(d.strs, s)
		return s
	}
	d.bad = true
	return ""
}

// count reads a list's length; nil is false. A length that the bytes
// left could not hold (each item takes one at least) is bad.
func (d *decoder) count() (int, bool) {
	v := d.uint()
	switch {
	case v == 0:
		return 0, false
	case v-1 > uint64(len(d.s)-d.at):
		d.bad = true
		return 0, false
	}
	return int(v - 1), true
}

func (d *decoder) strings() []string {
	n, ok := d.count()
	if !ok {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

func (d *decoder) optInt() *int {
	if !d.bool() {
		return nil
	}
	v := d.int()
	return &v
}

func (d *decoder) date() model.Date {
	v := d.uint()
	if v == 0 {
		return model.Date{}
	}
	day, month, year := int(v%32), int(v/32%16), v/512
	if day < 1 || month < 1 || month > 12 || year > 9999 {
		d.bad = true
		return model.Date{}
	}
	return model.NewDate(int(year), time.Month(month), day)
}

func (d *decoder) decimal() decimal.Decimal {
	switch d.uint() {
	case 0:
		return decimal.Decimal{}
	case 1:
		v, err := decimal.Parse(d.str())
		if err == nil {
			return v
		}
	}
	d.bad = true
	return decimal.Decimal{}
}

func (d *decoder) spans() []diag.Span {
	n, ok := d.count()
	if !ok {
		return nil
	}
	out := make([]diag.Span, n)
	for i := range out {
		out[i] = diag.Span{From: d.int(), To: d.int()}
	}
	return out
}

func (d *decoder) fields() []model.Field {
	n, ok := d.count()
	if !ok {
		return nil
	}
	out := make([]model.Field, n)
	for i := range out {
		out[i] = model.Field{Key: d.str(), Value: d.str()}
	}
	return out
}

func (d *decoder) node() model.Node {
	n := model.Node{Pos: diag.Pos{File: d.str(), Line: d.int(), Col: d.int()}}
	switch k := d.uint(); {
	case k == 0:
		n.Names = d.strings()
	case k <= uint64(len(allKinds)):
		n.Names = allKinds[k-1].all
	default:
		d.bad = true
	}
	if c, ok := d.count(); ok {
		if c > len(d.keys) {
			d.bad = true
			return n
		}
		// Cut from the block with no room to grow, as load's own cut:
		// SetKey then copies rather than write into the next record's.
		n.Keys, d.keys = d.keys[:c:c], d.keys[c:]
		for i := range n.Keys {
			name := d.uint()
			if name > math.MaxUint16 {
				d.bad = true
			}
			n.Keys[i] = model.Key{Name: uint16(name), Line: d.int32(), Col: d.int32()}
		}
	}
	return n
}

func (d *decoder) source() *model.Source {
	if !d.bool() {
		return nil
	}
	return &model.Source{Node: d.node(), Title: d.str(), URL: d.str(), Date: d.date()}
}

func (d *decoder) measures() []model.Measure {
	n, ok := d.count()
	if !ok {
		return nil
	}
	out := make([]model.Measure, n)
	for i := range out {
		out[i] = model.Measure{Node: d.node(), Text: d.str(), Owner: d.str(), Due: d.date(), Done: d.date()}
	}
	return out
}

func (d *decoder) history() []model.HistoryEntry {
	n, ok := d.count()
	if !ok {
		return nil
	}
	out := make([]model.HistoryEntry, n)
	for i := range out {
		out[i] = model.HistoryEntry{Node: d.node(), Date: d.date(), Status: model.Status(d.str()), Note: d.str(), Revisit: d.str()}
	}
	return out
}

func (d *decoder) outcomes(roundSource *model.Source) *model.Outcomes {
	if !d.bool() {
		return nil
	}
	o := &model.Outcomes{Node: d.node()}
	if d.bool() {
		v := d.decimal()
		o.FundsRecovered = &v
	}
	for _, p := range outcomeFigures(o) {
		*p = d.optInt()
	}
	if n, ok := d.count(); ok {
		o.Extra = make([]model.ExtraFigure, n)
		for i := range o.Extra {
			o.Extra[i] = model.ExtraFigure{Node: d.node(), Label: d.str(), Value: d.decimal(), Unit: d.str()}
		}
	}
	switch d.uint() {
	case 1:
		o.Source = d.source()
	case 2:
		o.Source = roundSource
	default:
		d.bad = true
	}
	return o
}

func (d *decoder) round() *model.Round {
	rd := &model.Round{Node: d.node(), File: d.str(), InternalLines: d.spans(), ID: d.str(), Number: d.int(), Kind: d.str(), Level: d.str()}
	if d.bool() {
		rd.Deadlines = &model.Deadlines{Node: d.node(), MeasuresWorkingDays: d.int(), ReportMonths: d.int(), DueSoonDays: d.int()}
	}
	rd.Title = d.str()
	rd.Started, rd.Ended, rd.Feedback = d.date(), d.date(), d.date()
	rd.Source = d.source()
	if n, ok := d.count(); ok {
		targets := make([]model.Target, n)
		rd.Targets = make([]*model.Target, n)
		for i := range targets {
			targets[i] = model.Target{Node: d.node(), ID: d.str(), Unit: d.str(), Name: d.str(), Type: d.str(), Visibility: d.str(), Internal: d.fields()}
			rd.Targets[i] = &targets[i]
		}
	}
	if n, ok := d.count(); ok {
		problems := make([]model.Problem, n)
		rd.Problems = make([]*model.Problem, n)
		for i := range problems {
			d.problem(&problems[i])
			problems[i].Round = rd
			rd.Problems[i] = &problems[i]
		}
	}
	if d.bool() {
		s := &model.Summary{Node: d.node()}
		for _, p := range summaryFigures(s) {
			*p = d.optInt()
		}
		s.Rate, s.Basis, s.AsOf = d.str(), d.str(), d.date()
		rd.Summary = s
	}
	rd.Revisits = d.strings()
	rd.TargetCount = d.int()
	rd.Listing = d.str()
	rd.Outcomes = d.outcomes(rd.Source)
	rd.Internal = d.fields()
	rd.Illustrative = d.bool()
	rd.Note = d.str()
	return rd
}

func (d *decoder) problem(p *model.Problem) {
	*p = model.Problem{
		Node: d.node(), ID: d.str(), Target: d.str(), Category: d.str(), Title: d.str(), Description: d.str(),
		Common: d.bool(), CommonRef: d.str(), Status: model.Status(d.str()), Due: d.date(),
		Measures: d.measures(), History: d.history(), Visibility: d.str(), Withheld: d.str(), Internal: d.fields(),
	}
	if n, ok := d.count(); ok {
		p.Extensions = make([]model.Extension, n)
		for i := range p.Extensions {
			p.Extensions[i] = model.Extension{Node: d.node(), Approved: d.date(), Due: d.date(), Reason: d.str()}
		}
	}
	if n, ok := d.count(); ok {
		p.Reviews = make([]model.Review, n)
		for i := range p.Reviews {
			p.Reviews[i] = model.Review{Node: d.node(), Date: d.date(), Result: d.str(), Opinion: d.str()}
		}
	}
	p.Illustrative = d.bool()
}

func (d *decoder) common() *model.CommonProblem {
	cp := &model.CommonProblem{
		Node: d.node(), File: d.str(), InternalLines: d.spans(), ID: d.str(), Title: d.str(), Category: d.str(),
		Description: d.str(), Rounds: d.strings(), Deadline: d.date(), Source: d.source(),
	}
	if n, ok := d.count(); ok {
		cp.Units = make([]*model.CommonUnit, n)
		for i := range cp.Units {
			cp.Units[i] = &model.CommonUnit{
				Node: d.node(), ID: d.str(), Name: d.str(), Type: d.str(), Status: model.Status(d.str()),
				SelfFound: d.optInt(), Measures: d.measures(), History: d.history(),
			}
		}
	}
	cp.Illustrative = d.bool()
	return cp
}

// decodeStored reads what encodeStored wrote, or false when b is not
// exactly that. The record's strings are cut from one copy of b.
func decodeStored(b []byte) (*stored, bool) {
	d := &decoder{s: string(b)}
	keys := d.uint()
	if d.bad || keys > uint64(len(b)) {
		return nil, false
	}
	d.keys = make([]model.Key, keys)
	what := d.uint()
	n := d.uint()
	if n > uint64(len(b)) {
		return nil, false
	}
	s := &stored{}
	if n > 0 {
		s.errs = make(diag.List, n)
		for i := range s.errs {
			pos := diag.Pos{File: d.str(), Line: d.int(), Col: d.int()}
			s.errs[i] = diag.Remade(pos, d.str(), d.str())
		}
	}
	switch what {
	case storedRound:
		s.round = d.round()
	case storedCommon:
		s.common = d.common()
	case storedRefused:
	default:
		d.bad = true
	}
	if d.bad || d.at != len(d.s) || len(d.keys) != 0 {
		return nil, false
	}
	return s, true
}
