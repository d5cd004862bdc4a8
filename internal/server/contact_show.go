package server

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"helpcenter/internal/contact"
	"helpcenter/internal/i18n"
	"helpcenter/internal/store"
	"helpcenter/web/page"
	"helpcenter/web/ui"
)

// maxSuggestions is how many articles the contact form suggests.
const maxSuggestions = 3

// showContact is the empty contact form; ?article= names the article the
// reader came from (its feedback widget links here).
func (s *Server) showContact(c echo.Context) error {
	p := s.contactProps(c, contact.Form{Article: c.QueryParam("article")})
	// The form carries the time it was issued: never cache it.
	c.Response().Header().Set("Cache-Control", "no-store")
	return render(c, http.StatusOK, page.Contact(p))
}

// contactProps is the form with the reader's values; an article slug
// that is not in the catalog is dropped.
func (s *Server) contactProps(c echo.Context, f contact.Form) page.ContactProps {
	loc := localizerOf(c)
	p := page.ContactProps{
		Page:        s.layoutPage(c, loc.T("contact.title"), loc.T("contact.description"), "/contact"),
		Action:      "/" + loc.Slug + "/contact",
		SuggestURL:  "/" + loc.Slug + "/contact/suggest",
		Kind:        f.Kind,
		Device:      f.Device,
		Description: f.Description,
		Email:       f.Email,
		Stamp:       s.stamper.Stamp(time.Now()),
		Kinds:       contact.Kinds,
		Devices:     contact.Devices,
		MinLen:      contact.MinDescription,
		MaxLen:      contact.MaxDescription,
		MaxShots:    contact.MaxScreenshots,
		KeepDays:    int(s.cfg.RequestRetention / (24 * time.Hour)),
	}
	p.Page.Alternates = s.alternatesAll("/contact")
	if f.Article != "" {
		if a, err := siteOf(c).Catalog.Article(f.Article); err == nil {
			t, _ := a.In(loc.Code)
			p.Article, p.ArticleTitle = a.Slug, t.Title
		}
	}
	return p
}

// suggestions returns up to maxSuggestions articles that may answer text,
// each linked through the deflection counter.
func (s *Server) suggestions(ctx context.Context, c echo.Context, loc *i18n.Localizer, text string) []ui.ArticleLink {
	text = truncate(text, maxQueryRunes)
	results, _ := s.searchAll(ctx, siteOf(c), loc, text)
	var out []ui.ArticleLink
	for _, r := range results {
		if len(out) == maxSuggestions {
			break
		}
		out = append(out, ui.ArticleLink{
			Href:     "/" + loc.Slug + "/contact/open/" + r.Slug,
			Title:    r.Title,
			Lang:     r.Lang,
			Language: r.Language,
		})
	}
	return out
}

// keptShots lists a draft's screenshots for the form.
func keptShots(shots []store.Screenshot) []page.KeptShot {
	out := make([]page.KeptShot, 0, len(shots))
	for _, sh := range shots {
		out = append(out, page.KeptShot{ID: sh.ID, Name: sh.Name})
	}
	return out
}
