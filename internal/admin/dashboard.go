package admin

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"helpcenter/internal/content"
	"helpcenter/internal/i18n"
	"helpcenter/internal/store"
	view "helpcenter/web/admin"
)

// minVotes is how many votes an article needs in a language before it
// can be listed as needing attention.
const minVotes = 10

var periods = []struct {
	value string
	label string
	days  int
}{{"30", "Last 30 days", 30}, {"7", "Last 7 days", 7}, {"90", "Last 90 days", 90}}

// dashQuery is the dashboard's filters, parsed and checked.
type dashQuery struct {
	locale   string
	article  string
	days     int
	category string
	articles map[string]bool // the category's articles; nil for all
}

func parseDash(c echo.Context, catalog *content.Catalog) (dashQuery, error) {
	q := dashQuery{}
	var err error
	if q.locale, err = parseLang(c); err != nil {
		return q, err
	}
	if q.days, err = parsePeriod(c); err != nil {
		return q, err
	}
	q.article = c.QueryParam("article")
	if len(q.article) > 200 {
		return q, echo.NewHTTPError(http.StatusBadRequest, "article too long")
	}
	if q.category = c.QueryParam("category"); q.category != "" {
		if catalog == nil {
			return q, echo.NewHTTPError(http.StatusBadRequest, "unknown category")
		}
		cat, err := catalog.Category(q.category)
		if err != nil {
			return q, echo.NewHTTPError(http.StatusBadRequest, "unknown category")
		}
		q.articles = map[string]bool{}
		for _, a := range cat.Articles {
			q.articles[a.Slug] = true
		}
	}
	return q, nil
}

// parseLang reads the lang filter: "" for all, else a locale code.
func parseLang(c echo.Context) (string, error) {
	l := c.QueryParam("lang")
	if l == "" {
		return "", nil
	}
	loc, ok := i18n.Lookup(l)
	if !ok {
		return "", echo.NewHTTPError(http.StatusBadRequest, "unknown language")
	}
	return loc.Code, nil
}

// parsePeriod reads the period filter, in days; 30 when absent.
func parsePeriod(c echo.Context) (int, error) {
	p := c.QueryParam("period")
	if p == "" {
		return 30, nil
	}
	for _, pp := range periods {
		if pp.value == p {
			return pp.days, nil
		}
	}
	return 0, echo.NewHTTPError(http.StatusBadRequest, "unknown period")
}

func periodFilters(days int) []view.Filter {
	var out []view.Filter
	for _, p := range periods {
		out = append(out, view.Filter{Value: p.value, Label: p.label, Selected: p.days == days})
	}
	return out
}

func languageFilters(locale string) []view.Filter {
	out := []view.Filter{{Value: "", Label: "All languages", Selected: locale == ""}}
	for _, l := range i18n.All {
		out = append(out, view.Filter{Value: l.Code, Label: l.English, Selected: l.Code == locale})
	}
	return out
}

// rows turns vote stats into dashboard rows ranked by Wilson lower bound.
func rows(stats []store.VoteStat, article string, only map[string]bool) []view.ArticleRow {
	type ranked struct {
		row   view.ArticleRow
		bound float64
	}
	var rs []ranked
	for _, s := range stats {
		if article != "" && s.Article != article || only != nil && !only[s.Article] {
			continue
		}
		n := s.Helpful + s.NotHelpful
		w := wilsonLower(s.Helpful, n)
		name := s.Locale
		if l, ok := i18n.Lookup(s.Locale); ok {
			name = l.English
		}
		r := view.ArticleRow{
			Article: s.Article, Locale: s.Locale, LocaleName: name,
			Helpful: s.Helpful, NotHelpful: s.NotHelpful,
			Percent:   fmt.Sprintf("%.1f", 100*float64(s.Helpful)/float64(max(n, 1))),
			Wilson:    fmt.Sprintf("%.1f", 100*w),
			Reasons:   reasonCounts(s.Reasons),
			TrendHref: "/admin/?" + url.Values{"article": {s.Article}, "lang": {s.Locale}}.Encode(),
		}
		rs = append(rs, ranked{r, w})
	}
	slices.SortStableFunc(rs, func(a, b ranked) int {
		if a.bound != b.bound {
			if a.bound > b.bound {
				return -1
			}
			return 1
		}
		return (a.row.Helpful + a.row.NotHelpful) - (b.row.Helpful + b.row.NotHelpful)
	})
	out := make([]view.ArticleRow, len(rs))
	for i, r := range rs {
		out[i] = r.row
	}
	return out
}

func reasonCounts(m map[string]int) []view.ReasonCount {
	var out []view.ReasonCount
	for _, r := range store.Reasons {
		if m[r] > 0 {
			out = append(out, view.ReasonCount{Reason: r, Count: m[r]})
		}
	}
	return out
}

