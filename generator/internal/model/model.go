// Package model holds the records staff commit under data/, as loaded and
// before any aggregation: the site, its districts, their rounds, targets,
// problems and everything around a problem's rectification.
//
// Every record embeds Node, which remembers where the record and each of its
// keys were written, so that later phases can report FILE:LINE:COL errors
// without going back to the YAML.
package model

import (
	"slices"

	"github.com/xuncha/bulletin/generator/internal/decimal"
	"github.com/xuncha/bulletin/generator/internal/diag"
)

// Node is the position of a record and of the values of its keys.
type Node struct {
	Pos   diag.Pos // the record itself (its first key, or the file)
	Names []string // the key names Keys refer to: the fields of its kind of record, shared by all of them
	Keys  []Key    // the value of each key that was present, in the order written
}

// Key is where the value of one key of a record was written, in the
// record's file (Node.Pos.File). It holds no pointer (the name is an index
// into Node.Names), so that the garbage collector need not look into the
// key positions of a whole data set; and a record has a few dozen keys at
// most, so a slice scanned by At is cheaper than a map per record.
type Key struct {
	Name      uint16 // Node.Names[Name]
	Line, Col int32
}

// At returns the position of key's value, or of the record when the key was
// absent.
func (n Node) At(key string) diag.Pos {
	if i := n.index(key); i >= 0 {
		return diag.Pos{File: n.Pos.File, Line: int(n.Keys[i].Line), Col: int(n.Keys[i].Col)}
	}
	return n.Pos
}

// Has reports whether key was written in the record.
func (n Node) Has(key string) bool { return n.index(key) >= 0 }

// SetKey records that key's value was written at line:col of the record's
// file. Names and Keys are copied before they grow, never written beyond
// their length: other records may share what lies there.
func (n *Node) SetKey(key string, line, col int) {
	name := slices.Index(n.Names, key)
	if name < 0 {
		name = len(n.Names)
		n.Names = append(n.Names[:name:name], key)
	}
	k := Key{Name: uint16(name), Line: int32(line), Col: int32(col)}
	if i := n.index(key); i >= 0 {
		n.Keys[i] = k
		return
	}
	n.Keys = append(n.Keys[:len(n.Keys):len(n.Keys)], k)
}

// DeleteKey forgets key's position, as if it had not been written.
func (n *Node) DeleteKey(key string) {
	if i := n.index(key); i >= 0 {
		n.Keys = append(n.Keys[:i:i], n.Keys[i+1:]...)
	}
}

// index is the place of key in n.Keys, or -1.
func (n Node) index(key string) int {
	for i, k := range n.Keys {
		if int(k.Name) < len(n.Names) && n.Names[k.Name] == key {
			return i
		}
	}
	return -1
}

// Status of a problem (and of a unit's self-check against a common problem).
type Status string

const (
	Pending       Status = "pending"
	InProgress    Status = "in_progress"
	BasicallyDone Status = "basically_done" // 基本完成: open, not completed
	LongTerm      Status = "long_term"
	Rectified     Status = "rectified"
	Closed        Status = "closed"
)

// Statuses lists every status in the order pages show them.
var Statuses = []Status{Pending, InProgress, BasicallyDone, LongTerm, Rectified, Closed}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// Completed is true for rectified and closed: the only statuses counted as
// rectified in totals. long_term is counted apart.
func (s Status) Completed() bool { return s == Rectified || s == Closed }

// Open is true for the statuses that can be overdue: pending, in_progress
// and basically_done (基本完成: the main work is done, follow-up goes on).
func (s Status) Open() bool { return s == Pending || s == InProgress || s == BasicallyDone }

// Round kinds.
const (
	KindRegular = "regular"
	KindSpecial = "special"
	KindMobile  = "mobile"
	KindRevisit = "revisit"
)

// Round levels: who inspects. Central and provincial inspections are 巡视,
// city and county ones 巡察.
const (
	LevelCentral    = "central"
	LevelProvincial = "provincial"
	LevelCity       = "city"
	LevelCounty     = "county"
)

