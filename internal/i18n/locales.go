// Package i18n holds the 59 locales the site serves, the go-i18n message
// bundle with one Localizer per locale, language negotiation, and CLDR
// number and date formatting.
package i18n

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"

	"golang.org/x/text/language"

	"helpcenter/locales"
)

// Locale is one row of locales/locales.tsv: the single table that drives
// <html lang dir>, the language picker, the matcher and the message files.
type Locale struct {
	Code    string // language tag as written in the table: "pt-BR"
	Slug    string // URL segment, the code in lower case: "pt-br"
	Native  string // name in its own language: "Português (Brasil)"
	English string // English name, for logs and the back office
	Script  string // ISO 15924 code: "Latn", "Arab", "Hant"
	Dir     string // "ltr" or "rtl"
	Tag     language.Tag
}

// RTL reports whether the locale is written right to left.
func (l Locale) RTL() bool { return l.Dir == "rtl" }

// All is every locale, in the table's order, which is the picker's order.
var All = mustParseTable(locales.FS)

// Default is the locale of last resort: English.
var Default = MustLookup("en")

var bySlug = func() map[string]Locale {
	m := make(map[string]Locale, len(All))
	for _, l := range All {
		m[l.Slug] = l
	}
	return m
}()

// Lookup finds a locale by its URL segment ("pt-br") or its code ("pt-BR").
func Lookup(s string) (Locale, bool) {
	l, ok := bySlug[strings.ToLower(s)]
	return l, ok
}

// MustLookup is Lookup for codes known at compile time.
func MustLookup(s string) Locale {
	l, ok := Lookup(s)
	if !ok {
		panic("i18n: unknown locale " + s)
	}
	return l
}

type fileReader interface {
	ReadFile(name string) ([]byte, error)
}

func mustParseTable(fsys fileReader) []Locale {
	data, err := fsys.ReadFile("locales.tsv")
	if err != nil {
		panic(err)
	}
	all, err := ParseTable(data)
	if err != nil {
		panic(err)
	}
	return all
}

// ParseTable reads a locales.tsv: a header line, then code, native name,
// English name, script and direction separated by tabs.
func ParseTable(data []byte) ([]Locale, error) {
	var all []Locale
	sc := bufio.NewScanner(bytes.NewReader(data))
	line := 0
	for sc.Scan() {
		line++
		if line == 1 || strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 5 {
			return nil, fmt.Errorf("i18n: locales.tsv:%d: want 5 fields, got %d", line, len(f))
		}
		tag, err := language.Parse(f[0])
		if err != nil {
			return nil, fmt.Errorf("i18n: locales.tsv:%d: %w", line, err)
		}
		if f[4] != "ltr" && f[4] != "rtl" {
			return nil, fmt.Errorf("i18n: locales.tsv:%d: direction %q", line, f[4])
		}
		all = append(all, Locale{
			Code: f[0], Slug: strings.ToLower(f[0]), Native: f[1], English: f[2],
			Script: f[3], Dir: f[4], Tag: tag,
		})
	}
	return all, sc.Err()
}
