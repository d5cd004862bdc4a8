// Package admin is the back office under /admin: sign-in, the articles
// dashboard, the support inbox, the comment triage queue, missed searches
// and deflections, staff and the audit log. server's routes.go mounts it
// with one line.
package admin

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"helpcenter/internal/auth"
	"helpcenter/internal/content"
	"helpcenter/internal/store"
)

// Session lifetimes: a session ends after IdleTimeout without a request
// or AbsoluteTimeout after sign-in, whichever comes first.
const (
	IdleTimeout     = 30 * time.Minute
	AbsoluteTimeout = 12 * time.Hour
	// touchEvery spares a write per request: the idle clock moves at most
	// once a minute.
	touchEvery = time.Minute
)

// CookieName carries the session token. The __Host- prefix makes the
// browser refuse it unless it is Secure, host-only and Path=/. Browsers
// treat http://localhost as a secure context and accept it there too
// (Chromium since 89, Firefox since 75), so `go run` on localhost works
// without TLS; any other plain-http host cannot sign in, by design.
const CookieName = "__Host-helpcenter_staff"

// Store is what the back office needs of the database.
type Store interface {
	store.Staff
	store.Feedback
	store.Searches
	store.Inbox
}

// Handler holds the back office's dependencies.
type Handler struct {
	db       Store
	log      *slog.Logger
	css      string
	now      func() time.Time
	throttle *auth.Throttle
	catalog  func() *content.Catalog // see WithCatalog
	mail     mailer                  // see WithMail
}

// New returns the back office. now is the clock (tests move it).
func New(db Store, log *slog.Logger, css string, now func() time.Time) *Handler {
	if now == nil {
		now = time.Now
	}
	return &Handler{db: db, log: log, css: css, now: now, throttle: auth.NewThrottle()}
}

// Mount adds the /admin routes to e. Every route but the sign-in page
// goes through requireSession.
func (h *Handler) Mount(e *echo.Echo) {
	g := e.Group("/admin", noStore)
	g.GET("/login", h.showLogin)
	g.POST("/login", h.login)

	s := g.Group("", h.requireSession)
	s.POST("/logout", h.logout)
	s.GET("", func(c echo.Context) error { return c.Redirect(http.StatusMovedPermanently, "/admin/") })
	s.GET("/", h.showDashboard)
	s.GET("/dashboard.csv", h.dashboardCSV)
	s.GET("/comments", h.showComments)
	s.POST("/comments", h.saveTriage)
	s.GET("/comments.csv", h.commentsCSV)
	s.GET("/searches", h.showSearches)
	s.GET("/searches.csv", h.searchesCSV)
	s.GET("/deflections.csv", h.deflectionsCSV)
	s.GET("/requests", h.showRequests)
	s.GET("/requests.csv", h.requestsCSV)
	s.GET("/requests/:id", h.showRequest)
	s.GET("/requests/:id/screenshots/:sid", h.showScreenshot)
	s.POST("/requests/:id/reply", h.replyRequest)
	s.POST("/requests/:id/note", h.addNote)
	s.POST("/requests/:id/assign", h.assignRequest)
	s.POST("/requests/:id/state", h.setRequestState)
	s.GET("/translations", h.showTranslations)
	s.GET("/translations.csv", h.translationsCSV)

	a := s.Group("", requireAdmin)
	a.GET("/staff", h.showStaff)
	a.POST("/staff/remove", h.removeStaff)
	a.GET("/audit", h.showAudit)
	a.GET("/audit.csv", h.auditCSV)
}

// noStore keeps staff pages out of every cache, the browser's included.
func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
		return next(c)
	}
}

// requireSession lets a request through only with a live session, and
// sends browsers without one to the sign-in page.
func (h *Handler) requireSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		se, err := h.session(c)
		if err != nil {
			if !errors.Is(err, store.ErrNotFound) {
				return err
			}
			clearCookie(c)
			if c.Request().Method != http.MethodGet && c.Request().Method != http.MethodHead {
				return echo.NewHTTPError(http.StatusUnauthorized, "sign in first")
			}
			return c.Redirect(http.StatusSeeOther, "/admin/login?next="+url.QueryEscape(c.Request().URL.RequestURI()))
		}
		c.Set("staff", se)
		return next(c)
	}
}

// session returns the live session of the request, or ErrNotFound.
// Expired sessions are deleted on sight.
func (h *Handler) session(c echo.Context) (store.Session, error) {
	ck, err := c.Cookie(CookieName)
	if err != nil || ck.Value == "" {
		return store.Session{}, store.ErrNotFound
	}
	ctx := c.Request().Context()
	hash := auth.HashToken(ck.Value)
	se, err := h.db.SessionByHash(ctx, hash)
	if err != nil {
		return se, err
	}
	now := h.now()
	if now.Sub(se.SeenAt) >= IdleTimeout || now.Sub(se.CreatedAt) >= AbsoluteTimeout {
		if err := h.db.DeleteSession(ctx, hash); err != nil {
			return se, err
		}
		return se, store.ErrNotFound
	}
	if now.Sub(se.SeenAt) >= touchEvery {
		if err := h.db.TouchSession(ctx, hash, now); err != nil {
			return se, err
		}
	}
	return se, nil
}

// requireAdmin refuses agents: only admins manage staff and read the log.
func requireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if staff(c).Role != "admin" {
			return echo.NewHTTPError(http.StatusForbidden, "admins only")
		}
		return next(c)
	}
}

func staff(c echo.Context) store.Session {
	se, _ := c.Get("staff").(store.Session)
	return se
}

// audit records a state change by the signed-in staff member.
func (h *Handler) audit(ctx context.Context, actor, action, detail string) error {
	return h.db.Audit(ctx, store.AuditEntry{At: h.now(), Actor: actor, Action: action, Detail: detail})
}

func setCookie(c echo.Context, token string) {
	c.SetCookie(&http.Cookie{Name: CookieName, Value: token, Path: "/", Secure: true, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, MaxAge: int(AbsoluteTimeout / time.Second)})
}

func clearCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: CookieName, Value: "", Path: "/", Secure: true, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, MaxAge: -1})
}

// render writes a complete page, rendered into a buffer first.
func render(c echo.Context, status int, comp templ.Component) error {
	var buf bytes.Buffer
	if err := comp.Render(c.Request().Context(), &buf); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// safeNext keeps a post-sign-in redirect on /admin.
func safeNext(next string) string {
	if strings.HasPrefix(next, "/admin/") && !strings.HasPrefix(next, "//") && !strings.Contains(next, `\`) {
		return next
	}
	return "/admin/"
}