// RoundLevels lists the valid round levels; county is the default.
var RoundLevels = []string{LevelCentral, LevelProvincial, LevelCity, LevelCounty}

// Xunshi reports whether a round of this level is a 巡视 (central or
// provincial) rather than a 巡察.
func Xunshi(level string) bool { return level == LevelCentral || level == LevelProvincial }

// Listing values: whether a round's problems list is the whole round.
const (
	ListingAll     = "all"
	ListingPartial = "partial"
)

// RoundKinds lists the valid round kinds.
var RoundKinds = []string{KindRegular, KindSpecial, KindMobile, KindRevisit}

// TargetTypes lists the valid target types.
var TargetTypes = []string{"department", "town", "street", "village", "community", "enterprise", "other"}

// Visibility values.
const (
	Public   = "public"
	Internal = "internal"
)

// WithheldReasons are the five kinds of matter a public notice may leave out.
var WithheldReasons = []string{
	"state_secret",     // 涉及国家秘密
	"unannounced_case", // 案件尚未公开
	"hostile_hype",     // 可能被恶意炒作
	"mass_petition",    // 可能引发群体性上访
	"major_sensitive",  // 重大敏感事项
}

// ReviewResults are the outcomes of a four-party review (四方会审).
var ReviewResults = []string{"passed", "returned"}

// Data is everything under the data folder.
type Data struct {
	Dir       string // the --data folder as the user gave it
	Site      *Site
	Districts []*District // sorted by id
}

// InternalScopes are the lines of every record file that hold internal
// matter: errors there never quote record text.
func (d *Data) InternalScopes() diag.Scopes {
	s := diag.Scopes{}
	add := func(file string, spans []diag.Span) {
		if len(spans) > 0 {
			s[file] = spans
		}
	}
	for _, dist := range d.Districts {
		add(dist.File, dist.InternalLines)
		add(dist.UnitsFile, dist.UnitsInternal)
		for _, r := range dist.Rounds {
			add(r.File, r.InternalLines)
		}
		for _, cp := range dist.Commons {
			add(cp.File, cp.InternalLines)
		}
	}
	return s
}

// Site is data/site.yaml.
type Site struct {
	Node
	File      string
	Title     string
	Publisher string
	BaseURL   string
	AsOf      Date // zero when not given; the loader's caller fills it from git
	Deadlines Deadlines
	Calendar  []CalendarYear // official schedules for years the built-in calendar lacks
	Contact   *Contact       // how citizens reach the office; nil when not given
}

// Contact is how citizens reach the inspection office: every page shows it,
// and a problem page offers it for comments on that problem's rectification.
// At least one of Phone, Mailbox, Address and URL is set.
type Contact struct {
	Node
	Name         string // who answers, e.g. 区委巡察办
	Phone        string // 举报电话, e.g. 12388
	Mailbox      string // 举报信箱: an e-mail address or a postal box
	Address      string // 来信地址
	URL          string // 网上举报: an absolute http(s) URL
	Note         string // hours, or which items are illustrative
	Illustrative bool   // made up to show the feature
}

// Deadlines are the rules deadlines are computed by.
type Deadlines struct {
	Node
	MeasuresWorkingDays int // default 10
	ReportMonths        int // default 3
	DueSoonDays         int // default 10: open problems due within this many days are "due soon"
}

// CalendarYear is the State Council's holiday schedule for one year.
type CalendarYear struct {
	Node
	Year     int
	Holidays []Date // days off that would otherwise be working days (and holidays on weekends)
	Workdays []Date // make-up working days (调休) that fall on a weekend
	Source   *Source
}

// Source is where a published figure comes from.
type Source struct {
	Node
	Title string
	URL   string
	Date  Date
}

// Field is one key of an `internal:` map, flattened to text.
type Field struct {
	Key   string
	Value string
}

