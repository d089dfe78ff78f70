// Package history is the history phase: the data folder's figures at every
// commit that changed it, and the status changes between them, read from
// git (package gitrepo) and checked (package check) version by version.
//
// History follows the first-parent line of the branch (a merge counts as one
// change, the way the site saw it).
package history

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/xuncha/bulletin/generator/internal/pageurl"
	"os"
	"path/filepath"
	"strconv"

	"github.com/xuncha/bulletin/generator/internal/aggregate"
	"github.com/xuncha/bulletin/generator/internal/calendar"
	"github.com/xuncha/bulletin/generator/internal/check"
	"github.com/xuncha/bulletin/generator/internal/edition"
	"github.com/xuncha/bulletin/generator/internal/gitrepo"
	"github.com/xuncha/bulletin/generator/internal/load"
	"github.com/xuncha/bulletin/generator/internal/markdown"
	"github.com/xuncha/bulletin/generator/internal/model"
	"github.com/xuncha/bulletin/generator/internal/progress"
)

// HistoryPath is where WriteHistoryJSON writes, under the site's folder.
const HistoryPath = "data/history.json"

// History is the data folder's figures over time: one point per commit that
// changed it (invalid versions are skipped), and the status changes found
// by comparing each valid version with the one before. It serialises as
// data/history.json.
type History struct {
	Points  []Point   `json:"points"`  // valid data commits, oldest first
	Changes []Change  `json:"changes"` // oldest first; within a commit in the order of the records
	Skipped []Skipped `json:"skipped"` // data commits whose records did not pass check, oldest first

	filtered bool // Filter was applied: WriteHistoryJSON may write it
}

// Point is the figures at one data commit.
type Point struct {
	Commit    string          `json:"commit"`  // full hash
	Date      string          `json:"date"`    // committer date, YYYY-MM-DD: the x of the chart
	AsOf      string          `json:"as_of"`   // the version's as_of (site.yaml's, else Date)
	Overall   Figures         `json:"overall"` // every district but illustrative ones, as on the home page
	Districts []DistrictPoint `json:"districts"`
}

// DistrictPoint is one district's figures at a data commit.
type DistrictPoint struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Illustrative bool   `json:"illustrative"` // made-up sample: not in the overall figures
	Figures
}

// Figures are found, rectified and the rate, as on the site's pages (the
// same totals in both editions: internal problems are counted). Found and
// rectified are those of the rounds where both are published (the rate's
// counts, rate_found in totals.json): a round whose completion is not
// published is left out, so the chart never plots a rate over a fragment.
type Figures struct {
	Found     int      `json:"found"`
	Rectified int      `json:"rectified"`
	Rate      *Percent `json:"rate"`      // rectified ÷ found, one decimal; null when found is 0
	RateText  string   `json:"rate_text"` // "99.1%", or "—" when there is no rate
}

// Percent is a rate in percent with one decimal. It prints and serialises
// with exactly one decimal (98.0, not 98).
type Percent float64

func (p Percent) String() string { return strconv.FormatFloat(float64(p), 'f', 1, 64) }

// MarshalJSON writes the number with one decimal.
func (p Percent) MarshalJSON() ([]byte, error) { return []byte(p.String()), nil }

// Change is one problem's status changing between two successive valid
// versions, or a problem appearing (From is "").
type Change struct {
	Commit     string `json:"commit"`      // the commit of the newer version
	CommitDate string `json:"commit_date"` // its committer date
	Date       string `json:"date"`        // the problem's newest history entry in the newer version, else CommitDate
	District   string `json:"district"`
	Round      string `json:"round"`
	Problem    string `json:"problem"`
	Title      string `json:"title"` // as in the newest valid version that has the problem
	From       string `json:"from"`  // status before; "" when the problem is new
	To         string `json:"to"`    // status after
	URL        string `json:"url"`   // the problem's page: path from the site root, ends with "/"
}

// Skipped is a data commit whose records did not pass check.
type Skipped struct {
	Commit string `json:"commit"`
	Date   string `json:"date"`
	Errors int    `json:"errors"` // how many diagnostics
	First  string `json:"-"`      // the first one, FILE:LINE:COL: message (never published: it may quote internal text)
}

