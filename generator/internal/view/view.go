// Package view is the data handed to the templates: the contract between the
// Go pipeline and templates/. Everything a page shows is computed here, in Go;
// templates only lay it out. templates/README.md documents every field, and a
// test keeps that document, these types and the templates in step.
//
// JSON names are lower snake_case because Hugo lower-cases front-matter keys;
// templates read them as .Params.<kind>.<field> (kind: home, district, round,
// problem, common) and site.Params.bulletin.<field>.
//
// Each edition gets its own Bulletin. The internal edition's is computed from
// the records whole. The public edition's is computed from
// edition.Redact(records): a copy from which every internal problem, internal
// target and internal field has been removed before any view data exists, so
// that a template cannot print what it was never given. Fields that exist only
// in the internal edition are marked "internal edition only" below.
package view

// Bulletin is the whole site's data for one edition.
type Bulletin struct {
	Site      Site        `json:"site"`
	Home      Home        `json:"home"`
	Districts []*District `json:"districts"`
	History   *History    `json:"history"` // nil when the data is not in git
	Changes   []Change    `json:"-"`       // status changes from git, for the feed; nil outside git
	Notices   []*Notice   `json:"notices"` // dated notices from git, newest as_of first; nil outside git
}

// Site is shared by every page (site.Params.bulletin).
type Site struct {
	Title     string `json:"title"`
	Publisher string `json:"publisher"`
	BaseURL   string `json:"base_url"`
	AsOf      string `json:"as_of"`    // YYYY-MM-DD
	Edition   string `json:"edition"`  // "public" or "internal"
	Internal  bool   `json:"internal"` // true in the internal edition
	// Deadline rules, for the about page and round pages.
	MeasuresWorkingDays int      `json:"measures_working_days"`
	ReportMonths        int      `json:"report_months"`
	DueSoonDays         int      `json:"due_soon_days"`
	Contact             *Contact `json:"contact"` // null when site.yaml gives none
}

// Contact is how citizens reach the inspection office (site.yaml's
// contact): shown on every page, and on a problem page as the way to
// comment on its rectification. Empty fields were not given.
type Contact struct {
	Name         string `json:"name"`
	Phone        string `json:"phone"`        // 举报电话, as written
	PhoneHref    string `json:"phone_href"`   // "tel:…" for a link
	Mailbox      string `json:"mailbox"`      // 举报信箱: an e-mail address or a postal box
	MailboxHref  string `json:"mailbox_href"` // "mailto:…" when the mailbox is an e-mail address, else ""
	Address      string `json:"address"`      // 来信地址
	URL          string `json:"url"`          // 网上举报: absolute http(s) URL
	Note         string `json:"note"`
	Illustrative bool   `json:"illustrative"`
}

// Home is the front page (.Params.home).
type Home struct {
	Totals    Totals        `json:"totals"`    // every district but illustrative ones
	Districts []DistrictRow `json:"districts"` // most overdue first, then most due soon, then by id; illustrative ones last
	Outcomes  []Figure      `json:"outcomes"`  // sums over every district and round
	Surveys   int           `json:"surveys"`   // number of satisfaction surveys recorded
	Notices   []NoticeRow   `json:"notices"`   // the dated notices, newest as_of first (none outside git)
	// What the site's rounds are, for its site-wide words: "xuncha" (every
	// round is a 巡察, or there is none), "xunshi" (every round is a 巡视) or
	// "xunshi_xuncha" (both). Only the rounds this edition shows count.
	Inspection string `json:"inspection"`
}

// Link points to another page of the site.
type Link struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	URL   string `json:"url"` // path from the site root, no leading "/", no language prefix, ends with "/": pass it through relLangURL (a problem page, in the records' language only: relURL with hreflang)
}

// Source is where a published figure comes from. URL is empty unless it is
// an http(s) URL; templates link it only when non-empty.
type Source struct {
	Title string `json:"title"`
	URL   string `json:"url"`
	Date  string `json:"date"`
}

// Count is one bucket of a breakdown.
type Count struct {
	Key     string  `json:"key"` // a status, deadline state, category or withheld reason; "" for "not disclosed"
	Count   int     `json:"count"`
	Percent float64 `json:"percent"` // of the breakdown's whole, one decimal
	Offset  float64 `json:"offset"`  // sum of the percents before this bucket: where its bar segment starts
}

