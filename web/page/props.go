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
	ContactForm  bool // the article explains contacting support: show the way to the form
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
	Contact string // the contact form, naming this article
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
	Slug     string
	Href     string
	Title    string
	Category string
	Snippet  string // safe HTML: escaped text with <mark>
	Lang     string // set for a hit in a fallback language
	Language string
}

// ContactProps is the contact form, first shown or shown again after a
// post: with the reader's values, field errors, the screenshots kept in
// the draft, and (before sending) the suggested articles.
type ContactProps struct {
	Page         layout.Page
	Action       string
	SuggestURL   string // the script's suggestions endpoint
	Kind         string
	Device       string
	Description  string
	Email        string
	Article      string // slug of the article the reader came from
	ArticleTitle string
	Stamp        string // signed time the form was issued
	DraftID      string
	Kept         []KeptShot
	Errors       []FieldError // in the form's order
	SubmitError  string       // shown next to the send button (rate limit, storage)
	Suggestions  []ui.ArticleLink
	Confirm      bool // the suggestions were shown: the button sends for real
	Kinds        []string
	Devices      []string
	MinLen       int
	MaxLen       int
	MaxShots     int
	KeepDays     int
}

// FieldError is a localized error message for one form field.
type FieldError struct {
	Field   string // the field's id without its prefix: kind, device, description, email, screenshots
	Message string
}

// KeptShot is a screenshot already accepted into the form's draft.
type KeptShot struct {
	ID   int64
	Name string
}

// ErrorFor returns the error of a field, or "".
func (p ContactProps) ErrorFor(field string) string { return errorFor(p.Errors, field) }

func errorFor(errs []FieldError, field string) string {
	for _, e := range errs {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

// ContactSentProps is the confirmation after a request was sent.
type ContactSentProps struct {
	Page      layout.Page
	Code      string
	StatusURL string
	ReplyDays int
	Email     string
	Duplicate bool
}

// RequestProps is a request's private status page.
type RequestProps struct {
	Page     layout.Page
	Action   string
	Code     string
	State    string
	Kind     string
	Device   string
	Sent     string // localized date
	SentISO  string
	Messages []RequestMessage
	Notice   string // after a follow-up or "solved"
	Body     string // a follow-up being corrected
	Errors   []FieldError
	Kept     []KeptShot
	DraftID  string
	MinLen   int
	MaxLen   int
	MaxShots int
}

// ErrorFor returns the error of a field, or "".
func (p RequestProps) ErrorFor(field string) string { return errorFor(p.Errors, field) }

// RequestMessage is one message of a request's thread.
type RequestMessage struct {
	Staff   bool
	Body    string
	Date    string
	DateISO string
	Shots   []ShotLink
}

// ShotLink is a screenshot of the thread, served through the token.
type ShotLink struct {
	Href   string
	Label  string
	Width  int
	Height int
}
