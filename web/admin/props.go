// Package admin holds the templ views of the back office. Staff pages are
// in English; reader text inside them carries its own lang and dir.
package admin

import (
	"fmt"
	"strings"
)

// Page is what every back-office page needs around its content.
type Page struct {
	Title string
	CSS   string
	Email string // signed-in staff member; "" on the sign-in page
	Role  string
}

// Login is the sign-in form.
type Login struct {
	Page
	Email string
	Error string
}

// Filter is one choice of a select filter.
type Filter struct {
	Value, Label string
	Selected     bool
}

// ArticleRow is one article × language of the dashboard.
type ArticleRow struct {
	Article, Locale, LocaleName string
	Helpful, NotHelpful         int
	Percent                     string // % helpful
	Wilson                      string // lower bound, 0–100
	Reasons                     []ReasonCount
	TrendHref                   string
}

// ReasonCount is how many "No" votes gave one reason.
type ReasonCount struct {
	Reason string
	Count  int
}

// TrendPoint is one day of a trend.
type TrendPoint struct {
	Day                 string
	Helpful, NotHelpful int
}

// Chart is a server-rendered SVG bar chart with its data as a table.
type Chart struct {
	Title, Desc string
	Points      []TrendPoint
	Width       int
	Height      int
	Max         int
}

// Dashboard is the articles dashboard.
type Dashboard struct {
	Page
	Languages      []Filter
	Periods        []Filter
	Categories     []Filter
	Rows           []ArticleRow // by Wilson lower bound, highest first
	Attention      []ArticleRow // lowest bound among rows with enough votes
	MinVotes       int
	Reasons        []ReasonCount
	Trend          Chart
	CSVHref        string
	TotalHelpful   int
	TotalNotHelped int
}

// Comment is one row of the triage queue.
type Comment struct {
	Key                       string // reader|article|locale, to post back
	Article, Locale, Dir      string
	Reason, Text, Date, State string
	Note, UpdatedBy           string
}

// Comments is the triage queue.
type Comments struct {
	Page
	States   []Filter
	Comments []Comment
	CSVHref  string
}

// Missed is one search that found nothing.
type Missed struct {
	Locale, Dir, Query, LastSeen, TryHref string
	Count                                 int
}

// TranslationRow is one article's translations: how many are current,
// and which locales are behind English, unstamped or missing.
type TranslationRow struct {
	Slug                       string
	Current                    int
	Behind, Unstamped, Missing []string
}

// Translations is the translation status page.
type Translations struct {
	Page
	Rows []TranslationRow
}

// Searches is the page of searches that found nothing.
type Searches struct {
	Page
	Languages, Periods []Filter
	Days               int
	Rows               []Missed
	CSVHref            string
	Deflections        []DeflectionRow
	DeflectionsCSVHref string
}

// DeflectionRow is one article opened from the contact form instead of
// sending a request.
type DeflectionRow struct {
	Article, Locale, Dir, Href string
	Count                      int
}

// StaffRow is one account.
type StaffRow struct {
	Email, Role, Created string
	Self                 bool
}

// Staff is the accounts page (admins only).
type Staff struct {
	Page
	Rows []StaffRow
}

// AuditRow is one audit entry.
type AuditRow struct {
	At, Actor, Action, Detail string
}

// Audit is the audit log (admins only).
type Audit struct {
	Page
	Rows    []AuditRow
	CSVHref string
}

// Bar is one bar of a chart, precomputed so the template stays simple.
type Bar struct {
	X, Y, W, H int
	Label      string
}

// Bars lays out the points of c as bars of total votes per day.
func (c Chart) Bars() []Bar {
	if len(c.Points) == 0 || c.Max == 0 {
		return nil
	}
	w := c.Width / len(c.Points)
	var out []Bar
	for i, p := range c.Points {
		n := p.Helpful + p.NotHelpful
		h := n * (c.Height - 20) / c.Max
		out = append(out, Bar{X: i * w, Y: c.Height - h, W: max(w-2, 1), H: h,
			Label: fmt.Sprintf("%s: %d helpful, %d not helpful", p.Day, p.Helpful, p.NotHelpful)})
	}
	return out
}

// list shows locale codes, or a dash for none.
func list(codes []string) string {
	if len(codes) == 0 {
		return "—"
	}
	return strings.Join(codes, ", ")
}