// trend fills every day of the period, with zeros for days without votes.
func trend(days []store.DayCount, since time.Time, n int) []view.TrendPoint {
	byDay := map[string]store.DayCount{}
	for _, d := range days {
		byDay[d.Day] = d
	}
	out := make([]view.TrendPoint, 0, n)
	for i := range n {
		day := since.AddDate(0, 0, i+1).Format(time.DateOnly)
		d := byDay[day]
		out = append(out, view.TrendPoint{Day: day, Helpful: d.Helpful, NotHelpful: d.NotHelpful})
	}
	return out
}

func (h *Handler) dashboard(c echo.Context) (view.Dashboard, error) {
	var catalog *content.Catalog
	if h.catalog != nil {
		catalog = h.catalog()
	}
	q, err := parseDash(c, catalog)
	if err != nil {
		return view.Dashboard{}, err
	}
	ctx := c.Request().Context()
	today := h.now().UTC().Truncate(24 * time.Hour)
	since := today.AddDate(0, 0, -q.days+1)
	stats, err := h.db.VoteStats(ctx, since, q.locale)
	if err != nil {
		return view.Dashboard{}, err
	}
	days, err := h.trendDays(ctx, since, q)
	if err != nil {
		return view.Dashboard{}, err
	}
	v := view.Dashboard{Page: h.page(c, "Articles"), MinVotes: minVotes}
	v.Rows = rows(stats, q.article, q.articles)
	totalReasons := map[string]int{}
	for _, r := range v.Rows {
		v.TotalHelpful += r.Helpful
		v.TotalNotHelped += r.NotHelpful
		for _, rc := range r.Reasons {
			totalReasons[rc.Reason] += rc.Count
		}
		if r.Helpful+r.NotHelpful >= minVotes {
			v.Attention = append(v.Attention, r)
		}
	}
	v.Reasons = reasonCounts(totalReasons)
	slices.Reverse(v.Attention)
	v.Attention = v.Attention[:min(len(v.Attention), 10)]
	v.Languages = languageFilters(q.locale)
	v.Periods = periodFilters(q.days)
	v.Categories = []view.Filter{{Value: "", Label: "All categories", Selected: q.category == ""}}
	if catalog != nil {
		for _, cat := range catalog.Categories {
			v.Categories = append(v.Categories, view.Filter{Value: cat.Slug, Label: cat.Slug, Selected: cat.Slug == q.category})
		}
	}
	what := "all articles"
	switch {
	case q.article != "":
		what = q.article
	case q.category != "":
		what = "category " + q.category
	}
	pts := trend(days, since.AddDate(0, 0, -1), q.days)
	mx := 0
	for _, p := range pts {
		mx = max(mx, p.Helpful+p.NotHelpful)
	}
	v.Trend = view.Chart{
		Title:  fmt.Sprintf("Votes per day, %s, last %d days", what, q.days),
		Desc:   fmt.Sprintf("Bar chart of %d days, highest day %d votes; the table below has every number.", q.days, mx),
		Points: pts, Width: 600, Height: 120, Max: mx,
	}
	qs := c.QueryParams().Encode()
	v.CSVHref = "/admin/dashboard.csv?" + qs
	return v, nil
}

// trendDays is the trend of one article, of a category's articles (the
// sum of theirs: the store's trend takes one article or all) or of all.
func (h *Handler) trendDays(ctx context.Context, since time.Time, q dashQuery) ([]store.DayCount, error) {
	if q.article != "" || q.articles == nil {
		return h.db.VoteTrend(ctx, since, q.article, q.locale)
	}
	sum := map[string]store.DayCount{}
	for a := range q.articles {
		days, err := h.db.VoteTrend(ctx, since, a, q.locale)
		if err != nil {
			return nil, err
		}
		for _, d := range days {
			s := sum[d.Day]
			s.Day, s.Helpful, s.NotHelpful = d.Day, s.Helpful+d.Helpful, s.NotHelpful+d.NotHelpful
			sum[d.Day] = s
		}
	}
	out := make([]store.DayCount, 0, len(sum))
	for _, d := range sum {
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b store.DayCount) int { return strings.Compare(a.Day, b.Day) })
	return out, nil
}

func (h *Handler) showDashboard(c echo.Context) error {
	v, err := h.dashboard(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, view.DashboardPage(v))
}

func (h *Handler) dashboardCSV(c echo.Context) error {
	v, err := h.dashboard(c)
	if err != nil {
		return err
	}
	var out [][]string
	for _, r := range v.Rows {
		row := []string{r.Article, r.Locale, strconv.Itoa(r.Helpful), strconv.Itoa(r.NotHelpful), r.Percent, r.Wilson}
		m := map[string]int{}
		for _, rc := range r.Reasons {
			m[rc.Reason] = rc.Count
		}
		for _, reason := range store.Reasons {
			row = append(row, strconv.Itoa(m[reason]))
		}
		out = append(out, row)
	}
	header := append([]string{"article", "language", "helpful", "not_helpful", "percent_helpful", "wilson_lower_bound"}, store.Reasons...)
	return writeCSV(c, "articles.csv", header, out)
}