// Totals are the figures of a round, a district or the whole site. They are
// identical in both editions. A figure that is unknown is null (nil), never
// 0 (DATA-FORMAT.md part 2): pages show 未公布 or 无法计算 for it, and say
// what a sum over some rounds covers.
type Totals struct {
	Rounds               int      `json:"rounds"`                 // rounds summed
	Found                *int     `json:"found"`                  // sum of the known found; null when no round gives it
	FoundRounds          int      `json:"found_rounds"`           // rounds whose found is known
	FoundComplete        bool     `json:"found_complete"`         // every round's found is known
	Rectified            *int     `json:"rectified"`              // sum of the known rectified; null when none is
	RectifiedRounds      int      `json:"rectified_rounds"`       // rounds whose rectified is known
	RectifiedComplete    bool     `json:"rectified_complete"`     // every round's rectified is known
	Rate                 *float64 `json:"rate"`                   // rectified ÷ found over rate_found, one decimal; null
	RateText             string   `json:"rate_text"`              // "99.1%", or "" when there is no rate
	RateFound            *int     `json:"rate_found"`             // the rate's denominator: found of the rounds where both are known
	RateRectified        *int     `json:"rate_rectified"`         // the rate's numerator
	RateRounds           int      `json:"rate_rounds"`            // rounds in the rate
	RateComplete         bool     `json:"rate_complete"`          // the rate covers every problem found (rate_found = found, every found known)
	BucketRounds         Buckets  `json:"bucket_rounds"`          // rounds whose basically_done, in_progress, not_done, long_term are known
	BasicallyDone        *int     `json:"basically_done"`         // 基本完成: sum of what is known
	InProgress           *int     `json:"in_progress"`            // 正在整改: sum of what is known
	NotDone              *int     `json:"not_done"`               // 未完成: sum of what is known
	LongTerm             *int     `json:"long_term"`              // 长期坚持: sum of what is known (never counted as rectified)
	Overdue              *int     `json:"overdue"`                // sum over the rounds whose overdue is known; null when none is
	OverdueComplete      bool     `json:"overdue_complete"`       // false when a round with open or unknown-status problems has unknown overdue
	OverdueUnknownRounds int      `json:"overdue_unknown_rounds"` // those rounds ("另有 2 个轮次未公布")
	Listed               int      `json:"listed"`                 // problems recorded one by one (internal ones included)
	ListsAllRounds       int      `json:"lists_all_rounds"`       // rounds whose every problem is listed: only over them do counts of listed problems cover the whole
	Unlisted             int      `json:"unlisted"`               // found − listed: known only from a published summary
	Open                 int      `json:"open"`                   // listed problems pending, in progress or basically done
	DueSoon              int      `json:"due_soon"`               // listed, open and due within due_soon_days
	OnTime               int      `json:"on_time"`                // listed, open, with a due date further off
	Extended             int      `json:"extended"`               // listed problems with an approved extension
	Reopened             int      `json:"reopened"`               // listed problems reopened by a revisit
	Returned             int      `json:"returned"`               // listed problems sent back by a review at least once
	Returns              int      `json:"returns"`                // review opinions that sent a problem back
	Withheld             int      `json:"withheld"`               // listed problems the public edition does not detail
	ByStatus             []Count  `json:"by_status"`              // listed problems by status, every status in order
	ByDeadline           []Count  `json:"by_deadline"`            // listed open problems by deadline state: overdue, due_soon, on_time, none
	ByCategory           []Count  `json:"by_category"`            // listed problems by category, largest first; internal ones under ""
	ByReason             []Count  `json:"by_reason"`              // withheld problems by reason; "" for no reason given
}

// Buckets counts, for each status bucket, the rounds where it is known.
type Buckets struct {
	BasicallyDone int `json:"basically_done"`
	InProgress    int `json:"in_progress"`
	NotDone       int `json:"not_done"`
	LongTerm      int `json:"long_term"`
}

// DistrictRow is one line of the home page's table of districts.
type DistrictRow struct {
	Link
	Name         string `json:"name"`
	Region       string `json:"region"`
	Illustrative bool   `json:"illustrative"` // made-up sample: not in the overall totals
	Totals       Totals `json:"totals"`
}

