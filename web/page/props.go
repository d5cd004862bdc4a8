// Package page holds one templ component per page, each with the view
// model its handler builds. Pages never reach the store or the catalog.
package page

import (
	"helpcenter/web/layout"
	"helpcenter/web/ui"
)

// HomeProps is the home page.
type HomeProps struct {
	Page       layout.Page
	QuickLinks []ui.ArticleLink
	Categories []CategoryCard
	Popular    []ui.ArticleLink
}

// CategoryCard is a topic on the home page.
type CategoryCard struct {
	Href        string
	Name        string
	Description string
	Count       int
}

// CategoryProps is a category page.
type CategoryProps struct {
	Page        layout.Page
	Crumbs      []ui.Crumb
	Name        string
	Description string
	Articles    []ui.ArticleLink
}

// ArticleProps is an article page.
type ArticleProps struct {
	Page         layout.Page
	Crumbs       []ui.Crumb
	Title        string
	Lang         string // the shown text's locale when it is a fallback, else ""
	FallbackName string // native name of that language
	EnglishNewer string // link to the English article when it changed after this translation, else ""
	Updated      string // localized date
	UpdatedISO   string
	Body         []Segment
	Related      []ui.ArticleLink
	Feedback     FeedbackProps
}

// Segment is HTML, or a group of platform sections behind a selector.
type Segment struct {
	HTML      string
	GroupID   string
	Platforms []PlatformSection
}

// PlatformSection is one platform's steps in a group.
type PlatformSection struct {
	ID       string
	Platform string
	Name     string
	HTML     string
}

// FeedbackProps is the "Was this article helpful?" widget.
type FeedbackProps struct {
	Action  string // form action
	Article string // the article's path, to start over
	State   string // "", "no" (ask why) or "thanks"
	Helpful string // the answer being corrected after a validation error
	Reason  string
	Comment string
	Error   string // localized message shown next to the field
	Field   string // "helpful", "reason" or "comment"
	MaxLen  int
}

// LanguagesProps is the languages page.
type LanguagesProps struct {
	Page layout.Page
}

// ErrorProps is a 4xx or 5xx page.
type ErrorProps struct {
	Page  layout.Page
	Title string
	Text  string
}

// SearchProps is the search page.
type SearchProps struct {
	Page     layout.Page
	Query    string
	Total    int
	PageNum  int
	Pages    int
	Results  []SearchResult // in the reader's language
	Other    []SearchResult // in a fallback language
	PrevHref string
	NextHref string
	Popular  []ui.ArticleLink // offered when nothing was found
}

// SearchResult is one hit.
type SearchResult struct {
	Href     string
	Title    string
	Category string
	Snippet  string // safe HTML: escaped text with <mark>
	Lang     string // set for a hit in a fallback language
	Language string
}
