package model

// Label is a status's name as readers see it: in Chinese (the official
// term) and in English.
type Label struct{ Zh, En string }

// StatusLabels is the one table of status names Go uses (the feed, the
// search index, the change report, the ledger). The templates' translation
// files say the same in their status_* entries; a test keeps them equal.
var StatusLabels = map[Status]Label{
	Pending:       {"未整改", "Not started"},
	InProgress:    {"整改中", "In progress"},
	BasicallyDone: {"基本完成", "Basically done"},
	LongTerm:      {"长期坚持", "Long-term"},
	Rectified:     {"已完成整改", "Rectified"},
	Closed:        {"已销号", "Closed (struck off)"},
}

// Label is the status's Chinese name, or the status as written when it
// has none.
func (s Status) Label() string {
	if l, ok := StatusLabels[s]; ok {
		return l.Zh
	}
	return string(s)
}

// LabelIn is the status's name in the interface language lang ("zh-cn",
// "en"); Chinese for any other language.
func (s Status) LabelIn(lang string) string {
	if l, ok := StatusLabels[s]; ok && lang == "en" {
		return l.En
	}
	return s.Label()
}
