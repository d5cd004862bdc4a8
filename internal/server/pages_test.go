package server

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"helpcenter/internal/i18n"
)

// TestEveryLocale serves home, the languages page and an article in all
// 59 locales: right lang and dir, the picker with 59 native names in the
// table's order, the current one marked, and hreflang alternates.
func TestEveryLocale(t *testing.T) {
	ts := newTestServer(t)
	for _, l := range i18n.All {
		t.Run(l.Code, func(t *testing.T) {
			for _, path := range []string{"/", "/languages", "/articles/log-out", "/articles/backup-restore", "/categories/account"} {
				doc := ts.page(t, "/"+l.Slug+path, http.StatusOK)
				html := doc.Find("html")
				if got, _ := html.Attr("lang"); got != l.Code {
					t.Errorf("%s: lang=%q", path, got)
				}
				if got, _ := html.Attr("dir"); got != l.Dir {
					t.Errorf("%s: dir=%q", path, got)
				}
				picker := doc.Find(".lang-menu li a")
				if picker.Length() != 59 {
					t.Fatalf("%s: picker has %d entries", path, picker.Length())
				}
				picker.Each(func(i int, a *goquery.Selection) {
					want := i18n.All[i]
					if a.Text() != want.Native || a.AttrOr("lang", "") != want.Code || a.AttrOr("hreflang", "") != want.Code {
						t.Errorf("%s: picker entry %d = %q lang=%s", path, i, a.Text(), a.AttrOr("lang", ""))
					}
					_, current := a.Attr("aria-current")
					if current != (want.Code == l.Code) {
						t.Errorf("%s: aria-current on %s is %v", path, want.Code, current)
					}
				})
				if doc.Find(`link[rel="canonical"]`).Length() != 1 {
					t.Errorf("%s: no canonical link", path)
				}
				if doc.Find(`link[rel="alternate"][hreflang="x-default"]`).Length() != 1 {
					t.Errorf("%s: no x-default alternate", path)
				}
				if strings.TrimSpace(doc.Find("title").Text()) == "" || doc.Find(`meta[name="description"]`).AttrOr("content", "") == "" {
					t.Errorf("%s: empty title or description", path)
				}
				if doc.Find("main#main").Length() != 1 || doc.Find("header.site-header").Length() != 1 || doc.Find("footer").Length() != 1 {
					t.Errorf("%s: missing landmarks", path)
				}
			}
		})
	}
}

func TestHome(t *testing.T) {
	ts := newTestServer(t)
	doc := ts.page(t, "/en/", http.StatusOK)
	if got := doc.Find("h1").Text(); got != "How can we help?" {
		t.Errorf("h1 = %q", got)
	}
	quick := doc.Find(".quick-links a")
	if quick.Length() != 2 || quick.First().AttrOr("href", "") != "/en/articles/request-account-info" ||
		quick.Last().AttrOr("href", "") != "/en/articles/log-out" {
		t.Errorf("quick links: %d", quick.Length())
	}
	if n := doc.Find(".categories li").Length(); n < 5 {
		t.Errorf("%d categories", n)
	}
	if doc.Find(`form[role="search"] input[name="q"]`).Length() < 2 {
		t.Error("search boxes missing")
	}
	if n := doc.Find(`link[rel="alternate"][hreflang]`).Length(); n != 60 {
		t.Errorf("%d alternates, want 59 + x-default", n)
	}
	if got := doc.Find(`link[rel="canonical"]`).AttrOr("href", ""); got != ts.URL+"/en/" {
		t.Errorf("canonical = %q", got)
	}
}

