package admin

import "github.com/a-h/templ"

// RequestRow is one request in the support inbox.
type RequestRow struct {
	Href, Code              string
	Locale, LocaleName, Dir string // the reader's language, for the excerpt
	Kind, Device, State     string
	AssignedTo, Excerpt     string
	Created, Updated        string
}

// StateCount is how many requests of one state the other filters select,
// with a link to them.
type StateCount struct {
	State, Href string
	Count       int
	Current     bool
}

// Requests is the support inbox.
type Requests struct {
	Page
	States, Kinds, Languages, Devices, Assignees []Filter
	From, To, Query                              string
	Rows                                         []RequestRow
	Total                                        int  // requests the filters select, all pages
	MoreThan                                     bool // Total is a lower bound: a text search counted so far
	First, Last                                  int  // 1-based positions of the rows shown
	Counts                                       []StateCount
	PrevHref, NextHref                           string
	CSVHref                                      string
}

// Shot is a screenshot attached to a message, shown as a thumbnail.
type Shot struct {
	Href, Alt     string
	Width, Height int // of the thumbnail
}

// ThreadEntry is one message of a request's thread.
type ThreadEntry struct {
	Author    string // reader, staff or note
	Who, At   string
	Body      string
	Lang, Dir string // the reader's for reader messages; staff write in any language
	Shots     []Shot
}

// Request is one request with its thread and the staff's forms.
type Request struct {
	Page
	Action                    string // the request's path, forms post below it
	Notice                    string // confirmation of the last action
	Code, State, Kind, Device string
	Locale, LocaleName, Dir   string
	Email, Created, Updated   string
	AssignedTo                string
	ArticleSlug, ArticleHref  string
	Thread                    []ThreadEntry
	Assignees, States         []Filter
	ReplyHint                 string // whether the reply goes out by mail
	MaxBody                   int
}

// current marks the link to the list being shown.
func current(on bool) templ.Attributes {
	if on {
		return templ.Attributes{"aria-current": "page"}
	}
	return nil
}
