package editform

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/xuncha/bulletin/generator/internal/ledger"
	"github.com/xuncha/bulletin/generator/internal/model"
)

// fieldLabels name the forms' fields in messages.
var fieldLabels = map[string]string{
	"status": "状态", "date": "日期", "note": "情况说明", "text": "整改措施", "owner": "责任单位",
	"due": "整改时限", "measure": "措施", "result": "结果", "opinion": "会审意见", "approved": "批准日期",
	"reason": "延期理由", "target": "被巡察单位", "category": "问题类别", "title": "问题",
}

// save applies one form to the round file.
func (s *Server) save(w http.ResponseWriter, r *http.Request) {
	action := r.PostFormValue("action")
	state := &formState{Action: action, Fields: map[string]*field{}}
	for name := range fieldLabels {
		state.Fields[name] = &field{Value: strings.TrimSpace(r.PostFormValue(name))}
	}
	val := func(name string) string { return state.Fields[name].Value }
	need := func(names ...string) bool {
		ok := true
		for _, n := range names {
			if val(n) == "" {
				state.Fields[n].Errors = append(state.Fields[n].Errors, "请填写"+fieldLabels[n])
				ok = false
			}
		}
		return ok
	}
	c, ok := s.records()
	if !ok {
		state.Errors = append(state.Errors, "记录目前没有通过 check（错误见终端和预览页）：请先改正，再用表单修改")
		s.showErrors(w, r, state)
		return
	}
	round := ledger.FindRound(c.Data, r.PostFormValue("round"))
	if round == nil {
		state.Errors = append(state.Errors, "找不到这一轮巡察："+r.PostFormValue("round"))
		s.showErrors(w, r, state)
		return
	}
	doc, err := ledger.OpenDoc(round.File)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	id := r.PostFormValue("problem")
	var p *model.Problem
	for _, q := range round.Problems {
		if q.ID == id {
			p = q
		}
	}
	if p == nil && action != "problem" {
		state.Errors = append(state.Errors, fmt.Sprintf("本轮没有问题 %q", id))
		s.showErrors(w, r, state)
		return
	}
	ref := round.District.ID + "/" + round.ID + "/" + id
	var desc string
	switch action {
	case "status":
		if !need("date") {
			break
		}
		st := model.Status(val("status"))
		desc = fmt.Sprintf("%s 状态 %s → %s（%s）", ref, label(p.Status), label(st), val("date"))
		err = doc.SetProblem(id, ledger.KV{Key: "status", Value: val("status"), Raw: st.Valid(), Origin: "status"})
		if err == nil {
			item := []ledger.KV{ledger.DateKV("date", val("date"), "date"), {Key: "status", Value: val("status"), Raw: st.Valid(), Origin: "status"}}
			if val("note") != "" {
				item = append(item, ledger.KV{Key: "note", Value: val("note"), Origin: "note"})
			}
			err = doc.AppendToProblem(id, "history", item, "status")
		}
	case "measure":
		if !need("text") {
			break
		}
		desc = fmt.Sprintf("%s 新增整改措施“%s”", ref, val("text"))
		item := []ledger.KV{{Key: "text", Value: val("text"), Origin: "text"}}
		if val("owner") != "" {
			item = append(item, ledger.KV{Key: "owner", Value: val("owner"), Origin: "owner"})
		}
		if val("due") != "" {
			item = append(item, ledger.DateKV("due", val("due"), "due"))
		}
		err = doc.AppendToProblem(id, "measures", item, "text")
	case "done":
		if !need("date") {
			break
		}
		i, aerr := strconv.Atoi(val("measure"))
		if aerr != nil || i < 0 || i >= len(p.Measures) {
			state.Fields["measure"].Errors = append(state.Fields["measure"].Errors, "请选择一条整改措施")
			break
		}
		desc = fmt.Sprintf("%s 第 %d 条整改措施完成（%s）", ref, i+1, val("date"))
		err = doc.SetMeasure(id, i, ledger.DateKV("done", val("date"), "date"))
	case "review":
		if !need("date") {
			break
		}
		desc = fmt.Sprintf("%s 四方会审 %s（%s）", ref, val("result"), val("date"))
		item := []ledger.KV{ledger.DateKV("date", val("date"), "date"), {Key: "result", Value: val("result"), Raw: val("result") == "passed" || val("result") == "returned", Origin: "result"}}
		if val("opinion") != "" {
			item = append(item, ledger.KV{Key: "opinion", Value: val("opinion"), Origin: "opinion"})
		}
		err = doc.AppendToProblem(id, "reviews", item, "date")
	case "extension":
		if !need("approved", "due") {
			break
		}
		desc = fmt.Sprintf("%s 批准延期至 %s", ref, val("due"))
		item := []ledger.KV{ledger.DateKV("approved", val("approved"), "approved"), ledger.DateKV("due", val("due"), "due")}
		if val("reason") != "" {
			item = append(item, ledger.KV{Key: "reason", Value: val("reason"), Origin: "reason"})
		}
		err = doc.AppendToProblem(id, "extensions", item, "approved")
	case "problem":
		if !need("title", "target") {
			break
		}
		id = ledger.NextID(round)
		ref = round.District.ID + "/" + round.ID + "/" + id
		st := model.Status(val("status"))
		desc = fmt.Sprintf("%s 新问题“%s”", ref, val("title"))
		item := []ledger.KV{{Key: "id", Value: id, Raw: true, Origin: "title"}, {Key: "target", Value: val("target"), Origin: "target"}}
		if val("category") != "" {
			item = append(item, ledger.KV{Key: "category", Value: val("category"), Origin: "category"})
		}
		item = append(item, ledger.KV{Key: "title", Value: val("title"), Origin: "title"}, ledger.KV{Key: "status", Value: val("status"), Raw: st.Valid(), Origin: "status"})
		err = doc.AppendProblem(item, "title")
	default:
		http.Error(w, "unknown form", http.StatusBadRequest)
		return
	}
	if err != nil {
		state.Errors = append(state.Errors, "无法修改 "+round.File+"："+err.Error())
	}
	if hasErrors(state) {
		s.showErrors(w, r, state)
		return
	}
	ferrs, err := doc.Save(s.data, c.Data.Site.AsOf)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if len(ferrs) > 0 {
		for _, e := range ferrs {
			msg := e.At + ": " + e.Msg
			if f := state.Fields[e.Origin]; f != nil && e.Origin != "" {
				f.Errors = append(f.Errors, fieldLabels[e.Origin]+"有误（未保存）："+msg)
			} else {
				state.Errors = append(state.Errors, "未保存："+msg)
			}
		}
		s.showErrors(w, r, state)
		return
	}
	s.mu.Lock()
	s.written[round.File] = true
	s.pending = append(s.pending, desc)
	s.flash = "已保存：" + desc
	s.mu.Unlock()
	if s.saved != nil {
		s.saved()
	}
	http.Redirect(w, r, back(r), http.StatusSeeOther)
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
