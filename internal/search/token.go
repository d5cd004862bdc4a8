package search

import (
	"strings"
	"unicode/utf8"
)

// tokenizer cuts folded text into words (scripts written with spaces) and
// runs (scripts written without them). Its buffers are reused, so it is
// not safe for concurrent use; each call of Build or Search makes its own.
type tokenizer struct {
	f    folder
	word []byte
	run  []rune
	tap  func(foldedRune) // if set, sees every folded character first
}

// tokenize calls onWord for every word and onRun for every run of
// characters of a script written without spaces, in the order of s. The
// slices passed are only valid during the call. A callback returns false
// to stop early.
func (t *tokenizer) tokenize(s string, onWord func(w []byte) bool, onRun func(run []rune) bool) {
	t.word, t.run = t.word[:0], t.run[:0]
	stopped := false
	flushWord := func() {
		if len(t.word) > 0 && !stopped && !onWord(t.word) {
			stopped = true
		}
		t.word = t.word[:0]
	}
	flushRun := func() {
		if len(t.run) > 0 && !stopped && !onRun(t.run) {
			stopped = true
		}
		t.run = t.run[:0]
	}
	t.f.fold(s, func(c foldedRune) {
		if t.tap != nil {
			t.tap(c)
		}
		if stopped {
			return
		}
		switch c.k {
		case kindWord:
			flushRun()
			t.word = utf8.AppendRune(t.word, c.r)
		case kindNoSpace:
			flushWord()
			t.run = append(t.run, c.r)
		default:
			flushWord()
			flushRun()
		}
	})
	flushWord()
	flushRun()
}

// indexBody returns indexText(s) and the folded text of s for snippets,
// folding s once.
func (t *tokenizer) indexBody(s string) (string, foldedText) {
	var fb foldedTextBuilder
	fb.b.Grow(len(s))
	t.tap = fb.add
	defer func() { t.tap = nil }()
	text := t.indexText(s)
	return text, fb.finish(len(s))
}

// indexText returns s as the space-separated tokens stored in the index:
// words as they are, runs as overlapping bigrams, then every character of
// the runs as unigrams at the end, where they cannot come between the
// bigrams of a phrase. FTS5's ascii tokenizer splits on the spaces only
// (folded words hold no ASCII punctuation), so it sees exactly these tokens.
func (t *tokenizer) indexText(s string) string {
	var b, tail strings.Builder
	t.tokenize(s, func(w []byte) bool {
		b.Write(w)
		b.WriteByte(' ')
		return true
	}, func(run []rune) bool {
		if len(run) == 1 {
			b.WriteRune(run[0])
			b.WriteByte(' ')
			return true
		}
		for i := 0; i+1 < len(run); i++ {
			b.WriteRune(run[i])
			b.WriteRune(run[i+1])
			b.WriteByte(' ')
		}
		for _, r := range run {
			tail.WriteRune(r)
			tail.WriteByte(' ')
		}
		return true
	})
	b.WriteString(tail.String())
	return strings.TrimSuffix(b.String(), " ")
}
