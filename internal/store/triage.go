package store

import (
	"context"
	"database/sql"
	"fmt"
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

// VoteStat is the votes on one article in one language over a period.
type VoteStat struct {
	Article, Locale     string
	Helpful, NotHelpful int
	Reasons             map[string]int
}

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
}

var _ Feedback = (*Store)(nil)

// VoteStats counts the votes changed since a time, per article and
// language, optionally for one language only.
func (s *Store) VoteStats(ctx context.Context, since time.Time, locale string) ([]VoteStat, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT article, locale, helpful, reason, COUNT(*) FROM votes
		WHERE updated_at >= ? AND (? = '' OR locale = ?)
		GROUP BY article, locale, helpful, reason ORDER BY article, locale`,
		since.UTC().Format(time.RFC3339), locale, locale)
	if err != nil {
		return nil, fmt.Errorf("store: vote stats: %w", err)
	}
	defer rows.Close()
	var out []VoteStat
	for rows.Next() {
		var a, l, reason string
		var helpful bool
		var n int
		if err := rows.Scan(&a, &l, &helpful, &reason, &n); err != nil {
			return nil, fmt.Errorf("store: vote stats: %w", err)
		}
		if len(out) == 0 || out[len(out)-1].Article != a || out[len(out)-1].Locale != l {
			out = append(out, VoteStat{Article: a, Locale: l, Reasons: map[string]int{}})
		}
		v := &out[len(out)-1]
		if helpful {
			v.Helpful += n
		} else {
			v.NotHelpful += n
			v.Reasons[reason] += n
		}
	}
	return out, rows.Err()
}

// VoteTrend counts the votes per day since a time, for one article and
// language or ("" for either) all of them. A changed vote counts on the
// day of its latest answer.
func (s *Store) VoteTrend(ctx context.Context, since time.Time, article, locale string) ([]DayCount, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT substr(updated_at, 1, 10) AS day,
		SUM(helpful), SUM(1 - helpful) FROM votes
		WHERE updated_at >= ? AND (? = '' OR article = ?) AND (? = '' OR locale = ?)
		GROUP BY day ORDER BY day`,
		since.UTC().Format(time.RFC3339), article, article, locale, locale)
	if err != nil {
		return nil, fmt.Errorf("store: vote trend: %w", err)
	}
	defer rows.Close()
	var out []DayCount
	for rows.Next() {
		var d DayCount
		if err := rows.Scan(&d.Day, &d.Helpful, &d.NotHelpful); err != nil {
			return nil, fmt.Errorf("store: vote trend: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Comments returns the comments left with a "No" vote, newest first,
// optionally in one triage state ("new" includes never triaged).
func (s *Store) Comments(ctx context.Context, state string, limit int) ([]Comment, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT v.reader, v.article, v.locale, v.reason, v.comment, v.updated_at,
		COALESCE(t.state, 'new'), COALESCE(t.note, ''), COALESCE(t.updated_by, '')
		FROM votes v LEFT JOIN comment_triage t
			ON t.reader = v.reader AND t.article = v.article AND t.locale = v.locale
		WHERE v.helpful = 0 AND v.comment != '' AND (? = '' OR COALESCE(t.state, 'new') = ?)
		ORDER BY v.updated_at DESC LIMIT ?`, state, state, limit)
	if err != nil {
		return nil, fmt.Errorf("store: comments: %w", err)
	}
	defer rows.Close()
	var out []Comment
	for rows.Next() {
		var c Comment
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
func (s *Store) SetTriage(ctx context.Context, c Comment, now time.Time) error {
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