// District is a district page (.Params.district).
type District struct {
	Link
	Name          string      `json:"name"`
	Region        string      `json:"region"`
	Illustrative  bool        `json:"illustrative"` // made-up sample: not in the overall totals
	NoteHTML      string      `json:"note_html"`    // sanitised markdown
	Totals        Totals      `json:"totals"`
	Rounds        []RoundRow  `json:"rounds"`
	Commons       []CommonRow `json:"commons"`
	CommonSummary []Figure    `json:"common_summary"` // published figures on common problems
	Outcomes      []Figure    `json:"outcomes"`       // rounds' and the district's own, summed
	Surveys       []Survey    `json:"surveys"`
	Units         []UnitRow   `json:"units"`    // units.yaml's units shown in this edition, in file order
	Internal      []Field     `json:"internal"` // internal edition only

	RoundPages  []*Round         `json:"-"`
	CommonPages []*CommonProblem `json:"-"`
	UnitPages   []*Unit          `json:"-"`
	// ProblemPageCount is how many problem pages the district has in this
	// edition, counted also when its pages are not computed
	// (aggregate.Input.PagesOf): what it weighs in a shard of a build.
	ProblemPageCount int `json:"-"`
}

// RoundRow is one line of a district's list of rounds.
type RoundRow struct {
	Link
	Number int    `json:"number"`
	Kind   string `json:"kind"`
	Xunshi bool   `json:"xunshi"` // a 巡视 (central or provincial), not a 巡察
	// PublishedRate is the rate as printed ("98.71%"), "" when the source gives none.
	PublishedRate string `json:"published_rate"`
	Basis         string `json:"basis"` // what the printed rate counts: problems | measures
	Feedback      string `json:"feedback"`
	Totals        Totals `json:"totals"`
}

// Round is a round page (.Params.round).
type Round struct {
	Link
	District            Link       `json:"district"`
	Number              int        `json:"number"`
	Kind                string     `json:"kind"`
	Started             string     `json:"started"`
	Ended               string     `json:"ended"`
	Feedback            string     `json:"feedback"`
	MeasuresDue         string     `json:"measures_due"` // feedback + N working days (PRC calendar)
	ReportDue           string     `json:"report_due"`   // feedback + N months
	Source              *Source    `json:"source"`
	NoteHTML            string     `json:"note_html"`
	Illustrative        bool       `json:"illustrative"`
	Revisits            []Link     `json:"revisits"`              // kind revisit: the rounds it revisits
	RevisitedBy         []Link     `json:"revisited_by"`          // revisit rounds that revisit this one
	Targets             []Target   `json:"targets"`               // the units named in this edition
	HiddenTargets       int        `json:"hidden_targets"`        // units not named in this edition
	TargetCount         int        `json:"target_count"`          // units covered (named or not)
	TargetsListed       int        `json:"targets_listed"`        // units listed in the record (named or not in this edition)
	Level               string     `json:"level"`                 // central | provincial | city | county
	Xunshi              bool       `json:"xunshi"`                // central or provincial: a 巡视, not a 巡察; every label follows it
	MeasuresWorkingDays int        `json:"measures_working_days"` // the rules this round's deadlines are counted by (its own, else the site's)
	ReportMonths        int        `json:"report_months"`
	OwnDeadlines        bool       `json:"own_deadlines"` // the round gives its own deadlines
	Totals              Totals     `json:"totals"`
	Published           *Published `json:"published"` // the round's summary as published; null when it has none
	Outcomes            []Figure   `json:"outcomes"`
	Internal            []Field    `json:"internal"` // internal edition only

	ProblemPages []*Problem `json:"-"`
}

// Published is a round's summary exactly as its source prints it.
type Published struct {
	Figures  []PublishedFigure `json:"figures"`   // every figure given, in the record's (the notice's) order
	Buckets  []Count           `json:"buckets"`   // the status buckets given, in the notice's order, as parts of found (percent and offset for a bar); empty without found
	Found    *int              `json:"found"`     // null: not published
	Rate     string            `json:"rate"`      // as printed, digits only ("98.71"); "" when not given
	RateText string            `json:"rate_text"` // "98.71%"; "" when not given
	Basis    string            `json:"basis"`     // what the rate counts: problems | measures
	AsOf     string            `json:"as_of"`     // the date the figures are as of ("" for the site's)
	Listing  string            `json:"listing"`   // all | partial: whether the problems listed are the whole round
}

