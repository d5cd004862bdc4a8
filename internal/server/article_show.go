package server

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"helpcenter/internal/content"
	"helpcenter/internal/i18n"
	"helpcenter/web/layout"
	"helpcenter/web/page"
	"helpcenter/web/ui"
)

func (s *Server) showArticle(c echo.Context) error {
	a, err := siteOf(c).Catalog.Article(c.Param("slug"))
	if err != nil {
		return err
	}
	state := c.QueryParam("feedback")
	if state != "no" && state != "thanks" {
		state = ""
	}
	return render(c, http.StatusOK, page.Article(s.articleProps(c, a, page.FeedbackProps{State: state})))
}

// articleProps builds the article page for the request's locale. The
// feedback widget's state comes from the caller: the URL, or a failed post.
func (s *Server) articleProps(c echo.Context, a *content.Article, fb page.FeedbackProps) page.ArticleProps {
	loc := localizerOf(c)
	t, fallback := a.In(loc.Code)
	rest := "/articles/" + a.Slug
	catName := loc.T("category." + a.Category + ".name")
	p := page.ArticleProps{
		Page:       s.layoutPage(c, t.Title, t.Description, rest),
		Title:      t.Title,
		Updated:    loc.Date(t.Updated),
		UpdatedISO: t.Updated.Format("2006-01-02"),
		Crumbs: []ui.Crumb{
			{Label: loc.T("layout.home"), Href: "/" + loc.Slug + "/"},
			{Label: catName, Href: "/" + loc.Slug + "/categories/" + a.Category},
			{Label: t.Title, Href: "/" + loc.Slug + rest},
		},
	}
	// hreflang lists only real translations; a fallback page points its
	// canonical link at the language it actually shows.
	for _, code := range a.Locales() {
		l := i18n.MustLookup(code)
		p.Page.Alternates = append(p.Page.Alternates, layout.Alternate{Hreflang: l.Code, Href: s.absURL(l, rest)})
	}
	p.Page.Alternates = append(p.Page.Alternates, layout.Alternate{Hreflang: "x-default", Href: s.absURL(i18n.Default, rest)})
	if fallback {
		shown := i18n.MustLookup(t.Locale)
		p.Lang, p.FallbackName = shown.Code, shown.Native
		p.Page.Canonical = s.absURL(shown, rest)
	} else if a.Outdated(t) {
		p.EnglishNewer = "/" + i18n.Default.Slug + rest
	}
	for i, seg := range t.Body {
		ps := page.Segment{HTML: content.Localize(seg.HTML, loc.Slug)}
		if seg.Platforms != nil {
			ps.GroupID = fmt.Sprintf("steps-%d", i+1)
			for _, sec := range seg.Platforms {
				ps.Platforms = append(ps.Platforms, page.PlatformSection{
					ID:       ps.GroupID + "-" + sec.Platform,
					Platform: sec.Platform,
					Name:     loc.T("platform." + sec.Platform),
					HTML:     content.Localize(sec.HTML, loc.Slug),
				})
			}
		}
		p.Body = append(p.Body, ps)
	}
	for _, slug := range a.Related {
		if r, err := siteOf(c).Catalog.Article(slug); err == nil {
			p.Related = append(p.Related, articleLink(loc, r))
		}
	}
	fb.Article = "/" + loc.Slug + rest
	fb.Action = fb.Article + "/feedback"
	fb.MaxLen = maxComment
	fb.Contact = "/" + loc.Slug + "/contact?article=" + a.Slug
	p.Feedback = fb
	p.ContactForm = a.Slug == "contact-support"
	return p
}
