package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"helpcenter/internal/admin"
	"helpcenter/internal/auth"
	"helpcenter/internal/store"
)

// TestAdminRoutesNeedSession walks echo's whole route table: every /admin
// route but the sign-in page answers without a session only with a
// redirect to sign-in (GET) or 401 (anything else), and never with data.
func TestAdminRoutesNeedSession(t *testing.T) {
	ts := newTestServer(t)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	n := 0
	for _, r := range ts.srv.echo.Routes() {
		if !strings.HasPrefix(r.Path, "/admin") || r.Path == "/admin/login" {
			continue
		}
		n++
		path := strings.NewReplacer(":id", "1", ":sid", "1", ":name", "x", "*", "x").Replace(r.Path)
		for _, token := range []string{"", "forged-token"} {
			req, _ := http.NewRequest(r.Method, ts.URL+path, strings.NewReader(""))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if token != "" {
				req.AddCookie(&http.Cookie{Name: admin.CookieName, Value: token})
			}
			res, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			switch {
			case r.Method == http.MethodGet || r.Method == http.MethodHead:
				if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/admin/login") {
					t.Errorf("%s %s without a session: %d %s", r.Method, path, res.StatusCode, res.Header.Get("Location"))
				}
			case res.StatusCode != http.StatusUnauthorized:
				t.Errorf("%s %s without a session: %d", r.Method, path, res.StatusCode)
			}
			if res.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("%s %s: Cache-Control %q", r.Method, path, res.Header.Get("Cache-Control"))
			}
		}
	}
	if n < 10 {
		t.Fatalf("only %d admin routes found", n)
	}
}

// TestAdminCrossSitePost: the server's CrossOriginProtection covers the
// back office's forms, sign-in and signed-in posts alike.
func TestAdminCrossSitePost(t *testing.T) {
	ts := newTestServer(t)
	hash, _ := auth.HashPassword("correct horse battery")
	if err := ts.store.AddStaff(context.Background(), store.StaffMember{Email: "a@example.com", Role: "admin", Password: hash, CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(path string, form url.Values, site, token string) *http.Response {
		req, _ := http.NewRequest("POST", ts.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", site)
		if token != "" {
			req.AddCookie(&http.Cookie{Name: admin.CookieName, Value: token})
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	login := url.Values{"email": {"a@example.com"}, "password": {"correct horse battery"}}
	if res := post("/admin/login", login, "cross-site", ""); res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site sign-in: %d", res.StatusCode)
	}
	res := post("/admin/login", login, "same-origin", "")
	var token string
	for _, c := range res.Cookies() {
		if c.Name == admin.CookieName {
			token = c.Value
		}
	}
	if res.StatusCode != http.StatusSeeOther || token == "" {
		t.Fatalf("same-origin sign-in: %d", res.StatusCode)
	}
	for _, p := range []string{"/admin/logout", "/admin/comments", "/admin/staff/remove"} {
		if res := post(p, url.Values{"email": {"a@example.com"}}, "cross-site", token); res.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site POST %s: %d", p, res.StatusCode)
		}
	}
}
