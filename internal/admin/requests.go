package admin

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"helpcenter/internal/contact"
	"helpcenter/internal/i18n"
	"helpcenter/internal/store"
	view "helpcenter/web/admin"
)

const (
	// requestsPerPage is one page of the inbox.
	requestsPerPage = 50
	// maxRequestPages bounds OFFSET: deeper than that, filter instead.
	maxRequestPages = 1000
	// maxRequestsCSV bounds one export.
	maxRequestsCSV = 10000
	maxQuery       = 200
	// searchCountLimit is how far past a page a text search is counted.
	searchCountLimit = 1000
)

var requestStates = []string{store.StateOpen, store.StateAnswered, store.StateClosed}

// inboxQuery is the inbox's filters as the URL gives them, checked, and
// the store filter they make.
type inboxQuery struct {
	filter   store.RequestFilter
	values   url.Values // canonical query string, without the page
	assigned string     // "", "-", "me" or a staff e-mail, as in the URL
	page     int
}

func (h *Handler) parseInbox(c echo.Context) (inboxQuery, error) {
	q := inboxQuery{values: url.Values{}, page: 1}
	f := &q.filter
	bad := func(msg string) (inboxQuery, error) { return q, echo.NewHTTPError(http.StatusBadRequest, msg) }
	param := func(name string) string {
		v := strings.TrimSpace(c.QueryParam(name))
		if v != "" {
			q.values.Set(name, v)
		}
		return v
	}
	if f.State = param("state"); f.State != "" && !store.ValidState(f.State) {
		return bad("unknown state")
	}
	if f.Kind = param("kind"); f.Kind != "" && !slices.Contains(contact.Kinds, f.Kind) {
		return bad("unknown type")
	}
	if f.Device = param("device"); f.Device != "" && !slices.Contains(contact.Devices, f.Device) {
		return bad("unknown device")
	}
	if l := param("lang"); l != "" {
		loc, ok := i18n.Lookup(l)
		if !ok {
			return bad("unknown language")
		}
		f.Locale = loc.Code
		q.values.Set("lang", loc.Code)
	}
	switch q.assigned = param("assigned"); q.assigned {
	case "", "-":
		f.AssignedTo = q.assigned
	case "me":
		f.AssignedTo = staff(c).Email
	default:
		q.assigned = strings.ToLower(q.assigned)
		if _, err := h.db.StaffByEmail(c.Request().Context(), q.assigned); errors.Is(err, store.ErrNotFound) {
			return bad("no such staff member")
		} else if err != nil {
			return q, err
		}
		f.AssignedTo = q.assigned
		q.values.Set("assigned", q.assigned)
	}
	for _, d := range []struct {
		name string
		t    *time.Time
		days int
	}{{"from", &f.From, 0}, {"to", &f.To, 1}} {
		if v := param(d.name); v != "" {
			t, err := time.Parse(time.DateOnly, v)
			if err != nil {
				return bad("dates are YYYY-MM-DD")
			}
			*d.t = t.AddDate(0, 0, d.days) // "to" includes its day
		}
	}
	f.Query = param("q")
	if utf8.RuneCountInString(f.Query) > maxQuery || !utf8.ValidString(f.Query) {
		return bad("search too long")
	}
	if p := c.QueryParam("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > maxRequestPages {
			return bad("bad page")
		}
		q.page = n
	}
	f.Limit, f.Offset = requestsPerPage, (q.page-1)*requestsPerPage
	return q, nil
}

// href is the inbox with q's filters, changed by set ("" deletes).
func (q inboxQuery) href(base string, set ...string) string {
	v := url.Values{}
	for k, vs := range q.values {
		v[k] = vs
	}
	for i := 0; i+1 < len(set); i += 2 {
		if set[i+1] == "" {
			v.Del(set[i])
		} else {
			v.Set(set[i], set[i+1])
		}
	}
	if len(v) == 0 {
		return base
	}
	return base + "?" + v.Encode()
}

func requestHref(id int64) string { return "/admin/requests/" + strconv.FormatInt(id, 10) }

func utc(t time.Time) string { return t.UTC().Format("2006-01-02 15:04") }

