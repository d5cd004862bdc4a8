package server

import (
	"github.com/labstack/echo/v4"

	"helpcenter/internal/admin"
	"helpcenter/internal/assets"
	"helpcenter/internal/content"
	"helpcenter/internal/i18n"
)

// routes is the whole URL space of the site, in one place.
func (s *Server) routes(e *echo.Echo) {
	// Operations
	get(e, "/healthz", s.showHealth)
	get(e, "/readyz", s.showReady)

	// Assets and files for browsers and crawlers
	get(e, assets.Prefix+"*", echo.WrapHandler(s.assets))
	get(e, "/favicon.ico", s.showFavicon)
	get(e, "/robots.txt", s.showRobots)
	get(e, "/sitemap.xml", s.showSitemap)
	get(e, "/opensearch.xml", s.showOpenSearch)

	// Paths without a language: send the reader to their language
	get(e, "/", s.redirectToLanguage)
	get(e, "/articles/:slug", s.redirectToLanguage)
	get(e, "/categories/:slug", s.redirectToLanguage)
	get(e, "/search", s.redirectToLanguage)
	get(e, "/languages", s.redirectToLanguage)
	get(e, "/contact", s.redirectToLanguage)
	get(e, "/language/:code", s.chooseLanguage)

	// Reader pages, under /{lang}. withLocale goes on each route, not on
	// the group: a group's middleware makes echo route every unknown
	// path and method to the group's 404, so PUT /healthz would be a
	// 404 instead of a 405.
	g := e.Group("/:lang")
	// Pages that are the same for every reader go through the page cache
	// (page_cache.go), keyed by what each depends on; keep cachedRoutes
	// and classify in step.
	get(g, "/", s.cached(homePage, s.withLocale(s.showHome)))
	get(g, "/categories/:slug", s.cached(plainPage, s.withLocale(s.showCategory)))
	get(g, "/articles/:slug", s.cached(articlePage, s.withLocale(s.showArticle)))
	g.POST("/articles/:slug/feedback", s.withLocale(s.saveFeedback))
	get(g, "/search", s.cached(searchPage, s.withLocale(s.showSearch)))
	get(g, "/languages", s.cached(plainPage, s.withLocale(s.showLanguages)))

	// Contact support: the form, its suggested articles, and each
	// request's private status page (the token is its only key).
	if s.contact != nil {
		get(g, "/contact", s.withLocale(s.showContact))
		g.POST("/contact", s.withLocale(s.sendContact))
		get(g, "/contact/suggest", s.withLocale(s.suggestContact))
		get(g, "/contact/open/:slug", s.withLocale(s.openSuggestion))
		get(g, "/requests/:token", s.withLocale(s.showRequest))
		g.POST("/requests/:token", s.withLocale(s.updateRequest))
		get(g, "/requests/:token/screenshots/:id", s.withLocale(s.showRequestScreenshot))
	}

	// Back office: /admin, its own route group (internal/admin). Only
	// engines that implement its store interfaces serve it.
	if st, ok := s.store.(admin.Store); ok {
		admin.New(st, s.log, s.assets.URL("css/site.css"), nil).
			WithCatalog(func() *content.Catalog { return s.Site().Catalog }).
			WithMail(func() *i18n.Bundle { return s.Site().Bundle }, s.cfg.BaseURL, s.cfg.SMTPURL != "").
			Mount(e)
	} else {
		s.log.Warn("back office disabled: the database engine does not implement it yet")
	}
}

// uploadRoutes take multipart posts with screenshots; they bound their
// bodies themselves (contact.ParseUpload) instead of the global limit.
var uploadRoutes = map[string]bool{"/:lang/contact": true, "/:lang/requests/:token": true}

// cachedRoutes are the routes served through the page cache. Their pages
// carry their own gzip and brotli bytes, so the gzip middleware skips them.
var cachedRoutes = map[string]bool{
	"/:lang/": true, "/:lang/categories/:slug": true, "/:lang/articles/:slug": true,
	"/:lang/search": true, "/:lang/languages": true,
}