func TestArticle(t *testing.T) {
	ts := newTestServer(t)
	for _, tt := range []struct{ lang, title string }{
		{"en", ""},
		{"zh-tw", ""},
	} {
		doc := ts.page(t, "/"+tt.lang+"/articles/request-account-info", http.StatusOK)
		crumbs := doc.Find(".breadcrumbs li a")
		if crumbs.Length() != 3 || crumbs.Last().AttrOr("aria-current", "") != "page" {
			t.Errorf("%s: breadcrumbs %d", tt.lang, crumbs.Length())
		}
		if crumbs.Eq(1).AttrOr("href", "") != "/"+tt.lang+"/categories/account" {
			t.Errorf("%s: category crumb %q", tt.lang, crumbs.Eq(1).AttrOr("href", ""))
		}
		art := doc.Find("article")
		if art.Length() != 1 || art.Find("h1").Text() == "" {
			t.Fatalf("%s: no article with a title", tt.lang)
		}
		if _, fb := art.Attr("lang"); fb {
			t.Errorf("%s: a translated article is marked as another language", tt.lang)
		}
		if doc.Find(".notice").Length() != 0 {
			t.Errorf("%s: fallback notice on a translated article", tt.lang)
		}
		if doc.Find("time[datetime]").Length() != 1 {
			t.Errorf("%s: no last-updated date", tt.lang)
		}
		if n := doc.Find(".related li a").Length(); n < 2 {
			t.Errorf("%s: %d related links", tt.lang, n)
		}
		tabs := doc.Find(".platform-tabs a")
		if tabs.Length() < 3 {
			t.Errorf("%s: %d platform links", tt.lang, tabs.Length())
		}
		// Without script every platform's steps are reachable by a link.
		tabs.Each(func(_ int, a *goquery.Selection) {
			id := strings.TrimPrefix(a.AttrOr("href", ""), "#")
			if doc.Find(`section[id="`+id+`"]`).Length() != 1 {
				t.Errorf("%s: tab %s leads nowhere", tt.lang, id)
			}
		})
		if doc.Find("#feedback form").Length() != 2 {
			t.Errorf("%s: feedback widget missing", tt.lang)
		}
	}
	zh := ts.page(t, "/zh-tw/articles/log-out", http.StatusOK)
	if !strings.Contains(zh.Find("time").Text(), "年") {
		t.Errorf("zh-TW date = %q", zh.Find("time").Text())
	}
}

func TestNotFound(t *testing.T) {
	ts := newTestServer(t)
	for _, path := range []string{"/en/articles/no-such-thing", "/en/categories/nope", "/xx/", "/xx/articles/log-out", "/en/nowhere", "/nowhere"} {
		doc := ts.page(t, path, http.StatusNotFound)
		if doc.Find("h1").Length() != 1 || doc.Find(`form[role="search"]`).Length() == 0 {
			t.Errorf("%s: not the error page", path)
		}
	}
	doc := ts.page(t, "/ar/articles/no-such-thing", http.StatusNotFound)
	if doc.Find("html").AttrOr("dir", "") != "rtl" || doc.Find("h1").Text() == "Page not found" {
		t.Errorf("Arabic 404 is not localized: %q", doc.Find("h1").Text())
	}
	// Non-HTML clients get plain text.
	resp := ts.do(t, http.MethodGet, "/de/articles/nope", nil, "Accept", "*/*")
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 404 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") || strings.Contains(string(body), "<") {
		t.Errorf("plain 404: %d %s %q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
}

func TestHead(t *testing.T) {
	ts := newTestServer(t)
	for _, path := range []string{"/en/", "/en/articles/log-out", "/en/categories/account", "/en/languages", "/en/search?q=x", "/healthz", "/readyz", "/robots.txt", "/sitemap.xml", "/opensearch.xml", ts.srv.assets.URL("css/site.css")} {
		resp := ts.do(t, http.MethodHead, path, nil)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || len(body) != 0 {
			t.Errorf("HEAD %s: %d, %d bytes", path, resp.StatusCode, len(body))
		}
	}
}

func TestRedirects(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct {
		path, acceptLanguage, cookie string
		status                       int
		location                     string
	}{
		{"/", "", "", 302, "/en/"},
		{"/", "ar-EG,ar;q=0.9", "", 302, "/ar/"},
		{"/", "zh-HK", "", 302, "/zh-tw/"},
		{"/", "fr", "hc_lang=pt-BR", 302, "/pt-br/"},
		{"/articles/log-out", "de", "", 302, "/de/articles/log-out"},
		{"/search?q=backup", "ja", "", 302, "/ja/search?q=backup"},
		{"/EN/", "", "", 301, "/en/"},
		{"/en", "", "", 301, "/en/"},
		{"/zh_TW/articles/log-out", "", "", 301, "/zh-tw/articles/log-out"},
		{"/PT-br/Articles/Log-Out", "", "", 301, "/pt-br/articles/log-out"},
		{"/en/articles/log-out/", "", "", 301, "/en/articles/log-out"},
		{"/en//articles//log-out", "", "", 301, "/en/articles/log-out"},
		{"/EN/search?q=Mixed+Case", "", "", 301, "/en/search?q=Mixed+Case"},
		{"/EN/articles/a%3Fb%0d%0a", "", "", 301, "/en/articles/a%3Fb%0D%0A"},
		{"/articles/a%3Fb", "fr", "", 302, "/fr/articles/a%3Fb"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			h := []string{"Accept-Language", tt.acceptLanguage}
			if tt.cookie != "" {
				h = append(h, "Cookie", tt.cookie)
			}
			resp := ts.do(t, http.MethodGet, tt.path, nil, h...)
			if resp.StatusCode != tt.status || resp.Header.Get("Location") != tt.location {
				t.Errorf("%d %q, want %d %q", resp.StatusCode, resp.Header.Get("Location"), tt.status, tt.location)
			}
			if vary := strings.Join(resp.Header.Values("Vary"), ", "); tt.status == 302 && !strings.Contains(vary, "Accept-Language, Cookie") {
				t.Errorf("Vary = %q", vary)
			}
		})
	}
	resp := ts.do(t, http.MethodGet, "/en/", nil)
	if strings.Contains(resp.Header.Get("Vary"), "Accept-Language") {
		t.Error("a page under a language prefix varies by Accept-Language")
	}
}

