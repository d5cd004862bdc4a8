package admin

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"helpcenter/internal/i18n"
	view "helpcenter/web/admin"
)

// maxMissed bounds the list to the searches worth acting on.
const maxMissed = 300

// searchQuery is the filters of the searches page: language and period.
type searchQuery struct {
	locale string
	days   int
}

func parseSearchQuery(c echo.Context) (searchQuery, error) {
	var q searchQuery
	var err error
	if q.locale, err = parseLang(c); err != nil {
		return q, err
	}
	q.days, err = parsePeriod(c)
	return q, err
}

func (q searchQuery) encode() string {
	return url.Values{"lang": {q.locale}, "period": {strconv.Itoa(q.days)}}.Encode()
}

func (h *Handler) since(days int) time.Time {
	return h.now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -days+1)
}

// missed sums the period's missed searches per language and query.
func (h *Handler) missed(c echo.Context, q searchQuery) ([]view.Missed, error) {
	ms, err := h.db.TopMissedSearches(c.Request().Context(), h.since(q.days), q.locale, maxMissed)
	if err != nil {
		return nil, err
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
	return out, nil
}

// deflections counts the period's suggestions of the contact form that
// were opened with no request sent after them.
func (h *Handler) deflections(c echo.Context, q searchQuery) ([]view.DeflectionRow, error) {
	ds, err := h.db.Deflections(c.Request().Context(), h.since(q.days), q.locale)
	if err != nil {
		return nil, err
	}
	var out []view.DeflectionRow
	for _, d := range ds {
		dir, slug := "ltr", d.Locale
		if l, ok := i18n.Lookup(d.Locale); ok {
			dir, slug = l.Dir, l.Slug
		}
		out = append(out, view.DeflectionRow{Article: d.Article, Locale: d.Locale, Dir: dir, Count: d.Count,
			Href: "/" + slug + "/articles/" + url.PathEscape(d.Article)})
	}
	return out, nil
}

func (h *Handler) showSearches(c echo.Context) error {
	q, err := parseSearchQuery(c)
	if err != nil {
		return err
	}
	rows, err := h.missed(c, q)
	if err != nil {
		return err
	}
	defl, err := h.deflections(c, q)
	if err != nil {
		return err
	}
	v := view.Searches{Page: h.page(c, "Searches that found nothing"), Rows: rows, Deflections: defl, Days: q.days,
		Languages: languageFilters(q.locale), Periods: periodFilters(q.days),
		CSVHref: "/admin/searches.csv?" + q.encode(), DeflectionsCSVHref: "/admin/deflections.csv?" + q.encode()}
	return render(c, http.StatusOK, view.SearchesPage(v))
}

func (h *Handler) searchesCSV(c echo.Context) error {
	q, err := parseSearchQuery(c)
	if err != nil {
		return err
	}
	rows, err := h.missed(c, q)
	if err != nil {
		return err
	}
	var out [][]string
	for _, r := range rows {
		out = append(out, []string{r.Locale, r.Query, strconv.Itoa(r.Count), r.LastSeen})
	}
	return writeCSV(c, "missed-searches.csv", []string{"language", "query", "count", "last_seen"}, out)
}

func (h *Handler) deflectionsCSV(c echo.Context) error {
	q, err := parseSearchQuery(c)
	if err != nil {
		return err
	}
	rows, err := h.deflections(c, q)
	if err != nil {
		return err
	}
	var out [][]string
	for _, r := range rows {
		out = append(out, []string{r.Article, r.Locale, strconv.Itoa(r.Count)})
	}
	return writeCSV(c, "deflections.csv", []string{"article", "language", "opened_instead_of_contact"}, out)
}
