package admin

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"

	"helpcenter/articles"
	"helpcenter/internal/auth"
	"helpcenter/internal/content"
	"helpcenter/internal/store"
	"helpcenter/internal/store/sqlite"
)

// clock is a test clock that tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type env struct {
	url   string
	db    *sqlite.Store
	clock *clock
}

const (
	adminEmail = "admin@example.com"
	agentEmail = "agent@example.com"
	password   = "correct horse battery"
)

// newEnv starts the back office on a fresh database with an admin and an
// agent; opts configure the handler before it is mounted.
func newEnv(t *testing.T, opts ...func(*Handler)) *env {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "hc.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clk := &clock{t: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	hash, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	for email, role := range map[string]string{adminEmail: "admin", agentEmail: "agent"} {
		if err := db.AddStaff(context.Background(), store.StaffMember{Email: email, Role: role, Password: hash, CreatedAt: clk.now()}); err != nil {
			t.Fatal(err)
		}
	}
	e := echo.New()
	h := New(db, slog.New(slog.DiscardHandler), "/site.css", clk.now).WithCatalog(library(t))
	for _, o := range opts {
		o(h)
	}
	h.Mount(e)
	ts := httptest.NewServer(e)
	t.Cleanup(ts.Close)
	return &env{url: ts.URL, db: db, clock: clk}
}

