package search

import (
	"unicode"
	"unicode/utf8"
)

// Text is cut into tokens the same way here and in search.js:
//
//   - full-width ASCII (Ａ-Ｚ, ０-９, …) counts as ASCII, and ASCII letters are
//     lower-cased;
//   - a run of ASCII letters and digits is one token (a word or a number);
//   - every other letter, digit or mark (a Han character, a kana, …) is a
//     token of its own;
//   - anything else (spaces, punctuation) separates tokens.
//
// Each token has a position; a separator, and the start of each text of a
// document, skips one position, so two tokens are adjacent in the text
// exactly when their positions differ by one.

// fold maps full-width ASCII to ASCII and lower-cases ASCII letters.
func fold(r rune) rune {
	if r >= 0xFF01 && r <= 0xFF5E {
		r -= 0xFF01 - 0x21
	}
	if r >= 'A' && r <= 'Z' {
		r += 'a' - 'A'
	}
	return r
}

func isASCIIWord(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= '0' && r <= '9'
}

func isWord(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// tokenizer cuts texts into tokens, reusing its buffers: it allocates
// nothing per token.
type tokenizer struct {
	pos  uint32
	word []byte // the ASCII word being read
	tok  []byte // the current non-ASCII token
}

// scan calls emit for each token of text with its bytes (valid until emit
// returns) and its position. adjacent tells whether the token directly
// follows the previous one.
func (t *tokenizer) scan(text string, emit func(tok []byte, pos uint32, adjacent bool)) {
	adjacent := false
	t.pos++ // a new text is never adjacent to the last one
	flush := func() {
		if len(t.word) > 0 {
			emit(t.word, t.pos, adjacent)
			t.pos++
			adjacent = true
			t.word = t.word[:0]
		}
	}
	for _, r := range text {
		r = fold(r)
		switch {
		case isASCIIWord(r):
			t.word = append(t.word, byte(r))
		case r >= utf8.RuneSelf && isWord(r):
			flush()
			t.tok = utf8.AppendRune(t.tok[:0], r)
			emit(t.tok, t.pos, adjacent)
			t.pos++
			adjacent = true
		default:
			flush()
			if adjacent {
				t.pos++
				adjacent = false
			}
		}
	}
	flush()
}

// Terms cuts a query into its terms: the runs of adjacent tokens, each a
// list of tokens. A page matches a term when it holds the term's tokens
// adjacent and in order; it matches a query when it matches every term.
// search.js reads queries the same way.
func Terms(q string) [][]string {
	var terms [][]string
	var cur []string
	var t tokenizer
	t.scan(q, func(tok []byte, _ uint32, adjacent bool) {
		if !adjacent && len(cur) > 0 {
			terms = append(terms, cur)
			cur = nil
		}
		cur = append(cur, string(tok))
	})
	if len(cur) > 0 {
		terms = append(terms, cur)
	}
	return terms
}
