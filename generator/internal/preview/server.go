// Package preview serves a folder for `generator serve`: the built site, or
// — while the records do not pass check — a page listing the errors, and a
// live-reload channel so the browser follows every change.
package preview

import (
	"fmt"
	"html"
	"net/http"
	"strings"
	"sync"
)

// Server serves the preview.
type Server struct {
	dir   string
	files http.Handler
	port  int

	editor Editor // serve --edit; nil otherwise

	mu      sync.Mutex
	errors  []string
	version int
	waiters []chan struct{}
}

// NewServer serves dir.
func NewServer(dir string, port int) *Server {
	return &Server{dir: dir, files: http.FileServer(http.Dir(dir)), port: port}
}

// Editor is what `serve --edit` adds: the handler of /_edit/ and the forms
// on pages.
type Editor interface {
	http.Handler
	Inject(urlPath, page string) string
}

// SetEditor serves e under /_edit/ and lets it add its forms to pages.
func (s *Server) SetEditor(e Editor) { s.editor = e }

// SetErrors shows errs instead of the site (nil shows the site again).
func (s *Server) SetErrors(errs []string) {
	s.mu.Lock()
	s.errors = errs
	s.mu.Unlock()
}

// Reload tells every open page to reload.
func (s *Server) Reload() {
	s.mu.Lock()
	s.version++
	for _, w := range s.waiters {
		close(w)
	}
	s.waiters = nil
	s.mu.Unlock()
}

// reloadScript polls /_preview/wait, which answers when the site changes.
const reloadScript = `<script>(function(){var v=null;function w(){fetch("/_preview/wait?v="+(v===null?"":v)).then(function(r){return r.text()}).then(function(t){if(v!==null&&t!==String(v)){location.reload();return}v=t;w()}).catch(function(){setTimeout(w,1000)})}w()})();</script>`

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !loopbackHost(r.Host) {
		// 421: this server does not answer for that name.
		http.Error(w, "the preview answers only on localhost (http://localhost:PORT/)", http.StatusMisdirectedRequest)
		return
	}
	if r.URL.Path == "/_preview/wait" {
		s.wait(w, r)
		return
	}
	if s.editor != nil && strings.HasPrefix(r.URL.Path, "/_edit/") {
		s.editor.ServeHTTP(w, r)
		return
	}
	s.mu.Lock()
	errs := s.errors
	s.mu.Unlock()
	if errs != nil {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		var b strings.Builder
		b.WriteString(`<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>记录有误 · check failed</title></head><body style="font:16px/1.6 system-ui,sans-serif;margin:2rem">`)
		fmt.Fprintf(&b, "<h1>记录有误，未更新网站（%d 个错误）</h1><ol>", len(errs))
		for _, e := range errs {
			b.WriteString("<li><code>" + html.EscapeString(e) + "</code></li>")
		}
		b.WriteString("</ol><p>改正后页面会自动刷新。</p>" + reloadScript + "</body></html>")
		w.Write([]byte(b.String()))
		return
	}
	if strings.HasSuffix(r.URL.Path, "/") || strings.HasSuffix(r.URL.Path, ".html") {
		rec := &injector{ResponseWriter: w}
		if s.editor != nil {
			path := r.URL.Path
			rec.edit = func(page string) string { return s.editor.Inject(path, page) }
		}
		s.files.ServeHTTP(rec, r)
		rec.finish()
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.files.ServeHTTP(w, r)
}

// wait answers with the site's version once it differs from ?v=.
func (s *Server) wait(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	cur := fmt.Sprint(s.version)
	if r.URL.Query().Get("v") != cur {
		s.mu.Unlock()
		w.Write([]byte(cur))
		return
	}
	ch := make(chan struct{})
	s.waiters = append(s.waiters, ch)
	s.mu.Unlock()
	select {
	case <-ch:
	case <-r.Context().Done():
		return
	}
	s.mu.Lock()
	cur = fmt.Sprint(s.version)
	s.mu.Unlock()
	w.Write([]byte(cur))
}

// injector adds the reload script to HTML pages.
type injector struct {
	http.ResponseWriter
	buf    strings.Builder
	status int
	html   bool
	edit   func(page string) string // serve --edit's forms
}

func (i *injector) WriteHeader(code int) {
	i.status = code
	i.html = strings.HasPrefix(i.Header().Get("Content-Type"), "text/html")
	if i.html {
		i.Header().Del("Content-Length")
	}
	i.Header().Set("Cache-Control", "no-store")
	i.ResponseWriter.WriteHeader(code)
}

func (i *injector) Write(b []byte) (int, error) {
	if i.status == 0 {
		i.WriteHeader(http.StatusOK)
	}
	if !i.html {
		return i.ResponseWriter.Write(b)
	}
	return i.buf.Write(b)
}

func (i *injector) finish() {
	if !i.html {
		return
	}
	page := i.buf.String()
	if i.edit != nil {
		page = i.edit(page)
	}
	if k := strings.LastIndex(page, "</body>"); k >= 0 {
		page = page[:k] + reloadScript + page[k:]
	}
	i.ResponseWriter.Write([]byte(page))
}
