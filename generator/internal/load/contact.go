package load

import (
	"net/mail"
	"net/url"
	"regexp"
	"strings"

	"github.com/xuncha/bulletin/generator/internal/model"
)

// contact decodes site.yaml's contact: how citizens reach the office. It
// returns nil when nothing to reach it by is given (after reporting).
func contact(r *rec) *model.Contact {
	c := &model.Contact{
		Node:         r.node,
		Name:         r.text("name"),
		Phone:        r.phone("phone"),
		Mailbox:      r.mailbox("mailbox"),
		Address:      r.text("address"),
		URL:          r.webURL("url"),
		Note:         r.text("note"),
		Illustrative: r.boolean("illustrative"),
	}
	if c.Phone == "" && c.Mailbox == "" && c.Address == "" && c.URL == "" {
		if !r.has("phone", "mailbox", "address", "url") {
			r.f.add(r.node.Pos.Line, r.node.Pos.Col, "contact must give at least one of phone, mailbox, address, url")
		}
		return nil
	}
	return c
}

// has reports whether any of keys was written with a value.
func (r *rec) has(keys ...string) bool {
	for _, k := range keys {
		if r.val(k) != nil {
			return true
		}
	}
	return false
}

// phoneRE is a telephone number as offices print it: digits, with spaces,
// hyphens, parentheses and a leading +; 3 to 20 digits.
var phoneRE = regexp.MustCompile(`^\+?[0-9][0-9 ()-]*$`)

// phone returns a telephone number such as 12388 or 0766-1234567.
func (r *rec) phone(key string) string {
	v := r.scalar(key, "a telephone number")
	if v == nil {
		return ""
	}
	s := strings.TrimSpace(v.Value)
	digits := 0
	for _, c := range s {
		if c >= '0' && c <= '9' {
			digits++
		}
	}
	if !phoneRE.MatchString(s) || digits < 3 || digits > 20 {
		r.f.at(v, "%q must be one telephone number such as 12388 or 0766-1234567 (digits, spaces, hyphens, parentheses), got %s", key, describe(v))
		return ""
	}
	return s
}

// mailbox returns a mailbox: an e-mail address (anything with an @ must be
// one, without a display name) or a postal box written as text.
func (r *rec) mailbox(key string) string {
	v := r.scalar(key, "text")
	if v == nil {
		return ""
	}
	s := strings.TrimSpace(v.Value)
	if strings.Contains(s, "@") {
		a, err := mail.ParseAddress(s)
		if err != nil || a.Name != "" || a.Address != s || strings.ContainsAny(s, "<>\"") {
			r.f.at(v, "%q looks like an e-mail address but is not one such as jubao@example.org, got %s", key, describe(v))
			return ""
		}
	}
	if s == "" {
		r.f.at(v, "%q must not be blank", key)
	}
	return s
}

// webURL returns an absolute http(s) URL without credentials.
func (r *rec) webURL(key string) string {
	v := r.scalar(key, "a URL")
	if v == nil {
		return ""
	}
	s := strings.TrimSpace(v.Value)
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.Opaque != "" ||
		strings.ContainsAny(s, " \t\n") {
		r.f.at(v, "%q must be an absolute http:// or https:// URL such as https://www.12388.gov.cn/, got %s", key, describe(v))
		return ""
	}
	return s
}
