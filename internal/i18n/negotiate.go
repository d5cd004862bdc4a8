package i18n

import (
	"sort"
	"strings"

	"golang.org/x/text/language"
)

// maxAcceptLanguage bounds the header we parse: real browsers send well
// under 200 bytes; anything much longer is junk or an attack.
const maxAcceptLanguage = 1024

// maxAcceptTags bounds how many ranges of a header we consider.
const maxAcceptTags = 16

var matcher = func() language.Matcher {
	tags := make([]language.Tag, len(All))
	for i, l := range All {
		tags[i] = l.Tag
	}
	return language.NewMatcher(tags)
}()

// Negotiate picks the locale for a reader who reached a path without a
// language: the language they chose before (the cookie value), else the
// best match for their Accept-Language header, else English.
func Negotiate(cookie, acceptLanguage string) Locale {
	if l, ok := Lookup(cookie); ok {
		return l
	}
	if l, ok := MatchAcceptLanguage(acceptLanguage); ok {
		return l
	}
	return Default
}

// MatchAcceptLanguage returns the locale that best serves an
// Accept-Language header, trying the reader's ranges in order of q-value.
// Malformed or oversized headers match nothing.
func MatchAcceptLanguage(header string) (Locale, bool) {
	if header == "" || len(header) > maxAcceptLanguage {
		return Locale{}, false
	}
	// Parse range by range so that one malformed entry does not throw
	// away the reader's other languages.
	type weighted struct {
		tag language.Tag
		q   float32
	}
	var ranges []weighted
	for i, part := range strings.Split(header, ",") {
		if i == maxAcceptTags {
			break
		}
		tags, qs, err := language.ParseAcceptLanguage(part)
		if err != nil || len(tags) != 1 || qs[0] <= 0 {
			continue
		}
		ranges = append(ranges, weighted{tags[0], qs[0]})
	}
	sort.SliceStable(ranges, func(i, j int) bool { return ranges[i].q > ranges[j].q })
	for _, r := range ranges {
		if l, ok := MatchTag(r.tag); ok {
			return l, true
		}
	}
	return Locale{}, false
}

// MatchTag maps one language tag to a served locale. The x/text matcher
// does most of the work; the languages it gets wrong or where we choose
// differently are decided here first (golang/go#34408: zh-HK alone is
// matched to Simplified Chinese).
func MatchTag(tag language.Tag) (Locale, bool) {
	base, _ := tag.Base()
	switch base.String() {
	case "zh":
		script, _ := tag.Script()
		region, _ := tag.Region()
		switch {
		case script.String() == "Hant":
			return MustLookup("zh-TW"), true
		case script.String() == "Hans":
			return MustLookup("zh-CN"), true
		}
		switch region.String() {
		case "TW", "HK", "MO":
			return MustLookup("zh-TW"), true
		}
		return MustLookup("zh-CN"), true
	case "pt":
		// European and African Portuguese follow the Portugal norm.
		region, conf := tag.Region()
		if conf == language.Exact {
			switch region.String() {
			case "PT", "AO", "MZ", "CV", "GW", "ST", "TL", "LU", "CH", "GQ", "MO":
				return MustLookup("pt-PT"), true
			}
		}
		return MustLookup("pt-BR"), true
	case "no", "nn", "nb":
		return MustLookup("nb"), true
	case "tl", "fil":
		return MustLookup("fil"), true
	case "iw", "he":
		return MustLookup("he"), true
	case "in", "id":
		return MustLookup("id"), true
	case "es":
		return MustLookup("es"), true
	}
	_, i, conf := matcher.Match(tag)
	if conf == language.No {
		return Locale{}, false
	}
	return All[i], true
}
