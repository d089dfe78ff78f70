package aggregate

import (
	"testing"

	"github.com/xuncha/bulletin/generator/internal/model"
)

func TestContactLinks(t *testing.T) {
	for _, c := range []struct {
		phone, mailbox    string
		wantTel, wantMail string
	}{
		{"12388", "", "tel:12388", ""},
		{"0766-1234567", "jubao@example.org", "tel:0766-1234567", "mailto:jubao@example.org"},
		{"(0766) 123 4567", "示例市邮政信箱100号", "tel:0766-123-4567", ""},
		{"+86 10 12388", "", "tel:+86-10-12388", ""},
		{"", "", "", ""},
	} {
		v := contact(&model.Contact{Phone: c.phone, Mailbox: c.mailbox, Address: "地址"})
		if v.PhoneHref != c.wantTel || v.MailboxHref != c.wantMail {
			t.Errorf("phone %q mailbox %q: got %q %q, want %q %q", c.phone, c.mailbox, v.PhoneHref, v.MailboxHref, c.wantTel, c.wantMail)
		}
	}
	if contact(nil) != nil {
		t.Error("no contact in site.yaml must give null, not an empty contact")
	}
}
