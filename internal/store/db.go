package store

import (
	"context"
	"time"
)

// Votes is what the site does with reader votes.
type Votes interface {
	// SaveVote returns only once the vote is durable.
	SaveVote(ctx context.Context, v Vote) error
	Tallies(ctx context.Context) ([]VoteTally, error)
	HelpfulByArticle(ctx context.Context) (map[string]int, error)
	EachVote(ctx context.Context, fn func(ExportedVote) error) error
	PurgeVotes(ctx context.Context, before time.Time) (int64, error)
}

// Searches is what the site keeps of searches that found nothing.
type Searches interface {
	RecordMissedSearch(ctx context.Context, locale, query string) error
	MissedSearches(ctx context.Context, since time.Time) ([]MissedSearch, error)
	PurgeMissedSearches(ctx context.Context, before time.Time) error
}

// DB is every concern together, as one engine provides them: sqlite.Store
// for SQLite and postgres.Store for PostgreSQL. Handlers depend on this,
// never on an engine.
type DB interface {
	Votes
	Searches
	// Ping reports whether the database answers and can take writes.
	Ping(ctx context.Context) error
	Version(ctx context.Context) (int, error)
	// Exclusive runs fn unless another instance is already running the
	// same job, and reports whether fn ran: periodic work such as the
	// retention purges then happens once across instances.
	Exclusive(ctx context.Context, job string, fn func(context.Context) error) (bool, error)
	Close() error
}
