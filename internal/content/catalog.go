// Package content loads articles/ into an immutable Catalog: every article
// with its translations rendered to HTML at load, the categories, the
// fallback chain and the related links.
package content

import (
	"errors"
	"slices"
	"strings"
	"time"
)

// ErrNotFound is returned for an article or category that does not exist.
var ErrNotFound = errors.New("content: not found")

// Platforms are the platform section names an article may use, in the
// order the selector shows them.
var Platforms = []string{"android", "iphone", "web", "desktop", "kaios"}

// Catalog is the whole library. It is built once by Load and never
// changed, so every request reads it without locking.
type Catalog struct {
	Categories []*Category
	Articles   []*Article // sorted by slug
	articles   map[string]*Article
	categories map[string]*Category
}

// Category is a topic and its articles, featured ones first.
type Category struct {
	Slug     string
	Articles []*Article
}

// Article is one slug and its translations.
type Article struct {
	Slug         string
	Category     string
	Featured     bool
	Platforms    []string
	Related      []string
	Translations map[string]*Translation // by locale code

	sourceHash string // of the English body; see SourceHash
}

// Translation is an article in one locale, rendered.
type Translation struct {
	Locale      string
	Title       string
	Description string
	Keywords    []string
	Updated     time.Time
	Body        []Segment
	File        string // path within articles/, for messages
	Source      string // SourceHash of the English it was made from; "" in English

	parts   []part // structure, compared with English
	menus   []menuAt
	endLine int // last line of the file
}

// Text is the plain text of the body, for the search index and the
// checks. It is worked out on each call, not kept: the index is built
// once, after start-up has begun serving pages, and then the text would
// only take memory.
func (t *Translation) Text() string {
	var b strings.Builder
	for _, s := range t.Body {
		b.WriteString(plainText(s.HTML))
		for _, p := range s.Platforms {
			b.WriteString(plainText(p.HTML))
		}
	}
	return strings.TrimSpace(b.String())
}

// Segment is a stretch of the body: plain HTML, or a group of platform
// sections that the page shows behind a device selector.
type Segment struct {
	HTML      string
	Platforms []PlatformSection
}

// PlatformSection is the steps of one platform within a group.
type PlatformSection struct {
	Platform string
	HTML     string
}

// Article returns the article with that slug.
func (c *Catalog) Article(slug string) (*Article, error) {
	if a, ok := c.articles[slug]; ok {
		return a, nil
	}
	return nil, ErrNotFound
}

// Category returns the category with that slug.
func (c *Catalog) Category(slug string) (*Category, error) {
	if cat, ok := c.categories[slug]; ok {
		return cat, nil
	}
	return nil, ErrNotFound
}

// Featured returns the featured articles in the catalog's order.
func (c *Catalog) Featured() []*Article {
	var out []*Article
	for _, cat := range c.Categories {
		for _, a := range cat.Articles {
			if a.Featured {
				out = append(out, a)
			}
		}
	}
	return out
}

// fallbacks lists, for a locale, the languages to try before English when
// an article has no translation in it. Only close, uncontroversial pairs:
// never Ukrainian to Russian, nor between the two Chinese scripts.
var fallbacks = map[string][]string{
	"pt-PT": {"pt-BR"},
	"pt-BR": {"pt-PT"},
	"ca":    {"es"},
}

// Chain returns the locales to try for a reader of locale, best first,
// ending with English.
func Chain(locale string) []string {
	chain := append([]string{locale}, fallbacks[locale]...)
	if locale != "en" {
		chain = append(chain, "en")
	}
	return chain
}

// In returns the translation to show a reader of locale and whether it is
// a fallback in another language. Every article has English, so it never
// fails.
func (a *Article) In(locale string) (*Translation, bool) {
	for _, code := range Chain(locale) {
		if t, ok := a.Translations[code]; ok {
			return t, code != locale
		}
	}
	return a.Translations["en"], true
}

// Outdated reports whether English changed after t was translated from
// it; the page then points to the English version.
func (a *Article) Outdated(t *Translation) bool {
	return t.Locale != "en" && t.state(a.sourceHash) == Behind
}

// Has reports whether the article is written in locale (not a fallback).
func (a *Article) Has(locale string) bool {
	_, ok := a.Translations[locale]
	return ok
}

// Locales returns the locales the article is written in, sorted.
func (a *Article) Locales() []string {
	out := make([]string, 0, len(a.Translations))
	for code := range a.Translations {
		out = append(out, code)
	}
	slices.Sort(out)
	return out
}

// PlatformSections returns the platforms of each group in the body, in
// order: a translation must have the same as English.
func (t *Translation) PlatformSections() [][]string {
	var out [][]string
	for _, s := range t.Body {
		if s.Platforms == nil {
			continue
		}
		var names []string
		for _, p := range s.Platforms {
			names = append(names, p.Platform)
		}
		out = append(out, names)
	}
	return out
}