// PublishedFigure is one figure of a published summary.
type PublishedFigure struct {
	Key   string `json:"key"`   // found, rectified, basically_done, in_progress, not_done, long_term, overdue, extended, measures, measures_done, rate
	Count *int   `json:"count"` // the count; null for rate
	Text  string `json:"text"`  // as shown: "2,688", "98.71%"
}

// Target is a unit inspected in a round.
type Target struct {
	ID       string  `json:"id"`
	Name     string  `json:"name"` // its name in the round, else its unit's name
	Type     string  `json:"type"`
	Unit     *Link   `json:"unit,omitempty"`     // the unit's page (units.yaml), or null
	Problems int     `json:"problems"`           // problems listed against it in this edition
	Internal []Field `json:"internal,omitempty"` // internal edition only
}

// Problem is a problem page (.Params.problem).
type Problem struct {
	Link
	District        Link           `json:"district"`
	Round           Link           `json:"round"`
	Xunshi          bool           `json:"xunshi,omitempty"` // the round is a 巡视: labels follow it
	Target          Target         `json:"target"`
	Category        string         `json:"category"`
	DescriptionHTML string         `json:"description_html"` // sanitised markdown
	Status          string         `json:"status"`
	Completed       bool           `json:"-"` // rectified or closed (for Go; no template reads it)
	Common          bool           `json:"common,omitempty"`
	CommonRef       *Link          `json:"common_ref,omitempty"` // the common problem it gave rise to
	Due             string         `json:"due"`                  // the due date it is judged against ("" for none)
	DueState        string         `json:"due_state"`            // overdue | due_soon | on_time | "" (see Totals)
	DaysLate        int            `json:"days_late"`            // overdue: days past due at as_of
	DaysLeft        int            `json:"days_left"`            // due_soon/on_time: days left at as_of
	Extended        bool           `json:"extended,omitempty"`
	Extensions      []Extension    `json:"extensions,omitempty"`
	Measures        []Measure      `json:"measures"`
	History         []HistoryEntry `json:"history"`
	Reviews         []Review       `json:"reviews,omitempty"`
	Returns         int            `json:"returns"` // reviews that sent it back (二次整改)
	Reopened        bool           `json:"reopened,omitempty"`
	ReopenedBy      []Link         `json:"reopened_by,omitempty"` // revisit rounds that reopened it
	Illustrative    bool           `json:"illustrative,omitempty"`
	Visibility      string         `json:"visibility"`         // internal edition only ("public" in the public edition)
	Withheld        string         `json:"withheld,omitempty"` // internal edition only
	Internal        []Field        `json:"internal,omitempty"` // internal edition only
	LastChange      string         `json:"-"`                  // date of the last history entry (for data/problems.csv; no template reads it)
}

// Measure is one rectification measure.
type Measure struct {
	Text  string `json:"text"`
	Owner string `json:"owner,omitempty"` // 责任单位 ("" when not given)
	Due   string `json:"due,omitempty"`   // 整改时限 ("" when not given)
	Done  string `json:"done,omitempty"`
}

// HistoryEntry is one status change.
type HistoryEntry struct {
	Date    string `json:"date"`
	Status  string `json:"status"`
	Note    string `json:"note,omitempty"`
	Revisit *Link  `json:"revisit,omitempty"` // the revisit round that reopened the problem
}

// Extension is an approved extension.
type Extension struct {
	Approved string `json:"approved"`
	Due      string `json:"due"`
	Reason   string `json:"reason,omitempty"`
}

// Review is a four-party review.
type Review struct {
	Date    string `json:"date"`
	Result  string `json:"result"` // passed | returned
	Opinion string `json:"opinion,omitempty"`
}

// Field is one key of an `internal:` map (internal edition only).
type Field struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Figure is one outcome figure with its sources.
type Figure struct {
	Key     string   `json:"key"`   // funds_recovered, rules_made, … (DATA-FORMAT.md, Outcomes); "extra" for outcomes.extra
	Label   string   `json:"label"` // extra: the label as published ("党纪处分"); "" for the fixed keys (label outcome_<key>)
	Unit    string   `json:"unit"`  // extra: the unit as published ("人"), may be ""; "" for the fixed keys (label unit_<key>)
	Value   string   `json:"value"` // exactly the digits written, summed exactly as decimals ("7.132", "0")
	Text    string   `json:"text"`  // the value for display, thousands separated, every decimal kept ("1,476", "7.132")
	Sources []Source `json:"sources"`
	Xunshi  bool     `json:"xunshi"` // a figure of a 巡视 round's page: its label follows (巡视建议书)
}

