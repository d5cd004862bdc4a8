package server

import (
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"helpcenter/internal/config"
	"helpcenter/locales"
)

// newFixtureServer serves testdata/library instead of the real articles:
// a library with an article left untranslated on purpose (keep-chats,
// English only), one translated and current (sign-out in Ukrainian) and
// one translated from an older English (sign-out in French). The real
// library has every article in every language, so the fallback and
// freshness paths are tested here.
func newFixtureServer(t *testing.T, mutate ...func(*config.Config)) *testServer {
	t.Helper()
	site, err := LoadSite(locales.FS, os.DirFS("testdata/library/articles"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, mutate...)
	ts.srv.site.Store(site)
	return ts
}

// TestFallbackArticle serves an article at the reader's URL in another
// language, with a notice in the reader's language.
func TestFallbackArticle(t *testing.T) {
	ts := newFixtureServer(t)
	a, err := ts.srv.Site().Catalog.Article("keep-chats")
	if err != nil {
		t.Fatal(err)
	}
	doc := ts.page(t, "/uk/articles/keep-chats", http.StatusOK)
	if got := doc.Find("html").AttrOr("lang", ""); got != "uk" {
		t.Errorf("page lang = %q", got)
	}
	if got := doc.Find("article").AttrOr("lang", ""); got != "en" {
		t.Errorf("article lang = %q, want en (Ukrainian never falls back to Russian)", got)
	}
	notice := doc.Find(".notice")
	if notice.Length() != 1 || notice.AttrOr("lang", "") != "uk" || !strings.Contains(notice.Text(), "English") {
		t.Errorf("notice = %q", notice.Text())
	}
	if got := doc.Find(`link[rel="canonical"]`).AttrOr("href", ""); got != ts.URL+"/en/articles/keep-chats" {
		t.Errorf("canonical = %q", got)
	}
	doc.Find(`link[rel="alternate"][hreflang]`).Each(func(_ int, s *goquery.Selection) {
		if h := s.AttrOr("hreflang", ""); h != "x-default" && !a.Has(h) {
			t.Errorf("hreflang %s is not a translation", h)
		}
	})
	// Links between articles lead to the reader's language, not the shown one.
	links := doc.Find(`.article-body a[href^="/"]`)
	if links.Length() != 1 || links.AttrOr("href", "") != "/uk/articles/sign-out" {
		t.Errorf("article link = %q, want /uk/articles/sign-out", links.AttrOr("href", ""))
	}
	// Categories list translated articles first, fallbacks marked.
	cat := ts.page(t, "/uk/categories/account", http.StatusOK)
	var marks []bool
	cat.Find(".article-list li").Each(func(_ int, li *goquery.Selection) {
		marks = append(marks, li.Find(".badge").Length() == 1)
	})
	if len(marks) != 2 || marks[0] || !marks[1] {
		t.Errorf("category list fallback marks = %v, want [false true]", marks)
	}
}

// TestSearchFallbackResults: an article not translated to Ukrainian is
// found through English, after the Ukrainian ones, and marked.
func TestSearchFallbackResults(t *testing.T) {
	ts := newFixtureServer(t)
	doc := ts.page(t, "/uk/search?q=backup", http.StatusOK)
	if doc.Find(".results li .badge").Length() == 0 {
		t.Fatal("no fallback result for backup in Ukrainian")
	}
	if doc.Find(`.results a.result-title[lang="en"]`).Length() == 0 {
		t.Error("fallback results lack lang=en")
	}
}

// TestEnglishNewer: a translation made from an older English says so in
// the reader's language and links to the English article; a current one
// does not.
func TestEnglishNewer(t *testing.T) {
	ts := newFixtureServer(t)
	fr := ts.page(t, "/fr/articles/sign-out", http.StatusOK)
	link := fr.Find(`.notice a[hreflang="en"]`)
	if link.AttrOr("href", "") != "/en/articles/sign-out" || !strings.Contains(link.Text(), "anglais") {
		t.Errorf("English-newer link = %q %q", link.AttrOr("href", ""), link.Text())
	}
	uk := ts.page(t, "/uk/articles/sign-out", http.StatusOK)
	if n := uk.Find(".notice").Length(); n != 0 {
		t.Errorf("current translation shows %d notices", n)
	}
}

// TestSiteName: without HELPCENTER_SITE_NAME the header, title and
// OpenSearch name the site in the reader's language; with it, as given.
func TestSiteName(t *testing.T) {
	ts := newTestServer(t)
	de := ts.page(t, "/de/", http.StatusOK)
	if got := strings.TrimSpace(de.Find("header .site-name span").Text()); got != "Hilfecenter" {
		t.Errorf("de header = %q", got)
	}
	if got := de.Find("title").Text(); got != "Hilfecenter" {
		t.Errorf("de title = %q", got)
	}
	osd := de.Find(`link[rel="search"]`)
	if osd.AttrOr("title", "") != "Hilfecenter" || osd.AttrOr("href", "") != "/opensearch.xml?lang=de" {
		t.Errorf("opensearch link = %q %q", osd.AttrOr("title", ""), osd.AttrOr("href", ""))
	}
	if body := ts.body(t, "/opensearch.xml?lang=ja"); !strings.Contains(body, "<ShortName>ヘルプセンター</ShortName>") {
		t.Errorf("ja opensearch: %s", body)
	}
	art := ts.page(t, "/ja/articles/log-out", http.StatusOK)
	if got := art.Find("title").Text(); !strings.HasSuffix(got, " | ヘルプセンター") {
		t.Errorf("ja article title = %q", got)
	}

	named := newTestServer(t, func(c *config.Config) { c.SiteName = "Example Help" })
	for _, path := range []string{"/de/", "/ja/articles/log-out"} {
		if got := named.page(t, path, http.StatusOK).Find("title").Text(); !strings.Contains(got, "Example Help") {
			t.Errorf("%s title = %q, want the configured name", path, got)
		}
	}
	if body := named.body(t, "/opensearch.xml?lang=de"); !strings.Contains(body, "<ShortName>Example Help</ShortName>") {
		t.Errorf("configured opensearch: %s", body)
	}
}

// body GETs a path and returns its body as text.
func (ts *testServer) body(t *testing.T, path string) string {
	t.Helper()
	b, err := io.ReadAll(ts.do(t, http.MethodGet, path, nil).Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
