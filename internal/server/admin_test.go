package server

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
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
	for _, p := range []string{"/admin/logout", "/admin/comments", "/admin/staff/remove", "/admin/requests/1/reply",
		"/admin/requests/1/note", "/admin/requests/1/assign", "/admin/requests/1/state"} {
		if res := post(p, url.Values{"email": {"a@example.com"}}, "cross-site", token); res.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site POST %s: %d", p, res.StatusCode)
		}
	}
}

// TestAdminRequestThroughTheStack: the request page's forms and the
// screenshot route behind every middleware: a 10,000-character reply in
// a script of three bytes a character fits the body limit (the form is
// multipart), a cross-site post is refused, and the screenshot's own
// CSP replaces the pages' one.
func TestAdminRequestThroughTheStack(t *testing.T) {
	ts := newTestServer(t)
	ctx := context.Background()
	hash, _ := auth.HashPassword("correct horse battery")
	if err := ts.store.AddStaff(ctx, store.StaffMember{Email: "a@example.com", Role: "agent", Password: hash, CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	token, sessionHash := auth.NewToken()
	if err := ts.store.CreateSession(ctx, sessionHash, "a@example.com", time.Now()); err != nil {
		t.Fatal(err)
	}
	shot := store.Screenshot{SHA256: []byte("h"), Type: "image/png", Size: 4, Width: 1, Height: 1, Data: []byte("\x89PNG")}
	r, _, err := ts.store.CreateRequest(ctx, store.NewRequest{Code: "HC-TEST-TEST-TEST", TokenHash: []byte("t"), Locale: "zh-CN", Kind: "other",
		Device: "web", Description: "我的账户有问题，请帮助我。", Fingerprint: "f", Screenshots: []store.Screenshot{shot}})
	if err != nil {
		t.Fatal(err)
	}
	full, err := ts.store.RequestByID(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	href := "/admin/requests/" + strconv.FormatInt(r.ID, 10)
	cookie := &http.Cookie{Name: admin.CookieName, Value: token}

	res := ts.do(t, "GET", href+"/screenshots/"+strconv.FormatInt(full.Messages[0].Screenshots[0].ID, 10), nil, "Cookie", cookie.String())
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Security-Policy") != "default-src 'none'; sandbox" ||
		res.Header.Get("Content-Type") != "image/png" || res.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("screenshot: %d, CSP %q, type %q", res.StatusCode, res.Header.Get("Content-Security-Policy"), res.Header.Get("Content-Type"))
	}

	post := func(site string) *http.Response {
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		w.WriteField("body", strings.Repeat("谢", 10000))
		w.Close()
		return ts.do(t, "POST", href+"/reply", &buf, "Content-Type", w.FormDataContentType(), "Cookie", cookie.String(), "Sec-Fetch-Site", site)
	}
	if res := post("cross-site"); res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site reply: %d", res.StatusCode)
	}
	if res := post("same-origin"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("10,000-character reply: %d", res.StatusCode)
	}
	if got, _ := ts.store.RequestByID(ctx, r.ID); got.State != store.StateAnswered || len(got.Messages) != 2 {
		t.Errorf("after the reply: %q, %d messages", got.State, len(got.Messages))
	}
	doc := ts.page(t, href, http.StatusOK, "Cookie", cookie.String())
	if doc.Find(".msg-reader .msg-body[lang=zh-CN]").Length() != 1 || doc.Find(`nav a[href="/admin/requests"]`).Length() != 1 {
		t.Error("request page: no reader message in zh-CN, or no Requests link in the navigation")
	}
}
