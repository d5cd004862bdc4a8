package server

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"helpcenter/internal/i18n"
	"helpcenter/internal/pagecache"
)

// Cache-Control of cached pages. Browsers revalidate after a few minutes;
// a CDN keeps a page longer and serves it stale while it revalidates, or
// while we are down. Content changes with a deploy or a content reload, so
// a CDN in front should be purged then (README, "Caching").
const (
	cachePages  = "public, max-age=300, s-maxage=600, stale-while-revalidate=86400, stale-if-error=86400"
	cacheHome   = "public, max-age=60, s-maxage=60, stale-while-revalidate=600, stale-if-error=86400"
	cacheSearch = "public, max-age=60, s-maxage=300, stale-while-revalidate=3600, stale-if-error=86400"
)

// cached serves next's page from the page cache when a page for the
// request's key is there, and otherwise renders it once (concurrent
// misses wait for that render) and keeps it. A response that depends on
// the reader (it sets a cookie or says no-store or private) and any
// status other than 200 and 404 is sent but never kept.
func (s *Server) cached(kind pageKind, next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !langServed(c.Request().URL.Path) {
			return next(c)
		}
		k := s.pageKey(kind, c.Request())
		p, hit, err := s.pages.Load(c.Request().Context(), k, func() (*pagecache.Page, error) {
			return s.capture(c, next)
		})
		if errors.Is(err, pagecache.ErrRetry) {
			return next(c)
		}
		if err != nil {
			return err
		}
		if hit {
			if m, ok := p.Extra.(missedSearch); ok {
				s.countMissedSearch(m.locale, m.query)
			}
		}
		res := c.Response()
		res.Status, _ = p.Write(res.Writer, c.Request())
		res.Committed = true
		return nil
	}
}

// capture runs next with the response body kept in memory, error pages
// included, and makes a cacheable page of it; a reader-specific response
// comes back through pagecache.Skip.
func (s *Server) capture(c echo.Context, next echo.HandlerFunc) (*pagecache.Page, error) {
	res := c.Response()
	real := res.Writer
	rec := &recorder{header: real.Header()}
	res.Writer = rec
	// The page is made whole for everyone; this request's validator is
	// checked against it afterwards.
	r := c.Request()
	inm, hasINM := r.Header["If-None-Match"]
	delete(r.Header, "If-None-Match")
	err := next(c)
	if err != nil {
		c.Error(err)
	}
	if hasINM {
		r.Header["If-None-Match"] = inm
	}
	res.Writer = real
	res.Committed, res.Size = false, 0
	h := real.Header()
	control := h.Get("Cache-Control")
	p := pagecache.NewPage(rec.status, h.Get("Content-Type"), control, h.Get("Vary"), rec.body.Bytes())
	if m, ok := c.Get(ctxMissed).(missedSearch); ok {
		p.Extra = m
	}
	// Headers the page sets again on every write must not linger from the
	// render (the weak ETag of render, for one).
	h.Del("Etag")
	cacheable := (rec.status == http.StatusOK || rec.status == http.StatusNotFound) &&
		h.Get("Set-Cookie") == "" && !strings.Contains(control, "private")
	if rec.status == http.StatusOK && strings.Contains(control, "no-store") {
		cacheable = false
	}
	if !cacheable {
		return nil, pagecache.Skip(p)
	}
	return p, nil
}

// recorder keeps what a handler writes, sharing the real header map so
// that headers set before the handler (security headers, request ID)
// stay in place.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}

// acceptClass is the format the error handler would answer in.
func acceptClass(r *http.Request) string {
	a := r.Header.Get("Accept")
	switch {
	case strings.Contains(a, "application/json"):
		return "j"
	case strings.Contains(a, "text/html"):
		return "h"
	}
	return "t"
}

// missedSearch is a search that found nothing; a cached results page
// counts it again on every hit, as a render would.
type missedSearch struct{ locale, query string }