// Scan computes the History of the data folder dataDir of the work tree
// repo over HEAD's first-parent line (see gitrepo.Open for the arguments).
//
// It runs one `git log --raw` and one `git cat-file --batch` for the whole
// history: the data folder is a gitrepo.Tree moved from commit to commit,
// which reads each changed blob once, and every version goes through
// check.Records, with a load.Cache so that only the record files that
// changed are parsed again, and in the districts the commit changed only
// when it changed nothing else (see folders): the others keep what the
// last version's check found in them. Progress goes to standard error when it is a
// terminal and CI is not set.
func Scan(repo, dataDir string, opts ...Option) (*History, error) {
	r, err := gitrepo.Open(repo, dataDir)
	if err != nil {
		return nil, err
	}
	return Of(r, "HEAD", opts...)
}

// Option changes how Of reads the versions.
type Option func(*config)

type config struct {
	cache *load.Cache
	whole bool             // check every version whole (see folders): for tests
	saw   func(whole bool) // told how each version was checked: for tests
}

// WithCache makes Of load the versions through c, a load.NewRecordCache
// (else a cache of its own): a build that checked the working tree through
// c has parsed most of the history's files already, when r.Display names
// the data folder as the build did (the cache knows a file by its
// displayed path and its bytes). Of leaves in c the files of rev.
func WithCache(c *load.Cache) Option { return func(cfg *config) { cfg.cache = c } }

// Of computes the History of the first-parent line of rev.
func Of(r *gitrepo.Repo, rev string, opts ...Option) (*History, error) {
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	log, err := r.Log(rev)
	if err != nil {
		return nil, err
	}
	h := &History{Points: []Point{}, Changes: []Change{}, Skipped: []Skipped{}}
	if len(log) == 0 {
		return h, nil
	}
	tree := r.EmptyTree()
	defer tree.Close()
	cache := cfg.cache
	if cache == nil {
		cache = load.NewRecordCache()
	}
	bar := progress.New("history of "+r.Display, len(log))
	defer bar.Done()
	rf := &roundFigures{md: markdown.New(), facts: map[string]*roundFacts{}}
	var prev *version
	var seen folders
	lk := links{}
	for _, c := range log {
		tree.Apply(c.Changes)
		date, dateErr := model.ParseDate(c.Date)
		lk.apply(c.Changes)
		checked, errs := seen.checkVersion(cfg, check.Source{Display: r.Display, Load: []load.Option{load.WithCache(cache)},
			DefaultAsOf: func() (model.Date, error) { return date, dateErr }}, tree, c.Changes, lk)
		if len(errs) > 0 {
			h.Skipped = append(h.Skipped, Skipped{Commit: c.Hash, Date: c.Date, Errors: len(errs), First: errs[0].Error()})
			bar.Step()
			continue
		}
		v := rf.version(checked, fileKeys(r, tree))
		h.Points = append(h.Points, v.point(c.Commit))
		h.Changes = append(h.Changes, v.changesSince(prev, c.Commit)...)
		prev = v
		bar.Step()
	}
	if prev != nil {
		titles := map[string]string{}
		for _, vr := range prev.rounds() {
			for _, p := range vr.facts.problems {
				titles[key(vr.district, vr.round, p.id)] = p.title
			}
		}
		for i := range h.Changes {
			if t, ok := titles[h.Changes[i].key()]; ok {
				h.Changes[i].Title = t
			}
		}
	}
	return h, nil
}

// fileKeys names the content of a record file by its displayed path: the
// path and its blob, "" for a symbolic link (its blob is the link, not the
// content).
func fileKeys(r *gitrepo.Repo, t *gitrepo.Tree) func(file string) string {
	return func(file string) string {
		rel, err := filepath.Rel(r.Display, file)
		if err != nil {
			return ""
		}
		e, ok := t.Entry(filepath.ToSlash(rel))
		if !ok || e.Link() {
			return ""
		}
		return file + "@" + e.SHA
	}
}

