package cli

import (
	"flag"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/xuncha/bulletin/generator/internal/diag"
	"github.com/xuncha/bulletin/generator/internal/editform"
	"github.com/xuncha/bulletin/generator/internal/pipeline"
	"github.com/xuncha/bulletin/generator/internal/preview"
)

// serve builds the site, serves it on localhost, rebuilds on every change to
// the records, content or templates, and reloads the browser. A broken edit
// shows its errors in the page and in the terminal instead of a stale site.
func serve(args []string, env Env) int {
	var cfg pipeline.Config
	fs := flags("serve", env, &cfg, true)
	port := fs.Int("port", 1313, "port on localhost")
	district := fs.String("district", "", "preview one district only (fast on large data)")
	edit := fs.Bool("edit", false, "add forms to problem and round pages that change the records and commit them (loopback only)")
	if !parse(fs, args, env) {
		return 2
	}
	outGiven := false
	fs.Visit(func(f *flag.Flag) { outGiven = outGiven || f.Name == "out" })
	if outGiven {
		fmt.Fprintln(env.Stderr, "serve renders into a temporary folder: --out is for build")
		return 2
	}
	ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(*port))
	if err != nil {
		fmt.Fprintln(env.Stderr, err)
		return 1
	}
	addr := ln.Addr().(*net.TCPAddr)
	base := fmt.Sprintf("http://localhost:%d/", addr.Port)
	cfg.Log = env.Stderr
	p, err := pipeline.NewPreview(cfg, base, *district)
	if err != nil {
		fmt.Fprintln(env.Stderr, err)
		return 1
	}
	defer p.Close()
	srv := preview.NewServer(p.Dir, addr.Port)
	rebuild := func(sources bool, why string) {
		start := time.Now()
		errs, n, err := p.Refresh(sources)
		switch {
		case err != nil:
			fmt.Fprintf(env.Stderr, "build failed: %v\n", err)
			srv.SetErrors([]string{err.Error()})
		case len(errs) > 0:
			printErrors(env.Stderr, errs)
			srv.SetErrors(lines(errs))
		default:
			srv.SetErrors(nil)
			fmt.Fprintf(env.Stdout, "%s: %d pages updated in %s\n", why, n, time.Since(start).Round(time.Millisecond))
		}
		srv.Reload()
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(stop)
	// Watch before the first build reads the files and before saying
	// where it serves: an edit saved at any moment after that (while the
	// first build runs, or the instant the address is printed) is seen.
	w, err := fsnotify.NewWatcher()
	if err != nil {
		fmt.Fprintln(env.Stderr, err)
		return 1
	}
	defer w.Close()
	for _, dir := range []string{cfg.Data, cfg.Content, cfg.Templates} {
		watchTree(w, dir)
	}
	rebuild(true, "built")
	edited := make(chan chan struct{})
	if *edit {
		ed, err := editform.New(cfg.Data, p.Dir, editform.WithAsOf(cfg.AsOf), editform.OnSave(func() {
			done := make(chan struct{})
			edited <- done // the watch loop rebuilds, so that the page the form returns to is new
			<-done
		}))
		if err != nil {
			fmt.Fprintln(env.Stderr, err)
			return 1
		}
		srv.SetEditor(ed)
	}
	go http.Serve(ln, srv)
	fmt.Fprintf(env.Stdout, "serving %s on %s (Ctrl+C to stop)\n", cfg.Edition, base)

	var mu sync.Mutex
	pending, sources := false, false
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case <-stop:
			return 0
		case done := <-edited:
			mu.Lock()
			pending = false
			mu.Unlock()
			rebuild(false, "edited")
			close(done)
		case ev := <-w.Events:
			if ev.Op&fsnotify.Create != 0 {
				if info, err := os.Stat(ev.Name); err == nil && info.IsDir() {
					watchTree(w, ev.Name)
				}
			}
			if strings.HasPrefix(filepath.Base(ev.Name), ".") || strings.HasSuffix(ev.Name, "~") {
				continue
			}
			mu.Lock()
			pending = true
			if !within(ev.Name, cfg.Data) {
				sources = true
			}
			mu.Unlock()
			timer.Reset(40 * time.Millisecond) // editors write in bursts
		case err := <-w.Errors:
			fmt.Fprintln(env.Stderr, "watch:", err)
		case <-timer.C:
			mu.Lock()
			do, src := pending, sources
			pending, sources = false, false
			mu.Unlock()
			if do {
				rebuild(src, "changed")
			}
		}
	}
}

func lines(errs diag.List) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	if err != nil {
		abs, _ := filepath.Abs(dir)
		rel, err = filepath.Rel(abs, p)
	}
	return err == nil && !strings.HasPrefix(rel, "..")
}

func watchTree(w *fsnotify.Watcher, dir string) {
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if p != dir && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			w.Add(p)
		}
		return nil
	})
}
