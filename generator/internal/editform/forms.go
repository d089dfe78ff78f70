package editform

import (
	"html/template"
	"strings"

	"github.com/xuncha/bulletin/generator/internal/model"
)

// field is one input of a form as rendered: its value and its errors.
type field struct {
	Value  string
	Errors []string
}

// formState is what a form shows after a failed save: the values typed and
// the errors beside each field.
type formState struct {
	Action string
	Fields map[string]*field
	Errors []string // about no one field
}

func (s *formState) get(name string) *field {
	if s == nil || s.Fields[name] == nil {
		return &field{}
	}
	return s.Fields[name]
}

type option struct{ Value, Label string }

type formsData struct {
	Token, Back, Round, Problem string
	Statuses, Results           []option
	Measures, Targets           []option
	State                       *formState
	Flash                       string
	Pending                     []string
	ProblemPage                 bool
}

// F returns a field of the form that failed, for the template.
func (d formsData) F(action, name string) *field {
	if d.State == nil || d.State.Action != action {
		return &field{}
	}
	return d.State.get(name)
}

// Top returns the errors of the form that failed that are about no field.
func (d formsData) Top(action string) []string {
	if d.State == nil || d.State.Action != action {
		return nil
	}
	return d.State.Errors
}

func statusOptions() []option {
	var out []option
	for _, s := range model.Statuses {
		out = append(out, option{string(s), s.Label()})
	}
	return out
}

var funcs = template.FuncMap{
	"join": strings.Join,
	// dict passes several values to a sub-template; Type and Hint default
	// to "".
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{"Type": "", "Hint": ""}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	},
}

// formsStyle goes into the page's head.
const formsStyle = `<style>
.edit{border:2px solid #1d4ed8;border-radius:6px;padding:1rem;margin:2rem 0;background:#f8fafc;color:#111}
.edit fieldset{border:1px solid #94a3b8;margin:0 0 1rem;padding:.75rem}
.edit legend{font-weight:bold;padding:0 .25rem}
.edit label{display:block;margin:.5rem 0 .15rem}
.edit input,.edit select,.edit textarea{font:inherit;padding:.3rem;min-width:16rem;max-width:100%;border:1px solid #475569}
.edit button{display:block;font:inherit;margin-top:.6rem;padding:.4rem 1rem;background:#1d4ed8;color:#fff;border:0;border-radius:4px;cursor:pointer}
.edit button:focus,.edit input:focus,.edit select:focus,.edit textarea:focus{outline:3px solid #f59e0b;outline-offset:2px}
.edit .err{color:#b91c1c;margin:.2rem 0;font-weight:bold}
.edit .err code{font-weight:normal;color:#111;background:#fee2e2;padding:0 .2rem}
.edit [aria-invalid=true]{border:2px solid #b91c1c}
.edit .flash{background:#dcfce7;padding:.5rem;border-left:4px solid #15803d}
</style>`

