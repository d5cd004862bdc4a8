package server

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestSearchPage(t *testing.T) {
	ts := newTestServer(t)
	doc := ts.page(t, "/es/search?q="+url.QueryEscape("cerrar sesion"), http.StatusOK)
	results := doc.Find(".results li")
	if results.Length() == 0 {
		t.Fatal("no results for «cerrar sesion»")
	}
	top := results.First()
	if href := top.Find("a.result-title").AttrOr("href", ""); !strings.HasPrefix(href, "/es/articles/") {
		t.Errorf("first result %q", href)
	}
	if doc.Find(".results mark").Length() == 0 {
		t.Error("no highlighted match in the snippets")
	}
	if doc.Find(`.results .snippet[dir="auto"]`).Length() == 0 {
		t.Error("snippets are not direction-isolated")
	}
	if got := doc.Find(`input[name="q"]`).First().AttrOr("value", ""); got != "cerrar sesion" {
		t.Errorf("query not kept in the box: %q", got)
	}
	if doc.Find("h1 bdi").Text() != "cerrar sesion" {
		t.Errorf("query not isolated in the heading: %q", doc.Find("h1").Text())
	}
	if !strings.Contains(doc.Find(`p.meta[role="status"]`).Text(), "resultado") {
		t.Errorf("count = %q", doc.Find(`p.meta[role="status"]`).Text())
	}
}

func TestSearchPagination(t *testing.T) {
	ts := newTestServer(t)
	doc := ts.page(t, "/en/search?q=app", http.StatusOK)
	if n := doc.Find(".results li").Length(); n > perPage {
		t.Errorf("%d results on one page", n)
	}
	next := doc.Find(`.pagination a[rel="next"]`)
	if next.Length() == 0 {
		t.Skip("the library is too small for a second page of «app»")
	}
	page2 := ts.page(t, next.AttrOr("href", ""), http.StatusOK)
	if page2.Find(`.pagination a[rel="prev"]`).Length() != 1 || page2.Find(".results li").Length() == 0 {
		t.Error("second page")
	}
	ts.page(t, "/en/search?q=app&page=99999", http.StatusOK)
	ts.page(t, "/en/search?q=app&page=-3", http.StatusOK)
}

// TestSearchHostileInput: any input gives a page, never a 500, and never
// comes back as markup.
func TestSearchHostileInput(t *testing.T) {
	ts := newTestServer(t)
	inputs := []string{
		`"`, `""`, `*`, `^`, `:`, `-`, `col:x`, `title:log`, `NEAR(a b)`, `a AND`, `OR`, `NOT x`, `(((`, `)`,
		`<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`, "\u202e\u202dreversed", "a\x00b",
		"😀🙈", strings.Repeat("palabra ", 700), "\t\n\r", "%", "'; DROP TABLE votes; --", "\xff\xfe",
	}
	for _, q := range inputs {
		resp := ts.do(t, http.MethodGet, "/en/search?q="+url.QueryEscape(q), nil)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%q: status %d", q, resp.StatusCode)
		}
		if strings.Contains(string(body), "<script>alert") || strings.Contains(string(body), "<img src=x") {
			t.Errorf("%q: reflected markup", q)
		}
	}
	// Raw invalid UTF-8 in the query string.
	resp := ts.do(t, http.MethodGet, "/en/search?q=%ff%fe%fd", nil)
	if resp.StatusCode != 200 {
		t.Errorf("invalid UTF-8: %d", resp.StatusCode)
	}
}

func TestSearchNoResultsCounted(t *testing.T) {
	ts := newTestServer(t)
	for i := 0; i < 3; i++ {
		doc := ts.page(t, "/de/search?q="+url.QueryEscape("Zzyzx  Quabbel"), http.StatusOK)
		if i == 0 {
			if doc.Find(".tips li").Length() != 3 || doc.Find(`a[href="/de/articles/contact-support"]`).Length() == 0 || doc.Find(".article-list li").Length() == 0 {
				t.Error("the no-results page lacks tips, contact or popular articles")
			}
		}
	}
	ts.page(t, "/de/search?q=konto", http.StatusOK) // found: not counted
	deadline := time.Now().Add(5 * time.Second)
	for {
		missed, err := ts.store.MissedSearches(context.Background(), time.Now().Add(-time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if len(missed) == 1 && missed[0].Count == 3 && missed[0].Locale == "de" && missed[0].Query == "zzyzx quabbel" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("missed searches = %+v", missed)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestSearchEmpty(t *testing.T) {
	ts := newTestServer(t)
	doc := ts.page(t, "/ja/search", http.StatusOK)
	if doc.Find(`#q-page`).Length() != 1 {
		t.Error("the empty search page has no search box")
	}
}