var client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// do sends a request with the session cookie, if any, by hand: Go's
// cookie jar withholds Secure cookies from http:// test servers.
func (e *env) do(t *testing.T, method, path, token string, form url.Values) *http.Response {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, e.url+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if token != "" {
		req.AddCookie(&http.Cookie{Name: CookieName, Value: token})
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

// signIn posts the form and returns the status and the session token.
func (e *env) signIn(t *testing.T, email, pw string) (int, string) {
	t.Helper()
	res := e.do(t, "POST", "/admin/login", "", url.Values{"email": {email}, "password": {pw}})
	for _, c := range res.Cookies() {
		if c.Name == CookieName && c.Value != "" {
			if !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" || c.Domain != "" {
				t.Errorf("session cookie attributes: %+v", c)
			}
			return res.StatusCode, c.Value
		}
	}
	return res.StatusCode, ""
}

func page(t *testing.T, res *http.Response) *goquery.Document {
	t.Helper()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d", res.Request.URL, res.StatusCode)
	}
	doc, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func loginError(t *testing.T, res *http.Response) string {
	doc, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return doc.Find("#login-error").Text()
}

func TestSignIn(t *testing.T) {
	e := newEnv(t)
	if res := e.do(t, "GET", "/admin/", "", nil); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/admin/login") {
		t.Fatalf("without a session: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	code, token := e.signIn(t, adminEmail, password)
	if code != http.StatusSeeOther || token == "" {
		t.Fatalf("right password: %d, token %q", code, token)
	}
	res := e.do(t, "GET", "/admin/", token, nil)
	if res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("dashboard: %d, Cache-Control %q", res.StatusCode, res.Header.Get("Cache-Control"))
	}
	// Only the hash of the token is stored.
	if _, err := e.db.SessionByHash(context.Background(), token); err == nil {
		t.Error("the raw token is usable as a stored key")
	}

	// Wrong password and unknown e-mail: the same answer.
	wrong := e.do(t, "POST", "/admin/login", "", url.Values{"email": {adminEmail}, "password": {"wrong password!"}})
	unknown := e.do(t, "POST", "/admin/login", "", url.Values{"email": {"nobody@example.com"}, "password": {"wrong password!"}})
	w, u := loginError(t, wrong), loginError(t, unknown)
	if wrong.StatusCode != http.StatusUnauthorized || unknown.StatusCode != wrong.StatusCode || w != u || w == "" {
		t.Errorf("wrong password %d %q, unknown e-mail %d %q", wrong.StatusCode, w, unknown.StatusCode, u)
	}
	for _, r := range []*http.Response{wrong, unknown} {
		for _, c := range r.Cookies() {
			if c.Name == CookieName && c.Value != "" {
				t.Error("a failed sign-in set a session cookie")
			}
		}
	}
}

func TestLockoutAndItsEnd(t *testing.T) {
	e := newEnv(t)
	for range 5 {
		e.signIn(t, agentEmail, "wrong password!")
	}
	if code, token := e.signIn(t, agentEmail, password); code != http.StatusTooManyRequests || token != "" {
		t.Fatalf("right password during lockout: %d, token %q", code, token)
	}
	e.clock.add(14 * time.Minute)
	if code, _ := e.signIn(t, agentEmail, password); code != http.StatusTooManyRequests {
		t.Fatalf("after 14 minutes: %d", code)
	}
	e.clock.add(time.Minute)
	if code, token := e.signIn(t, agentEmail, password); code != http.StatusSeeOther || token == "" {
		t.Fatalf("after the lockout: %d", code)
	}
}

func TestSessionExpiry(t *testing.T) {
	e := newEnv(t)
	_, token := e.signIn(t, adminEmail, password)
	// Idle: 29 minutes between requests keeps it alive.
	for range 3 {
		e.clock.add(29 * time.Minute)
		if res := e.do(t, "GET", "/admin/", token, nil); res.StatusCode != http.StatusOK {
			t.Fatalf("after 29 idle minutes: %d", res.StatusCode)
		}
	}
	e.clock.add(30 * time.Minute)
	if res := e.do(t, "GET", "/admin/", token, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("after 30 idle minutes: %d", res.StatusCode)
	}

	// Absolute: 12 hours after sign-in, however active.
	_, token = e.signIn(t, adminEmail, password)
	for elapsed := time.Duration(0); elapsed < 12*time.Hour-20*time.Minute; elapsed += 20 * time.Minute {
		e.clock.add(20 * time.Minute)
		if res := e.do(t, "GET", "/admin/", token, nil); res.StatusCode != http.StatusOK {
			t.Fatalf("active session at %s: %d", elapsed, res.StatusCode)
		}
	}
	e.clock.add(20 * time.Minute)
	if res := e.do(t, "GET", "/admin/", token, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("after 12 hours: %d", res.StatusCode)
	}
}

func TestSignOutAndRevocation(t *testing.T) {
	e := newEnv(t)
	_, a := e.signIn(t, adminEmail, password)
	_, b := e.signIn(t, adminEmail, password)
	if res := e.do(t, "POST", "/admin/logout", a, url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out: %d", res.StatusCode)
	}
	if res := e.do(t, "GET", "/admin/", a, nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("signed-out session still works: %d", res.StatusCode)
	}
	if res := e.do(t, "GET", "/admin/", b, nil); res.StatusCode != http.StatusOK {
		t.Errorf("the other session was signed out too: %d", res.StatusCode)
	}
	// A new password (staff passwd) revokes every session of the account.
	hash, _ := auth.HashPassword("another long password")
	if err := e.db.SetStaffPassword(context.Background(), adminEmail, hash, e.clock.now()); err != nil {
		t.Fatal(err)
	}
	if res := e.do(t, "GET", "/admin/", b, nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("session survived a password change: %d", res.StatusCode)
	}
	if res := e.do(t, "POST", "/admin/comments", b, url.Values{"key": {"a|b|en"}, "state": {"done"}}); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("POST with a revoked session: %d", res.StatusCode)
	}
}

