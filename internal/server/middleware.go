package server

import (
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"helpcenter/internal/i18n"
)

// contentSecurityPolicy allows only our own files: no inline script or
// style, no framing, forms posting only to us.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	https := strings.HasPrefix(s.cfg.BaseURL, "https://")
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		if https {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
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

// accessLog logs one line per request. It logs the path without the
// query (search words are the reader's own) and never the client address
// or User-Agent.
func (s *Server) accessLog() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogMethod: true, LogURIPath: true, LogLatency: true,
		LogRequestID: true, LogResponseSize: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			s.log.LogAttrs(c.Request().Context(), slog.LevelInfo, "request",
				slog.String("method", v.Method), slog.String("path", v.URIPath),
				slog.Int("status", v.Status), slog.Int64("bytes", v.ResponseSize),
				slog.Duration("latency", v.Latency.Round(time.Microsecond)),
				slog.String("request_id", v.RequestID))
			return nil
		},
	})
}

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
