package store

import (
	"context"
	"time"
)

// Request states.
const (
	StateOpen     = "open"
	StateAnswered = "answered"
	StateClosed   = "closed"
)

// Message authors.
const (
	AuthorReader = "reader"
	AuthorStaff  = "staff"
)

// Requests is what the site does with contact requests.
type Requests interface {
	CreateRequest(ctx context.Context, r NewRequest) (created ContactRequest, duplicate bool, err error)
	RequestByToken(ctx context.Context, tokenHash []byte) (ContactRequest, error)
	ScreenshotByToken(ctx context.Context, tokenHash []byte, id int64) (Screenshot, error)
	AddFollowUp(ctx context.Context, tokenHash []byte, body string, shots []Screenshot) error
	MarkSolved(ctx context.Context, tokenHash []byte) error
	PurgeRequests(ctx context.Context, closedBefore time.Time) (int64, error)
}

// Screenshot is one re-encoded image, metadata stripped.
type Screenshot struct {
	ID     int64
	Name   string // drafts only: the name the reader's file had
	SHA256 []byte
	Type   string // image/png, image/jpeg
	Size   int
	Width  int
	Height int
	Data   []byte // nil when only the description was loaded
}

// NewRequest is a request as the reader sent it.
type NewRequest struct {
	Code        string
	TokenHash   []byte
	Locale      string
	Kind        string
	Device      string
	Email       string
	Article     string
	Description string
	Fingerprint string        // hash of the request's content and sender, for duplicates
	DedupWindow time.Duration // an identical request within it is the same request
	Screenshots []Screenshot
	Mail        *Mail // the confirmation, queued with a new request (not a duplicate)
}

// Message is one entry in a request's thread.
type Message struct {
	ID          int64
	Author      string
	Staff       string // the staff member who wrote a reply or note
	Body        string
	CreatedAt   time.Time
	Screenshots []Screenshot // without Data
}

// ContactRequest is a stored request with its thread.
type ContactRequest struct {
	ID         int64
	Code       string
	Locale     string
	Kind       string
	Device     string
	Email      string
	Article    string
	State      string
	AssignedTo string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Messages   []Message
}

// Contact is everything the contact flow and the support inbox need of a
// store; both engines implement it.
type Contact interface {
	Requests
	Drafts
	Outbox
	Inbox
	RecordDeflection(ctx context.Context, locale, article string) error
	UndoDeflection(ctx context.Context, day, locale, article string) error
	PurgeDeflections(ctx context.Context, before time.Time) error
}
