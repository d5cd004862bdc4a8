package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"helpcenter/internal/store"
)

const upsertVote = `INSERT INTO votes (reader, article, locale, helpful, reason, comment, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (reader, article, locale) DO UPDATE SET
	helpful = excluded.helpful, reason = excluded.reason,
	comment = excluded.comment, updated_at = excluded.updated_at`

// SaveVote records v, replacing the reader's earlier vote on the same
// article and language. It returns only once the vote is committed.
func (s *Store) SaveVote(ctx context.Context, v store.Vote) error {
	now := time.Now().UTC().Format(time.RFC3339)
	helpful := 0
	if v.Helpful {
		helpful = 1
	}
	err := s.grow(ctx, func(tx *sql.Tx) error {
		// The statement was prepared on the one write connection, so the
		// transaction reuses it instead of parsing the SQL again.
		// The daily rollup moves in the same transaction (rollups.go).
		before, err := s.rollup.previous(tx, v)
		if err != nil {
			return err
		}
		if _, err := tx.Stmt(s.upsertVote).Exec(v.Reader, v.Article, v.Locale, helpful, v.Reason, v.Comment, now, now); err != nil {
			return err
		}
		return s.rollup.move(tx, v, before, now)
	})
	if err != nil {
		return fmt.Errorf("store: save vote: %w", err)
	}
	return nil
}

// Tallies counts the votes per article and language, with the reasons.
func (s *Store) Tallies(ctx context.Context) ([]store.VoteTally, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT article, locale, helpful, reason, COUNT(*)
		FROM votes GROUP BY article, locale, helpful, reason ORDER BY article, locale`)
	if err != nil {
		return nil, fmt.Errorf("store: tallies: %w", err)
	}
	defer rows.Close()
	var out []store.VoteTally
	for rows.Next() {
		var (
			article, locale, reason string
			helpful                 bool
			n                       int
		)
		if err := rows.Scan(&article, &locale, &helpful, &reason, &n); err != nil {
			return nil, fmt.Errorf("store: tallies: %w", err)
		}
		out = store.AppendCount(out, article, locale, helpful, reason, n)
	}
	return out, rows.Err()
}

// HelpfulByArticle returns the number of helpful votes per article, all
// languages together, to order the popular questions.
func (s *Store) HelpfulByArticle(ctx context.Context) (map[string]int, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT article, COUNT(*) FROM votes WHERE helpful = 1 GROUP BY article`)
	if err != nil {
		return nil, fmt.Errorf("store: helpful by article: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var a string
		var n int
		if err := rows.Scan(&a, &n); err != nil {
			return nil, fmt.Errorf("store: helpful by article: %w", err)
		}
		out[a] = n
	}
	return out, rows.Err()
}

// EachVote calls fn for every vote, oldest first.
func (s *Store) EachVote(ctx context.Context, fn func(store.ExportedVote) error) error {
	rows, err := s.read.QueryContext(ctx, `SELECT article, locale, helpful, reason, comment, created_at, updated_at
		FROM votes ORDER BY created_at, article, locale`)
	if err != nil {
		return fmt.Errorf("store: export votes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v store.ExportedVote
		if err := rows.Scan(&v.Article, &v.Locale, &v.Helpful, &v.Reason, &v.Comment, &v.CreatedAt, &v.UpdatedAt); err != nil {
			return fmt.Errorf("store: export votes: %w", err)
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	return rows.Err()
}

// PurgeVotes deletes votes not changed since before, for the retention
// period the README promises.
func (s *Store) PurgeVotes(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.commit(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`DELETE FROM votes WHERE updated_at < ?`, before.UTC().Format(time.RFC3339))
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		return rebuildRollups(tx, rollupSince(before))
	})
	if err != nil {
		return 0, fmt.Errorf("store: purge votes: %w", err)
	}
	return n, nil
}
