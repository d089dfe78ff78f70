package pipeline

import (
	"errors"
	"path/filepath"
	"sort"

	"github.com/xuncha/bulletin/generator/internal/gitrepo"
	"github.com/xuncha/bulletin/generator/internal/history"
	"github.com/xuncha/bulletin/generator/internal/notices"
	"github.com/xuncha/bulletin/generator/internal/view"
	"github.com/xuncha/bulletin/generator/internal/view/chart"
)

// addHistory scans the data folder's git history and gives the Bulletin its
// progress page and the status changes for the feed, filtered for the
// edition. Outside git there is no history, and no error.
func addHistory(cfg Config, c *Checked, b *view.Bulletin) (*history.History, error) {
	// The repository is the one that holds the data folder, wherever the
	// command runs.
	h, err := history.Scan(cfg.Data, ".")
	if errors.Is(err, gitrepo.ErrNoRepository) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	h = h.Filter(c.Data, cfg.Edition)
	if len(h.Points) == 0 {
		return h, nil
	}
	if err := addNotices(cfg, h, b); err != nil {
		return nil, err
	}
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

// addNotices gives the Bulletin its dated notices: one per as_of of the
// history, from the last data commit with it.
func addNotices(cfg Config, h *history.History, b *view.Bulletin) error {
	r, err := gitrepo.Open(cfg.Data, ".")
	if err != nil {
		return err
	}
	ns, err := notices.Make(r, notices.Picks(h.Points), cfg.Edition)
	if err != nil {
		return err
	}
	b.Notices = ns
	b.Home.Notices = notices.Rows(ns)
	return nil
}
