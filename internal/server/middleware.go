package server

import (
	"crypto/rand"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"

	"helpcenter/internal/i18n"
)

// contentSecurityPolicy allows only our own files: no inline script or
// style, no framing, forms posting only to us.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// securityHeaderValues go on every response, redirects and errors
// included. README.md says what each one is for. The keys are in
// canonical form and the value slices are shared by every response
// (nothing modifies them), so setting them costs no allocation.
func securityHeaderValues(https bool) http.Header {
	h := http.Header{
		"Content-Security-Policy":      {contentSecurityPolicy},
		"X-Content-Type-Options":       {"nosniff"},
		"Referrer-Policy":              {"strict-origin-when-cross-origin"},
		"X-Frame-Options":              {"DENY"},
		"Cross-Origin-Opener-Policy":   {"same-origin"},
		"Cross-Origin-Resource-Policy": {"same-origin"},
		"Permissions-Policy":           {"camera=(), microphone=(), geolocation=(), interest-cohort=()"},
	}
	if https {
		h["Strict-Transport-Security"] = []string{"max-age=63072000; includeSubDomains"}
	}
	return h
}

// frame is the first middleware of every request, before routing, so
// that redirects, 404s and 405s pass through it too. It is one function
// rather than four because it runs on every request, cache hits
// included: it gives the request an ID, sets the security headers,
// recovers a panic into a 500, hands errors to the error handler, and
// logs one line with the status and bytes actually sent.
//
// echo applies Pre middleware anew on every request: whatever frame needs
// is made once, in New (s.security).
func (s *Server) frame(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		started := time.Now()
		req, res := c.Request(), c.Response()
		h := res.Header()
		id := requestIDOf(req)
		h[headerRequestID] = []string{id}
		for k, v := range s.security {
			h[k] = v
		}
		w := &countingWriter{ResponseWriter: res.Writer}
		res.Writer = w
		s.inFlight.add(w, req)
		defer s.inFlight.remove(w)
		func() {
			defer func() {
				if r := recover(); r != nil {
					if r == http.ErrAbortHandler {
						panic(r)
					}
					s.log.Error("panic", "path", logPath(req.URL.Path), "err", r, "stack", string(debug.Stack()))
					c.Error(echo.ErrInternalServerError)
				}
			}()
			if err := next(c); err != nil {
				c.Error(err)
			}
		}()
		res.Writer = w.ResponseWriter
		s.logRequest(req, c.Path(), id, res.Status, w.n, started)
		return nil
	}
}

// logRequest records an answered request in the metrics and the access
// log. It logs the path without the query (search words are the
// reader's own) and never the client address or User-Agent.
func (s *Server) logRequest(r *http.Request, route, id string, status int, bytes int64, started time.Time) {
	took := time.Since(started)
	s.metrics.ObserveRequest(route, r.Method, status, took)
	if s.log.Enabled(r.Context(), slog.LevelInfo) {
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method), slog.String("path", logPath(r.URL.Path)),
			slog.Int("status", status), slog.Int64("bytes", bytes),
			slog.Duration("latency", took.Round(time.Microsecond)),
			slog.String("request_id", id))
	}
}

// headerRequestID is X-Request-ID in the canonical form of Go's header
// maps, so that it is found without canonicalizing.
const headerRequestID = "X-Request-Id"

// crossOrigin refuses unsafe requests (POST and the like) that a browser
// marks as coming from another site, with net/http's Fetch-metadata and
// Origin checks. Safe methods pass through. The public origin is trusted
// explicitly: behind a proxy that rewrites Host, browsers without
// Sec-Fetch-Site (older Safari, KaiOS) would otherwise be refused.
//
// The protection itself is made once, in New (s.cop): echo applies this
// middleware anew on every request.
func (s *Server) crossOrigin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if m := c.Request().Method; m == http.MethodGet || m == http.MethodHead {
			return next(c) // safe methods need no check
		}
		if err := s.cop.Check(c.Request()); err != nil {
			return echo.NewHTTPError(http.StatusForbidden).SetInternal(err)
		}
		return next(c)
	}
}

