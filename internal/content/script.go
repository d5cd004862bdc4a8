package content

import "unicode"

// scripts maps the ISO 15924 codes of locales.tsv to the Unicode ranges
// their letters come from. Japanese and Korean mix in Han ideographs.
var scripts = map[string][]*unicode.RangeTable{
	"Latn": {unicode.Latin},
	"Grek": {unicode.Greek},
	"Cyrl": {unicode.Cyrillic},
	"Hebr": {unicode.Hebrew},
	"Arab": {unicode.Arabic},
	"Beng": {unicode.Bengali},
	"Deva": {unicode.Devanagari},
	"Gujr": {unicode.Gujarati},
	"Knda": {unicode.Kannada},
	"Guru": {unicode.Gurmukhi},
	"Taml": {unicode.Tamil},
	"Telu": {unicode.Telugu},
	"Mlym": {unicode.Malayalam},
	"Thai": {unicode.Thai},
	"Hans": {unicode.Han},
	"Hant": {unicode.Han},
	"Jpan": {unicode.Han, unicode.Hiragana, unicode.Katakana},
	"Kore": {unicode.Hangul, unicode.Han},
}

// scriptShare returns the share of letters of s that belong to script,
// and how many letters s has.
func scriptShare(s, script string) (float64, int) {
	tables, ok := scripts[script]
	if !ok {
		return 1, 0
	}
	var in, all int
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) && !unicode.Is(unicode.Mc, r) {
			continue
		}
		if unicode.Is(unicode.Common, r) {
			continue // marks shared by scripts, such as the Japanese long vowel
		}
		all++
		if unicode.In(r, tables...) || unicode.In(r, unicode.Inherited) {
			in++
		}
	}
	if all == 0 {
		return 1, 0
	}
	return float64(in) / float64(all), all
}
