package server

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"runtime/debug"
	"time"

	"helpcenter/internal/content"
	"helpcenter/internal/i18n"
	"helpcenter/internal/search"
)

// Site is one consistent snapshot of everything loaded from files: the
// message bundle, the article catalog and the search index. Requests take
// the current snapshot once and use it throughout, so a reload never mixes
// versions.
type Site struct {
	Bundle  *i18n.Bundle
	Catalog *content.Catalog

	index      *search.Index
	indexErr   error
	indexReady chan struct{} // closed once index (or indexErr) is set
}

// Index waits until the search index is built and returns it. At start
// the index is built while pages are already served; searches wait for
// it (a few hundred milliseconds) or for ctx.
func (s *Site) Index(ctx context.Context) (*search.Index, error) {
	select {
	case <-s.indexReady:
		return s.index, s.indexErr
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// IndexReady reports whether the search index is built.
func (s *Site) IndexReady() bool {
	select {
	case <-s.indexReady:
		return s.indexErr == nil
	default:
		return false
	}
}

// closeIndex releases the index once it is built.
func (s *Site) closeIndex() {
	<-s.indexReady
	if s.index != nil {
		s.index.Close()
	}
}

// Phase is how long one step of loading took, for the start-up log.
type Phase struct {
	Name string
	Took time.Duration
}

// LoadSite builds a Site from a locales/ and an articles/ file system,
// search index included.
func LoadSite(localesFS, articlesFS fs.FS, log *slog.Logger) (*Site, error) {
	site, _, err := LoadSiteFast(localesFS, articlesFS, false, log)
	if err != nil {
		return nil, err
	}
	_, err = site.Index(context.Background())
	return site, err
}

// LoadSiteFast returns as soon as the messages and articles are loaded,
// with the search index still being built in the background, so that
// start-up serves pages sooner. checked says the articles are the library
// checked when the binary was built (content.Options.Checked). It returns
// the time of each phase; the index's is logged when it is done.
func LoadSiteFast(localesFS, articlesFS fs.FS, checked bool, log *slog.Logger) (*Site, []Phase, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var phases []Phase
	started := time.Now()
	b, err := i18n.Load(localesFS, log)
	if err != nil {
		return nil, nil, fmt.Errorf("load messages: %w", err)
	}
	phases = append(phases, Phase{"messages", time.Since(started)})
	started = time.Now()
	cat, err := content.Load(articlesFS, content.Options{
		Labels:  func(locale, id string) string { return b.For(locale).T(id) },
		Now:     time.Now(),
		Checked: checked,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("load articles: %w", err)
	}
	phases = append(phases, Phase{"articles", time.Since(started)})
	site := &Site{Bundle: b, Catalog: cat, indexReady: make(chan struct{})}
	go func() {
		defer close(site.indexReady)
		started := time.Now()
		var docs []search.Doc
		for _, a := range cat.Articles {
			for _, t := range a.Translations {
				docs = append(docs, search.Doc{Locale: t.Locale, Slug: a.Slug, Title: t.Title, Keywords: t.Keywords, Body: t.Text()})
			}
		}
		site.index, site.indexErr = search.Build(docs)
		if site.indexErr != nil {
			site.indexErr = fmt.Errorf("build search index: %w", site.indexErr)
			log.Error("search index", "err", site.indexErr)
			return
		}
		log.Info("search index built", "documents", len(docs), "took", time.Since(started).Round(time.Millisecond))
		// Loading made far more garbage than the site keeps: hand the
		// freed pages back to the system now rather than over minutes.
		debug.FreeOSMemory()
	}()
	return site, phases, nil
}
