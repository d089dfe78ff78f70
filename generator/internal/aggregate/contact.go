package aggregate

import (
	"strings"

	"github.com/xuncha/bulletin/generator/internal/model"
	"github.com/xuncha/bulletin/generator/internal/view"
)

// contact is site.yaml's contact for the templates, with the links to
// call and to write computed once.
func contact(c *model.Contact) *view.Contact {
	if c == nil {
		return nil
	}
	v := &view.Contact{
		Name: c.Name, Phone: c.Phone, Mailbox: c.Mailbox, Address: c.Address, URL: c.URL,
		Note: c.Note, Illustrative: c.Illustrative,
	}
	if c.Phone != "" {
		// RFC 3966: digits and visual separators; parentheses and spaces become hyphens.
		v.PhoneHref = "tel:" + strings.NewReplacer(" ", "-", "(", "", ")", "-").Replace(c.Phone)
		v.PhoneHref = strings.Trim(strings.ReplaceAll(v.PhoneHref, "--", "-"), "-")
	}
	if strings.Contains(c.Mailbox, "@") { // the loader accepts only valid addresses with an @
		v.MailboxHref = "mailto:" + c.Mailbox
	}
	return v
}
