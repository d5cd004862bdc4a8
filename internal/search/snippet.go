package search

import (
	"html"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// span is a byte range of the original text.
type span struct{ start, end int }

// Snippet size, in characters of the original text.
const (
	snippetRunes  = 200 // the excerpt aims at this length...
	snippetSlack  = 40  // ...and gives up to this much to end on a word boundary
	snippetBefore = 50  // context kept before the first match
)

const ellipsis = "…"

// foldedText is a body folded once at build time, so that a query finds
// its matches with strings.Index instead of folding the body again: each
// folded character stands where the tokenizer saw it, separators as one
// space each, and anchors map folded offsets back to the original.
type foldedText struct {
	text    string
	anchors []anchor // by folded offset; between two, offsets move together
	origLen int
}

// anchor pairs an offset of the folded text with one of the original.
type anchor struct{ folded, orig int32 }

// foldedTextBuilder makes a foldedText from folded characters in order.
type foldedTextBuilder struct {
	b           strings.Builder
	anchors     []anchor
	last, delta int
	started     bool
}

func (fb *foldedTextBuilder) add(c foldedRune) {
	// Only the first character folded from an original one is anchored:
	// the others (the second s of ß) map inside it and are rounded.
	if !fb.started || c.start != fb.last {
		if fo := fb.b.Len(); !fb.started || c.start-fo != fb.delta {
			fb.anchors = append(fb.anchors, anchor{int32(fo), int32(c.start)})
			fb.delta = c.start - fo
		}
		fb.last, fb.started = c.start, true
	}
	if c.k == kindSep {
		fb.b.WriteByte(' ')
	} else {
		fb.b.WriteRune(c.r)
	}
}

// finish returns the folded text of an original of n bytes.
func (fb *foldedTextBuilder) finish(n int) foldedText {
	if fo := fb.b.Len(); !fb.started || n-fo != fb.delta {
		fb.anchors = append(fb.anchors, anchor{int32(fo), int32(n)})
	}
	return foldedText{text: fb.b.String(), anchors: slices.Clip(fb.anchors), origLen: n}
}

// orig maps an offset of the folded text to the original.
func (ft *foldedText) orig(x int) int {
	i, found := slices.BinarySearchFunc(ft.anchors, x, func(a anchor, x int) int { return int(a.folded) - x })
	if !found {
		i--
	}
	if i < 0 {
		return min(x, ft.origLen)
	}
	return min(int(ft.anchors[i].orig)+x-int(ft.anchors[i].folded), ft.origLen)
}

// span maps a folded range to the original, widened to whole characters.
func (ft *foldedText) span(start, end int, body string) span {
	s, e := ft.orig(start), ft.orig(end)
	for s > 0 && !utf8.RuneStart(body[s]) {
		s--
	}
	for e < len(body) && !utf8.RuneStart(body[e]) {
		e++
	}
	return span{s, max(s, e)}
}

// nextMatch finds the first match of t in ft.text at or after from: a whole
// word, or a word that starts with t when t.prefix(), or anywhere in a run
// for scripts written without spaces. It returns the folded range to mark
// (the whole word for a prefix) or -1.
func (ft *foldedText) nextMatch(t term, from int) (int, int) {
	text := ft.text
	for from <= len(text) {
		i := strings.Index(text[from:], t.text)
		if i < 0 {
			return -1, -1
		}
		start, end := from+i, from+i+len(t.text)
		from = start + 1
		if t.noSpace {
			return start, end
		}
		if r, _ := utf8.DecodeLastRuneInString(text[:start]); start > 0 && classify(r) == kindWord {
			continue
		}
		if t.prefix() {
			for end < len(text) {
				r, size := utf8.DecodeRuneInString(text[end:])
				if classify(r) != kindWord {
					break
				}
				end += size
			}
			return start, end
		}
		if r, _ := utf8.DecodeRuneInString(text[end:]); end < len(text) && classify(r) == kindWord {
			continue
		}
		return start, end
	}
	return -1, -1
}

// snippet returns an excerpt of body, the original text, around the first
// match of terms, as safe HTML: escaped text with each match in <mark>.
// Matches are found in the folded body, so "sesion" marks "sesión".
func snippet(body string, ft *foldedText, terms []term) string {
	first := span{-1, -1}
	for _, t := range terms {
		if s, e := ft.nextMatch(t, 0); s >= 0 {
			if m := ft.span(s, e, body); first.start < 0 || m.start < first.start {
				first = m
			}
		}
	}
	if first.start < 0 {
		return renderSnippet(body, snippetWindow(body, span{0, 0}), nil)
	}
	window := snippetWindow(body, first)
	var marks []span
	for _, t := range terms {
		for s, e := ft.nextMatch(t, 0); s >= 0; s, e = ft.nextMatch(t, e) {
			m := ft.span(s, e, body)
			if m.start >= window.end {
				break
			}
			if m.end > window.start {
				marks = append(marks, m)
			}
		}
	}
	return renderSnippet(body, window, mergeSpans(marks))
}

// snippetWindow chooses the excerpt around the first match m: some context
// before it, about snippetRunes characters in all, cut at spaces where the
// script has them.
func snippetWindow(body string, m span) span {
	start := back(body, m.start, snippetBefore)
	end := forward(body, start, snippetRunes)
	if end == len(body) {
		// Near the end: take more context before instead.
		start = min(start, back(body, len(body), snippetRunes))
	}
	if start > 0 {
		start = wordStart(body, start, m.start)
	}
	end = max(forward(body, start, snippetRunes), m.end) // a long match is never cut
	if end < len(body) {
		end = wordEnd(body, end, m.end)
	}
	return span{start, end}
}

// back returns the offset n characters before i in s, or 0.
func back(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return i
}

// forward returns the offset n characters after i in s, or len(s).
func forward(s string, i, n int) int {
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}

// wordStart moves start forward to the start of a word, unless it is one
// already or no space comes before limit (Chinese, Japanese and Thai may
// not have any).
func wordStart(body string, start, limit int) int {
	if r, _ := utf8.DecodeLastRuneInString(body[:start]); unicode.IsSpace(r) {
		return start
	}
	i := strings.IndexFunc(body[start:limit], unicode.IsSpace)
	if i < 0 {
		return start
	}
	start += i
	return len(body) - len(strings.TrimLeftFunc(body[start:], unicode.IsSpace))
}

// wordEnd moves end back to the end of a word, at most snippetSlack
// characters and never before limit.
func wordEnd(body string, end, limit int) int {
	if r, _ := utf8.DecodeRuneInString(body[end:]); unicode.IsSpace(r) {
		return end
	}
	i := end
	for n := 0; n < snippetSlack && i > limit; n++ {
		r, size := utf8.DecodeLastRuneInString(body[:i])
		if unicode.IsSpace(r) {
			return len(strings.TrimRightFunc(body[:i], unicode.IsSpace))
		}
		i -= size
	}
	return end
}

// mergeSpans sorts spans and joins those that overlap or touch, so marks
// never nest.
func mergeSpans(spans []span) []span {
	slices.SortFunc(spans, func(a, b span) int { return a.start - b.start })
	var out []span
	for _, s := range spans {
		if n := len(out); n > 0 && s.start <= out[n-1].end {
			out[n-1].end = max(out[n-1].end, s.end)
			continue
		}
		out = append(out, s)
	}
	return out
}

// renderSnippet writes body[w] as HTML: escaped text, marks, and an
// ellipsis on each side that is cut.
func renderSnippet(body string, w span, marks []span) string {
	var b strings.Builder
	if w.start > 0 {
		b.WriteString(ellipsis)
	}
	pos := w.start
	for _, m := range marks {
		m.start, m.end = max(m.start, w.start), min(m.end, w.end)
		if m.start < pos || m.start >= m.end {
			continue
		}
		b.WriteString(html.EscapeString(body[pos:m.start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(body[m.start:m.end]))
		b.WriteString("</mark>")
		pos = m.end
	}
	b.WriteString(html.EscapeString(body[pos:w.end]))
	if w.end < len(body) {
		b.WriteString(ellipsis)
	}
	return b.String()
}