// TestLanguagePicker follows every picker link of an article and of a
// search: each leads, through the chooser, to a 200 page of the same kind
// in that language, and sets the cookie.
func TestLanguagePicker(t *testing.T) {
	ts := newTestServer(t)
	for _, from := range []string{"/en/articles/backup-restore", "/en/search?q=backup", "/en/categories/chats"} {
		doc := ts.page(t, from, http.StatusOK)
		doc.Find(".lang-menu li a").Each(func(_ int, a *goquery.Selection) {
			client := newJarClient(t)
			href := a.AttrOr("href", "")
			resp, err := client.Get(ts.URL + href)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			loc := resp.Header.Get("Location")
			want := "/" + strings.ToLower(a.AttrOr("lang", "")) + strings.TrimPrefix(from, "/en")
			if resp.StatusCode != http.StatusSeeOther || loc != want {
				t.Errorf("%s: %d → %q, want %q", href, resp.StatusCode, loc, want)
				return
			}
			if !strings.Contains(resp.Header.Get("Set-Cookie"), "hc_lang="+a.AttrOr("lang", "")) {
				t.Errorf("%s: no language cookie", href)
			}
			page, err := client.Get(ts.URL + loc)
			if err != nil {
				t.Fatal(err)
			}
			page.Body.Close()
			if page.StatusCode != http.StatusOK {
				t.Errorf("%s: %d", loc, page.StatusCode)
			}
		})
	}
	// The return path cannot lead off the site.
	for _, bad := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"} {
		resp := ts.do(t, http.MethodGet, "/language/fr?return="+strings.ReplaceAll(bad, "/", "%2F"), nil)
		if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/fr/") || strings.Contains(loc, "evil") {
			t.Errorf("return=%q redirects to %q", bad, loc)
		}
	}
	if resp := ts.do(t, http.MethodGet, "/language/xx?return=/", nil); resp.StatusCode != 404 {
		t.Errorf("unknown language: %d", resp.StatusCode)
	}
}