// roundFacts is what the history needs of one round: its figures and its
// problems' states. A round's facts depend on its file alone, so they are
// computed once per version of the file (its blob).
type roundFacts struct {
	found, rectified int
	problems         []problemState // in the order of the file
	byID             map[string]problemState
}

type problemState struct {
	id, title string
	status    model.Status
	last      model.Date // newest history entry
}

// roundFigures computes and remembers the facts of rounds.
type roundFigures struct {
	md    *markdown.Renderer
	facts map[string]*roundFacts             // the rounds of the last version, by file key
	last  map[*model.District]*districtFacts // the districts of the last version
}

// version is the facts of a valid version.
type version struct {
	asOf      model.Date
	districts []DistrictPoint
	parts     []*districtFacts // in the order of the records
	byID      map[string]*districtFacts
}

// districtFacts are the facts of one checked district. A district that a
// version shares with the last one (see folders: the commit did not touch
// its folder) shares them too, without looking at its rounds again.
type districtFacts struct {
	point   DistrictPoint
	rounds  []versionRound // in the order of the records
	byRound map[string]versionRound
	known   bool // every round's file is known (no key is "") and has an id of its own: the facts may be shared
}

type versionRound struct {
	district string
	round    string
	file     string // the key of its file's content; "" when unknown
	facts    *roundFacts
}

func (rf *roundFigures) version(c *check.Checked, fileKey func(string) string) *version {
	d := c.Data
	v := &version{asOf: d.Site.AsOf, districts: []DistrictPoint{}, byID: map[string]*districtFacts{}}
	last := map[*model.District]*districtFacts{}
	made := map[string]bool{} // the file keys of the districts looked at again
	for _, dist := range d.Districts {
		df := rf.last[dist]
		if df == nil || !df.known {
			df = rf.district(d, dist, c.Calendar, fileKey, made)
		}
		last[dist] = df
		v.parts = append(v.parts, df)
		v.byID[dist.ID] = df
		v.districts = append(v.districts, df.point)
	}
	// rf.facts keeps the rounds of this version only.
	for dist, df := range rf.last {
		if last[dist] == df {
			continue
		}
		for _, vr := range df.rounds {
			if !made[vr.file] {
				delete(rf.facts, vr.file)
			}
		}
	}
	rf.last = last
	return v
}

// district finds the facts of dist's rounds, computing those of rounds
// whose file rf has not seen; made collects their keys.
func (rf *roundFigures) district(d *model.Data, dist *model.District, cal *calendar.Calendar, fileKey func(string) string, made map[string]bool) *districtFacts {
	df := &districtFacts{byRound: map[string]versionRound{}, known: true}
	found, rectified := 0, 0
	for _, r := range dist.Rounds {
		k := fileKey(r.File)
		f := rf.facts[k]
		if f == nil || k == "" {
			f = rf.compute(d.Site, dist, r, cal)
		}
		if k != "" {
			rf.facts[k] = f
			made[k] = true
		} else {
			df.known = false
		}
		found += f.found
		rectified += f.rectified
		vr := versionRound{district: dist.ID, round: r.ID, file: k, facts: f}
		df.rounds = append(df.rounds, vr)
		df.byRound[r.ID] = vr
	}
	df.known = df.known && len(df.byRound) == len(df.rounds) // (a.yaml and a.yml are both round a)
	df.point = DistrictPoint{ID: dist.ID, Name: dist.Name, Illustrative: dist.Illustrative, Figures: figures(found, rectified)}
	return df
}

