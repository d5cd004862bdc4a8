// Package server is the HTTP side of the help center: echo setup, routes,
// middleware, one handler per file, and the error handler.
package server

import (
	"crypto/rand"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"helpcenter/internal/assets"
	"helpcenter/internal/config"
	"helpcenter/internal/contact"
	"helpcenter/internal/metrics"
	"helpcenter/internal/pagecache"
	"helpcenter/internal/ratelimit"
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
	votes   *ratelimit.Limiter
	contact store.Contact   // nil when the engine has no contact tables
	stamper contact.Stamper // signs the contact form's issue time
	uploads chan struct{}   // see maxUploads

	memoryFollower atomic.Pointer[func(int64)] // see FollowMemory
	popular        popularCache
	pages          *pagecache.Cache
	metrics        *metrics.Metrics

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
	s.metrics = newMetrics(st, s.pages)
	s.security = securityHeaderValues(strings.HasPrefix(cfg.BaseURL, "https://"))
	s.cop = http.NewCrossOriginProtection()
	if err := s.cop.AddTrustedOrigin(cfg.BaseURL); err != nil {
		log.Warn("cross-origin protection: base URL not trusted", "base_url", cfg.BaseURL, "err", err)
	}
	s.votes = ratelimit.New(cfg.RateLimit, cfg.TrustedProxies)
	s.contact, _ = st.(store.Contact)
	s.uploads = make(chan struct{}, maxUploads)
	s.stamper = contact.Stamper{Key: []byte(cfg.FormKey)}
	if cfg.FormKey == "" {
		// One instance alone can sign with a key of its own; several
		// behind one site must share HELPCENTER_FORM_KEY.
		s.stamper.Key = make([]byte, 32)
		_, _ = rand.Read(s.stamper.Key)
	}
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = s.votes.ClientIP
	// Before routing, so that redirects, 404s and 405s get them too.
	e.Pre(s.frame, canonicalize)
	e.Use(
		middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{
			Limit: maxBody,
			// GET and HEAD bodies are never read; uploads stream under
			// contact.ParseUpload's own limits.
			Skipper: func(c echo.Context) bool {
				m := c.Request().Method
				return m == http.MethodGet || m == http.MethodHead || uploadRoutes[c.Path()]
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
func (s *Server) Handler() http.Handler { return s }

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

// Metrics returns the server's metrics, for the metrics listener and the
// start-up phases.
func (s *Server) Metrics() *metrics.Metrics { return s.metrics }

// newMetrics registers the metrics that are read from the store and the
// page cache when scraped. The SQLite writer's queue and batches are
// observed when the store has them.
func newMetrics(st store.DB, pages *pagecache.Cache) *metrics.Metrics {
	m := metrics.New()
	m.Counter("helpcenter_page_cache_hits_total", "Pages served from the page cache.",
		func() float64 { return float64(pages.Stats().Hits) })
	m.Counter("helpcenter_page_cache_misses_total", "Pages rendered because the page cache did not hold them.",
		func() float64 { return float64(pages.Stats().Misses) })
	m.Gauge("helpcenter_page_cache_bytes", "Bytes of pages in the page cache.",
		func() float64 { return float64(pages.Stats().Bytes) })
	m.Gauge("helpcenter_page_cache_entries", "Pages in the page cache.",
		func() float64 { return float64(pages.Stats().Entries) })
	if w, ok := st.(interface{ ObserveBatches(func(int)) }); ok {
		w.ObserveBatches(func(n int) { m.VoteBatch.Observe(float64(n)) })
	}
	if q, ok := st.(interface{ QueueDepth() int }); ok {
		m.Gauge("helpcenter_writer_queue_depth", "Writes waiting for the database writer.",
			func() float64 { return float64(q.QueueDepth()) })
	}
	if r, ok := st.(interface{ RefusedWrites() uint64 }); ok {
		m.Counter("helpcenter_writes_refused_total", "Writes refused because the database reached HELPCENTER_MAX_DB_SIZE or the disk is full.",
			func() float64 { return float64(r.RefusedWrites()) })
	}
	return m
}

// PageCacheBytes is the memory the page cache holds now.
func (s *Server) PageCacheBytes() uint64 { return s.pages.Stats().Bytes }

// uploadMemory is what one contact post may hold while it is read and its
// images checked: its body (at most contact.MaxBody) and a decoded
// screenshot of a usual size.
const uploadMemory = 24 << 20

// WorkingBytes is the memory the server needs now besides its base: the
// page cache and the contact posts being read.
func (s *Server) WorkingBytes() int64 {
	return int64(s.PageCacheBytes()) + int64(len(s.uploads))*uploadMemory
}

// FollowMemory makes the server call f with WorkingBytes whenever it
// changes by an upload starting or ending (main sets Go's soft memory
// limit from it), so a burst of uploads raises the limit at once instead
// of making the garbage collector run without pause.
func (s *Server) FollowMemory(f func(working int64)) {
	s.memoryFollower.Store(&f)
	f(s.WorkingBytes())
}

func (s *Server) memoryChanged() {
	if f := s.memoryFollower.Load(); f != nil {
		(*f)(s.WorkingBytes())
	}
}
