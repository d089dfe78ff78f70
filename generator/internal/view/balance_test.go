package view

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// voidElements never have an end tag.
var voidElements = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true,
	"input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true,
}

var (
	actionRE = regexp.MustCompile(`(?s){{.*?}}`)
	tagRE    = regexp.MustCompile(`(?s)<!--.*?-->|<!DOCTYPE[^>]*>|<(/?)([a-zA-Z][a-zA-Z0-9-]*)(?:\s[^>]*?)?(/?)>`)
)

// unbalanced lists the elements of one template that are closed without
// being opened there, or opened and left for another file to close. The
// template actions are blanked out first, so every branch of an if counts.
func unbalanced(src string) []string {
	text := actionRE.ReplaceAllString(src, "")
	var open []string
	var bad []string
	for _, m := range tagRE.FindAllStringSubmatch(text, -1) {
		closing, name, self := m[1] == "/", strings.ToLower(m[2]), m[3] == "/"
		switch {
		case name == "" || self || voidElements[name] && !closing:
		case !closing:
			open = append(open, name)
		case len(open) > 0 && open[len(open)-1] == name:
			open = open[:len(open)-1]
		default:
			bad = append(bad, "</"+name+"> closes what it did not open")
		}
	}
	for _, name := range open {
		bad = append(bad, "<"+name+"> left open")
	}
	return bad
}

func TestUnbalancedCatchesOpenAndStrayTags(t *testing.T) {
	for src, want := range map[string]string{
		`<header>{{ if .x }}<a href="{{ .url }}">x</a>{{ end }}</header>`: "",
		`<svg><rect x="0"/><title>t</title></svg><br><img src="">`:        "",
		`<!DOCTYPE html><html><head><meta charset="utf-8"></head></html>`: "",
		`<!-- <div> -->{{/* <p> */}}<p>x</p>`:                             "",
		`<header><nav><ul><li>x</li>`:                                     "<header> left open|<nav> left open|<ul> left open",
		`</ul></nav></header>`:                                            "</ul> closes what it did not open|</nav> closes what it did not open|</header> closes what it did not open",
		`<div><span></div></span>`:                                        "</div> closes what it did not open|<div> left open",
	} {
		got := strings.Join(unbalanced(src), "|")
		if got != want {
			t.Errorf("unbalanced(%q) = %q, want %q", src, got, want)
		}
	}
}

// TestTemplatesCloseWhatTheyOpen checks that every layout and partial
// closes each element it opens and closes none it did not: no partial leaves
// a tag open for the base layout to close.
func TestTemplatesCloseWhatTheyOpen(t *testing.T) {
	var bad []string
	n := 0
	err := filepath.Walk(filepath.Join(templates, "layouts"), func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		n++
		for _, msg := range unbalanced(string(b)) {
			rel, _ := filepath.Rel(templates, p)
			bad = append(bad, fmt.Sprintf("templates/%s: %s", filepath.ToSlash(rel), msg))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 10 {
		t.Fatalf("only %d templates found under %s/layouts", n, templates)
	}
	if len(bad) > 0 {
		t.Errorf("templates leave tags open or close others' tags:\n%s", strings.Join(bad, "\n"))
	}
}
