package pipeline

import (
	"errors"
	"path/filepath"
	"sort"

	"github.com/xuncha/bulletin/generator/internal/gitrepo"
	"github.com/xuncha/bulletin/generator/internal/history"
	"github.com/xuncha/bulletin/generator/internal/load"
	"github.com/xuncha/bulletin/generator/internal/notices"
	"github.com/xuncha/bulletin/generator/internal/view"
	"github.com/xuncha/bulletin/generator/internal/view/chart"
)

// gitHistory is where a build reads the data's git history from: the
// repository that holds the data folder, and a record cache (load.WithCache
// of loadOptions) that the check of the working tree fills before the scan,
// so that the scan and the notices parse only the versions of files that
// differ from the working tree's. A nil *gitHistory is data outside git.
type gitHistory struct {
	repo  *gitrepo.Repo
	cache *load.Cache
	err   error // opening the repository failed: reported by addHistory, after the records' diagnostics
}

// openHistory finds the repository of cfg.Data (nil outside git). The
// repository is the one that holds the data folder, wherever the command
// runs; its files are named as check names the working tree's (cfg.Data),
// so that the cache knows them by the same names.
func openHistory(cfg Config) *gitHistory {
	r, err := gitrepo.Open(cfg.Data, ".")
	if errors.Is(err, gitrepo.ErrNoRepository) {
		return nil
	}
	if err != nil {
		return &gitHistory{err: err}
	}
	r.Display = filepath.Clean(cfg.Data)
	return &gitHistory{repo: r, cache: load.NewRecordCache()}
}

// loadOptions are the loader options of the check of the working tree.
func (g *gitHistory) loadOptions() []load.Option {
	if g == nil || g.cache == nil {
		return nil
	}
	return []load.Option{load.WithCache(g.cache)}
}

// scanned is the data's history read from git, filtered for the edition,
// and its dated notices: what readHistory finds before the Bulletin is
// computed, so that the scan's memory (a record cache of every file) is
// given back before the Bulletin's pages take theirs.
type scanned struct {
	h       *history.History
	notices []*view.Notice
}

// readHistory scans the data folder's git history through g's cache and
// makes the dated notices, in cfg's edition, judged on c (the working
// tree's records). Outside git (g nil) there is no history, and no error.
func readHistory(cfg Config, g *gitHistory, c *Checked) (*scanned, error) {
	if g == nil {
		return nil, nil
	}
	if g.err != nil {
		return nil, g.err
	}
	h, err := history.Of(g.repo, "HEAD", history.WithCache(g.cache))
	if err != nil {
		return nil, err
	}
	s := &scanned{h: h.Filter(c.Data, cfg.Edition)}
	if len(s.h.Points) == 0 {
		return s, nil
	}
	s.notices, err = notices.Make(g.repo, notices.Picks(s.h.Points), cfg.Edition, g.loadOptions()...)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// addHistory gives the Bulletin the history readHistory found: its progress
// page, its dated notices and the status changes for the feed. Outside git
// (s nil) there is no history, and no error.
func addHistory(cfg Config, s *scanned, c *Checked, b *view.Bulletin) (*history.History, error) {
	if s == nil {
		return nil, nil
	}
	h := s.h
	if len(h.Points) == 0 {
		return h, nil
	}
	b.Notices = s.notices
	b.Home.Notices = notices.Rows(s.notices)
	names := map[string]string{}
	for _, d := range c.Data.Districts {
		names[d.ID] = d.Name
	}
	hv := &view.History{Charts: map[string]string{}}
	for _, l := range Languages(cfg.Templates) {
		words, err := chart.ReadWords(filepath.Join(cfg.Templates, "i18n"), l.Code)
		if err != nil {
			return nil, err
		}
		hv.Charts[l.Code] = chart.History(h.Points, words)
	}
	byDay := map[string]int{}
	for _, p := range h.Points {
		row := view.HistoryPoint{Date: p.Date, AsOf: p.AsOf, Found: p.Overall.Found, Rectified: p.Overall.Rectified, RateText: p.Overall.RateText}
		if i, ok := byDay[p.Date]; ok {
			hv.Points[i] = row // the last commit of a day stands for the day, as in the chart
			continue
		}
		byDay[p.Date] = len(hv.Points)
		hv.Points = append(hv.Points, row)
	}
	for _, d := range b.Districts {
		hv.Districts = append(hv.Districts, d.Link)
	}
	b.History = hv
	// The first version only brings the records in: it changes nothing.
	first := h.Points[0].Commit
	b.Changes = []view.Change{}
	for i := len(h.Changes) - 1; i >= 0; i-- { // newest first
		ch := h.Changes[i]
		if ch.Commit == first {
			continue
		}
		b.Changes = append(b.Changes, view.Change{Date: ch.Date, District: names[ch.District], Title: ch.Title, From: ch.From, To: ch.To, URL: ch.URL})
	}
	// By date, newest first; within a day, the latest commit first.
	sort.SliceStable(b.Changes, func(i, j int) bool { return b.Changes[i].Date > b.Changes[j].Date })
	return h, nil
}