func TestAgentCannotManageStaff(t *testing.T) {
	e := newEnv(t)
	_, agent := e.signIn(t, agentEmail, password)
	for _, r := range []struct{ method, path string }{{"GET", "/admin/staff"}, {"POST", "/admin/staff/remove"}, {"GET", "/admin/audit"}, {"GET", "/admin/audit.csv"}} {
		if res := e.do(t, r.method, r.path, agent, url.Values{"email": {adminEmail}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("agent %s %s: %d", r.method, r.path, res.StatusCode)
		}
	}
	if _, err := e.db.StaffByEmail(context.Background(), adminEmail); err != nil {
		t.Errorf("admin account gone: %v", err)
	}
	_, admin := e.signIn(t, adminEmail, password)
	if res := e.do(t, "POST", "/admin/staff/remove", admin, url.Values{"email": {agentEmail}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("admin removes agent: %d", res.StatusCode)
	}
	if res := e.do(t, "GET", "/admin/", agent, nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("removed agent's session still works: %d", res.StatusCode)
	}
	log, err := e.db.AuditLog(context.Background(), 10)
	if err != nil || len(log) == 0 || log[0].Action != "remove_staff" || log[0].Actor != adminEmail || log[0].Detail != agentEmail {
		t.Errorf("audit log: %+v %v", log, err)
	}
}

var (
	libraryOnce    sync.Once
	libraryCat     *content.Catalog
	libraryErr     error
	libraryDropped = map[string]bool{} // articles with translations left out, see library
)

// library is the embedded article catalog, loaded once for all tests.
// While a change to an English article waits for its translations (made
// on another branch), the translations that no longer match are left out,
// so they show as missing; the English files must always load.
func library(t *testing.T) func() *content.Catalog {
	t.Helper()
	libraryOnce.Do(func() {
		libraryCat, libraryErr = content.Load(articles.FS, content.Options{})
		var le *content.LoadError
		if libraryErr == nil || !errors.As(libraryErr, &le) {
			return
		}
		drop := map[string]bool{}
		for _, p := range le.Problems {
			if strings.HasSuffix(p.File, "/en.md") || !strings.HasSuffix(p.File, ".md") {
				return
			}
			drop[p.File] = true
			libraryDropped[path.Dir(p.File)] = true
		}
		mfs := fstest.MapFS{}
		libraryErr = fs.WalkDir(articles.FS, ".", func(name string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || drop[name] {
				return err
			}
			data, err := fs.ReadFile(articles.FS, name)
			mfs[name] = &fstest.MapFile{Data: data}
			return err
		})
		if libraryErr == nil {
			libraryCat, libraryErr = content.Load(mfs, content.Options{})
		}
	})
	if libraryErr != nil {
		t.Fatal(libraryErr)
	}
	return func() *content.Catalog { return libraryCat }
}

// TestTranslationsPage: the back office shows the translation status of
// `helpcenter translations`, to agents too, and as a CSV grid.
func TestTranslationsPage(t *testing.T) {
	e := newEnv(t)
	_, token := e.signIn(t, agentEmail, password)
	res := e.do(t, "GET", "/admin/translations", token, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("translations page: %d", res.StatusCode)
	}
	doc, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	rows := doc.Find("tbody tr")
	if rows.Length() != len(libraryCat.Articles) {
		t.Errorf("%d rows, want one per article (%d)", rows.Length(), len(libraryCat.Articles))
	}
	rows.Each(func(_ int, r *goquery.Selection) {
		if libraryDropped[r.Find("th").Text()] {
			return // its translations wait on an English change; see library
		}
		if got := r.Find("td").First().Text(); got != "58" {
			t.Errorf("%s: %s current translations, want 58", r.Find("th").Text(), got)
		}
	})
	res = e.do(t, "GET", "/admin/translations.csv", token, nil)
	grid, err := csv.NewReader(res.Body).ReadAll()
	if err != nil || len(grid) != len(libraryCat.Articles)+1 || len(grid[0]) != 59 || grid[0][0] != "article" {
		t.Fatalf("CSV: %d rows, header %v, %v", len(grid), grid[0], err)
	}
	if grid[1][1] != "current" && !libraryDropped[grid[1][0]] {
		t.Errorf("first cell %q", grid[1][1])
	}
}
