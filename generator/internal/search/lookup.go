package search

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"
)

// Rank orders the docs a query hit, given how many of its n keys each doc
// has: the docs with every key, in index order; when there are none, the
// docs with at least three quarters of the keys, most keys first (a query
// like 日间照料中心 still finds 日间照料（残疾人康复）中心).
func Rank(count map[int]int, n int) []int {
	var ids []int
	for id, c := range count {
		if c == n {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 && n >= 3 {
		floor := (3*n + 3) / 4
		for id, c := range count {
			if c >= floor {
				ids = append(ids, id)
			}
		}
	}
	sort.Slice(ids, func(i, j int) bool {
		if count[ids[i]] != count[ids[j]] {
			return count[ids[i]] > count[ids[j]]
		}
		return ids[i] < ids[j]
	})
	return ids
}

// Lookup answers a query from the files Write wrote under dir, the way the
// browser script does (search.js): the keys a query needs are its Latin
// words, its pairs of adjacent characters, and its single characters that
// belong to no pair; a hit has every key. It returns the hits' URLs in
// index order. Tests use it to check the index without a browser.
func Lookup(dir, q string) ([]string, error) {
	var need []string
	all := Keys(q)
	var pairs []string
	for _, k := range all {
		if utf8.RuneCountInString(k) == 2 && k[0] >= 0x80 {
			pairs = append(pairs, k)
		}
	}
	seen := map[string]bool{}
	add := func(k string) {
		if !seen[k] {
			seen[k] = true
			need = append(need, k)
		}
	}
	for _, k := range all {
		switch {
		case k[0] < 0x80:
			add(k)
		case utf8.RuneCountInString(k) == 2:
			add(k)
		default:
			inPair := false
			for _, p := range pairs {
				inPair = inPair || strings.Contains(p, k)
			}
			if !inPair {
				add(k)
			}
		}
	}
	if len(need) == 0 {
		return nil, nil
	}
	count := map[int]int{}
	for _, k := range need {
		var idx map[string][]int
		if err := readJSON(filepath.Join(dir, Dir, "idx", fmt.Sprintf("%d.json", Shard(k))), &idx); err != nil && !os.IsNotExist(err) {
			return nil, err
		}
		last := 0
		for _, d := range idx[k] {
			last += d
			count[last]++
		}
	}
	ids := Rank(count, len(need))
	var urls []string
	for _, id := range ids {
		var rows [][4]string
		if err := readJSON(filepath.Join(dir, Dir, "docs", fmt.Sprintf("%d.json", id/Chunk)), &rows); err != nil {
			return nil, err
		}
		urls = append(urls, rows[id%Chunk][1])
	}
	return urls, nil
}

func readJSON(p string, v any) error {
	b, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}
