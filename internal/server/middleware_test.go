package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"helpcenter/internal/config"
)

// logBuffer collects the server's JSON log lines; the access log is
// written after the answer is sent, so readers wait for the line.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// entries returns the log records whose msg is msg.
func (b *logBuffer) entries(msg string) []map[string]any {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(b.buf.String(), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) == nil && m["msg"] == msg {
			out = append(out, m)
		}
	}
	return out
}

// accessEntry waits for the access-log line of the request with id.
func (b *logBuffer) accessEntry(t *testing.T, id string) map[string]any {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		for _, e := range b.entries("request") {
			if e["request_id"] == id {
				return e
			}
		}
	}
	t.Fatalf("no access-log line for request %s:\n%s", id, b.buf.String())
	return nil
}

func newLoggedServer(t *testing.T, mutate ...func(*config.Config)) (*testServer, *logBuffer) {
	logs := &logBuffer{}
	return newTestServerLog(t, slog.New(slog.NewJSONHandler(logs, nil)), mutate...), logs
}

// TestAccessLogStatusAndBytes: the access log records the status and the
// number of body bytes that went over the wire, whether the handler
// answered, returned one of our errors or an echo error.
func TestAccessLogStatusAndBytes(t *testing.T) {
	ts, logs := newLoggedServer(t)
	cases := []struct {
		name, method, path, body string
		header                   []string
		status                   int
	}{
		{"page", "GET", "/en/articles/log-out", "", nil, 200},
		{"page gzip", "GET", "/en/articles/log-out", "", []string{"Accept-Encoding", "gzip"}, 200},
		{"unknown article", "GET", "/en/articles/no-such-article", "", nil, 404},
		{"unknown path", "GET", "/nowhere", "", nil, 404},
		{"bad vote", "POST", "/en/articles/log-out/feedback", "helpful=maybe", []string{"Content-Type", "application/x-www-form-urlencoded"}, 400},
		{"bad vote json", "POST", "/en/articles/log-out/feedback", "helpful=maybe", []string{"Content-Type", "application/x-www-form-urlencoded", "Accept", "application/json"}, 400},
		{"echo error: body too large", "POST", "/en/articles/log-out/feedback", "comment=" + strings.Repeat("x", 70<<10), []string{"Content-Type", "application/x-www-form-urlencoded"}, 413},
		{"echo error: cross-site", "POST", "/en/articles/log-out/feedback", "helpful=yes", []string{"Content-Type", "application/x-www-form-urlencoded", "Sec-Fetch-Site", "cross-site"}, 403},
		{"redirect", "GET", "/EN/", "", nil, 301},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id := "access-log-" + string(rune('a'+i))
			h := append([]string{"X-Request-ID", id, "Accept-Encoding", "identity"}, tc.header...)
			resp := ts.do(t, tc.method, tc.path, strings.NewReader(tc.body), h...)
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.status)
			}
			e := logs.accessEntry(t, id)
			if got := int(e["status"].(float64)); got != tc.status {
				t.Errorf("logged status %d, sent %d", got, tc.status)
			}
			if got := int(e["bytes"].(float64)); got != len(body) || (tc.status != 301 && got == 0) {
				t.Errorf("logged bytes %d, sent %d", got, len(body))
			}
		})
	}
}

