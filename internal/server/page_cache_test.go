package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/labstack/echo/v4"

	"helpcenter/articles"
	"helpcenter/internal/config"
	"helpcenter/locales"
)

// raw GETs path with exactly the given headers (no transparent gzip) and
// returns the response and its body as sent.
func (ts *testServer) raw(t *testing.T, path string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, ts.URL+path, nil)
	req.Header.Set("Accept", "text/html")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

func decode(t *testing.T, enc string, b []byte) []byte {
	t.Helper()
	var r io.Reader
	switch enc {
	case "":
		return b
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	case "br":
		r = brotli.NewReader(bytes.NewReader(b))
	default:
		t.Fatalf("unexpected encoding %q", enc)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestPageCacheHitEqualsMiss: the first request renders, the next ones are
// hits, and every encoding of every answer decodes to the same page.
func TestPageCacheHitEqualsMiss(t *testing.T) {
	ts := newTestServer(t)
	for _, path := range []string{"/en/articles/log-out", "/ar/", "/zh-tw/categories/account", "/ja/languages",
		"/hi/search?q=backup", "/en/articles/log-out?feedback=no", "/en/articles/no-such-article"} {
		t.Run(path, func(t *testing.T) {
			before := ts.srv.pages.Stats()
			miss, missBody := ts.raw(t, path)
			var bodies [][]byte
			for _, ae := range []string{"", "gzip", "br", "gzip, deflate, br", "br;q=0, gzip"} {
				resp, body := ts.raw(t, path, "Accept-Encoding", ae)
				if resp.StatusCode != miss.StatusCode {
					t.Fatalf("status %d, first %d", resp.StatusCode, miss.StatusCode)
				}
				enc := resp.Header.Get("Content-Encoding")
				if want := map[string]string{"": "", "gzip": "gzip", "br": "br", "gzip, deflate, br": "br", "br;q=0, gzip": "gzip"}[ae]; enc != want {
					t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", ae, enc, want)
				}
				if got := resp.Header.Get("Content-Length"); got != fmt.Sprint(len(body)) {
					t.Errorf("Content-Length %s for %d bytes", got, len(body))
				}
				if resp.Header.Get("Content-Security-Policy") == "" || resp.Header.Get("X-Request-Id") == "" {
					t.Error("a cached answer lacks the security headers or the request id")
				}
				bodies = append(bodies, decode(t, enc, body))
			}
			for i, b := range bodies {
				if !bytes.Equal(b, missBody) {
					t.Errorf("answer %d differs from the first render", i)
				}
			}
			after := ts.srv.pages.Stats()
			if after.Misses-before.Misses != 1 || after.Hits-before.Hits != 5 {
				t.Errorf("misses +%d, hits +%d; want +1, +5", after.Misses-before.Misses, after.Hits-before.Hits)
			}
		})
	}
}

// TestPageCacheConditional: each encoding has its own strong ETag, and any
// of them revalidates with a 304 and no body.
func TestPageCacheConditional(t *testing.T) {
	ts := newTestServer(t)
	path := "/en/articles/log-out"
	tags := map[string]bool{}
	for _, ae := range []string{"", "gzip", "br"} {
		resp, _ := ts.raw(t, path, "Accept-Encoding", ae)
		etag := resp.Header.Get("ETag")
		if !strings.HasPrefix(etag, `"`) || tags[etag] {
			t.Fatalf("ETag %q: want a strong tag of its own per encoding", etag)
		}
		tags[etag] = true
		if !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("Vary = %q", resp.Header.Get("Vary"))
		}
		if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "s-maxage=") || !strings.Contains(cc, "stale-while-revalidate=") {
			t.Errorf("Cache-Control = %q", cc)
		}
		resp, body := ts.raw(t, path, "Accept-Encoding", ae, "If-None-Match", etag)
		if resp.StatusCode != http.StatusNotModified || len(body) != 0 || resp.Header.Get("ETag") != etag {
			t.Errorf("If-None-Match %s: %d, %d bytes, ETag %s", etag, resp.StatusCode, len(body), resp.Header.Get("ETag"))
		}
	}
	if resp, _ := ts.raw(t, path, "If-None-Match", `"other"`); resp.StatusCode != http.StatusOK {
		t.Errorf("a stale validator: %d", resp.StatusCode)
	}
	// Pages under a language do not vary by language or cookie.
	resp, _ := ts.raw(t, path)
	if v := resp.Header.Get("Vary"); strings.Contains(v, "Cookie") || strings.Contains(v, "Accept-Language") {
		t.Errorf("Vary = %q", v)
	}
}