// District is data/<id>/district.yaml with its rounds and common problems.
type District struct {
	Node
	File          string
	InternalLines []diag.Span // lines of File that hold internal matter
	Dir           string      // folder name
	ID            string
	Name          string
	Region        string
	Internal      []Field
	Outcomes      *Outcomes        // district-wide figures not tied to one round
	Surveys       []Survey         // satisfaction surveys (满意度测评)
	Common        *CommonSummary   // published figures on common problems as a whole
	Rounds        []*Round         // sorted by number, then id
	Commons       []*CommonProblem // data/<id>/common/*.yaml, sorted by id
	// Units are data/<id>/units.yaml: the district's inspected units, named
	// once and referred to by rounds' targets (unit: ID), in file order.
	Units         []*Unit
	UnitsFile     string      // the path of units.yaml; "" when the district has none
	UnitsInternal []diag.Span // lines of UnitsFile that hold internal matter
	Note          string      // optional markdown shown on the district page
	// Illustrative marks a made-up district (sample data): its pages say so
	// and its figures stay out of the overall totals.
	Illustrative bool
}

// Round is data/<district>/rounds/<id>.yaml.
type Round struct {
	Node
	File          string
	InternalLines []diag.Span // lines of File that hold internal matter
	District      *District
	ID            string
	Number        int
	Kind          string
	Level         string     // central | provincial | city | county (default)
	Deadlines     *Deadlines // the round's own rules; nil: site.yaml's
	Title         string
	Started       Date
	Ended         Date
	Feedback      Date
	Source        *Source
	Targets       []*Target
	Problems      []*Problem
	Summary       *Summary
	Revisits      []string // kind revisit: the ids of the rounds it revisits
	TargetCount   int      // units covered when the targets are not listed one by one
	Listing       string   // all (default) | partial: the problems listed are only those the source describes
	Outcomes      *Outcomes
	Internal      []Field
	Illustrative  bool // the round's detail is illustrative, not from a published source
	Note          string
}

// Target is a unit (party organisation) inspected in a round.
type Target struct {
	Node
	ID         string
	Unit       string // id of a unit of the district's units.yaml; "" for none
	Name       string // the name in this round; "" when the unit's name stands
	Type       string
	Visibility string
	Internal   []Field
}

// Problem is one problem found in a round.
type Problem struct {
	Node
	Round        *Round
	ID           string
	Target       string
	Category     string
	Title        string
	Description  string // markdown
	Common       bool
	CommonRef    string // id of a common problem of the district this problem gave rise to
	Status       Status
	Due          Date
	Measures     []Measure
	History      []HistoryEntry
	Visibility   string
	Withheld     string
	Internal     []Field
	Extensions   []Extension
	Reviews      []Review
	Illustrative bool
}

// Measure is one rectification measure (整改措施).
type Measure struct {
	Node
	Text  string
	Owner string // 责任单位: the unit responsible (public; persons stay in internal:)
	Due   Date   // 整改时限 of this measure; zero when not given
	Done  Date
}

// HistoryEntry is one status change.
type HistoryEntry struct {
	Node
	Date    Date
	Status  Status
	Note    string
	Revisit string // id of the revisit round that reopened the problem
}

// Extension is an approved extension of a problem's deadline (申请延期).
type Extension struct {
	Node
	Approved Date
	Due      Date
	Reason   string
}

// Review is one four-party review (四方会审) of a rectification report.
type Review struct {
	Node
	Date    Date
	Result  string // passed | returned
	Opinion string
}

// Summary is the figures published for a round without full detail. Every
// count is nil when the source does not give it: unknown, not zero.
type Summary struct {
	Node
	Found         *int
	Rectified     *int
	BasicallyDone *int
	InProgress    *int
	NotDone       *int // 未完成, not split into pending and in progress
	LongTerm      *int
	Overdue       *int
	Extended      *int
	Measures      *int
	MeasuresDone  *int
	Rate          string // as printed, digits only ("98.71"); "" when not given
	Basis         string // what Rate counts: problems (default) | measures
	AsOf          Date   // the date the figures are as of; zero: the site's
}

