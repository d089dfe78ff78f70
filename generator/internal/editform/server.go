// Package editform is `serve --edit`: forms on the preview's problem and
// round pages that change the records the way a ledger import does — text
// spliced into the round's YAML file at the values' positions (comments
// and layout kept), the same check before anything is written, errors
// beside the field they are about — and a 提交 button that commits the
// files it changed with git.
//
// The forms are served to the loopback interface only: every request must
// name a loopback host (no DNS rebinding), a cross-site request is refused,
// and every form carries the session's CSRF token.
package editform

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/xuncha/bulletin/generator/internal/check"
	"github.com/xuncha/bulletin/generator/internal/ledger"
	"github.com/xuncha/bulletin/generator/internal/load"
	"github.com/xuncha/bulletin/generator/internal/model"
)

// Server handles /_edit/ and adds the forms to pages.
type Server struct {
	data  string     // the data folder
	asOf  model.Date // --as-of
	site  string     // the folder the preview serves (pages to show errors on)
	token string
	cache *load.Cache
	// saved is called after a file was written and before the browser is
	// sent back to the page: the preview rebuilds there.
	saved func()

	mu      sync.Mutex
	written map[string]bool // files this session wrote (paths as given)
	pending []string        // what changed, for the commit message
	flash   string
}

// Option changes a Server.
type Option func(*Server)

// WithAsOf sets as_of for the check (as --as-of).
func WithAsOf(d model.Date) Option { return func(s *Server) { s.asOf = d } }

// OnSave calls f after every write, before the browser reloads the page.
func OnSave(f func()) Option { return func(s *Server) { s.saved = f } }

// New returns the edit server of the data folder data, whose preview
// pages are in site.
func New(data, site string, opts ...Option) (*Server, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	s := &Server{data: data, site: site, token: hex.EncodeToString(b), cache: load.NewCache(), written: map[string]bool{}}
	for _, o := range opts {
		o(s)
	}
	return s, nil
}

// loopbackHost reports whether host (a Host header or URL host) names the
// loopback interface.
func loopbackHost(host string) bool {
	h := host
	if hh, _, err := net.SplitHostPort(host); err == nil {
		h = hh
	}
	h = strings.Trim(h, "[]")
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// allowed refuses requests that did not come from a page of this preview.
func (s *Server) allowed(r *http.Request) (int, string) {
	if !loopbackHost(r.Host) {
		return http.StatusForbidden, "只接受本机（localhost）访问"
	}
	if ra, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		if ip := net.ParseIP(ra); ip == nil || !ip.IsLoopback() {
			return http.StatusForbidden, "只接受本机（localhost）访问"
		}
	}
	if r.Method != http.MethodPost {
		return http.StatusMethodNotAllowed, "只接受 POST"
	}
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return http.StatusForbidden, "拒绝跨站请求"
	}
	if o := r.Header.Get("Origin"); o != "" {
		host := strings.TrimPrefix(strings.TrimPrefix(o, "http://"), "https://")
		if host != r.Host || !loopbackHost(host) {
			return http.StatusForbidden, "拒绝跨站请求"
		}
	}
	if err := r.ParseForm(); err != nil {
		return http.StatusBadRequest, "表单有误"
	}
	if subtle.ConstantTimeCompare([]byte(r.PostFormValue("csrf")), []byte(s.token)) != 1 {
		return http.StatusForbidden, "表单已过期（CSRF 令牌不符）：请刷新页面后重试"
	}
	return 0, ""
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if code, msg := s.allowed(r); code != 0 {
		http.Error(w, msg, code)
		return
	}
	switch r.URL.Path {
	case "/_edit/save":
		s.save(w, r)
	case "/_edit/commit":
		s.commit(w, r)
	default:
		http.NotFound(w, r)
	}
}

// back is the page a form came from: a path of the site, nothing else.
func back(r *http.Request) string {
	b := path.Clean("/" + r.PostFormValue("back"))
	if !strings.HasSuffix(b, "/") {
		b += "/"
	}
	return b
}

// records checks the data folder as it is now.
func (s *Server) records() (*check.Checked, bool) {
	c, errs := check.WorkingTree(s.data, s.asOf, load.WithCache(s.cache))
	return c, len(errs) == 0
}

// Inject adds the forms to the page at urlPath (a problem page or a round
// page of the default language), with state when a save failed.
func (s *Server) Inject(urlPath, page string) string {
	return s.inject(urlPath, page, nil)
}

func (s *Server) inject(urlPath, page string, state *formState) string {
	segs := strings.Split(strings.Trim(urlPath, "/"), "/")
	if len(segs) < 2 || len(segs) > 3 {
		return page
	}
	c, ok := s.records()
	if !ok {
		return page
	}
	r := ledger.FindRound(c.Data, segs[0]+"/"+segs[1])
	if r == nil {
		return page
	}
	d := formsData{Token: s.token, Back: "/" + strings.Join(segs, "/") + "/", Round: segs[0] + "/" + segs[1],
		Statuses: statusOptions(), Results: []option{{"passed", "通过"}, {"returned", "退回（二次整改）"}}, State: state}
	if len(segs) == 3 {
		var p *model.Problem
		for _, q := range r.Problems {
			if q.ID == segs[2] {
				p = q
			}
		}
		if p == nil {
			return page
		}
		d.ProblemPage, d.Problem = true, p.ID
		for i, m := range p.Measures {
			label := fmt.Sprintf("%d. %s", i+1, m.Text)
			if !m.Done.IsZero() {
				label += "（已完成 " + m.Done.String() + "）"
			}
			d.Measures = append(d.Measures, option{strconv.Itoa(i), label})
		}
	} else {
		for _, t := range r.Targets {
			d.Targets = append(d.Targets, option{t.ID, t.Name})
		}
	}
	s.mu.Lock()
	d.Flash, s.flash = s.flash, ""
	d.Pending = slices.Clone(s.pending)
	s.mu.Unlock()
	var b bytes.Buffer
	if err := formsTmpl.Execute(&b, d); err != nil {
		return page
	}
	if h := strings.Index(page, "</head>"); h >= 0 {
		page = page[:h] + formsStyle + page[h:]
	}
	at := strings.LastIndex(page, "</main>")
	if at < 0 {
		at = strings.LastIndex(page, "</body>")
	}
	if at < 0 {
		return page + b.String()
	}
	return page[:at] + b.String() + page[at:]
}

// showErrors answers a failed save with the page and the form again: the
// values typed, each error beside its field.
func (s *Server) showErrors(w http.ResponseWriter, r *http.Request, state *formState) {
	b := back(r)
	page, err := os.ReadFile(filepath.Join(s.site, filepath.FromSlash(b), "index.html"))
	if err != nil {
		page = []byte(`<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>编辑</title></head><body><main></main></body></html>`)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusUnprocessableEntity)
	w.Write([]byte(s.inject(b, string(page), state)))
}