const ctxMissed = "missed_search"

// pageKind is a kind of cacheable page; each kind has its key.
type pageKind int

const (
	notCached   pageKind = iota
	homePage             // /{lang}/
	plainPage            // /{lang}/categories/{slug}, /{lang}/languages: the path is the key
	articlePage          // /{lang}/articles/{slug}, per ?feedback= state
	searchPage           // /{lang}/search, per query and page
)

// routeOf is the route pattern of each kind, as the metrics name routes.
var routeOf = [...]string{"", "/:lang/", "", "/:lang/articles/:slug", "/:lang/search"}

// classify tells which cacheable page a canonical path is, from its
// shape alone (the fast path answers hits before echo's router), and the
// route pattern it matches. The language must be one we serve.
func classify(p string) (pageKind, string) {
	if !langServed(p) {
		return notCached, ""
	}
	_, rest, _ := strings.Cut(p[1:], "/")
	switch {
	case rest == "":
		return homePage, routeOf[homePage]
	case rest == "search":
		return searchPage, routeOf[searchPage]
	case rest == "languages":
		return plainPage, "/:lang/languages"
	}
	section, slug, ok := strings.Cut(rest, "/")
	if !ok || slug == "" || strings.Contains(slug, "/") {
		return notCached, ""
	}
	switch section {
	case "articles":
		return articlePage, routeOf[articlePage]
	case "categories":
		return plainPage, "/:lang/categories/:slug"
	}
	return notCached, ""
}

// langServed reports whether a path starts with the slug of a language
// we serve, spelled as we spell it, and a slash: other paths never reach
// the cache.
func langServed(p string) bool {
	if len(p) < 2 || p[0] != '/' {
		return false
	}
	lang, _, ok := strings.Cut(p[1:], "/")
	l, known := i18n.Lookup(lang)
	return ok && known && l.Slug == lang
}

// pageKey is the cache key of a request for a page of kind: the path
// (canonical already), only the query parameters that change the page,
// normalized as the handlers read them (so ?utm_source=… or
// ?feedback=junk share one entry), for home and search the generation of
// the vote counts, and the format an error would be answered in.
func (s *Server) pageKey(kind pageKind, r *http.Request) string {
	k := r.URL.Path
	switch kind {
	case homePage:
		k += "|" + strconv.FormatUint(s.popular.version(s), 10)
	case articlePage:
		if r.URL.RawQuery != "" {
			switch state := r.URL.Query().Get("feedback"); state {
			case "no", "thanks":
				k += "?feedback=" + state
			}
		}
	case searchPage:
		query, pageNum := searchParams(r.URL.Query())
		k += "?q=" + query + "&page=" + strconv.Itoa(pageNum) + "|" + strconv.FormatUint(s.popular.version(s), 10)
	}
	return k + "|" + acceptClass(r)
}

// ServeHTTP answers a page-cache hit before echo is involved: no context,
// no routing, no middleware chain, only what every response needs (the
// request ID, the security headers, the metrics and the access log line,
// as frame gives them). Everything else, misses included, goes to echo,
// which renders the page and keeps it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead || !alreadyCanonical(r.URL.Path) {
		s.echo.ServeHTTP(w, r)
		return
	}
	kind, route := classify(r.URL.Path)
	if kind == notCached {
		s.echo.ServeHTTP(w, r)
		return
	}
	started := time.Now()
	p, ok := s.pages.Peek(s.pageKey(kind, r))
	if !ok {
		s.echo.ServeHTTP(w, r)
		return
	}
	h := w.Header()
	id := requestIDOf(r)
	h[headerRequestID] = []string{id}
	for k, v := range s.security {
		h[k] = v
	}
	status, n := p.Write(w, r)
	if m, ok := p.Extra.(missedSearch); ok {
		s.countMissedSearch(m.locale, m.query)
	}
	s.logRequest(r, route, id, status, int64(n), started)
}
