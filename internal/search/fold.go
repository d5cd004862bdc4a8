package search

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// kind says what a folded character is to the tokenizer.
type kind uint8

const (
	kindSep     kind = iota // separates tokens: spaces, punctuation, symbols, emoji, controls
	kindWord                // part of a word in a script written with spaces
	kindNoSpace             // a character of a script written without spaces (CJK, Thai...)
)

// stripScripts are the space-delimited scripts whose combining marks are
// accents that readers often leave out, so folding drops them. Every other
// script keeps its marks: in Devanagari, Tamil or Thai the vowel signs and
// viramas are part of the word, and in Japanese the voicing marks change it.
var stripScripts = []*unicode.RangeTable{
	unicode.Latin, unicode.Greek, unicode.Cyrillic, unicode.Armenian,
	unicode.Georgian, unicode.Hebrew, unicode.Arabic, unicode.Syriac,
}

// noSpaceScripts are written without spaces between words; they are
// indexed as character bigrams.
var noSpaceScripts = []*unicode.RangeTable{
	unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul,
	unicode.Bopomofo, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar,
}

// special are the foldings that Unicode decomposition does not give:
// letters with a bar or stroke (no decomposition), ligatures that NFKC
// leaves alone, dotless i, final sigma, and the Arabic-script variants that
// readers type interchangeably (hamza forms decompose on their own).
var special = map[rune]string{
	'ß': "ss", 'ẞ': "ss",
	'ı': "i",
	'đ': "d", 'Đ': "d", 'ð': "d", 'Ð': "d",
	'ø': "o", 'Ø': "o",
	'ł': "l", 'Ł': "l",
	'ħ': "h", 'Ħ': "h",
	'ŧ': "t", 'Ŧ': "t",
	'æ': "ae", 'Æ': "ae",
	'œ': "oe", 'Œ': "oe",
	'þ': "th", 'Þ': "th",
	'ς': "σ",
	// Short i and short u are letters of their own on Cyrillic keyboards,
	// unlike ё, which Russian mostly writes as е.
	'й': "й", 'Й': "й", 'ў': "ў", 'Ў': "ў",
	// Arabic script.
	'ٱ': "ا", // alef wasla
	'ى': "ي", // alef maksura
	'ی': "ي", // Farsi yeh
	'ې': "ي", // Pashto yeh
	'ۍ': "ي",
	'ے': "ي", // Urdu yeh barree
	'ک': "ك", // keheh (Persian kaf)
	'ة': "ه", // teh marbuta
	'ۃ': "ه", // Urdu teh marbuta goal
	'ہ': "ه", // Urdu heh goal
	'ـ': "",  // tatweel only stretches a word
}

// foldedRune is one character of folded text with the byte span of the
// original text it comes from.
type foldedRune struct {
	r          rune
	k          kind
	start, end int
}

// folder turns text into folded characters; its buffer is reused across
// calls, so a folder is not safe for concurrent use.
type folder struct {
	pending []foldedRune
	buf     [utf8.UTFMax]byte
}

// fold calls emit for every folded character of s, in order. Text is first
// put in NFKC, segment by segment, so that each folded character knows the
// span of s it came from; then case, accents and letter variants are folded.
func (f *folder) fold(s string, emit func(foldedRune)) {
	var it norm.Iter
	it.InitString(norm.NFKC, s)
	start := 0
	for !it.Done() {
		seg := it.Next()
		f.foldSegment(seg)
		end := it.Pos()
		// One original character can come out as several segments (ﬁ is
		// "f" then "i"); they share its span, known once Pos moves on.
		if end == start {
			continue
		}
		for _, p := range f.pending {
			p.start, p.end = start, end
			emit(p)
		}
		f.pending = f.pending[:0]
		start = end
	}
	for _, p := range f.pending {
		p.start, p.end = start, len(s)
		emit(p)
	}
	f.pending = f.pending[:0]
}

// foldSegment folds one NFKC segment: a starter and the marks after it.
func (f *folder) foldSegment(seg []byte) {
	base, _ := utf8.DecodeRune(seg)
	stripBase, baseKind := true, kindWord
	if base >= utf8.RuneSelf {
		stripBase = isStripScript(base) || !unicode.IsLetter(base)
		baseKind = classify(base)
	}
	for i := 0; i < len(seg); {
		r, n := utf8.DecodeRune(seg[i:])
		i += n
		switch {
		case r < utf8.RuneSelf:
			f.add(asciiLower(r))
		case isIdeograph(r):
			f.pending = append(f.pending, foldedRune{r: r, k: kindNoSpace})
		case r == utf8.RuneError && n == 1:
			f.pending = append(f.pending, foldedRune{r: ' ', k: kindSep}) // invalid UTF-8
		case isIgnorable(r):
			// Format and invisible characters (bidi controls, zero-width
			// joiners, soft hyphens, variation selectors) never split a word.
		case r == 0x093C || r == 0x0A3C:
			// Devanagari and Gurmukhi nukta: readers often type फ for फ़.
		case r == 0x0901:
			f.pending = append(f.pending, foldedRune{r: 0x0902, k: kindWord}) // chandrabindu typed as anusvara
		case unicode.In(r, unicode.Mn, unicode.Me):
			if stripMark(r, stripBase) {
				continue
			}
			k := kindWord
			if baseKind == kindNoSpace {
				k = kindNoSpace
			}
			f.pending = append(f.pending, foldedRune{r: r, k: k})
		default:
			f.foldLetter(r)
		}
	}
}

