package admin

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"helpcenter/internal/i18n"
	view "helpcenter/web/admin"
)

// maxMissed bounds the list to the searches worth acting on.
const maxMissed = 300

// missed sums the last 30 days of missed searches per language and query.
func (h *Handler) missed(c echo.Context) ([]view.Missed, string, error) {
	locale := ""
	if l := c.QueryParam("lang"); l != "" {
		loc, ok := i18n.Lookup(l)
		if !ok {
			return nil, "", echo.NewHTTPError(http.StatusBadRequest, "unknown language")
		}
		locale = loc.Code
	}
	ms, err := h.db.TopMissedSearches(c.Request().Context(), h.now().AddDate(0, 0, -30), locale, maxMissed)
	if err != nil {
		return nil, "", err
	}
	var out []view.Missed
	for _, m := range ms {
		dir, slug := "ltr", m.Locale
		if l, ok := i18n.Lookup(m.Locale); ok {
			dir, slug = l.Dir, l.Slug
		}
		out = append(out, view.Missed{Locale: m.Locale, Dir: dir, Query: m.Query, Count: m.Count, LastSeen: m.Day,
			TryHref: "/" + slug + "/search?" + url.Values{"q": {m.Query}}.Encode()})
	}
	return out, locale, nil
}

func (h *Handler) showSearches(c echo.Context) error {
	rows, locale, err := h.missed(c)
	if err != nil {
		return err
	}
	v := view.Searches{Page: h.page(c, "Searches that found nothing"), Rows: rows, CSVHref: "/admin/searches.csv?lang=" + url.QueryEscape(locale)}
	v.Languages = []view.Filter{{Value: "", Label: "All languages", Selected: locale == ""}}
	for _, l := range i18n.All {
		v.Languages = append(v.Languages, view.Filter{Value: l.Code, Label: l.English, Selected: l.Code == locale})
	}
	return render(c, http.StatusOK, view.SearchesPage(v))
}

func (h *Handler) searchesCSV(c echo.Context) error {
	rows, _, err := h.missed(c)
	if err != nil {
		return err
	}
	var out [][]string
	for _, r := range rows {
		out = append(out, []string{r.Locale, r.Query, strconv.Itoa(r.Count), r.LastSeen})
	}
	return writeCSV(c, "missed-searches.csv", []string{"language", "query", "count", "last_seen"}, out)
}