// formsTmpl is the forms added to a problem page (status, measure, measure
// done, review, extension) or a round page (new problem), and the commit
// box. Plain HTML forms: they work without JavaScript, with the keyboard,
// and every input has a label; errors are tied to their input with
// aria-describedby and announced (role=alert).
var formsTmpl = template.Must(template.New("forms").Funcs(funcs).Parse(`
<section class="edit" aria-labelledby="edit-h" lang="zh-CN">
<h2 id="edit-h">编辑（仅本机预览，Edit — local preview only）</h2>
{{with .Flash}}<p class="flash" role="status">{{.}}</p>{{end}}
{{define "errs"}}{{range .}}<p class="err">{{.}}</p>{{end}}{{end}}
{{define "input"}}{{/* .D .Form .Name .Label .Type .Hint */}}
{{$f := .D.F .Form .Name}}{{$id := printf "%s-%s" .Form .Name}}
<label for="{{$id}}">{{.Label}}</label>
{{if eq .Type "textarea"}}<textarea id="{{$id}}" name="{{.Name}}" rows="2"{{if $f.Errors}} aria-invalid="true" aria-describedby="{{$id}}-err" autofocus{{end}}>{{$f.Value}}</textarea>
{{else}}<input id="{{$id}}" name="{{.Name}}" type="text"{{with .Hint}} placeholder="{{.}}"{{end}} value="{{$f.Value}}"{{if $f.Errors}} aria-invalid="true" aria-describedby="{{$id}}-err" autofocus{{end}}>{{end}}
{{if $f.Errors}}<div id="{{$id}}-err" role="alert">{{range $f.Errors}}<p class="err">{{.}}</p>{{end}}</div>{{end}}
{{end}}
{{define "select"}}
{{$f := .D.F .Form .Name}}{{$id := printf "%s-%s" .Form .Name}}
<label for="{{$id}}">{{.Label}}</label>
<select id="{{$id}}" name="{{.Name}}"{{if $f.Errors}} aria-invalid="true" aria-describedby="{{$id}}-err"{{end}}>
{{range .Options}}<option value="{{.Value}}"{{if eq .Value $f.Value}} selected{{end}}>{{.Label}}</option>{{end}}
</select>
{{if $f.Errors}}<div id="{{$id}}-err" role="alert">{{range $f.Errors}}<p class="err">{{.}}</p>{{end}}</div>{{end}}
{{end}}
{{define "hidden"}}<input type="hidden" name="csrf" value="{{.Token}}"><input type="hidden" name="back" value="{{.Back}}"><input type="hidden" name="round" value="{{.Round}}"><input type="hidden" name="problem" value="{{.Problem}}">{{end}}
{{$d := .}}
{{if .ProblemPage}}
<form method="post" action="/_edit/save"><fieldset><legend>更改状态（记入整改过程）</legend>
{{template "hidden" $d}}<input type="hidden" name="action" value="status">
{{template "errs" ($d.Top "status")}}
{{template "select" (dict "D" $d "Form" "status" "Name" "status" "Label" "新状态" "Options" $d.Statuses)}}
{{template "input" (dict "D" $d "Form" "status" "Name" "date" "Label" "日期（YYYY-MM-DD）" "Hint" "2024-10-16")}}
{{template "input" (dict "D" $d "Form" "status" "Name" "note" "Label" "情况说明" "Type" "textarea")}}
<button type="submit">保存状态</button></fieldset></form>

<form method="post" action="/_edit/save"><fieldset><legend>添加整改措施</legend>
{{template "hidden" $d}}<input type="hidden" name="action" value="measure">
{{template "errs" ($d.Top "measure")}}
{{template "input" (dict "D" $d "Form" "measure" "Name" "text" "Label" "整改措施")}}
{{template "input" (dict "D" $d "Form" "measure" "Name" "owner" "Label" "责任单位（可空）")}}
{{template "input" (dict "D" $d "Form" "measure" "Name" "due" "Label" "整改时限（YYYY-MM-DD，可空）")}}
<button type="submit">添加措施</button></fieldset></form>

{{if .Measures}}<form method="post" action="/_edit/save"><fieldset><legend>整改措施已完成</legend>
{{template "hidden" $d}}<input type="hidden" name="action" value="done">
{{template "errs" ($d.Top "done")}}
{{template "select" (dict "D" $d "Form" "done" "Name" "measure" "Label" "措施" "Options" $d.Measures)}}
{{template "input" (dict "D" $d "Form" "done" "Name" "date" "Label" "完成日期（YYYY-MM-DD）")}}
<button type="submit">标记完成</button></fieldset></form>{{end}}

<form method="post" action="/_edit/save"><fieldset><legend>记录四方会审</legend>
{{template "hidden" $d}}<input type="hidden" name="action" value="review">
{{template "errs" ($d.Top "review")}}
{{template "input" (dict "D" $d "Form" "review" "Name" "date" "Label" "会审日期（YYYY-MM-DD）")}}
{{template "select" (dict "D" $d "Form" "review" "Name" "result" "Label" "结果" "Options" $d.Results)}}
{{template "input" (dict "D" $d "Form" "review" "Name" "opinion" "Label" "会审意见" "Type" "textarea")}}
<button type="submit">保存会审</button></fieldset></form>

<form method="post" action="/_edit/save"><fieldset><legend>记录批准延期</legend>
{{template "hidden" $d}}<input type="hidden" name="action" value="extension">
{{template "errs" ($d.Top "extension")}}
{{template "input" (dict "D" $d "Form" "extension" "Name" "approved" "Label" "批准日期（YYYY-MM-DD）")}}
{{template "input" (dict "D" $d "Form" "extension" "Name" "due" "Label" "延期至（YYYY-MM-DD）")}}
{{template "input" (dict "D" $d "Form" "extension" "Name" "reason" "Label" "延期理由" "Type" "textarea")}}
<button type="submit">保存延期</button></fieldset></form>
{{else}}
<form method="post" action="/_edit/save"><fieldset><legend>本轮新增问题</legend>
{{template "hidden" $d}}<input type="hidden" name="action" value="problem">
{{template "errs" ($d.Top "problem")}}
{{template "select" (dict "D" $d "Form" "problem" "Name" "target" "Label" "被巡察单位" "Options" $d.Targets)}}
{{template "input" (dict "D" $d "Form" "problem" "Name" "category" "Label" "问题类别（可空）")}}
{{template "input" (dict "D" $d "Form" "problem" "Name" "title" "Label" "问题")}}
{{template "select" (dict "D" $d "Form" "problem" "Name" "status" "Label" "状态" "Options" $d.Statuses)}}
<button type="submit">添加问题</button></fieldset></form>
{{end}}

<form method="post" action="/_edit/commit"><fieldset><legend>提交到 git（Commit）</legend>
<input type="hidden" name="csrf" value="{{.Token}}"><input type="hidden" name="back" value="{{.Back}}">
{{template "errs" ($d.Top "commit")}}
{{if .Pending}}<p>本次编辑尚未提交的改动：</p><ul>{{range .Pending}}<li>{{.}}</li>{{end}}</ul>{{else}}<p>没有尚未提交的改动。</p>{{end}}
<button type="submit">提交</button></fieldset></form>
</section>
`))
