package editform

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/xuncha/bulletin/generator/internal/check"
	"github.com/xuncha/bulletin/generator/internal/ledger"
	"github.com/xuncha/bulletin/generator/internal/model"
)

// fieldLabels name the forms' fields in messages.
var fieldLabels = map[string]string{
	"status": "状态", "date": "日期", "note": "情况说明", "text": "整改措施", "owner": "责任单位",
	"due": "整改时限", "measure": "措施", "result": "结果", "opinion": "会审意见", "approved": "批准日期",
	"reason": "延期理由", "target": "被巡察单位", "category": "问题类别", "title": "问题",
}

// edit is one form being applied to its round file.
type edit struct {
	state *formState
	round *model.Round
	doc   *ledger.Doc
	id    string         // the problem's id
	p     *model.Problem // nil for a new problem
	ref   string         // district/round/problem, for the commit message
}

// val is a field's value as typed, trimmed.
func (e *edit) val(name string) string { return e.state.Fields[name].Value }

// need reports an empty required field beside it.
func (e *edit) need(names ...string) bool {
	ok := true
	for _, n := range names {
		if e.val(n) == "" {
			e.fieldError(n, "请填写"+fieldLabels[n])
			ok = false
		}
	}
	return ok
}

func (e *edit) fieldError(name, msg string) {
	f := e.state.Fields[name]
	f.Errors = append(f.Errors, msg)
}

// actions apply each form to the round file; each returns what it did, for
// the commit message ("" when a field was refused).
var actions = map[string]func(*edit) (string, error){
	"status":    (*edit).status,
	"measure":   (*edit).measure,
	"done":      (*edit).measureDone,
	"review":    (*edit).review,
	"extension": (*edit).extension,
	"problem":   (*edit).newProblem,
}

// save applies one form to the round file.
func (s *Server) save(w http.ResponseWriter, r *http.Request) {
	action := r.PostFormValue("action")
	apply := actions[action]
	if apply == nil {
		http.Error(w, "unknown form", http.StatusBadRequest)
		return
	}
	state := &formState{Action: action, Fields: map[string]*field{}}
	for name := range fieldLabels {
		state.Fields[name] = &field{Value: strings.TrimSpace(r.PostFormValue(name))}
	}
	c, ok := s.records()
	if !ok {
		state.Errors = append(state.Errors, "记录目前没有通过 check（错误见终端和预览页）：请先改正，再用表单修改")
		s.showErrors(w, r, state)
		return
	}
	e, msg, err := open(c, r, state)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if msg != "" {
		state.Errors = append(state.Errors, msg)
		s.showErrors(w, r, state)
		return
	}
	desc, err := apply(e)
	if err != nil {
		state.Errors = append(state.Errors, "无法修改 "+e.round.File+"："+err.Error())
	}
	if hasErrors(state) {
		s.showErrors(w, r, state)
		return
	}
	s.write(w, r, e, c, desc)
}

// open finds the form's round and problem and opens the round file; msg
// says why the form cannot apply.
func open(c *check.Checked, r *http.Request, state *formState) (e *edit, msg string, err error) {
	round := ledger.FindRound(c.Data, r.PostFormValue("round"))
	if round == nil {
		return nil, "找不到这一轮巡察：" + r.PostFormValue("round"), nil
	}
	doc, err := ledger.OpenDoc(round.File)
	if err != nil {
		return nil, "", err
	}
	e = &edit{state: state, round: round, doc: doc, id: r.PostFormValue("problem")}
	for _, q := range round.Problems {
		if q.ID == e.id {
			e.p = q
		}
	}
	if e.p == nil && state.Action != "problem" {
		return nil, fmt.Sprintf("本轮没有问题 %q", e.id), nil
	}
	e.ref = round.District.ID + "/" + round.ID + "/" + e.id
	return e, "", nil
}

// write saves the changed round file if the records still pass check, and
// shows check's errors beside the fields that caused them otherwise.
func (s *Server) write(w http.ResponseWriter, r *http.Request, e *edit, c *check.Checked, desc string) {
	ferrs, err := e.doc.Save(s.data, c.Data.Site.AsOf)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if len(ferrs) > 0 {
		for _, fe := range ferrs {
			msg := fe.At + ": " + fe.Msg
			if f := e.state.Fields[fe.Origin]; f != nil && fe.Origin != "" {
				f.Errors = append(f.Errors, fieldLabels[fe.Origin]+"有误（未保存）："+msg)
			} else {
				e.state.Errors = append(e.state.Errors, "未保存："+msg)
			}
		}
		s.showErrors(w, r, e.state)
		return
	}
	s.mu.Lock()
	s.written[e.round.File] = true
	s.pending = append(s.pending, desc)
	s.flash = "已保存：" + desc
	s.mu.Unlock()
	if s.saved != nil {
		s.saved()
	}
	http.Redirect(w, r, back(r), http.StatusSeeOther)
}

