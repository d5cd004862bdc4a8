package search

import (
	"strings"
	"unicode/utf8"
)

// Limits on what a query may cost: readers paste whole error messages or
// articles, bots send megabytes. Past these, the rest is ignored.
const (
	maxQueryRunes  = 200 // of raw input, before folding
	maxQueryTokens = 32  // words plus bigrams
)

// term is one thing a query looks for.
type term struct {
	text    string // folded word, or a run of a script written without spaces
	noSpace bool
	runes   []rune // the run's characters when noSpace
}

// prefix reports whether the term also finds longer words that start with
// it ("sesion" finds "sesiones"). One letter would find almost everything.
func (t term) prefix() bool {
	return !t.noSpace && utf8.RuneCountInString(t.text) >= 2
}

// match returns the term as an FTS5 expression. Terms are folded letters,
// digits and marks only, and are always double-quoted, so no FTS5 syntax
// from the reader's input (AND, NEAR, *, ^, col:, quotes) ever reaches it.
func (t term) match() string {
	var b strings.Builder
	b.WriteByte('"')
	if t.noSpace && len(t.runes) > 1 {
		// A run is the phrase of its bigrams: 如何退出 must hold 如何 何退 退出 in a row.
		for i := 0; i+1 < len(t.runes); i++ {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(string(t.runes[i : i+2]))
		}
	} else {
		b.WriteString(strings.ReplaceAll(t.text, `"`, `""`))
	}
	b.WriteByte('"')
	if t.prefix() {
		b.WriteByte('*')
	}
	return b.String()
}

// parseQuery folds raw input into at most maxQueryTokens distinct terms.
func parseQuery(tk *tokenizer, text string) []term {
	text = truncateRunes(text, maxQueryRunes)
	var terms []term
	budget := maxQueryTokens
	seen := map[string]bool{}
	add := func(t term, cost int) bool {
		if !seen[t.text] {
			seen[t.text] = true
			terms = append(terms, t)
			budget -= cost
		}
		return budget > 0
	}
	tk.tokenize(text, func(w []byte) bool {
		return add(term{text: string(w)}, 1)
	}, func(run []rune) bool {
		if n := len(run) - 1; n > budget {
			run = run[:budget+1]
		}
		rs := append([]rune(nil), run...)
		return add(term{text: string(rs), noSpace: true, runes: rs}, max(1, len(rs)-1))
	})
	return terms
}

// truncateRunes cuts s after n characters (invalid bytes count as one).
func truncateRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// allTerms is the expression that needs every term.
func allTerms(terms []term) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = t.match()
	}
	return strings.Join(parts, " AND ")
}

// anyTerms returns the terms of the fallback query, which needs only one of
// them: a run longer than a bigram is split into its bigrams, so a
// sentence typed without spaces (如何退出帳號) still finds 退出.
func anyTerms(terms []term) []term {
	var out []term
	seen := map[string]bool{}
	for _, t := range terms {
		if !t.noSpace || len(t.runes) <= 2 {
			if !seen[t.text] {
				seen[t.text] = true
				out = append(out, t)
			}
			continue
		}
		for i := 0; i+1 < len(t.runes); i++ {
			rs := t.runes[i : i+2]
			if s := string(rs); !seen[s] {
				seen[s] = true
				out = append(out, term{text: s, noSpace: true, runes: rs})
			}
		}
	}
	return out
}

// oneTerm is the expression that needs any of the terms.
func oneTerm(terms []term) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = t.match()
	}
	return strings.Join(parts, " OR ")
}

// Normalize returns the folded form of a query for counting searches that found nothing ("Cerrar  Sesión " -> "cerrar sesion"): folded, whitespace collapsed, truncated. Empty if nothing searchable.
func Normalize(text string) string {
	var tk tokenizer
	terms := parseQuery(&tk, text)
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = t.text
	}
	return strings.Join(parts, " ")
}