// Survey is a satisfaction survey.
type Survey struct {
	Date        string   `json:"date"`
	Title       string   `json:"title"`
	Respondents int      `json:"respondents"`
	Awareness   *float64 `json:"awareness"` // percent, or null when not published
	Approval    *float64 `json:"approval"`
	Source      *Source  `json:"source"`
}

// CommonRow is one line of a district's list of common problems.
type CommonRow struct {
	Link
	Units     int    `json:"units"`
	Completed int    `json:"completed"`
	RateText  string `json:"rate_text"`
}

// CommonProblem is a common problem page (.Params.common).
type CommonProblem struct {
	Link
	District        Link         `json:"district"`
	Category        string       `json:"category"`
	DescriptionHTML string       `json:"description_html"`
	Rounds          []Link       `json:"rounds"`
	Deadline        string       `json:"deadline"`
	Source          *Source      `json:"source"`
	Illustrative    bool         `json:"illustrative"`
	Units           []CommonUnit `json:"units"`
	Completed       int          `json:"completed"`
	Rate            *float64     `json:"rate"`
	RateText        string       `json:"rate_text"`
	SelfFound       int          `json:"self_found"` // sum of the units' self-found problems
}

// CommonUnit is one unit on a common problem's checklist.
type CommonUnit struct {
	ID        string         `json:"id"`
	Name      string         `json:"name"`
	Type      string         `json:"type"`
	Status    string         `json:"status"`
	Completed bool           `json:"completed"`
	SelfFound *int           `json:"self_found"`
	Measures  []Measure      `json:"measures"`
	History   []HistoryEntry `json:"history"`
}

// UnitRow is one line of a district's table of units.
type UnitRow struct {
	Link                       // title: the unit's current name
	Type        string         `json:"type"`
	FormerNames []string       `json:"former_names"`
	Rounds      int            `json:"rounds"` // rounds that inspected it
	Completion  UnitCompletion `json:"completion"`
}

// UnitCompletion is how far a unit's problems are rectified. Unknown is not
// zero: the figures are the unit's whole only when every round that
// inspected it lists all of its problems (complete); otherwise they count
// the listed problems only and there is no rate.
type UnitCompletion struct {
	Listed    int      `json:"listed"`    // its problems listed across rounds (internal ones included)
	Completed int      `json:"completed"` // of them rectified or closed
	Complete  bool     `json:"complete"`  // every round that inspected it lists all its problems
	Partial   int      `json:"partial"`   // rounds that inspected it without listing all their problems
	Rate      *float64 `json:"rate"`      // completed ÷ listed in percent, one decimal; null unless complete and listed > 0
	RateText  string   `json:"rate_text"` // "98.1%"; "" when rate is null (pages say 无法计算, or — for no problems)
}

// Unit is a unit page (.Params.unit): one inspected unit of units.yaml
// across every round that inspected it.
type Unit struct {
	Link                        // title: the unit's current name
	District     Link           `json:"district"`
	Units        Link           `json:"units"`        // the district's page of units
	Illustrative bool           `json:"illustrative"` // its district is made up (sample data)
	Type         string         `json:"type"`
	FormerNames  []string       `json:"former_names"`
	Rounds       []UnitRound    `json:"rounds"`   // the rounds that inspected it, in the district's order
	Problems     []UnitProblem  `json:"problems"` // its problems shown in this edition, round by round
	Withheld     int            `json:"withheld"` // its problems this edition does not detail
	Completion   UnitCompletion `json:"completion"`
	Notices      []UnitNotice   `json:"notices"`  // its own published notices, newest first
	Internal     []Field        `json:"internal"` // internal edition only
}

// UnitRound is one round that inspected a unit.
type UnitRound struct {
	Link                // the round
	Kind         string `json:"kind"`
	Feedback     string `json:"feedback"`
	ReportDue    string `json:"report_due"` // feedback + N months ("" without feedback)
	NameThen     string `json:"name_then"`  // the unit's name in that round, when it differs from today's
	Listed       int    `json:"listed"`     // its problems listed in that round
	Completed    int    `json:"completed"`
	ListComplete bool   `json:"list_complete"` // the round lists all its problems
}

