package server

import (
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"helpcenter/internal/i18n"
)

// deflectCookie remembers, for a day, the suggestions a reader opened from
// the contact form ("2026-12-04|log-out", up to maxSuggestions of them):
// each was counted as a deflection when opened, and is taken back if the
// reader sends the request after all.
const deflectCookie = "hc_deflect"

// suggestion is one article in the script's suggestions.
type suggestion struct {
	Title string `json:"title"`
	Href  string `json:"href"`
	Lang  string `json:"lang,omitempty"`
}

// suggestions is the script's answer: the articles, and the sentence a
// screen reader announces ("3 suggested articles", in the reader's
// language and plural rules).
type suggestions struct {
	Items    []suggestion `json:"items"`
	Announce string       `json:"announce"`
}

// suggestContact answers the form's script with up to three articles for
// the description typed so far.
func (s *Server) suggestContact(c echo.Context) error {
	loc := localizerOf(c)
	q := strings.TrimSpace(strings.ToValidUTF8(c.QueryParam("q"), ""))
	out := suggestions{Items: []suggestion{}}
	if utf8.RuneCountInString(q) >= 2 {
		for _, l := range s.suggestions(c.Request().Context(), c, loc, q) {
			out.Items = append(out.Items, suggestion{Title: l.Title, Href: l.Href, Lang: l.Lang})
		}
	}
	out.Announce = loc.N("contact.suggestions_count", len(out.Items))
	if len(out.Items) == 0 {
		out.Announce = loc.T("contact.suggestions_none")
	}
	c.Response().Header().Set("Cache-Control", "private, max-age=300")
	return c.JSON(http.StatusOK, out)
}

// openSuggestion counts a suggestion opened from the contact form as a
// deflection and leads to the article.
func (s *Server) openSuggestion(c echo.Context) error {
	loc := localizerOf(c)
	a, err := siteOf(c).Catalog.Article(c.Param("slug"))
	if err != nil {
		return err
	}
	day := time.Now().UTC().Format(time.DateOnly)
	entry := day + "|" + a.Slug
	var opened []string
	if ck, err := c.Cookie(deflectCookie); err == nil {
		opened = parseDeflections(ck.Value)
	}
	if !slices.Contains(opened, entry) {
		if err := s.contact.RecordDeflection(c.Request().Context(), loc.Code, a.Slug); err != nil {
			s.log.Warn("contact: record deflection", "err", err) // a statistic: the reader still gets the article
		} else {
			opened = append(opened, entry)
			if len(opened) > maxSuggestions {
				opened = opened[len(opened)-maxSuggestions:]
			}
			s.setDeflections(c, loc.Slug, strings.Join(opened, ","), 24*time.Hour)
		}
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Redirect(http.StatusSeeOther, "/"+loc.Slug+"/articles/"+a.Slug)
}

// undoDeflections takes back the deflections of a reader who sent the
// request after opening suggestions.
func (s *Server) undoDeflections(c echo.Context, loc *i18n.Localizer) {
	ck, err := c.Cookie(deflectCookie)
	if err != nil {
		return
	}
	today := time.Now().UTC().Format(time.DateOnly)
	for _, e := range parseDeflections(ck.Value) {
		// Only today's: a cookie is the reader's to forge, and may at
		// most take back what the same day counted.
		day, slug, _ := strings.Cut(e, "|")
		if day != today {
			continue
		}
		if err := s.contact.UndoDeflection(c.Request().Context(), day, loc.Code, slug); err != nil {
			s.log.Warn("contact: undo deflection", "err", err)
		}
	}
	s.setDeflections(c, loc.Slug, "", -time.Second)
}

func parseDeflections(v string) []string {
	var out []string
	for _, e := range strings.Split(v, ",") {
		day, slug, ok := strings.Cut(e, "|")
		if !ok || len(day) != len("2006-01-02") || slug == "" || len(slug) > 100 || strings.ContainsAny(slug, "/?#% ;") {
			continue
		}
		if _, err := time.Parse(time.DateOnly, day); err != nil {
			continue
		}
		out = append(out, e)
		if len(out) == maxSuggestions {
			break
		}
	}
	return out
}

func (s *Server) setDeflections(c echo.Context, langSlug, value string, age time.Duration) {
	c.SetCookie(&http.Cookie{
		Name: deflectCookie, Value: value, Path: "/" + langSlug + "/contact", MaxAge: int(age.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: c.Scheme() == "https" || strings.HasPrefix(s.cfg.BaseURL, "https://"),
	})
}