// compute finds a round's figures with package aggregate, as the site's
// pages count them (a district's figures are the sums of its rounds').
// Markdown plays no part in the figures, so aggregate gets the round
// without its markdown texts, which is several times faster.
func (rf *roundFigures) compute(site *model.Site, dist *model.District, r *model.Round, cal *calendar.Calendar) *roundFacts {
	dc := &model.District{Node: dist.Node, ID: dist.ID, Dir: dist.Dir, Name: dist.Name}
	rc := *r
	rc.Note, rc.District, rc.Problems = "", dc, nil
	f := &roundFacts{byID: map[string]problemState{}}
	for _, p := range r.Problems {
		pc := *p
		pc.Description, pc.Round = "", &rc
		rc.Problems = append(rc.Problems, &pc)
		st := problemState{id: p.ID, title: p.Title, status: p.Status}
		for _, e := range p.History {
			if e.Date.After(st.last) {
				st.last = e.Date
			}
		}
		f.problems = append(f.problems, st)
		f.byID[p.ID] = st
	}
	dc.Rounds = []*model.Round{&rc}
	b := aggregate.Compute(aggregate.Input{
		Data:     &model.Data{Site: site, Districts: []*model.District{dc}},
		Calendar: cal, Markdown: rf.md, Edition: edition.InternalEdition,
	})
	// The progress chart plots a rate: only rounds whose found and
	// rectified are both known count, as in the rate of the totals.
	if t := b.Home.Totals; t.RateFound != nil && t.RateRectified != nil {
		f.found, f.rectified = *t.RateFound, *t.RateRectified
	}
	return f
}

func (v *version) point(c gitrepo.Commit) Point {
	found, rectified := 0, 0
	for _, d := range v.districts {
		if d.Illustrative {
			continue // as on the home page: made-up districts stay out of the overall figures
		}
		found += d.Found
		rectified += d.Rectified
	}
	return Point{Commit: c.Hash, Date: c.Date, AsOf: v.asOf.String(), Overall: figures(found, rectified), Districts: v.districts}
}

func figures(found, rectified int) Figures {
	f := Figures{Found: found, Rectified: rectified, RateText: aggregate.RateText(rectified, found)}
	if r, ok := aggregate.Rate(rectified, found); ok {
		pr := Percent(r)
		f.Rate = &pr
	}
	return f
}

func key(d, r, p string) string { return d + "/" + r + "/" + p }

func (c Change) key() string { return key(c.District, c.Round, c.Problem) }

// rounds are the rounds of v, in the order of the records.
func (v *version) rounds() []versionRound {
	var out []versionRound
	for _, df := range v.parts {
		out = append(out, df.rounds...)
	}
	return out
}

// round is the round of district and round ids in v.
func (v *version) round(district, round string) (versionRound, bool) {
	df := v.byID[district]
	if df == nil {
		return versionRound{}, false
	}
	vr, ok := df.byRound[round]
	return vr, ok
}

// changesSince lists the problems whose status differs from prev (every
// problem when prev is nil: the first valid version opens them all). A
// round that is the same file as before has no changes.
func (v *version) changesSince(prev *version, c gitrepo.Commit) []Change {
	var out []Change
	for _, df := range v.parts {
		if prev != nil && df.known && prev.byID[df.point.ID] == df {
			continue // the same files as before: no round has changed
		}
		out = append(out, df.changesSince(prev, c)...)
	}
	return out
}

// changesSince lists the changes of df's rounds since prev.
func (df *districtFacts) changesSince(prev *version, c gitrepo.Commit) []Change {
	var out []Change
	for _, vr := range df.rounds {
		var old map[string]problemState
		if prev != nil {
			pr, ok := prev.round(vr.district, vr.round)
			if ok && pr.file != "" && pr.file == vr.file {
				continue
			}
			if ok {
				old = pr.facts.byID
			}
		}
		for _, p := range vr.facts.problems {
			o, ok := old[p.id]
			if ok && o.status == p.status {
				continue
			}
			date := c.Date
			if !p.last.IsZero() {
				date = p.last.String()
			}
			out = append(out, Change{
				Commit: c.Hash, CommitDate: c.Date, Date: date,
				District: vr.district, Round: vr.round, Problem: p.id, Title: p.title,
				From: string(o.status), To: string(p.status),
				URL: pageurl.Problem(vr.district, vr.round, p.id),
			})
		}
	}
	return out
}