// foldLetter folds a non-ASCII character that is not a mark.
func (f *folder) foldLetter(r rune) {
	if r < 0x700 || r == 'ẞ' {
		if s, ok := special[r]; ok {
			for _, m := range s {
				f.add(m)
			}
			return
		}
	}
	if isStripScript(r) {
		n := utf8.EncodeRune(f.buf[:], r)
		if d := norm.NFD.Properties(f.buf[:n]).Decomposition(); d != nil {
			for _, m := range string(d) {
				if unicode.In(m, unicode.Mn, unicode.Me) {
					continue // the accent
				}
				if s, ok := special[m]; ok {
					for _, x := range s {
						f.add(x)
					}
					continue
				}
				f.add(unicode.ToLower(m))
			}
			return
		}
	}
	f.add(unicode.ToLower(r))
}

// add appends a folded character, unifying digits of every script.
func (f *folder) add(r rune) {
	if r >= utf8.RuneSelf && unicode.IsDigit(r) {
		r = '0' + digitValue(r)
	}
	f.pending = append(f.pending, foldedRune{r: r, k: classify(r)})
}

func asciiLower(r rune) rune {
	if 'A' <= r && r <= 'Z' {
		return r + 'a' - 'A'
	}
	return r
}

// classify says whether a folded character is part of a word. The common
// letters are decided by range, the rest by Unicode category.
func classify(r rune) kind {
	switch {
	case r < utf8.RuneSelf:
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || 'A' <= r && r <= 'Z' {
			return kindWord
		}
		return kindSep
	case isIdeograph(r):
		return kindNoSpace
	case 0xC0 <= r && r <= 0x24F && r != 0xD7 && r != 0xF7, // Latin letters
		0x391 <= r && r <= 0x3C9, // Greek letters
		0x400 <= r && r <= 0x481, // Cyrillic letters
		0x5D0 <= r && r <= 0x5EA, // Hebrew letters
		0x620 <= r && r <= 0x64A: // Arabic letters
		return kindWord
	case r < 0xE00: // before Thai, every script is written with spaces
		if unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r) {
			return kindWord
		}
		return kindSep
	case r == 'ー' || r == '々' || r == '〆' || r == '〇':
		return kindNoSpace // the long vowel and iteration marks are Common but part of words
	case isNoSpaceScript(r):
		if unicode.IsLetter(r) || unicode.IsMark(r) {
			return kindNoSpace
		}
		if unicode.IsNumber(r) {
			return kindWord
		}
		return kindSep
	case unicode.IsLetter(r), unicode.IsNumber(r), unicode.IsMark(r), unicode.Is(unicode.Co, r):
		return kindWord
	}
	return kindSep
}

// isIdeograph reports the letters that make most of Chinese, Japanese and
// Korean text, by range: CJK ideographs, hiragana, katakana, Hangul
// syllables. It is the fast path of isNoSpaceScript.
func isIdeograph(r rune) bool {
	return 0x4E00 <= r && r <= 0x9FFF || 0xAC00 <= r && r <= 0xD7A3 ||
		0x3041 <= r && r <= 0x3096 || 0x30A1 <= r && r <= 0x30FA || 0x3400 <= r && r <= 0x4DBF
}

// isNoSpaceScript reports characters of scripts written without spaces
// between words; they are indexed as character bigrams.
func isNoSpaceScript(r rune) bool {
	return unicode.In(r, noSpaceScripts...)
}

// isStripScript reports characters of the scripts in stripScripts, by
// block for the common ones.
func isStripScript(r rune) bool {
	switch {
	case r < 0x250, 0x370 <= r && r <= 0x3E1, 0x3F0 <= r && r <= 0x52F, 0x591 <= r && r <= 0x5F4, 0x600 <= r && r <= 0x6FF:
		return r >= 0xC0 || unicode.In(r, stripScripts...)
	case r < 0x1E00:
		return unicode.In(r, stripScripts...)
	case r <= 0x1FFF:
		return true // Latin Extended Additional (Vietnamese), Greek Extended
	}
	return unicode.In(r, stripScripts...)
}

// ignorable reports characters that are invisible and carry no meaning for
// search: they are dropped without splitting the word they sit in.
func ignorable(r rune) bool {
	return unicode.In(r, unicode.Cf, unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point) ||
		r == 0x034F // combining grapheme joiner
}

// isIgnorable is ignorable with a fast answer for most letters.
func isIgnorable(r rune) bool {
	if r < 0xAD || 0x370 <= r && r < 0x600 || 0x900 <= r && r < 0x1100 || 0x2100 <= r && r < 0xFE00 && r != 0x3164 {
		return false
	}
	return ignorable(r)
}

// stripMark reports whether a nonspacing mark is an accent to drop: a mark
// of a script in stripScripts, or a shared (inherited) mark such as U+0301
// on a base letter of such a script or on no letter at all.
func stripMark(r rune, stripBase bool) bool {
	if unicode.In(r, stripScripts...) {
		return true
	}
	if unicode.In(r, unicode.Inherited, unicode.Common) {
		return stripBase
	}
	return false
}

// digitValue returns the value of a decimal digit: Unicode puts every
// script's digits 0 to 9 in a row.
func digitValue(r rune) rune {
	z := r
	for r-z < 9 && unicode.IsDigit(z-1) {
		z--
	}
	return (r - z) % 10
}
