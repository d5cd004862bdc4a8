package server

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"helpcenter/internal/content"
	"helpcenter/internal/i18n"
)

func (s *Server) showRobots(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "public, max-age=3600")
	body := "User-agent: *\nDisallow: /language/\nAllow: /\n\nSitemap: " + s.cfg.BaseURL + "/sitemap.xml\n"
	return c.String(http.StatusOK, body)
}

type sitemapURL struct {
	Loc   string        `xml:"loc"`
	Links []sitemapLink `xml:"xhtml:link"`
}

type sitemapLink struct {
	Rel      string `xml:"rel,attr"`
	Hreflang string `xml:"hreflang,attr"`
	Href     string `xml:"href,attr"`
}

// showSitemap serves the current snapshot's sitemap, gzipped when the
// client accepts it.
func (s *Server) showSitemap(c echo.Context) error {
	sm, err := s.sitemapFor(s.Site())
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "public, max-age=3600")
	h.Add("Vary", "Accept-Encoding")
	if strings.Contains(c.Request().Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		return c.Blob(http.StatusOK, "application/xml; charset=utf-8", sm.gzip)
	}
	return c.Blob(http.StatusOK, "application/xml; charset=utf-8", sm.xml)
}

// sitemapCache is the sitemap of one content snapshot, a few megabytes:
// built on the first request after a (re)load, kept with its gzip form.
type sitemapCache struct {
	site      *Site
	xml, gzip []byte
}

func (s *Server) sitemapFor(site *Site) (*sitemapCache, error) {
	s.sitemapMu.Lock()
	defer s.sitemapMu.Unlock()
	if s.sitemap != nil && s.sitemap.site == site {
		return s.sitemap, nil
	}
	raw, err := s.buildSitemap(site.Catalog)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(raw)
	zw.Close()
	s.sitemap = &sitemapCache{site: site, xml: raw, gzip: b.Bytes()}
	return s.sitemap, nil
}

// buildSitemap lists every page in every language, each with its
// alternates, the way search engines want hreflang in a sitemap. Article
// URLs appear only for the languages the article is written in.
func (s *Server) buildSitemap(cat *content.Catalog) ([]byte, error) {
	type group struct {
		rest    string
		locales []i18n.Locale
	}
	var groups []group
	all := group{locales: i18n.All}
	for _, rest := range []string{"/", "/languages"} {
		all.rest = rest
		groups = append(groups, all)
	}
	for _, c := range cat.Categories {
		all.rest = "/categories/" + c.Slug
		groups = append(groups, all)
	}
	for _, a := range cat.Articles {
		g := group{rest: "/articles/" + a.Slug}
		for _, code := range a.Locales() {
			g.locales = append(g.locales, i18n.MustLookup(code))
		}
		groups = append(groups, g)
	}
	var urls []sitemapURL
	for _, g := range groups {
		links := make([]sitemapLink, 0, len(g.locales)+1)
		for _, l := range g.locales {
			links = append(links, sitemapLink{Rel: "alternate", Hreflang: l.Code, Href: s.absURL(l, g.rest)})
		}
		links = append(links, sitemapLink{Rel: "alternate", Hreflang: "x-default", Href: s.absURL(i18n.Default, g.rest)})
		for _, l := range g.locales {
			urls = append(urls, sitemapURL{Loc: s.absURL(l, g.rest), Links: links})
		}
	}
	doc := struct {
		XMLName xml.Name     `xml:"urlset"`
		NS      string       `xml:"xmlns,attr"`
		XHTML   string       `xml:"xmlns:xhtml,attr"`
		URLs    []sitemapURL `xml:"url"`
	}{NS: "http://www.sitemaps.org/schemas/sitemap/0.9", XHTML: "http://www.w3.org/1999/xhtml", URLs: urls}
	out, err := xml.Marshal(doc)
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), out...), nil
}

// showOpenSearch lets browsers add the site's search, named in the
// language of the page that links it (?lang=). The template URL has no
// language: /search redirects to the reader's own.
func (s *Server) showOpenSearch(c echo.Context) error {
	loc, ok := i18n.Lookup(c.QueryParam("lang"))
	if !ok {
		loc = i18n.Default
	}
	name := s.siteName(s.Site().Bundle.For(loc.Code))
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">`)
	b.WriteString("<ShortName>")
	xml.EscapeText(&b, []byte(truncate(name, 16)))
	b.WriteString("</ShortName><Description>")
	xml.EscapeText(&b, []byte(name))
	b.WriteString("</Description><InputEncoding>UTF-8</InputEncoding>")
	b.WriteString(`<Image height="16" width="16" type="image/svg+xml">`)
	xml.EscapeText(&b, []byte(s.cfg.BaseURL+s.assets.URL("img/icon.svg")))
	b.WriteString(`</Image><Url type="text/html" method="get" template="`)
	xml.EscapeText(&b, []byte(s.cfg.BaseURL+"/search?q={searchTerms}"))
	b.WriteString(`"/></OpenSearchDescription>`)
	c.Response().Header().Set("Cache-Control", "public, max-age=86400")
	return c.Blob(http.StatusOK, "application/opensearchdescription+xml; charset=utf-8", []byte(b.String()))
}

// showFavicon answers the browsers that ask for /favicon.ico whatever the
// page says, with the site icon.
func (s *Server) showFavicon(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "public, max-age=86400")
	return c.Redirect(http.StatusMovedPermanently, s.assets.URL("img/icon.svg"))
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