func (e *edit) status() (string, error) {
	if !e.need("date") {
		return "", nil
	}
	st := model.Status(e.val("status"))
	desc := fmt.Sprintf("%s 状态 %s → %s（%s）", e.ref, label(e.p.Status), label(st), e.val("date"))
	if err := e.doc.SetProblem(e.id, ledger.KV{Key: "status", Value: e.val("status"), Raw: st.Valid(), Origin: "status"}); err != nil {
		return desc, err
	}
	item := []ledger.KV{ledger.DateKV("date", e.val("date"), "date"), {Key: "status", Value: e.val("status"), Raw: st.Valid(), Origin: "status"}}
	item = e.optional(item, "note")
	return desc, e.doc.AppendToProblem(e.id, "history", item, "status")
}

func (e *edit) measure() (string, error) {
	if !e.need("text") {
		return "", nil
	}
	item := e.optional([]ledger.KV{{Key: "text", Value: e.val("text"), Origin: "text"}}, "owner")
	if e.val("due") != "" {
		item = append(item, ledger.DateKV("due", e.val("due"), "due"))
	}
	return fmt.Sprintf("%s 新增整改措施“%s”", e.ref, e.val("text")), e.doc.AppendToProblem(e.id, "measures", item, "text")
}

func (e *edit) measureDone() (string, error) {
	if !e.need("date") {
		return "", nil
	}
	i, err := strconv.Atoi(e.val("measure"))
	if err != nil || i < 0 || i >= len(e.p.Measures) {
		e.fieldError("measure", "请选择一条整改措施")
		return "", nil
	}
	desc := fmt.Sprintf("%s 第 %d 条整改措施完成（%s）", e.ref, i+1, e.val("date"))
	return desc, e.doc.SetMeasure(e.id, i, ledger.DateKV("done", e.val("date"), "date"))
}

func (e *edit) review() (string, error) {
	if !e.need("date") {
		return "", nil
	}
	result := e.val("result")
	item := []ledger.KV{ledger.DateKV("date", e.val("date"), "date"), {Key: "result", Value: result, Raw: result == "passed" || result == "returned", Origin: "result"}}
	item = e.optional(item, "opinion")
	desc := fmt.Sprintf("%s 四方会审 %s（%s）", e.ref, result, e.val("date"))
	return desc, e.doc.AppendToProblem(e.id, "reviews", item, "date")
}

func (e *edit) extension() (string, error) {
	if !e.need("approved", "due") {
		return "", nil
	}
	item := []ledger.KV{ledger.DateKV("approved", e.val("approved"), "approved"), ledger.DateKV("due", e.val("due"), "due")}
	item = e.optional(item, "reason")
	return fmt.Sprintf("%s 批准延期至 %s", e.ref, e.val("due")), e.doc.AppendToProblem(e.id, "extensions", item, "approved")
}

func (e *edit) newProblem() (string, error) {
	if !e.need("title", "target") {
		return "", nil
	}
	e.id = ledger.NextID(e.round)
	e.ref = e.round.District.ID + "/" + e.round.ID + "/" + e.id
	st := model.Status(e.val("status"))
	item := []ledger.KV{{Key: "id", Value: e.id, Raw: true, Origin: "title"}, {Key: "target", Value: e.val("target"), Origin: "target"}}
	item = e.optional(item, "category")
	item = append(item, ledger.KV{Key: "title", Value: e.val("title"), Origin: "title"}, ledger.KV{Key: "status", Value: e.val("status"), Raw: st.Valid(), Origin: "status"})
	return fmt.Sprintf("%s 新问题“%s”", e.ref, e.val("title")), e.doc.AppendProblem(item, "title")
}

// optional adds a text field to item, under its own name, when it was
// filled in.
func (e *edit) optional(item []ledger.KV, name string) []ledger.KV {
	if e.val(name) == "" {
		return item
	}
	return append(item, ledger.KV{Key: name, Value: e.val(name), Origin: name})
}

func hasErrors(s *formState) bool {
	if len(s.Errors) > 0 {
		return true
	}
	for _, f := range s.Fields {
		if len(f.Errors) > 0 {
			return true
		}
	}
	return false
}

func label(s model.Status) string { return s.Label() }