// UnitProblem is one problem of a unit, for its page.
type UnitProblem struct {
	Link
	Round        Link   `json:"round"`
	Status       string `json:"status"`
	Due          string `json:"due"`
	DueState     string `json:"due_state"`
	Extended     bool   `json:"extended"`
	Reopened     bool   `json:"reopened"`
	Returns      int    `json:"returns"`
	Illustrative bool   `json:"illustrative"`
	Visibility   string `json:"visibility"`
}

// UnitNotice is a notice a unit published itself. URL is empty unless it
// is an http(s) URL.
type UnitNotice struct {
	Title string `json:"title"`
	URL   string `json:"url"`
	Date  string `json:"date"`
}

// Units is a district's page of units (.Params.units).
type Units struct {
	District Link      `json:"district"`
	List     []UnitRow `json:"list"`
}

// Commons is a district's page of common problems (.Params.commons).
type Commons struct {
	District Link        `json:"district"`
	List     []CommonRow `json:"list"`
}

// History is the progress page (.Params.history): the figures at each past
// version of the data, from git. Empty when the data is not in git.
type History struct {
	Charts    map[string]string `json:"charts"`    // by interface language (site.Language.Lang): inline SVG line chart of the rates (server-rendered, with title and desc)
	Points    []HistoryPoint    `json:"points"`    // one per day with a data commit, oldest first
	Districts []Link            `json:"districts"` // the districts of the last point, for the table
}

// HistoryPoint is the overall figures at one version of the data.
type HistoryPoint struct {
	Date      string `json:"date"` // commit date
	AsOf      string `json:"as_of"`
	Found     int    `json:"found"`
	Rectified int    `json:"rectified"`
	RateText  string `json:"rate_text"`
}

// Change is one status change found by comparing successive versions of
// the data in git; the Atom feed lists them, newest first.
type Change struct {
	Date     string `json:"date"` // the problem's newest history entry, else the commit date
	District string `json:"district"`
	Title    string `json:"title"`
	From     string `json:"from"` // "" for a problem that appeared
	To       string `json:"to"`
	URL      string `json:"url"`
}

// Notice is a dated notice (通报) page (.Params.notice): the figures as they
// stood at the last data commit with one as_of, read from git. Everything
// on its page comes from that commit's records (site title, publisher and
// contact included), so that later data never changes it.
type Notice struct {
	AsOf        string        `json:"as_of"`        // YYYY-MM-DD: the notice's date
	Commit      string        `json:"commit"`       // full hash of the data commit
	CommitShort string        `json:"commit_short"` // its first 12 characters, for citing
	CommitDate  string        `json:"commit_date"`  // its committer date, YYYY-MM-DD
	URL         string        `json:"url"`          // notices/<as_of>/
	CompareURL  string        `json:"compare_url"`  // notices/<as_of>/compare/: the notice beside the current figures
	Title       string        `json:"title"`        // site.yaml's title at that commit
	Publisher   string        `json:"publisher"`    // site.yaml's publisher at that commit
	Contact     *Contact      `json:"contact"`      // site.yaml's contact at that commit, or null
	Districts   int           `json:"districts"`    // districts counted in totals (illustrative ones are not)
	District    string        `json:"district"`     // the name of that district when there is one, else ""
	Totals      Totals        `json:"totals"`       // every district but illustrative ones, as on the home page then
	Rows        []DistrictRow `json:"rows"`         // the district table then, in the home page's order
}

// NoticeRow is one line of the home page's and the notices page's list of
// notices.
type NoticeRow struct {
	AsOf     string `json:"as_of"`
	URL      string `json:"url"`
	RateText string `json:"rate_text"` // the notice's completion rate when it covers every problem found, else ""
}

// NoticeCompare is the page that sets a notice beside the current figures
// (.Params.compare). It changes with every new version of the data; the
// notice itself does not.
type NoticeCompare struct {
	Notice Link         `json:"notice"` // the notice: id and title are its as_of
	AsOf   string       `json:"as_of"`  // the current as_of
	Then   Totals       `json:"then"`   // the notice's overall totals
	Now    Totals       `json:"now"`    // the current overall totals
	Rows   []CompareRow `json:"rows"`   // every district of either, in the current table's order, then the gone ones
}

// CompareRow is one district in a NoticeCompare.
type CompareRow struct {
	Link
	Name string  `json:"name"`
	Then *Totals `json:"then"` // null: not in the notice
	Now  *Totals `json:"now"`  // null: no longer published
}