// TestPageCacheReload: a new content snapshot is served at once.
func TestPageCacheReload(t *testing.T) {
	ts := newTestServer(t)
	_, before := ts.raw(t, "/en/articles/log-out")
	if !bytes.Contains(before, []byte("Log out of the app")) {
		t.Fatal("unexpected article title")
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, articles.FS); err != nil {
		t.Fatal(err)
	}
	en := filepath.Join(dir, "log-out", "en.md")
	data, _ := os.ReadFile(en)
	os.WriteFile(en, bytes.Replace(data, []byte("title: Log out of the app"), []byte("title: Sign out everywhere"), 1), 0o644)
	site, err := LoadSite(locales.FS, os.DirFS(dir), ts.srv.log)
	if err != nil {
		t.Fatal(err)
	}
	ts.srv.SetSite(site)
	t.Cleanup(func() { ts.srv.SetSite(sharedSite) })
	_, after := ts.raw(t, "/en/articles/log-out")
	if !bytes.Contains(after, []byte("Sign out everywhere")) {
		t.Error("the reloaded article is not served at once")
	}
}

// TestPageCacheNeverSharesReaderPages: a response that sets a cookie or
// says private is sent to its reader and never to the next one; a
// feedback error shown to one reader is not in the page another gets.
func TestPageCacheNeverSharesReaderPages(t *testing.T) {
	ts := newTestServer(t)
	var renders atomic.Int32
	ts.srv.echo.GET("/:lang/test-reader", ts.srv.cached(plainPage, ts.srv.withLocale(func(c echo.Context) error {
		renders.Add(1)
		ck, _ := c.Cookie("who")
		who := "nobody"
		if ck != nil {
			who = ck.Value
		}
		c.SetCookie(&http.Cookie{Name: "seen", Value: who})
		return c.HTML(http.StatusOK, "<p>hello "+who+"</p>")
	})))
	_, a := ts.raw(t, "/en/test-reader", "Cookie", "who=alice")
	_, b := ts.raw(t, "/en/test-reader", "Cookie", "who=bob")
	if !bytes.Contains(a, []byte("alice")) || !bytes.Contains(b, []byte("bob")) || renders.Load() != 2 {
		t.Errorf("reader pages shared: %q, %q, %d renders", a, b, renders.Load())
	}

	// Reader one sends a comment that is too long: the error is theirs.
	resp := ts.do(t, http.MethodPost, "/en/articles/log-out/feedback",
		form("helpful", "no", "step", "reason", "reason", "unclear", "comment", strings.Repeat("x", 600)),
		"Content-Type", "application/x-www-form-urlencoded", "Cookie", "hc_reader=one")
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("long comment: %d", resp.StatusCode)
	}
	errorText, _ := io.ReadAll(resp.Body)
	_, page := ts.raw(t, "/en/articles/log-out?feedback=no", "Cookie", "hc_reader=two")
	if bytes.Contains(page, []byte(`class="field-error"`)) || !bytes.Contains(errorText, []byte(`class="field-error"`)) {
		t.Error("one reader's form error reached another reader's page")
	}
}

// TestPageCacheSingleRender: concurrent misses of one page render it once.
func TestPageCacheSingleRender(t *testing.T) {
	ts := newTestServer(t)
	var renders atomic.Int32
	ts.srv.echo.GET("/:lang/test-slow", ts.srv.cached(plainPage, ts.srv.withLocale(func(c echo.Context) error {
		renders.Add(1)
		time.Sleep(200 * time.Millisecond)
		return c.HTML(http.StatusOK, "<p>slow</p>")
	})))
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if resp, body := ts.raw(t, "/en/test-slow"); resp.StatusCode != http.StatusOK || string(body) != "<p>slow</p>" {
				t.Errorf("%d %q", resp.StatusCode, body)
			}
		}()
	}
	wg.Wait()
	if n := renders.Load(); n != 1 {
		t.Errorf("%d renders for 20 concurrent misses", n)
	}
}