func TestSecurityHeaders(t *testing.T) {
	ts := newTestServer(t)
	resp := ts.do(t, http.MethodGet, "/en/", nil)
	for h, want := range map[string]string{
		"Content-Security-Policy": "frame-ancestors 'none'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "strict-origin-when-cross-origin",
	} {
		if !strings.Contains(resp.Header.Get(h), want) {
			t.Errorf("%s = %q", h, resp.Header.Get(h))
		}
	}
	if strings.Contains(resp.Header.Get("Content-Security-Policy"), "unsafe-inline") {
		t.Error("CSP allows inline code")
	}
	body, _ := io.ReadAll(resp.Body)
	if strings.Contains(string(body), "<script>") || strings.Contains(string(body), " style=\"") {
		t.Error("inline script or style in the page")
	}
}

func TestCrossSitePostRefused(t *testing.T) {
	ts := newTestServer(t)
	resp := ts.do(t, http.MethodPost, "/fr/articles/log-out/feedback", form("helpful", "yes"),
		"Content-Type", "application/x-www-form-urlencoded", "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("status %d", resp.StatusCode)
	}
	doc, _ := goquery.NewDocumentFromReader(resp.Body)
	if doc.Find("html").AttrOr("lang", "") != "fr" || doc.Find("h1").Text() == "Request refused" {
		t.Errorf("403 not localized: %q", doc.Find("h1").Text())
	}
	if n := countVotes(t, ts); n != 0 {
		t.Errorf("%d votes stored", n)
	}
}

// TestSameOriginBehindProxy: a proxy that rewrites Host must not turn a
// same-site vote from a browser without Sec-Fetch-Site into a 403.
func TestSameOriginBehindProxy(t *testing.T) {
	ts := newTestServer(t)
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/en/articles/log-out/feedback", form("helpful", "yes"))
	req.Host = "backend.internal:8080"
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", ts.URL)
	resp, err := noRedirect().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("status %d", resp.StatusCode)
	}
}

func TestStaticAssets(t *testing.T) {
	ts := newTestServer(t)
	u := ts.srv.assets.URL("css/site.css")
	for _, enc := range []string{"br", "gzip", ""} {
		resp := ts.do(t, http.MethodGet, u, nil, "Accept-Encoding", enc)
		if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" ||
			resp.Header.Get("Content-Encoding") != enc || resp.Header.Get("ETag") == "" || resp.Header.Get("Content-Length") == "" {
			t.Errorf("%q: %d %v", enc, resp.StatusCode, resp.Header)
		}
		again := ts.do(t, http.MethodGet, u, nil, "Accept-Encoding", enc, "If-None-Match", resp.Header.Get("ETag"))
		if again.StatusCode != http.StatusNotModified {
			t.Errorf("%q revalidation: %d", enc, again.StatusCode)
		}
	}
	if resp := ts.do(t, http.MethodGet, "/static/css/site.css", nil); resp.StatusCode != 404 {
		t.Errorf("unhashed asset: %d", resp.StatusCode)
	}
}

func TestPageETag(t *testing.T) {
	ts := newTestServer(t)
	resp := ts.do(t, http.MethodGet, "/en/articles/log-out", nil)
	etag := resp.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	if again := ts.do(t, http.MethodGet, "/en/articles/log-out", nil, "If-None-Match", etag); again.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation: %d", again.StatusCode)
	}
}

func TestCrawlerFiles(t *testing.T) {
	ts := newTestServer(t)
	body := func(path string) string {
		resp := ts.do(t, http.MethodGet, path, nil)
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d", path, resp.StatusCode)
		}
		return string(b)
	}
	if !strings.Contains(body("/robots.txt"), "Sitemap: "+ts.URL+"/sitemap.xml") {
		t.Error("robots.txt does not name the sitemap")
	}
	sm := body("/sitemap.xml")
	for _, want := range []string{"<loc>" + ts.URL + "/ar/articles/log-out</loc>", `hreflang="x-default"`, `xmlns:xhtml="http://www.w3.org/1999/xhtml"`} {
		if !strings.Contains(sm, want) {
			t.Errorf("sitemap lacks %s", want)
		}
	}
	if !strings.Contains(body("/opensearch.xml"), "/search?q={searchTerms}") {
		t.Error("opensearch template")
	}
	if body("/healthz") != "ok\n" || body("/readyz") != "ready\n" {
		t.Error("health endpoints")
	}
}
