package store

import (
	"context"
	"time"
)

// TriageStates are the states of a reader comment in the triage queue.
var TriageStates = []string{"new", "planned", "done", "dismissed"}

// Comment is a comment left with a "No" vote, with its triage state.
type Comment struct {
	Reader, Article, Locale, Reason, Comment string
	At                                       time.Time
	State, Note, UpdatedBy                   string
}

// VoteStat is the votes on one article in one language over a period:
// the same counts as a VoteTally.
type VoteStat = VoteTally

// DayCount is the votes of one day.
type DayCount struct {
	Day                 string // YYYY-MM-DD
	Helpful, NotHelpful int
}

// Feedback is what the back office reads of votes and comments.
type Feedback interface {
	VoteStats(ctx context.Context, since time.Time, locale string) ([]VoteStat, error)
	VoteTrend(ctx context.Context, since time.Time, article, locale string) ([]DayCount, error)
	Comments(ctx context.Context, state string, limit int) ([]Comment, error)
	SetTriage(ctx context.Context, c Comment, now time.Time) error
	TopMissedSearches(ctx context.Context, since time.Time, locale string, limit int) ([]MissedSearch, error)
}
