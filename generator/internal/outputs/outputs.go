// Package outputs writes the machine-readable files of an edition:
// data/totals.json, data/problems.csv and feed.xml (Atom). They are written
// from the same view data as the pages, so the public edition's files carry
// nothing the public pages do not.
package outputs

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/xuncha/bulletin/generator/internal/model"
	"github.com/xuncha/bulletin/generator/internal/view"
)

// Paths of the files under --out.
const (
	TotalsPath   = "data/totals.json"
	ProblemsPath = "data/problems.csv"
	FeedPath     = "feed.xml"
	// FeedEntries is the number of status changes the feed carries.
	FeedEntries = 200
)

// Write writes every machine-readable file of b under dir.
func Write(dir string, b *view.Bulletin) error {
	f, err := Create(dir, b)
	if err != nil {
		return err
	}
	for _, d := range b.Districts {
		if err := f.Add(d); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

// Files writes the machine-readable files of an edition district by
// district: Create takes the site-wide data (a Bulletin whose districts
// may lack their page data), Add each district with its page data in
// b.Districts' order, Close writes the rest. It keeps no district: the
// rows of data/problems.csv go to the file as they come, and of the
// problems' history only the feed's latest entries. The files are Write's,
// byte for byte.
type Files struct {
	dir     string
	b       *view.Bulletin
	csvFile *os.File
	buf     *bufio.Writer
	csv     *csv.Writer
	changes []Change // the latest status changes so far, for Feed without git
}

// Create starts the machine-readable files of b under dir.
func Create(dir string, b *view.Bulletin) (*Files, error) {
	p := filepath.Join(dir, filepath.FromSlash(ProblemsPath))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return nil, err
	}
	file, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	f := &Files{dir: dir, b: b, csvFile: file, buf: bufio.NewWriterSize(file, 1<<16)}
	f.csv = startCSV(f.buf)
	if err := f.csv.Write(ProblemsHeader); err != nil {
		file.Close()
		return nil, err
	}
	return f, nil
}

// Add adds district d's problems (its page data: d.RoundPages).
func (f *Files) Add(d *view.District) error {
	if err := problemRows(f.csv, f.b.Site.BaseURL, d); err != nil {
		return err
	}
	if len(f.b.Changes) == 0 {
		f.changes = latest(append(f.changes, historyChanges(d)...))
	}
	return nil
}

// Part is what one district adds to the files, made from its page data
// by PartOf: its rows of data/problems.csv, encoded, and its latest status
// changes (at most FeedEntries, newest first), of which the feed without
// git takes the latest of all districts. A build keeps it, so that a
// district whose records did not change adds its part without its page
// data (AddPart).
type Part struct {
	Rows    []byte
	Changes []Change
}

// PartOf is district d's Part (its page data: d.RoundPages) in a site at
// base (the site's base URL, which its rows' urls start with).
func PartOf(base string, d *view.District) (Part, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	if err := problemRows(w, base, d); err != nil {
		return Part{}, err
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return Part{}, err
	}
	return Part{Rows: buf.Bytes(), Changes: latest(historyChanges(d))}, nil
}

// AddPart adds a district's part made by PartOf (in a site of the same
// base URL): the same bytes as Add of its page data.
func (f *Files) AddPart(p Part) error {
	f.csv.Flush()
	if err := f.csv.Error(); err != nil {
		return err
	}
	if _, err := f.buf.Write(p.Rows); err != nil {
		return err
	}
	if len(f.b.Changes) == 0 {
		f.changes = latest(append(f.changes, p.Changes...))
	}
	return nil
}

// Close finishes data/problems.csv and writes data/totals.json and the
// feed.
func (f *Files) Close() error {
	f.csv.Flush()
	err := f.csv.Error()
	if err == nil {
		err = f.buf.Flush()
	}
	if cerr := f.csvFile.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	files := map[string][]byte{}
	if files[TotalsPath], err = Totals(f.b); err != nil {
		return err
	}
	if len(f.b.Changes) > 0 {
		files[FeedPath], err = gitFeed(f.b)
	} else {
		files[FeedPath], err = historyFeed(f.b, f.changes)
	}
	if err != nil {
		return err
	}
	for name, data := range files {
		p := filepath.Join(f.dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// rate is a percentage with exactly one decimal in JSON (99.1, 98.0), or null.
type rate struct{ v *float64 }

func (r rate) MarshalJSON() ([]byte, error) {
	if r.v == nil {
		return []byte("null"), nil
	}
	return []byte(strconv.FormatFloat(*r.v, 'f', 1, 64)), nil
}

// figures are the totals of the site or of one district in totals.json:
// the contract's found, rectified, rate and overdue (part 1), its part-2
// additions (rate_found, overdue_complete, basically_done, not_done,
// long_term), then this project's extensions. An unknown figure is null,
// never 0.
type figures struct {
	Found           *int `json:"found"`
	Rectified       *int `json:"rectified"`
	Rate            rate `json:"rate"`
	Overdue         *int `json:"overdue"`
	RateFound       *int `json:"rate_found"`
	OverdueComplete bool `json:"overdue_complete"`
	BasicallyDone   *int `json:"basically_done"`
	NotDone         *int `json:"not_done"`
	LongTerm        *int `json:"long_term"`
	InProgress      *int `json:"in_progress"`
	// What the figures cover: a bucket is complete when every round gives it.
	BasicallyDoneComplete bool `json:"basically_done_complete"`
	NotDoneComplete       bool `json:"not_done_complete"`
	LongTermComplete      bool `json:"long_term_complete"`
	InProgressComplete    bool `json:"in_progress_complete"`
	Rounds                int  `json:"rounds"`
	FoundComplete         bool `json:"found_complete"`
	RectifiedComplete     bool `json:"rectified_complete"`
	RateComplete          bool `json:"rate_complete"`
	OverdueUnknown        int  `json:"overdue_unknown_rounds"`
	// Counts of the problems listed one by one. due_soon, reopened and
	// extended are figures of the whole only where every problem is listed
	// (and, for due_soon, where overdue is known too); elsewhere they are
	// null: a count over a fragment is not a total (unknown is not zero).
	DueSoon  *int `json:"due_soon"`
	Listed   int  `json:"listed"`
	Withheld int  `json:"withheld"`
	Reopened *int `json:"reopened"`
	Extended *int `json:"extended"`
}

// wholeCount is n when the listed problems are every problem, else nil.
func wholeCount(t view.Totals, n int, alsoKnown bool) *int {
	if t.Rounds == 0 || t.ListsAllRounds != t.Rounds || !alsoKnown {
		return nil
	}
	return &n
}

func figuresOf(t view.Totals) figures {
	return figures{
		Found: t.Found, Rectified: t.Rectified, Rate: rate{t.Rate}, Overdue: t.Overdue,
		RateFound: t.RateFound, OverdueComplete: t.OverdueComplete,
		BasicallyDone: t.BasicallyDone, NotDone: t.NotDone, LongTerm: t.LongTerm, InProgress: t.InProgress,
		Rounds: t.Rounds, FoundComplete: t.FoundComplete, RectifiedComplete: t.RectifiedComplete,
		RateComplete: t.RateComplete, OverdueUnknown: t.OverdueUnknownRounds,
		BasicallyDoneComplete: t.Rounds > 0 && t.BucketRounds.BasicallyDone == t.Rounds,
		NotDoneComplete:       t.Rounds > 0 && t.BucketRounds.NotDone == t.Rounds,
		LongTermComplete:      t.Rounds > 0 && t.BucketRounds.LongTerm == t.Rounds,
		InProgressComplete:    t.Rounds > 0 && t.BucketRounds.InProgress == t.Rounds,
		DueSoon:               wholeCount(t, t.DueSoon, t.OverdueComplete), Listed: t.Listed, Withheld: t.Withheld,
		Reopened: wholeCount(t, t.Reopened, true), Extended: wholeCount(t, t.Extended, true),
	}
}

type totalsDistrict struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	figures
	Illustrative bool   `json:"illustrative"`
	Region       string `json:"region"`
	URL          string `json:"url"`
}

type totalsFile struct {
	AsOf string `json:"as_of"`
	figures
	Districts []totalsDistrict `json:"districts"`
	Edition   string           `json:"edition"`
}

// Totals renders data/totals.json.
func Totals(b *view.Bulletin) ([]byte, error) {
	f := totalsFile{AsOf: b.Site.AsOf, figures: figuresOf(b.Home.Totals), Districts: []totalsDistrict{}, Edition: b.Site.Edition}
	for _, d := range b.Districts { // in id order, so that the file diffs well
		f.Districts = append(f.Districts, totalsDistrict{
			ID: d.ID, Name: d.Name, figures: figuresOf(d.Totals),
			Illustrative: d.Illustrative, Region: d.Region, URL: d.URL,
		})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ProblemsHeader is the header row of data/problems.csv.
var ProblemsHeader = []string{
	"district", "district_name", "round", "round_title", "problem", "target", "target_name",
	"category", "title", "status", "due", "due_state", "extended", "reopened", "returns",
	"common", "measures", "last_change", "url",
}

// ProblemsCSV renders data/problems.csv: UTF-8 with a byte-order mark (so
// Excel and WPS show Chinese), a header row, one row per problem shown in
// the edition, every cell neutralised against formula injection.
func ProblemsCSV(b *view.Bulletin) ([]byte, error) {
	var buf bytes.Buffer
	w := startCSV(&buf)
	if err := w.Write(ProblemsHeader); err != nil {
		return nil, err
	}
	for _, d := range b.Districts {
		if err := problemRows(w, b.Site.BaseURL, d); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// startCSV writes the byte-order mark and returns the CSV writer of
// data/problems.csv.
func startCSV(w io.Writer) *csv.Writer {
	io.WriteString(w, "\ufeff")
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return cw
}

// problemRows writes the rows of district d's problems.
func problemRows(w *csv.Writer, base string, d *view.District) error {
	for _, r := range d.RoundPages {
		for _, p := range r.ProblemPages {
			row := []string{
				d.ID, d.Name, r.ID, r.Title, p.ID, p.Target.ID, p.Target.Name,
				p.Category, p.Title, p.Status, p.Due, p.DueState, yesNo(p.Extended), yesNo(p.Reopened),
				strconv.Itoa(p.Returns), yesNo(p.Common), strconv.Itoa(len(p.Measures)), p.LastChange,
				absURL(base, p.URL),
			}
			for i := range row {
				row[i] = NeutraliseCell(row[i])
			}
			if err := w.Write(row); err != nil {
				return err
			}
		}
	}
	return nil
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// NeutraliseCell defuses a CSV cell a spreadsheet would run as a formula, as
// OWASP recommends, judged by the first visible character: a cell whose
// first character that is not a space, a line break or an invisible format
// character (U+3000, no-break space, zero-width space, joiners, BOM …) is
// =, +, -, @ or one of their full-width or small forms (＝ ＋ － ＠ ﹦ ﹢ ﹣ ﹫,
// and the minus sign −) gets a leading single quote, as does a cell that
// starts with a tab or a carriage return.
func NeutraliseCell(s string) string {
	if s == "" {
		return s
	}
	if s[0] == '\t' || s[0] == '\r' {
		return "'" + s
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) || unicode.IsControl(r) {
			continue
		}
		if strings.ContainsRune(formulaStarts, r) {
			return "'" + s
		}
		return s
	}
	return s
}

// formulaStarts are the characters that make a spreadsheet read a cell as a
// formula, with the forms spreadsheets fold into them.
const formulaStarts = "=+-@＝＋－＠﹦﹢﹣﹫−"

func absURL(base, rel string) string {
	return strings.TrimSuffix(base, "/") + "/" + strings.TrimPrefix(rel, "/")
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	Title   atomText `xml:"title"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Link    atomLink `xml:"link"`
	Summary atomText `xml:"summary"`
	Cat     []struct {
		Term string `xml:"term,attr"`
	} `xml:"category"`
}

type atomFeed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string   `xml:"xml:lang,attr"`
	Title   atomText `xml:"title"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Author  struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

// Change is a status change of a problem's history, for the feed: what
// the entry shows of it, so that the feed keeps no page data.
type Change struct {
	District, Title, URL string
	Index                int // the entry's place in the problem's history
	Date, Status, Note   string
}

// historyChanges are the history entries of district d's problems.
func historyChanges(d *view.District) []Change {
	var all []Change
	for _, r := range d.RoundPages {
		for _, p := range r.ProblemPages {
			for i, h := range p.History {
				all = append(all, Change{District: d.Name, Title: p.Title, URL: p.URL, Index: i, Date: h.Date, Status: h.Status, Note: h.Note})
			}
		}
	}
	return all
}

// latest sorts changes newest first (then by page and, within a page,
// the later entry first) and keeps the first FeedEntries: the order is
// total, so the latest of the latest of parts are the latest of the whole.
func latest(all []Change) []Change {
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].Date != all[j].Date {
			return all[i].Date > all[j].Date
		}
		if all[i].URL != all[j].URL {
			return all[i].URL < all[j].URL
		}
		return all[i].Index > all[j].Index
	})
	if len(all) > FeedEntries {
		all = all[:FeedEntries:FeedEntries]
	}
	return all
}

// Feed renders the Atom feed of the latest status changes, newest first,
// dated by the problems' history entries (never by the clock). In git the
// changes are those found by comparing successive versions of the data
// (b.Changes); outside git, or before any version changed a status, the
// problems' own history entries.
func Feed(b *view.Bulletin) ([]byte, error) {
	if len(b.Changes) > 0 {
		return gitFeed(b)
	}
	var all []Change
	for _, d := range b.Districts {
		all = append(all, historyChanges(d)...)
	}
	return historyFeed(b, latest(all))
}

// historyFeed renders the feed of the latest changes of the problems'
// history (latest's).
func historyFeed(b *view.Bulletin, all []Change) ([]byte, error) {
	base := b.Site.BaseURL
	f := newFeed(b)
	if len(all) > 0 {
		f.Updated = all[0].Date + "T00:00:00Z"
	}
	for _, c := range all {
		label := model.Status(c.Status).Label()
		e := atomEntry{
			Title:   atomText{Body: c.District + " · " + c.Title + " → " + label},
			ID:      absURL(base, c.URL) + "#history-" + strconv.Itoa(c.Index+1),
			Updated: c.Date + "T00:00:00Z",
			Link:    atomLink{Href: absURL(base, c.URL), Rel: "alternate", Type: "text/html"},
			Summary: atomText{Type: "text", Body: c.Date + " " + label + strings.TrimSpace("："+c.Note)},
		}
		if c.Note == "" {
			e.Summary.Body = c.Date + " " + label
		}
		e.Cat = append(e.Cat, struct {
			Term string `xml:"term,attr"`
		}{c.Status})
		f.Entries = append(f.Entries, e)
	}
	return encodeFeed(withNotices(f, b))
}

// gitFeed renders b.Changes, which are newest first.
func gitFeed(b *view.Bulletin) ([]byte, error) {
	f := newFeed(b)
	changes := b.Changes
	if len(changes) > FeedEntries {
		changes = changes[:FeedEntries]
	}
	if len(changes) > 0 {
		f.Updated = changes[0].Date + "T00:00:00Z"
	}
	seen := map[string]int{}
	for _, c := range changes {
		to := model.Status(c.To).Label()
		from := model.Status(c.From).Label()
		if c.From == "" {
			from = "新问题"
		}
		id := absURL(b.Site.BaseURL, c.URL) + "#change-" + c.Date + "-" + c.From + "-" + c.To
		seen[id]++
		if n := seen[id]; n > 1 {
			id += "-" + strconv.Itoa(n)
		}
		e := atomEntry{
			Title:   atomText{Body: c.District + " · " + c.Title + " → " + to},
			ID:      id,
			Updated: c.Date + "T00:00:00Z",
			Link:    atomLink{Href: absURL(b.Site.BaseURL, c.URL), Rel: "alternate", Type: "text/html"},
			Summary: atomText{Type: "text", Body: c.Date + " " + from + " → " + to},
		}
		e.Cat = append(e.Cat, struct {
			Term string `xml:"term,attr"`
		}{c.To})
		f.Entries = append(f.Entries, e)
	}
	return encodeFeed(withNotices(f, b))
}

// withNotices adds an entry for every dated notice of b to f (entries
// newest first, a notice before the changes of its day) and returns f.
// A notice's entry is dated by its data commit, and its id is its page: a
// reader sees each new notice once, and again only if its commit changes.
func withNotices(f atomFeed, b *view.Bulletin) atomFeed {
	if len(b.Notices) == 0 {
		return f
	}
	var ns []atomEntry
	for _, n := range b.Notices {
		e := atomEntry{
			Title:   atomText{Body: "巡察整改情况通报（截至" + n.AsOf + "）"},
			ID:      absURL(b.Site.BaseURL, n.URL),
			Updated: n.CommitDate + "T00:00:00Z",
			Link:    atomLink{Href: absURL(b.Site.BaseURL, n.URL), Rel: "alternate", Type: "text/html"},
			Summary: atomText{Type: "text", Body: "数据截至 " + n.AsOf + " 的整改情况通报：各地区发现问题、完成整改和整改完成率。"},
		}
		e.Cat = append(e.Cat, struct {
			Term string `xml:"term,attr"`
		}{"notice"})
		ns = append(ns, e)
	}
	all := append(ns, f.Entries...)
	sort.SliceStable(all, func(i, j int) bool { return all[i].Updated > all[j].Updated })
	f.Entries = all
	if all[0].Updated > f.Updated {
		f.Updated = all[0].Updated
	}
	return f
}

func newFeed(b *view.Bulletin) atomFeed {
	base := b.Site.BaseURL
	f := atomFeed{Lang: "zh-CN", Title: atomText{Body: b.Site.Title + " · 整改进展"}, ID: absURL(base, FeedPath)}
	f.Author.Name = b.Site.Publisher
	if f.Author.Name == "" {
		f.Author.Name = b.Site.Title
	}
	f.Links = []atomLink{{Href: absURL(base, FeedPath), Rel: "self", Type: "application/atom+xml"}, {Href: absURL(base, ""), Rel: "alternate", Type: "text/html"}}
	f.Updated = b.Site.AsOf + "T00:00:00Z"
	return f
}

func encodeFeed(f atomFeed) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}
