package admin

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"helpcenter/internal/content"
	view "helpcenter/web/admin"
)

// WithCatalog gives the back office the current article catalog, for the
// translation status; catalog is called per request, so a content reload
// shows at once.
func (h *Handler) WithCatalog(catalog func() *content.Catalog) *Handler {
	h.catalog = catalog
	return h
}

// translationRows is the article × locale table of `helpcenter
// translations`, one row per article with the locales in each state.
func (h *Handler) translationRows() []view.TranslationRow {
	if h.catalog == nil {
		return nil
	}
	var rows []view.TranslationRow
	for _, cells := range h.catalog().Status() {
		if len(cells) == 0 {
			continue
		}
		r := view.TranslationRow{Slug: cells[0].Slug}
		for _, c := range cells {
			switch c.State {
			case content.Current:
				r.Current++
			case content.Behind:
				r.Behind = append(r.Behind, c.Locale)
			case content.Unstamped:
				r.Unstamped = append(r.Unstamped, c.Locale)
			case content.Missing:
				r.Missing = append(r.Missing, c.Locale)
			}
		}
		rows = append(rows, r)
	}
	return rows
}

func (h *Handler) showTranslations(c echo.Context) error {
	v := view.Translations{Page: h.page(c, "Translations"), Rows: h.translationRows()}
	return render(c, http.StatusOK, view.TranslationsPage(v))
}

// translationsCSV is the full grid: one row per article, one column per
// locale, each cell its state, as `helpcenter translations -format csv`.
func (h *Handler) translationsCSV(c echo.Context) error {
	var header []string
	var rows [][]string
	if h.catalog != nil {
		for i, cells := range h.catalog().Status() {
			if i == 0 {
				header = append(header, "article")
				for _, cell := range cells {
					header = append(header, cell.Locale)
				}
			}
			row := []string{""}
			for _, cell := range cells {
				row[0] = cell.Slug
				row = append(row, string(cell.State))
			}
			rows = append(rows, row)
		}
	}
	return writeCSV(c, "translations.csv", header, rows)
}