// MayShow returns the predicate of the problems an edition may show, for
// Filter: in the internal edition every problem; in the public edition the
// problems of d (the checked records, not the redacted copy) that are
// neither internal nor withheld nor of an internal target. A problem that
// is not in d (deleted since) is not shown in the public edition.
func MayShow(d *model.Data, ed edition.Edition) func(districtID, roundID, problemID string) bool {
	if !ed.Public() {
		return func(string, string, string) bool { return true }
	}
	public := map[string]bool{}
	for _, dist := range d.Districts {
		for _, r := range dist.Rounds {
			for _, p := range r.Problems {
				if !edition.Internal(r, p) {
					public[key(dist.ID, r.ID, p.ID)] = true
				}
			}
		}
	}
	return func(d, r, p string) bool { return public[key(d, r, p)] }
}

// Filter returns the history edition ed may show, judged on d, the checked
// records of the build (the working tree's, uncommitted edits included),
// never on the versions in git. Only a filtered History can be written.
//
//   - Changes: only those of the problems MayShow accepts, and every text
//     from d, the version that passed the filter: a problem internal at
//     HEAD and public in the working tree is shown with its public title,
//     never the one it had while internal.
//   - Districts are named as d names them, in every point: a renamed
//     district shows its present name for its past figures.
//   - Retraction: a district that is no longer in d keeps its figures in
//     the past points (the totals published then stay true), but in the
//     public edition it loses its name and id: the figures of every such
//     district are summed, per point, into one line named
//     edition.RetractedDistricts. The internal edition keeps their names.
func (h *History) Filter(d *model.Data, ed edition.Edition) *History {
	mayShow := MayShow(d, ed)
	titles, names := map[string]string{}, map[string]string{}
	for _, dist := range d.Districts {
		names[dist.ID] = dist.Name
		for _, r := range dist.Rounds {
			for _, p := range r.Problems {
				titles[key(dist.ID, r.ID, p.ID)] = p.Title
			}
		}
	}
	out := &History{Skipped: h.Skipped, Points: []Point{}, Changes: []Change{}, filtered: true}
	for _, c := range h.Changes {
		if !mayShow(c.District, c.Round, c.Problem) {
			continue
		}
		if t, ok := titles[c.key()]; ok {
			c.Title = t
		} else if ed.Public() {
			continue // MayShow accepts no problem outside d in the public edition
		}
		out.Changes = append(out.Changes, c)
	}
	for _, p := range h.Points {
		pc := p
		pc.Districts = []DistrictPoint{}
		var gone *DistrictPoint
		for _, dp := range p.Districts {
			if name, ok := names[dp.ID]; ok {
				dp.Name = name
			} else if ed.Public() {
				if dp.Illustrative {
					continue // made up, and never in the overall figures
				}
				if gone == nil {
					gone = &DistrictPoint{Name: edition.RetractedDistricts}
				}
				gone.Figures = figures(gone.Found+dp.Found, gone.Rectified+dp.Rectified)
				continue
			}
			pc.Districts = append(pc.Districts, dp)
		}
		if gone != nil {
			pc.Districts = append(pc.Districts, *gone)
		}
		out.Points = append(out.Points, pc)
	}
	return out
}

// JSON renders h as data/history.json: indented, in a stable order, the
// same bytes for the same history.
func (h *History) JSON() ([]byte, error) {
	c := *h
	if c.Points == nil {
		c.Points = []Point{}
	}
	if c.Changes == nil {
		c.Changes = []Change{}
	}
	if c.Skipped == nil {
		c.Skipped = []Skipped{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(c); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ErrNotFiltered is returned by WriteHistoryJSON for a History that has not
// been through Filter: the public edition must not carry the changes of
// internal problems, and the writer cannot tell which edition it writes.
var ErrNotFiltered = errors.New("history: call Filter(MayShow(data, edition)) before writing it")

// WriteHistoryJSON writes h (after Filter) as data/history.json under dir.
func WriteHistoryJSON(dir string, h *History) error {
	if h == nil || !h.filtered {
		return ErrNotFiltered
	}
	b, err := h.JSON()
	if err != nil {
		return err
	}
	p := filepath.Join(dir, filepath.FromSlash(HistoryPath))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		return fmt.Errorf("history: %w", err)
	}
	return nil
}
