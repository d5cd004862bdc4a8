package postgres

import (
	"context"
	"fmt"
	"time"

	"helpcenter/internal/store"
)

var _ store.Feedback = (*Store)(nil)

// VoteStats counts, from the daily rollups, the votes changed since a day,
// per article and language, optionally for one language only.
func (s *Store) VoteStats(ctx context.Context, since time.Time, locale string) ([]store.VoteStat, error) {
	rows, err := s.pool.Query(ctx, `SELECT article, locale, helpful, reason, SUM(count) FROM vote_days
		WHERE day >= $1 AND ($2 = '' OR locale = $2)
		GROUP BY article, locale, helpful, reason HAVING SUM(count) > 0 ORDER BY article, locale`,
		since.UTC().Format(time.DateOnly), locale)
	if err != nil {
		return nil, fmt.Errorf("postgres: vote stats: %w", err)
	}
	defer rows.Close()
	var out []store.VoteStat
	for rows.Next() {
		var a, l, reason string
		var helpful bool
		var n int
		if err := rows.Scan(&a, &l, &helpful, &reason, &n); err != nil {
			return nil, fmt.Errorf("postgres: vote stats: %w", err)
		}
		out = store.AppendCount(out, a, l, helpful, reason, n)
	}
	return out, rows.Err()
}

// VoteTrend counts the votes per day since a time, for one article and
// language or ("" for either) all of them.
func (s *Store) VoteTrend(ctx context.Context, since time.Time, article, locale string) ([]store.DayCount, error) {
	rows, err := s.pool.Query(ctx, `SELECT to_char(day, 'YYYY-MM-DD'),
			SUM(CASE WHEN helpful THEN count ELSE 0 END), SUM(CASE WHEN helpful THEN 0 ELSE count END)
		FROM vote_days WHERE day >= $1 AND ($2 = '' OR article = $2) AND ($3 = '' OR locale = $3)
		GROUP BY day ORDER BY day`, since.UTC().Format(time.DateOnly), article, locale)
	if err != nil {
		return nil, fmt.Errorf("postgres: vote trend: %w", err)
	}
	defer rows.Close()
	var out []store.DayCount
	for rows.Next() {
		var d store.DayCount
		if err := rows.Scan(&d.Day, &d.Helpful, &d.NotHelpful); err != nil {
			return nil, fmt.Errorf("postgres: vote trend: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Comments returns the comments left with a "No" vote, newest first,
// optionally in one triage state ("new" includes never triaged).
func (s *Store) Comments(ctx context.Context, state string, limit int) ([]store.Comment, error) {
	rows, err := s.pool.Query(ctx, `SELECT v.reader, v.article, v.locale, v.reason, v.comment, v.updated_at,
			COALESCE(t.state, 'new'), COALESCE(t.note, ''), COALESCE(t.updated_by, '')
		FROM votes v LEFT JOIN comment_triage t
			ON t.reader = v.reader AND t.article = v.article AND t.locale = v.locale
		WHERE NOT v.helpful AND v.comment != '' AND ($1 = '' OR COALESCE(t.state, 'new') = $1)
		ORDER BY v.updated_at DESC LIMIT $2`, state, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: comments: %w", err)
	}
	defer rows.Close()
	var out []store.Comment
	for rows.Next() {
		var c store.Comment
		if err := rows.Scan(&c.Reader, &c.Article, &c.Locale, &c.Reason, &c.Comment, &c.At, &c.State, &c.Note, &c.UpdatedBy); err != nil {
			return nil, fmt.Errorf("postgres: comments: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SetTriage records the state and note of one comment.
func (s *Store) SetTriage(ctx context.Context, c store.Comment, now time.Time) error {
	if _, err := s.pool.Exec(ctx, `INSERT INTO comment_triage (reader, article, locale, state, note, updated_by, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (reader, article, locale) DO UPDATE SET
			state = excluded.state, note = excluded.note, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		c.Reader, c.Article, c.Locale, c.State, c.Note, c.UpdatedBy, now.UTC()); err != nil {
		return fmt.Errorf("postgres: set triage: %w", err)
	}
	return nil
}

// TopMissedSearches sums the counts since a day per language and query,
// optionally for one language, most frequent first, at most limit rows.
// Day is the latest day the search was seen.
func (s *Store) TopMissedSearches(ctx context.Context, since time.Time, locale string, limit int) ([]store.MissedSearch, error) {
	rows, err := s.pool.Query(ctx, `SELECT to_char(MAX(day), 'YYYY-MM-DD'), locale, query, SUM(count) AS n FROM missed_searches
		WHERE day >= $1 AND ($2 = '' OR locale = $2) GROUP BY locale, query ORDER BY n DESC, locale, query LIMIT $3`,
		since.UTC().Format(time.DateOnly), locale, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: top missed searches: %w", err)
	}
	defer rows.Close()
	var out []store.MissedSearch
	for rows.Next() {
		var m store.MissedSearch
		if err := rows.Scan(&m.Day, &m.Locale, &m.Query, &m.Count); err != nil {
			return nil, fmt.Errorf("postgres: top missed searches: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