// requestIDOf keeps the client's X-Request-ID only when it is a short
// token (a proxy's id ties our log line to its own); anything else, a 60
// KB header or markup, is replaced by a fresh id so it reaches neither the
// response nor the log.
func requestIDOf(r *http.Request) string {
	if v := r.Header[headerRequestID]; len(v) == 1 && isToken(v[0]) {
		return v[0]
	}
	return newRequestID()
}

// requestIDs makes fresh request ids: a random prefix per process and a
// counter, unique without a call to the system's random source per
// request. They identify log lines; they are no secret.
var requestIDs struct {
	prefix string
	n      atomic.Uint64
}

func init() { requestIDs.prefix = rand.Text()[:10] }

func newRequestID() string {
	var b [10 + 1 + 13]byte
	copy(b[:], requestIDs.prefix)
	b[10] = '-'
	n := requestIDs.n.Add(1)
	const digits = "0123456789ABCDEFGHJKMNPQRSTVWXYZ" // Crockford base32
	for i := len(b) - 1; i > 10; i-- {
		b[i] = digits[n&31]
		n >>= 5
	}
	return string(b[:])
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

// InFlight lists the requests being served, as "METHOD path request_id",
// so a shutdown that runs out of time can say what it drops.
func (s *Server) InFlight() []string {
	s.inFlight.mu.Lock()
	defer s.inFlight.mu.Unlock()
	var out []string
	for w, r := range s.inFlight.m {
		out = append(out, r.Method+" "+logPath(r.URL.Path)+" "+w.Header().Get(echo.HeaderXRequestID))
	}
	return out
}

// requestSet is the requests being served. A map under a mutex: adding
// and removing costs no allocation once the map has grown, unlike a
// sync.Map.
type requestSet struct {
	mu sync.Mutex
	m  map[*countingWriter]*http.Request
}

func (rs *requestSet) add(w *countingWriter, r *http.Request) {
	rs.mu.Lock()
	if rs.m == nil {
		rs.m = make(map[*countingWriter]*http.Request)
	}
	rs.m[w] = r
	rs.mu.Unlock()
}

func (rs *requestSet) remove(w *countingWriter) {
	rs.mu.Lock()
	delete(rs.m, w)
	rs.mu.Unlock()
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
var unprefixed = map[string]bool{"articles": true, "categories": true, "search": true, "languages": true, "language": true, "contact": true}

func canonicalPath(p string) string {
	if p == "" || p == "/" {
		return "/"
	}
	if alreadyCanonical(p) {
		return p
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

// alreadyCanonical is a quick test, without allocation, for the paths
// canonicalPath would return unchanged: almost every request. It answers
// false whenever it is unsure, leaving the answer to canonicalPath.
func alreadyCanonical(p string) bool {
	if p[0] != '/' || strings.Contains(p, "//") || strings.Contains(p, "/.") {
		return false
	}
	for i := 0; i < len(p); i++ {
		if b := p[i]; b >= 0x80 || 'A' <= b && b <= 'Z' || b == '_' {
			return false
		}
	}
	first, rest, more := strings.Cut(p[1:], "/")
	if l, ok := i18n.Lookup(first); ok {
		// A language's home keeps its slash; other pages do not end in one.
		return l.Slug == first && more && (rest == "" || !strings.HasSuffix(rest, "/"))
	}
	return !strings.HasSuffix(p, "/") && first != "language"
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

// logPath is a request's path as logs may keep it: a status link's token
// is the only key to a reader's request, so it never reaches a log.
func logPath(p string) string {
	i := strings.Index(p, "/requests/")
	if i < 0 {
		return p
	}
	start := i + len("/requests/")
	end := strings.IndexByte(p[start:], '/')
	if end < 0 {
		return p[:start] + "{token}"
	}
	return p[:start] + "{token}" + p[start+end:]
}
