package server

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"
	"strings"

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

// pageKey names the cached page a request asks for, from the parts of the
// request a page depends on; ok is false for requests that must not use
// the cache.
type pageKey func(c echo.Context) (key string, ok bool)

// cached serves next's page from the page cache when a page for the
// request's key is there, and otherwise renders it once (concurrent
// misses wait for that render) and keeps it. A response that depends on
// the reader (it sets a cookie or says no-store or private) and any
// status other than 200 and 404 is sent but never kept.
func (s *Server) cached(key pageKey, next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		k, ok := key(c)
		if !ok {
			return next(c)
		}
		// The Accept class picks the error format (HTML, JSON, text).
		k += "|" + acceptClass(c.Request())
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
		res.Status = p.Write(res.Writer, c.Request())
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

// langOK reports whether the request's language segment is one we serve,
// as its canonical slug: other values never reach the cache.
func langOK(c echo.Context) bool {
	l, ok := i18n.Lookup(c.Param("lang"))
	return ok && l.Slug == c.Param("lang")
}

// Keys of the cacheable pages: the path (canonical already) and only the
// query parameters that change the page, normalized as the handlers read
// them, so that ?utm_source=… or ?feedback=junk share one entry.

func (s *Server) keyPath(c echo.Context) (string, bool) {
	return c.Request().URL.Path, langOK(c)
}

func (s *Server) keyHome(c echo.Context) (string, bool) {
	return c.Request().URL.Path + "|" + strconv.FormatUint(s.popular.version(s), 10), langOK(c)
}

func (s *Server) keyArticle(c echo.Context) (string, bool) {
	state := c.QueryParam("feedback")
	if state != "no" && state != "thanks" {
		state = ""
	}
	return c.Request().URL.Path + "?feedback=" + state, langOK(c)
}

func (s *Server) keySearch(c echo.Context) (string, bool) {
	query, pageNum := searchParams(c)
	return c.Request().URL.Path + "?q=" + query + "&page=" + strconv.Itoa(pageNum) +
		"|" + strconv.FormatUint(s.popular.version(s), 10), langOK(c)
}
