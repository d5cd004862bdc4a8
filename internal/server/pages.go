package server

import (
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"helpcenter/internal/content"
	"helpcenter/internal/i18n"
	"helpcenter/web/layout"
	"helpcenter/web/ui"
)

// siteName is HELPCENTER_SITE_NAME as given, or "Help Center" in the
// reader's language when it is not set.
func (s *Server) siteName(loc *i18n.Localizer) string {
	if s.cfg.SiteName != "" {
		return s.cfg.SiteName
	}
	return loc.T("layout.site_name")
}

// layoutPage fills the frame shared by every page. rest is the path after
// the language prefix, used for the picker, canonical and alternates;
// empty for pages that have no address of their own (errors).
func (s *Server) layoutPage(c echo.Context, title, description, rest string) layout.Page {
	loc := i18n.FromContext(c.Request().Context())
	ret := rest
	if ret == "" {
		ret = strings.TrimPrefix(c.Request().URL.Path, "/"+loc.Slug)
		if ret == c.Request().URL.Path || ret == "" {
			ret = "/"
		}
	}
	p := layout.Page{
		Title:       title,
		Description: description,
		SiteName:    s.siteName(loc),
		Rest:        ret,
		CSS:         s.assets.URL("css/site.css"),
		JS:          s.assets.URL("js/site.js"),
		Icon:        s.assets.URL("img/icon.svg"),
		Languages:   make([]layout.Language, len(i18n.All)),
	}
	for i, l := range i18n.All {
		p.Languages[i] = layout.Language{
			Code: l.Code, Native: l.Native, Dir: l.Dir, Current: l.Code == loc.Code,
			Href: "/language/" + l.Slug + "?return=" + url.QueryEscape(ret),
		}
	}
	if rest != "" {
		p.Canonical = s.absURL(loc.Locale, rest)
	}
	return p
}

// absURL is the public URL of a page in a locale.
func (s *Server) absURL(l i18n.Locale, rest string) string {
	return s.cfg.BaseURL + "/" + l.Slug + rest
}

// alternatesAll lists a page that exists in every language.
func (s *Server) alternatesAll(rest string) []layout.Alternate {
	alts := make([]layout.Alternate, 0, len(i18n.All)+1)
	for _, l := range i18n.All {
		alts = append(alts, layout.Alternate{Hreflang: l.Code, Href: s.absURL(l, rest)})
	}
	return append(alts, layout.Alternate{Hreflang: "x-default", Href: s.absURL(i18n.Default, rest)})
}

// articleLink builds a list entry for an article as a reader of loc sees
// it: in their language, or marked as a fallback.
func articleLink(loc *i18n.Localizer, a *content.Article) ui.ArticleLink {
	t, fallback := a.In(loc.Code)
	link := ui.ArticleLink{
		Href:        "/" + loc.Slug + "/articles/" + a.Slug,
		Title:       t.Title,
		Description: t.Description,
	}
	if fallback {
		shown, _ := i18n.Lookup(t.Locale)
		link.Lang, link.Language = shown.Code, shown.Native
	}
	return link
}

// siteOf returns the snapshot the request started with.
func siteOf(c echo.Context) *Site { return c.Get(ctxSite).(*Site) }

// localizerOf returns the request's Localizer.
func localizerOf(c echo.Context) *i18n.Localizer { return c.Get(ctxLocalizer).(*i18n.Localizer) }
