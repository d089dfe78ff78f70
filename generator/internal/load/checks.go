package load

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// validID reports whether id is a valid id: 1 to 64 of a-z, 0-9 and "-",
// not starting with "-" (^[a-z0-9][a-z0-9-]{0,63}$). It becomes a URL path
// segment.
func validID(id string) bool {
	if len(id) == 0 || len(id) > 64 || id[0] == '-' {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// idProblem returns why id is not a valid id ("is too long …"), or "".
func idProblem(id string) string {
	if validID(id) {
		return ""
	}
	if len(id) > 64 && validID(id[:64]) && strings.Trim(id, "abcdefghijklmnopqrstuvwxyz0123456789-") == "" {
		return "is too long: at most 64 characters"
	}
	return `is not URL-safe: use a-z, 0-9 and "-", starting with a letter or digit`
}

// statusWords maps what staff may write in Chinese to the status meant.
var statusWords = map[string]string{
	"未整改": "pending", "待整改": "pending",
	"整改中": "in_progress", "正在整改": "in_progress",
	"基本完成": "basically_done",
	"长期整改": "long_term", "持续整改": "long_term",
	"已整改": "rectified", "整改完成": "rectified", "已完成": "rectified",
	"已销号": "closed", "销号": "closed",
}

// suggest returns the candidate closest to word when it is close enough to
// be a typo (edit distance at most 2, and less for short words), or "".
func suggest(word string, candidates []string) string {
	if s, ok := statusWords[strings.TrimSpace(word)]; ok {
		for _, c := range candidates {
			if c == s {
				return s
			}
		}
	}
	if utf8.RuneCountInString(word) > 64 {
		return ""
	}
	lower := strings.ToLower(strings.ReplaceAll(word, "-", "_"))
	best, bestD := "", 3
	for _, c := range candidates {
		if lower == c {
			return c
		}
		limit := min(2, max(1, utf8.RuneCountInString(c)/3))
		if d := distance(lower, c); d <= limit && d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// distance is the optimal string alignment distance between a and b: the
// edits (insert, delete, substitute, swap two neighbours) from one to the
// other, counted in characters.
func distance(a, b string) int {
	s, t := []rune(a), []rune(b)
	// Three rows: two back (for swaps), previous, current.
	prev2 := make([]int, len(t)+1)
	prev := make([]int, len(t)+1)
	cur := make([]int, len(t)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(s); i++ {
		cur[0] = i
		for j := 1; j <= len(t); j++ {
			cost := 1
			if s[i-1] == t[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && s[i-1] == t[j-2] && s[i-2] == t[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(t)]
}

// didYouMean formats a suggestion for the end of a message.
func didYouMean(word string, candidates []string) string {
	if s := suggest(word, candidates); s != "" {
		return fmt.Sprintf("; did you mean %q?", s)
	}
	return ""
}
