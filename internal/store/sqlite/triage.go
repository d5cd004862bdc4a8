package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"helpcenter/internal/store"
)

var _ store.Feedback = (*Store)(nil)

// VoteStats counts, from the daily rollups, the votes changed since a day, per article and
// language, optionally for one language only.
func (s *Store) VoteStats(ctx context.Context, since time.Time, locale string) ([]store.VoteStat, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT article, locale, helpful, reason, SUM(count) FROM vote_days
		WHERE day >= ? AND (? = '' OR locale = ?)
		GROUP BY article, locale, helpful, reason HAVING SUM(count) > 0 ORDER BY article, locale`,
		rollupSince(since), locale, locale)
	if err != nil {
		return nil, fmt.Errorf("store: vote stats: %w", err)
	}
	defer rows.Close()
	var out []store.VoteStat
	for rows.Next() {
		var a, l, reason string
		var helpful bool
		var n int
		if err := rows.Scan(&a, &l, &helpful, &reason, &n); err != nil {
			return nil, fmt.Errorf("store: vote stats: %w", err)
		}
		out = store.AppendCount(out, a, l, helpful, reason, n)
	}
	return out, rows.Err()
}

// VoteTrend counts the votes per day since a time, for one article and
// language or ("" for either) all of them. A changed vote counts on the
// day of its latest answer.
func (s *Store) VoteTrend(ctx context.Context, since time.Time, article, locale string) ([]store.DayCount, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT day, SUM(helpful * count), SUM((1 - helpful) * count) FROM vote_days
		WHERE day >= ? AND (? = '' OR article = ?) AND (? = '' OR locale = ?)
		GROUP BY day ORDER BY day`,
		rollupSince(since), article, article, locale, locale)
	if err != nil {
		return nil, fmt.Errorf("store: vote trend: %w", err)
	}
	defer rows.Close()
	var out []store.DayCount
	for rows.Next() {
		var d store.DayCount
		if err := rows.Scan(&d.Day, &d.Helpful, &d.NotHelpful); err != nil {
			return nil, fmt.Errorf("store: vote trend: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Comments returns the comments left with a "No" vote, newest first,
// optionally in one triage state ("new" includes never triaged).
func (s *Store) Comments(ctx context.Context, state string, limit int) ([]store.Comment, error) {
	// A triaged state is read from the small triage table; "new" and all
	// walk the partial index of commented "No" votes, newest first.
	q := `SELECT v.reader, v.article, v.locale, v.reason, v.comment, v.updated_at,
		COALESCE(t.state, 'new'), COALESCE(t.note, ''), COALESCE(t.updated_by, '')
		FROM votes v LEFT JOIN comment_triage t
			ON t.reader = v.reader AND t.article = v.article AND t.locale = v.locale
		WHERE v.helpful = 0 AND v.comment != '' AND (? = '' OR COALESCE(t.state, 'new') = ?)
		ORDER BY v.updated_at DESC LIMIT ?`
	if state != "" && state != "new" {
		q = `SELECT v.reader, v.article, v.locale, v.reason, v.comment, v.updated_at, t.state, t.note, t.updated_by
		FROM comment_triage t JOIN votes v
			ON v.reader = t.reader AND v.article = t.article AND v.locale = t.locale
		WHERE v.helpful = 0 AND v.comment != '' AND ? = ? AND t.state = ?
		ORDER BY v.updated_at DESC LIMIT ?`
	}
	args := []any{state, state, limit}
	if state != "" && state != "new" {
		args = []any{state, state, state, limit}
	}
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: comments: %w", err)
	}
	defer rows.Close()
	var out []store.Comment
	for rows.Next() {
		var c store.Comment
		var at string
		if err := rows.Scan(&c.Reader, &c.Article, &c.Locale, &c.Reason, &c.Comment, &at, &c.State, &c.Note, &c.UpdatedBy); err != nil {
			return nil, fmt.Errorf("store: comments: %w", err)
		}
		c.At = parseTS(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// SetTriage records the state and note of one comment.
func (s *Store) SetTriage(ctx context.Context, c store.Comment, now time.Time) error {
	err := s.commit(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO comment_triage (reader, article, locale, state, note, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (reader, article, locale) DO UPDATE SET
				state = excluded.state, note = excluded.note, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			c.Reader, c.Article, c.Locale, c.State, c.Note, c.UpdatedBy, ts(now))
		return err
	})
	if err != nil {
		return fmt.Errorf("store: set triage: %w", err)
	}
	return nil
}
