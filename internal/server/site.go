package server

import (
	"fmt"
	"io/fs"
	"log/slog"
	"time"

	"helpcenter/internal/content"
	"helpcenter/internal/i18n"
	"helpcenter/internal/search"
)

// Site is one consistent snapshot of everything loaded from files: the
// message bundle and the article catalog. Requests take the current
// snapshot once and use it throughout, so a reload never mixes versions.
type Site struct {
	Bundle  *i18n.Bundle
	Catalog *content.Catalog
	Index   *search.Index
}

// LoadSite builds a Site from a locales/ and an articles/ file system.
func LoadSite(localesFS, articlesFS fs.FS, log *slog.Logger) (*Site, error) {
	b, err := i18n.Load(localesFS, log)
	if err != nil {
		return nil, fmt.Errorf("load messages: %w", err)
	}
	cat, err := content.Load(articlesFS, content.Options{
		Labels: func(locale, id string) string { return b.For(locale).T(id) },
		Now:    time.Now(),
	})
	if err != nil {
		return nil, fmt.Errorf("load articles: %w", err)
	}
	var docs []search.Doc
	for _, a := range cat.Articles {
		for _, t := range a.Translations {
			docs = append(docs, search.Doc{Locale: t.Locale, Slug: a.Slug, Title: t.Title, Keywords: t.Keywords, Body: t.Text})
		}
	}
	ix, err := search.Build(docs)
	if err != nil {
		return nil, fmt.Errorf("build search index: %w", err)
	}
	return &Site{Bundle: b, Catalog: cat, Index: ix}, nil
}