// Rate bases.
const (
	BasisProblems = "problems"
	BasisMeasures = "measures"
)

// RoundDeadlines are the rules a round's deadlines are counted by: the
// round's own where it gives them, key by key, else the site's.
func RoundDeadlines(r *Round, site Deadlines) Deadlines {
	if r == nil || r.Deadlines == nil {
		return site
	}
	out := site
	if r.Deadlines.Has("measures_working_days") {
		out.MeasuresWorkingDays = r.Deadlines.MeasuresWorkingDays
	}
	if r.Deadlines.Has("report_months") {
		out.ReportMonths = r.Deadlines.ReportMonths
	}
	return out
}

// Outcomes are results beyond the status of each problem. Every figure is
// optional: nil means the source gives none, which is not the same as zero.
type Outcomes struct {
	Node
	FundsRecovered        *decimal.Decimal // 万元, with the digits written (7.132)
	RulesMade             *int
	RulesImproved         *int
	LeadsFound            *int
	LeadsTransferred      *int
	CasesFiled            *int
	PeopleDisciplined     *int
	OnTheSpotFound        *int // 立巡立改: found during the round
	OnTheSpotFixed        *int // 立巡立改: fixed during the round
	ReviewOpinions        *int // 四方会审 opinions issued
	ReminderLetters       *int // 整改提醒函
	RecommendationLetters *int // 巡察建议书
	UnitsRevisited        *int
	RevisitProblems       *int          // problems found on revisit, new and old
	Extra                 []ExtraFigure // figures the keys above don't name, in record order
	Source                *Source
}

// ExtraFigure is an outcome figure the fixed keys don't name (党纪处分 42
// 人): its label and unit as published, its value with the digits written.
type ExtraFigure struct {
	Node
	Label string
	Value decimal.Decimal
	Unit  string
}

// Survey is a satisfaction survey (满意度测评).
type Survey struct {
	Node
	Date        Date
	Title       string
	Respondents int
	Awareness   *float64 // percent
	Approval    *float64 // percent
	Source      *Source
}

// CommonSummary is a district's published figures on common problems.
type CommonSummary struct {
	Node
	Problems  *int // common problems distilled
	Rounds    *int // from this many rounds
	SelfFound *int // problems units found checking themselves
	Measures  *int
	Rules     *int
	Source    *Source
}

// CommonProblem is data/<district>/common/<id>.yaml: a problem found in one
// unit that every similar unit must check itself against (共性问题).
type CommonProblem struct {
	Node
	File          string
	InternalLines []diag.Span // lines of File that hold internal matter
	District      *District
	ID            string
	Title         string
	Category      string
	Description   string
	Rounds        []string // rounds it was distilled from
	Deadline      Date     // self-check report due (光明区: within 2 months)
	Source        *Source
	Units         []*CommonUnit
	Illustrative  bool
}

// CommonUnit is one unit's self-check against a common problem.
type CommonUnit struct {
	Node
	ID        string
	Name      string
	Type      string
	Status    Status
	SelfFound *int
	Measures  []Measure
	History   []HistoryEntry
}

// Unit is one inspected unit of a district (data/<district>/units.yaml): a
// department, town or company that rounds inspect again and again under
// whatever name it had at the time. A round's target says `unit: ID`.
type Unit struct {
	Node
	ID          string
	Name        string
	FormerNames []string
	Type        string
	Visibility  string   // public (default) | internal: named only in the internal edition
	Notices     []Notice // its own published notices (党务公开), newest first
	Internal    []Field
}

// Notice is a notice a unit published itself, such as its 巡察整改情况的通报.
type Notice struct {
	Node
	Title string
	URL   string
	Date  Date
}

// TargetUnit returns the unit a target of d's rounds refers to, or nil.
func (d *District) TargetUnit(t *Target) *Unit {
	if t == nil || t.Unit == "" {
		return nil
	}
	for _, u := range d.Units {
		if u.ID == t.Unit {
			return u
		}
	}
	return nil
}