// TestRedirectsGoThroughMiddleware: the canonicalizing redirects carry the
// security headers, HSTS on an https site, a Cache-Control, and are logged.
func TestRedirectsGoThroughMiddleware(t *testing.T) {
	ts, logs := newLoggedServer(t, func(c *config.Config) { c.BaseURL = "https://help.example.com" })
	cases := map[string]string{
		"/EN/":                 "/en/",
		"/zh_TW/":              "/zh-tw/",
		"/en":                  "/en/",
		"//en//articles/x":     "/en/articles/x",
		"/en/Articles/Log-Out": "/en/articles/log-out",
		"/language/zh_TW":      "/language/zh-tw",
		"/language/ZH-tw":      "/language/zh-tw",
		"/Language/pt_br":      "/language/pt-br",
	}
	for from, to := range cases {
		t.Run(from, func(t *testing.T) {
			id := "redirect-" + strings.NewReplacer("/", "-", "_", "-").Replace(from)
			resp := ts.do(t, "GET", from, nil, "X-Request-ID", id)
			if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != to {
				t.Fatalf("%s: %d to %q, want 301 to %q", from, resp.StatusCode, resp.Header.Get("Location"), to)
			}
			assertSecurityHeaders(t, resp, true)
			if resp.Header.Get("Cache-Control") == "" {
				t.Error("no Cache-Control on the redirect")
			}
			if e := logs.accessEntry(t, id); e["status"].(float64) != 301 {
				t.Errorf("logged as %v", e["status"])
			}
		})
	}
	// The canonical spelling of the picker's link does what it says.
	resp := ts.do(t, "GET", "/language/zh-tw", nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/zh-tw/" {
		t.Errorf("/language/zh-tw: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// assertSecurityHeaders checks the headers every response carries.
func assertSecurityHeaders(t *testing.T, resp *http.Response, https bool) {
	t.Helper()
	want := map[string]string{
		"Content-Security-Policy":      contentSecurityPolicy,
		"X-Content-Type-Options":       "nosniff",
		"Referrer-Policy":              "strict-origin-when-cross-origin",
		"X-Frame-Options":              "DENY",
		"Cross-Origin-Opener-Policy":   "same-origin",
		"Cross-Origin-Resource-Policy": "same-origin",
	}
	if https {
		want["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
	}
	// Pages that carry a request's secret link send no referrer at all.
	if resp.Header.Get("Referrer-Policy") == "no-referrer" {
		delete(want, "Referrer-Policy")
	}
	for k, v := range want {
		if got := resp.Header.Get(k); got != v {
			t.Errorf("%s %s: %s = %q, want %q", resp.Request.Method, resp.Request.URL.Path, k, got, v)
		}
	}
	if !https && resp.Header.Get("Strict-Transport-Security") != "" {
		t.Errorf("HSTS on a plain-http site")
	}
}

// TestRequestIDIsATokenOrNew: a client's X-Request-ID is kept only when it
// is a short token; anything else is replaced, never echoed.
func TestRequestIDIsATokenOrNew(t *testing.T) {
	ts, logs := newLoggedServer(t)
	token := regexp.MustCompile(`^[A-Za-z0-9-]{1,64}$`)
	cases := []struct {
		in   string
		keep bool
	}{
		{"abc-123", true},
		{strings.Repeat("a", 64), true},
		{strings.Repeat("a", 65), false},
		{strings.Repeat("x", 60000), false},
		{"<script>alert(1)</script>", false},
		{"a b", false},
		{"abc_def", false},
		{"id\u202e", false},
		{"ünïcode", false},
	}
	for _, tc := range cases {
		resp := ts.do(t, "GET", "/healthz", nil, "X-Request-ID", tc.in)
		got := resp.Header.Get("X-Request-ID")
		if !token.MatchString(got) {
			t.Errorf("%.40q: answered with request id %.80q", tc.in, got)
		}
		if (got == tc.in) != tc.keep {
			t.Errorf("%.40q: kept = %v, want %v", tc.in, got == tc.in, tc.keep)
		}
		logs.accessEntry(t, got)
	}
	if strings.Contains(logs.buf.String(), strings.Repeat("x", 65)) {
		t.Error("the long request id reached the log")
	}
}

// TestWrongMethodIs405: a route that exists answers other methods with 405
// and Allow; a path that does not exist stays 404.
func TestWrongMethodIs405(t *testing.T) {
	ts := newTestServer(t)
	cases := []struct {
		method, path string
		status       int
		allow        string
	}{
		{"PUT", "/healthz", 405, "GET, HEAD"},
		{"POST", "/readyz", 405, "GET, HEAD"},
		{"DELETE", "/en/articles/log-out", 405, "GET, HEAD"},
		{"PUT", "/en/articles/log-out/feedback", 405, "POST"},
		{"GET", "/en/articles/log-out/feedback", 405, "POST"},
		{"POST", "/en/", 405, "GET, HEAD"},
		{"PUT", "/nowhere", 404, ""},
		{"PUT", "/en/nowhere", 404, ""},
	}
	for _, tc := range cases {
		resp := ts.do(t, tc.method, tc.path, nil)
		if resp.StatusCode != tc.status {
			t.Errorf("%s %s: %d, want %d", tc.method, tc.path, resp.StatusCode, tc.status)
			continue
		}
		allow := strings.Split(resp.Header.Get("Allow"), ", ")
		for _, m := range strings.Split(tc.allow, ", ") {
			if tc.allow != "" && !slices.Contains(allow, m) {
				t.Errorf("%s %s: Allow %q lacks %s", tc.method, tc.path, resp.Header.Get("Allow"), m)
			}
		}
		assertSecurityHeaders(t, resp, false)
	}
}

// TestAlreadyCanonicalAgrees: the quick test never says "canonical" for
// a path that canonicalPath would change.
func TestAlreadyCanonicalAgrees(t *testing.T) {
	paths := []string{"/en/", "/en", "/EN/", "/zh_TW/", "/zh-tw/articles/log-out", "/zh-tw/articles/log-out/",
		"/iw/", "/he/search", "/language/zh_tw", "/language/zh-tw", "/articles/x", "/static/css/site.a1.css",
		"/en//articles", "/en/./x", "/en/../x", "/favicon.ico", "/healthz", "/search/", "/en/Articles/x", "/en/articles/ÉTÉ",
		"/nope/", "/pt-br/categories/account", "/languages", "/en/search"}
	for _, p := range paths {
		if alreadyCanonical(p) && canonicalPath(p) != p {
			t.Errorf("alreadyCanonical(%q) but canonicalPath gives %q", p, canonicalPath(p))
		}
	}
	for _, p := range []string{"/en/", "/zh-tw/articles/log-out", "/en/search", "/healthz"} {
		if !alreadyCanonical(p) {
			t.Errorf("alreadyCanonical(%q) = false for a canonical path", p)
		}
	}
}

// TestClientGoneIsNoServerError: a reader who closes the tab mid-request
// (the request's context is cancelled) is logged as 499, not as a 500
// at Error level.
func TestClientGoneIsNoServerError(t *testing.T) {
	ts, logs := newLoggedServer(t)
	for _, path := range []string{"/en/search?q=backup", "/en/articles/log-out", "/ja/", "POST /en/articles/log-out/feedback"} {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		method, path, ok := strings.Cut(path, " ")
		if !ok {
			method, path = http.MethodGet, method
		}
		req := httptest.NewRequest(method, path, strings.NewReader("helpful=yes")).WithContext(ctx)
		req.Header.Set("Content-Type", formType)
		req.Header.Set("Accept", "text/html")
		req.Header.Set("X-Request-ID", "gone")
		ts.srv.Handler().ServeHTTP(httptest.NewRecorder(), req)
	}
	for _, e := range append(logs.entries("request failed"), logs.entries("error handler: write response")...) {
		t.Errorf("logged as a server error: %v", e)
	}
	for _, e := range logs.entries("request") {
		if s := e["status"].(float64); s >= 500 {
			t.Errorf("%v logged with status %v", e["path"], s)
		}
	}
}
