package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"helpcenter/internal/content"
	"helpcenter/internal/i18n"
	"helpcenter/internal/search"
	"helpcenter/web/page"
)

const (
	perPage = 10
	// maxHits bounds how many matches a query collects per language; the
	// library is a few hundred articles, so pages are cut from this list.
	maxHits = 100
	maxPage = maxHits * 2 / perPage
	// maxQueryRunes cuts what a reader pastes into the box; the index
	// looks at fewer words still.
	maxQueryRunes = 200
)

func (s *Server) showSearch(c echo.Context) error {
	site, loc := siteOf(c), localizerOf(c)
	query, pageNum := searchParams(c.QueryParams())

	p := page.SearchProps{Query: query, PageNum: pageNum}
	title := loc.T("search.title")
	p.Page = s.layoutPage(c, title, loc.T("search.description"), "")
	p.Page.Query = query
	// Every results page names the bare search page as its canonical URL,
	// so search engines do not index pages whose words anyone can choose.
	p.Page.Canonical = s.absURL(loc.Locale, "/search")
	p.Page.Rest = "/search"
	if query != "" {
		p.Page.Rest += "?q=" + url.QueryEscape(query)
		p.Page.Title = loc.T("search.results_for", "Query", query)
	}
	for i := range p.Page.Languages {
		p.Page.Languages[i].Href = "/language/" + strings.ToLower(p.Page.Languages[i].Code) + "?return=" + url.QueryEscape(p.Page.Rest)
	}

	if query != "" {
		results, complete := s.searchAll(c.Request().Context(), site, loc, query)
		p.Total = len(results)
		p.Pages = (p.Total + perPage - 1) / perPage
		if pageNum > p.Pages {
			pageNum, p.PageNum = max(p.Pages, 1), max(p.Pages, 1)
		}
		from := (pageNum - 1) * perPage
		for _, r := range results[min(from, len(results)):min(from+perPage, len(results))] {
			if r.Lang == "" {
				p.Results = append(p.Results, r)
			} else {
				p.Other = append(p.Other, r)
			}
		}
		base := "/" + loc.Slug + "/search?q=" + url.QueryEscape(query)
		if pageNum > 1 {
			p.PrevHref = base
			if pageNum > 2 {
				p.PrevHref += "&page=" + strconv.Itoa(pageNum-1)
			}
		}
		if pageNum < p.Pages {
			p.NextHref = base + "&page=" + strconv.Itoa(pageNum+1)
		}
		if p.Total == 0 && complete {
			s.countMissedSearch(loc.Code, query)
			c.Set(ctxMissed, missedSearch{locale: loc.Code, query: query})
		}
		if !complete {
			// A failed search must not be kept as the answer.
			c.Response().Header().Set("Cache-Control", "no-store")
		}
	}
	if p.Total == 0 {
		for _, a := range s.popular.order(s, site.Catalog) {
			p.Popular = append(p.Popular, articleLink(loc, a))
		}
	}
	if c.Response().Header().Get("Cache-Control") == "" {
		c.Response().Header().Set("Cache-Control", cacheSearch)
	}
	return render(c, http.StatusOK, page.Search(p))
}

// searchParams reads the query and the page number as the search page
// uses them: valid UTF-8, trimmed, at most maxQueryRunes, page 1 to maxPage.
func searchParams(q url.Values) (query string, pageNum int) {
	raw := strings.ToValidUTF8(q.Get("q"), "")
	query = strings.TrimSpace(truncate(raw, maxQueryRunes))
	pageNum, err := strconv.Atoi(q.Get("page"))
	if err != nil || pageNum < 1 {
		pageNum = 1
	}
	return query, min(pageNum, maxPage)
}

// searchAll finds matches in the reader's language, then in the
// languages of its fallback chain for articles not yet translated.
// complete is false when a language could not be searched.
func (s *Server) searchAll(ctx context.Context, site *Site, loc *i18n.Localizer, query string) (out []page.SearchResult, complete bool) {
	var seen []string
	complete = true
	for i, code := range content.Chain(loc.Code) {
		ix, err := site.Index(ctx)
		if err != nil {
			s.log.Warn("search index unavailable", "err", err)
			return out, false
		}
		started := time.Now()
		hits, _, err := ix.Search(ctx, search.Query{Locale: code, Text: query, Limit: maxHits, Exclude: seen})
		s.metrics.SearchLatency.Observe(time.Since(started).Seconds())
		if err != nil {
			s.log.Warn("search failed", "locale", code, "err", err)
			complete = false
			continue
		}
		for _, h := range hits {
			a, err := site.Catalog.Article(h.Slug)
			if err != nil {
				continue
			}
			// A hit in a fallback language is only useful where the
			// reader's own language has no translation.
			if i > 0 && a.Has(loc.Code) {
				continue
			}
			r := page.SearchResult{
				Slug:     h.Slug,
				Href:     "/" + loc.Slug + "/articles/" + h.Slug,
				Title:    h.Title,
				Category: loc.T("category." + a.Category + ".name"),
				Snippet:  h.Snippet,
			}
			if i > 0 {
				shown := i18n.MustLookup(code)
				r.Lang, r.Language = shown.Code, shown.Native
			}
			out = append(out, r)
			seen = append(seen, h.Slug)
		}
	}
	return out, complete
}

// maxMissedInFlight bounds the background writes of missed searches: a
// flood of nonsense queries is counted up to this, the rest dropped.
const maxMissedInFlight = 64

// countMissedSearch records a query that found nothing, in the background:
// the reader's page does not wait for the database.
func (s *Server) countMissedSearch(locale, query string) {
	norm := search.Normalize(query)
	if norm == "" {
		return
	}
	s.metrics.MissedSearches.Inc()
	if s.missedInFlight.Add(1) > maxMissedInFlight {
		s.missedInFlight.Add(-1)
		return
	}
	s.background.Add(1)
	go func() {
		defer s.background.Done()
		defer s.missedInFlight.Add(-1)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.store.RecordMissedSearch(ctx, locale, norm); err != nil {
			s.log.Warn("search: count missed search", "err", err)
		}
	}()
}
