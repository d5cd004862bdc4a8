package server

import (
	"crypto/rand"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"helpcenter/internal/i18n"
)

// contentSecurityPolicy allows only our own files: no inline script or
// style, no framing, forms posting only to us.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// securityHeaders go on every response, redirects and errors included
// (it runs before routing). README.md says what each one is for.
func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	https := strings.HasPrefix(s.cfg.BaseURL, "https://")
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		if https {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		return next(c)
	}
}

// crossOrigin refuses unsafe requests (POST and the like) that a browser
// marks as coming from another site, with net/http's Fetch-metadata and
// Origin checks. Safe methods pass through. The public origin is trusted
// explicitly: behind a proxy that rewrites Host, browsers without
// Sec-Fetch-Site (older Safari, KaiOS) would otherwise be refused.
func (s *Server) crossOrigin(next echo.HandlerFunc) echo.HandlerFunc {
	cop := http.NewCrossOriginProtection()
	if err := cop.AddTrustedOrigin(s.cfg.BaseURL); err != nil {
		s.log.Warn("cross-origin protection: base URL not trusted", "base_url", s.cfg.BaseURL, "err", err)
	}
	return func(c echo.Context) error {
		if err := cop.Check(c.Request()); err != nil {
			return echo.NewHTTPError(http.StatusForbidden).SetInternal(err)
		}
		return next(c)
	}
}

// requestID keeps the client's X-Request-ID only when it is a short
// token (a proxy's id ties our log line to its own); anything else, a
// 60 KB header or markup, is replaced by a fresh id so it reaches neither
// the response nor the log.
func requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if !isToken(id) {
			id = rand.Text()
		}
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		return next(c)
	}
}

// isToken reports whether id is 1 to 64 of [A-Za-z0-9-].
func isToken(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		b := id[i]
		if !('a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '-') {
			return false
		}
	}
	return true
}

// accessLog logs one line per request with the status and the body bytes
// actually sent (compressed, if they were). It hands errors to the error
// handler itself, so the answer to an error is counted too. It logs the
// path without the query (search words are the reader's own) and never
// the client address or User-Agent. While the request runs it is listed
// in inFlight, so a shutdown that runs out of time can say what it drops.
func (s *Server) accessLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		started := time.Now()
		res := c.Response()
		w := &countingWriter{ResponseWriter: res.Writer}
		res.Writer = w
		s.inFlight.Store(w, c.Request())
		defer s.inFlight.Delete(w)
		if err := next(c); err != nil {
			c.Error(err)
		}
		res.Writer = w.ResponseWriter
		s.log.LogAttrs(c.Request().Context(), slog.LevelInfo, "request",
			slog.String("method", c.Request().Method), slog.String("path", c.Request().URL.Path),
			slog.Int("status", res.Status), slog.Int64("bytes", w.n),
			slog.Duration("latency", time.Since(started).Round(time.Microsecond)),
			slog.String("request_id", res.Header().Get(echo.HeaderXRequestID)))
		return nil
	}
}

// InFlight lists the requests being served, as "METHOD path request_id".
func (s *Server) InFlight() []string {
	var out []string
	s.inFlight.Range(func(k, v any) bool {
		r := v.(*http.Request)
		out = append(out, r.Method+" "+r.URL.Path+" "+k.(*countingWriter).Header().Get(echo.HeaderXRequestID))
		return true
	})
	return out
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	http.ResponseWriter
	n int64
}

func (w *countingWriter) Write(p []byte) (int, error) {
	n, err := w.ResponseWriter.Write(p)
	w.n += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach Flush and Hijack.
func (w *countingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush is called directly by echo's gzip writer.
func (w *countingWriter) Flush() { _ = http.NewResponseController(w.ResponseWriter).Flush() }

// canonicalize redirects (301) GET and HEAD requests to the one spelling
// of each URL: lower case, the language as its lower-case code (/zh_TW/ and
// /ZH-tw/ become /zh-tw/), no trailing slash except on a language's home
// (/en becomes /en/), no doubled slashes.
func canonicalize(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			return next(c)
		}
		want := canonicalPath(r.URL.Path)
		if want == r.URL.Path {
			return next(c)
		}
		target := (&url.URL{Path: want}).EscapedPath()
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		c.Response().Header().Set("Cache-Control", "public, max-age=86400")
		return c.Redirect(http.StatusMovedPermanently, target)
	}
}

// unprefixed are the first path segments of pages reached without a
// language (they redirect to the reader's language).
var unprefixed = map[string]bool{"articles": true, "categories": true, "search": true, "languages": true, "language": true}

func canonicalPath(p string) string {
	if p == "" || p == "/" {
		return "/"
	}
	clean := path.Clean("/" + p)
	segs := strings.Split(clean[1:], "/")
	if strings.HasPrefix(clean, "/static/") {
		return clean
	}
	isLang := false
	if l, ok := i18n.Lookup(strings.ReplaceAll(segs[0], "_", "-")); ok {
		segs[0] = l.Slug
		isLang = true
	}
	if !isLang && !unprefixed[strings.ToLower(segs[0])] {
		return p // not ours to spell: it is a 404 as it stands
	}
	for i := range segs {
		segs[i] = strings.ToLower(segs[i])
	}
	// The picker's /language/{code} takes the code as spelled in paths.
	if segs[0] == "language" && len(segs) == 2 {
		if l, ok := i18n.Lookup(strings.ReplaceAll(segs[1], "_", "-")); ok {
			segs[1] = l.Slug
		}
	}
	out := "/" + strings.Join(segs, "/")
	if isLang && len(segs) == 1 {
		out += "/"
	}
	return out
}

// withLocale resolves the /:lang segment: an unknown language is a 404;
// a known one puts its Localizer into the request context for templates.
func (s *Server) withLocale(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		site := s.Site()
		l, ok := i18n.Lookup(c.Param("lang"))
		if !ok || l.Slug != c.Param("lang") {
			return echo.ErrNotFound
		}
		loc := site.Bundle.For(l.Code)
		c.Set(ctxSite, site)
		c.Set(ctxLocalizer, loc)
		r := c.Request()
		c.SetRequest(r.WithContext(i18n.WithLocalizer(r.Context(), loc)))
		return next(c)
	}
}

const (
	ctxSite      = "site"
	ctxLocalizer = "localizer"
)
