// Package server is the HTTP side of the help center: echo setup, routes,
// middleware, one handler per file, and the error handler.
package server

import (
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"helpcenter/internal/assets"
	"helpcenter/internal/config"
	"helpcenter/internal/pagecache"
	"helpcenter/internal/store"
)

// maxBody bounds request bodies: the feedback form is well under 4 KiB.
const maxBody = "64K"

// Server holds the dependencies of every handler.
type Server struct {
	cfg     config.Config
	log     *slog.Logger
	store   store.DB
	assets  *assets.Set
	site    atomic.Pointer[Site]
	echo    *echo.Echo
	votes   *voteLimiter
	popular popularCache
	pages   *pagecache.Cache

	security http.Header                 // see frame
	cop      *http.CrossOriginProtection // see crossOrigin

	sitemapMu sync.Mutex
	sitemap   *sitemapCache

	missedInFlight atomic.Int32
	inFlight       requestSet     // see frame and InFlight
	background     sync.WaitGroup // writes that outlive their request
}

// New wires the echo instance. site is the first content snapshot;
// SetSite replaces it when the content folder changes.
func New(cfg config.Config, log *slog.Logger, st store.DB, as *assets.Set, site *Site) *Server {
	s := &Server{cfg: cfg, log: log, store: st, assets: as, pages: pagecache.New(cfg.PageCache)}
	s.site.Store(site)
	s.security = securityHeaderValues(strings.HasPrefix(cfg.BaseURL, "https://"))
	s.cop = http.NewCrossOriginProtection()
	if err := s.cop.AddTrustedOrigin(cfg.BaseURL); err != nil {
		log.Warn("cross-origin protection: base URL not trusted", "base_url", cfg.BaseURL, "err", err)
	}
	s.votes = newVoteLimiter(cfg.RateLimit, cfg.TrustedProxies)
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = s.votes.clientIP
	// Before routing, so that redirects, 404s and 405s get them too.
	e.Pre(s.frame, canonicalize)
	e.Use(
		middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{
			Limit: maxBody,
			// GET and HEAD bodies are never read.
			Skipper: func(c echo.Context) bool {
				m := c.Request().Method
				return m == http.MethodGet || m == http.MethodHead
			},
		}),
		s.crossOrigin,
		middleware.GzipWithConfig(middleware.GzipConfig{
			Level:     5,
			MinLength: 1024,
			// Assets, the sitemap and the cached pages come
			// precompressed; posts answer with a redirect or a few bytes
			// of JSON.
			Skipper: func(c echo.Context) bool {
				p := c.Request().URL.Path
				return c.Request().Method == http.MethodPost || p == "/sitemap.xml" || strings.HasPrefix(p, assets.Prefix) ||
					cachedRoutes[c.Path()]
			},
		}),
	)
	s.echo = e
	s.routes(e)
	return s
}

// Wait blocks until background writes started by requests are done; call
// it after the HTTP server has shut down and before closing the store.
func (s *Server) Wait() { s.background.Wait() }

// Handler returns the http.Handler to serve.
func (s *Server) Handler() http.Handler { return s.echo }

// Site returns the current content snapshot.
func (s *Server) Site() *Site { return s.site.Load() }

// SetSite swaps in a newly loaded content snapshot and empties the page
// cache, in that order: a page rendered from the old snapshot can only
// land in the old cache.
func (s *Server) SetSite(site *Site) {
	s.site.Store(site)
	s.pages.Reset()
}

// get routes GET and HEAD to h: echo v4 answers HEAD with 405 otherwise.
func get(r interface {
	GET(string, echo.HandlerFunc, ...echo.MiddlewareFunc) *echo.Route
	HEAD(string, echo.HandlerFunc, ...echo.MiddlewareFunc) *echo.Route
}, path string, h echo.HandlerFunc) {
	r.GET(path, h)
	r.HEAD(path, h)
}