// TestPageCacheBounded: many distinct searches never take the cache past
// its byte bound, and popular pages stay served.
func TestPageCacheBounded(t *testing.T) {
	const bound = 512 << 10
	ts := newTestServer(t, func(c *config.Config) { c.PageCache = bound })
	for i := range 300 {
		if resp, _ := ts.raw(t, fmt.Sprintf("/en/search?q=word%d", i)); resp.StatusCode != http.StatusOK {
			t.Fatalf("search %d: %d", i, resp.StatusCode)
		}
	}
	st := ts.srv.pages.Stats()
	if st.Bytes > bound {
		t.Errorf("cache holds %d bytes, bound %d", st.Bytes, bound)
	}
	if st.Entries == 0 || st.Entries >= 300 {
		t.Errorf("%d entries after 300 distinct searches under a %d-byte bound", st.Entries, bound)
	}
	t.Logf("%d entries, %d bytes", st.Entries, st.Bytes)
}

// TestPageCacheOff: HELPCENTER_PAGE_CACHE=0 renders every time, with the
// same answers.
func TestPageCacheOff(t *testing.T) {
	ts := newTestServer(t, func(c *config.Config) { c.PageCache = 0 })
	_, a := ts.raw(t, "/en/articles/log-out", "Accept-Encoding", "gzip")
	_, b := ts.raw(t, "/en/articles/log-out", "Accept-Encoding", "gzip")
	if !bytes.Equal(decode(t, "gzip", a), decode(t, "gzip", b)) {
		t.Error("uncached renders differ")
	}
	if st := ts.srv.pages.Stats(); st.Hits != 0 || st.Entries != 0 {
		t.Errorf("a disabled cache holds pages: %+v", st)
	}
}

// TestPageCacheCountsMissedSearches: a search that found nothing is
// counted on every request, cached or not.
func TestPageCacheCountsMissedSearches(t *testing.T) {
	ts := newTestServer(t)
	for range 3 {
		ts.raw(t, "/en/search?q=qqqzzzxx")
	}
	ts.srv.Wait()
	deadline := time.Now().Add(5 * time.Second)
	for {
		missed, err := ts.store.MissedSearches(context.Background(), time.Now().Add(-time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if len(missed) == 1 && missed[0].Count == 3 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("missed searches = %+v, want qqqzzzxx counted 3 times", missed)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestClassifyMatchesRoutes: the fast path's idea of each cached route
// is the router's.
func TestClassifyMatchesRoutes(t *testing.T) {
	for path, want := range map[string]pageKind{
		"/en/": homePage, "/zh-tw/articles/log-out": articlePage, "/ar/categories/account": plainPage,
		"/ja/search": searchPage, "/hi/languages": plainPage,
		"/en": notCached, "/xx/": notCached, "/EN/": notCached, "/en/articles/": notCached, "/en/articles/a/b": notCached,
		"/en/articles/log-out/feedback": notCached, "/en/contact": notCached, "/healthz": notCached, "/static/x.css": notCached,
	} {
		kind, route := classify(path)
		if kind != want {
			t.Errorf("classify(%q) = %d, want %d", path, kind, want)
		}
		if kind != notCached && !cachedRoutes[route] {
			t.Errorf("classify(%q) names route %q, not a cached route", path, route)
		}
	}
}

// TestFastPathSameAsEcho: a hit answered before echo carries what echo's
// answer carries.
func TestFastPathSameAsEcho(t *testing.T) {
	ts := newTestServer(t)
	first, _ := ts.raw(t, "/en/articles/log-out", "Accept-Encoding", "br")
	hit, _ := ts.raw(t, "/en/articles/log-out", "Accept-Encoding", "br")
	for _, h := range []string{"Content-Type", "Content-Encoding", "Content-Length", "Etag", "Cache-Control", "Vary",
		"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options", "Cross-Origin-Opener-Policy"} {
		if first.Header.Get(h) != hit.Header.Get(h) {
			t.Errorf("%s: render %q, hit %q", h, first.Header.Get(h), hit.Header.Get(h))
		}
	}
	if first.Header.Get("X-Request-Id") == "" || hit.Header.Get("X-Request-Id") == first.Header.Get("X-Request-Id") {
		t.Error("request IDs missing or repeated")
	}
}