func (h *Handler) showRequests(c echo.Context) error {
	q, err := h.parseInbox(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	v := view.Requests{Page: h.page(c, "Support requests"), Query: q.filter.Query,
		From: q.values.Get("from"), To: q.values.Get("to"), CSVHref: q.href("/admin/requests.csv")}
	list, err := h.db.ListRequests(ctx, q.filter)
	if err != nil {
		return err
	}
	for _, r := range list {
		v.Rows = append(v.Rows, requestRow(r))
	}
	if q.filter.Query != "" {
		v.Total, v.MoreThan, err = h.countSearch(c, q, len(list))
	} else {
		v.Total, v.Counts, err = h.countRequests(c, q)
	}
	if err != nil {
		return err
	}
	if len(v.Rows) > 0 {
		v.First, v.Last = q.filter.Offset+1, q.filter.Offset+len(v.Rows)
	}
	if q.page > 1 {
		v.PrevHref = q.href("/admin/requests", "page", pageParam(q.page-1))
	}
	if v.Last < v.Total && q.page < maxRequestPages {
		v.NextHref = q.href("/admin/requests", "page", strconv.Itoa(q.page+1))
	}
	v.States = []view.Filter{{Value: "", Label: "Any state", Selected: q.filter.State == ""}}
	for _, s := range requestStates {
		v.States = append(v.States, view.Filter{Value: s, Label: s, Selected: s == q.filter.State})
	}
	v.Kinds = choices("Any type", contact.Kinds, q.filter.Kind)
	v.Devices = choices("Any device", contact.Devices, q.filter.Device)
	v.Languages = languageFilters(q.filter.Locale)
	if v.Assignees, err = h.assignees(c, q.assigned); err != nil {
		return err
	}
	return render(c, http.StatusOK, view.RequestsPage(v))
}

// countSearch counts a text search: not at all when the first page holds
// every match, else up to searchCountLimit past the page. A common word
// is found in half the inbox; counting it to the end would cost more
// than the page.
func (h *Handler) countSearch(c echo.Context, q inboxQuery, listed int) (n int, moreThan bool, err error) {
	if q.page == 1 && listed < requestsPerPage {
		return listed, false, nil
	}
	f := q.filter
	limit := f.Offset + searchCountLimit
	f.CountLimit = limit + 1
	if n, err = h.db.CountRequests(c.Request().Context(), f); n > limit {
		return limit, true, err
	}
	return n, false, err
}

// countRequests counts each state under q's other filters (the indexes
// answer that without reading the table); the total is their sum or the
// count of the state filtered on. A text search shows only its total: a
// word found in half the requests costs tens of milliseconds per count.
func (h *Handler) countRequests(c echo.Context, q inboxQuery) (int, []view.StateCount, error) {
	ctx := c.Request().Context()
	total := 0
	var counts []view.StateCount
	for _, st := range requestStates {
		f := q.filter
		f.State = st
		n, err := h.db.CountRequests(ctx, f)
		if err != nil {
			return 0, nil, err
		}
		if q.filter.State == "" || q.filter.State == st {
			total += n
		}
		counts = append(counts, view.StateCount{State: st, Count: n, Current: q.filter.State == st,
			Href: q.href("/admin/requests", "state", st, "page", "")})
	}
	return total, counts, nil
}

// pageParam leaves page 1 out of links.
func pageParam(n int) string {
	if n <= 1 {
		return ""
	}
	return strconv.Itoa(n)
}

func choices(all string, values []string, selected string) []view.Filter {
	out := []view.Filter{{Value: "", Label: all, Selected: selected == ""}}
	for _, s := range values {
		out = append(out, view.Filter{Value: s, Label: s, Selected: s == selected})
	}
	return out
}

// assignees is the "assigned to" filter: anyone, unassigned, me, then
// every staff member.
func (h *Handler) assignees(c echo.Context, selected string) ([]view.Filter, error) {
	ms, err := h.db.StaffMembers(c.Request().Context())
	if err != nil {
		return nil, err
	}
	out := []view.Filter{
		{Value: "", Label: "Anyone", Selected: selected == ""},
		{Value: "-", Label: "Unassigned", Selected: selected == "-"},
		{Value: "me", Label: "Me (" + staff(c).Email + ")", Selected: selected == "me"},
	}
	for _, m := range ms {
		out = append(out, view.Filter{Value: m.Email, Label: m.Email, Selected: m.Email == selected})
	}
	return out, nil
}

func requestRow(r store.RequestSummary) view.RequestRow {
	name, dir := r.Locale, "ltr"
	if l, ok := i18n.Lookup(r.Locale); ok {
		name, dir = l.English, l.Dir
	}
	return view.RequestRow{Href: requestHref(r.ID), Code: r.Code, Locale: r.Locale, LocaleName: name, Dir: dir,
		Kind: r.Kind, Device: r.Device, State: r.State, AssignedTo: r.AssignedTo, Excerpt: r.Excerpt,
		Created: utc(r.CreatedAt), Updated: utc(r.UpdatedAt)}
}

// requestsCSV exports the requests the filters select, every page up to
// maxRequestsCSV, without the readers' e-mail addresses.
func (h *Handler) requestsCSV(c echo.Context) error {
	q, err := h.parseInbox(c)
	if err != nil {
		return err
	}
	q.filter.Limit, q.filter.Offset = maxRequestsCSV, 0
	list, err := h.db.ListRequests(c.Request().Context(), q.filter)
	if err != nil {
		return err
	}
	out := make([][]string, 0, len(list))
	for _, r := range list {
		out = append(out, []string{r.Code, r.CreatedAt.UTC().Format(time.RFC3339), r.UpdatedAt.UTC().Format(time.RFC3339),
			r.State, r.Kind, r.Locale, r.Device, r.AssignedTo, r.Article, r.Excerpt})
	}
	return writeCSV(c, "requests.csv", []string{"code", "created", "updated", "state", "type", "language", "device",
		"assigned_to", "article", "message_start"}, out)
}
