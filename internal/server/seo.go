package server

import (
	"encoding/xml"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

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

// showSitemap lists every page in every language, each with its
// alternates, the way search engines want hreflang in a sitemap. Article
// URLs appear only for the languages the article is written in.
func (s *Server) showSitemap(c echo.Context) error {
	cat := s.Site().Catalog
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
		return err
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=3600")
	return c.Blob(http.StatusOK, "application/xml; charset=utf-8", append([]byte(xml.Header), out...))
}

// showOpenSearch lets browsers add the site's search. The template URL
// has no language: /search redirects to the reader's own.
func (s *Server) showOpenSearch(c echo.Context) error {
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">`)
	b.WriteString("<ShortName>")
	xml.EscapeText(&b, []byte(truncate(s.cfg.SiteName, 16)))
	b.WriteString("</ShortName><Description>")
	xml.EscapeText(&b, []byte(s.cfg.SiteName))
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
