package store

import (
	"context"
	"time"
)

// AuthorNote marks a staff note in a request's thread: the reader never
// sees it.
const AuthorNote = "note"

// Inbox is the support team's side of contact requests.
type Inbox interface {
	ListRequests(ctx context.Context, f RequestFilter) ([]RequestSummary, error)
	CountRequests(ctx context.Context, f RequestFilter) (int, error)
	// RequestByID returns a request with its whole thread, notes included.
	RequestByID(ctx context.Context, id int64) (ContactRequest, error)
	ScreenshotByID(ctx context.Context, requestID, id int64) (Screenshot, error)
	// Reply adds a staff reply and marks the request answered; with
	// r.TokenHash it also adds a status link's token (a reply mail carries
	// a fresh link, as the first one is only known to the reader), and
	// with r.Mail queues that mail, all in one transaction.
	Reply(ctx context.Context, id int64, r StaffReply) error
	AddNote(ctx context.Context, id int64, staff, body string) error
	AssignRequest(ctx context.Context, id int64, staff string) error
	SetRequestState(ctx context.Context, id int64, state string) error
	Deflections(ctx context.Context, since time.Time, locale string) ([]Deflection, error)
}

// StaffReply is a reply written in the back office.
type StaffReply struct {
	Staff     string
	Body      string
	TokenHash []byte
	Mail      *Mail
}

// RequestFilter selects requests in the inbox; zero fields match all.
type RequestFilter struct {
	State      string
	Kind       string
	Locale     string
	Device     string
	AssignedTo string // "-" for unassigned
	From, To   time.Time
	Query      string // in the reference code or in the reader's messages
	Limit      int
	Offset     int
	// CountLimit, when above zero, lets CountRequests stop counting there
	// (an engine may count further): a word found in half the inbox need
	// not be counted to the end.
	CountLimit int
}

// RequestSummary is one row of the inbox.
type RequestSummary struct {
	ID         int64
	Code       string
	Locale     string
	Kind       string
	Device     string
	State      string
	AssignedTo string
	Article    string
	Excerpt    string // start of the reader's first message
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Deflection is how often an article suggested by the contact form was
// opened and no request followed.
type Deflection struct {
	Article string
	Locale  string
	Count   int
}

// ValidState reports whether s is a request state.
func ValidState(s string) bool {
	return s == StateOpen || s == StateAnswered || s == StateClosed
}
