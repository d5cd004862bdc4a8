package server

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"helpcenter/internal/config"
)

// FuzzFeedbackForm posts arbitrary bodies to the feedback handler of the
// real server, as a form, as JSON-wanting script and with other content
// types: never a 5xx, and no value containing markup comes back as is.
func FuzzFeedbackForm(f *testing.F) {
	ts := newTestServer(f, func(c *config.Config) { c.RateLimit = 0 })
	h := ts.srv.Handler()
	// What the pages hold anyway: a value found in them is no echo.
	var baseline strings.Builder
	for _, r := range []*http.Request{
		httptest.NewRequest(http.MethodGet, "/en/articles/log-out", nil),
		httptest.NewRequest(http.MethodPost, "/en/articles/log-out/feedback", strings.NewReader("helpful=maybe")),
		httptest.NewRequest(http.MethodPost, "/en/articles/log-out/feedback", strings.NewReader("helpful=no&reason=x")),
	} {
		r.Header.Set("Accept", "text/html")
		r.Header.Set("Content-Type", formType)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		baseline.WriteString(rec.Body.String())
	}
	pages := baseline.String()
	for _, s := range []struct {
		body, ct string
		json     bool
	}{
		{"helpful=yes", formType, false}, {"helpful=no", formType, true},
		{"helpful=no&reason=unclear&step=reason&comment=" + url.QueryEscape("<b>hi</b>"), formType, false},
		{"helpful=no&reason=policy&step=reason&comment=%E2%80%AE", formType, true},
		{"helpful=yes&reason=unclear", formType, false}, {"helpful=%ff", formType, false}, {"helpful=yes;x=1", formType, false},
		{"comment=" + strings.Repeat("%F0%9F%99%82", 501) + "&helpful=no&reason=unclear&step=reason", formType, true},
		{"--b\r\nContent-Disposition: form-data; name=\"helpful\"\r\n\r\nyes\r\n--b--\r\n", "multipart/form-data; boundary=b", false},
		{`{"helpful":"yes"}`, "application/json", true}, {"helpful=yes", "text/plain", false}, {"", "", false},
	} {
		f.Add(s.body, s.ct, s.json)
	}
	f.Fuzz(func(t *testing.T, body, contentType string, wantJSON bool) {
		req := httptest.NewRequest(http.MethodPost, "/en/articles/log-out/feedback", strings.NewReader(body))
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		req.Header.Set("Accept", "text/html")
		if wantJSON {
			req.Header.Set("Accept", "application/json")
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("status %d for %q (%s)", rec.Code, body, contentType)
		}
		values, _ := url.ParseQuery(body)
		out := rec.Body.String()
		for _, vs := range values {
			for _, v := range vs {
				if v = strings.TrimSpace(v); strings.Contains(v, "<") && strings.Contains(out, v) && !strings.Contains(pages, v) {
					t.Fatalf("value %q came back unescaped (status %d)", v, rec.Code)
				}
			}
		}
	})
}
