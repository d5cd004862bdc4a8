package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"helpcenter/internal/store"
)

// SaveVote records v, replacing the reader's earlier vote on the same
// article and language. It returns only once the vote is committed.
func (s *Store) SaveVote(ctx context.Context, v store.Vote) error {
	if err := s.writer.save(ctx, v); err != nil {
		return fmt.Errorf("postgres: save vote: %w", err)
	}
	return nil
}

// Tallies counts the votes per article and language, with the reasons.
func (s *Store) Tallies(ctx context.Context) ([]store.VoteTally, error) {
	rows, err := s.pool.Query(ctx, `SELECT article, locale, helpful, reason, COUNT(*)
		FROM votes GROUP BY article, locale, helpful, reason ORDER BY article, locale`)
	if err != nil {
		return nil, fmt.Errorf("postgres: tallies: %w", err)
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
			return nil, fmt.Errorf("postgres: tallies: %w", err)
		}
		out = store.AppendCount(out, article, locale, helpful, reason, n)
	}
	return out, rows.Err()
}

// HelpfulByArticle returns the number of helpful votes per article, all
// languages together, to order the popular questions.
func (s *Store) HelpfulByArticle(ctx context.Context) (map[string]int, error) {
	rows, err := s.pool.Query(ctx, `SELECT article, COUNT(*) FROM votes WHERE helpful GROUP BY article`)
	if err != nil {
		return nil, fmt.Errorf("postgres: helpful by article: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var a string
		var n int
		if err := rows.Scan(&a, &n); err != nil {
			return nil, fmt.Errorf("postgres: helpful by article: %w", err)
		}
		out[a] = n
	}
	return out, rows.Err()
}

// EachVote calls fn for every vote, oldest first. Times are RFC 3339 in
// UTC, as the SQLite store writes them, so exports look the same.
func (s *Store) EachVote(ctx context.Context, fn func(store.ExportedVote) error) error {
	rows, err := s.pool.Query(ctx, `SELECT article, locale, helpful, reason, comment, created_at, updated_at
		FROM votes ORDER BY created_at, article, locale`)
	if err != nil {
		return fmt.Errorf("postgres: export votes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v store.ExportedVote
		var created, updated time.Time
		if err := rows.Scan(&v.Article, &v.Locale, &v.Helpful, &v.Reason, &v.Comment, &created, &updated); err != nil {
			return fmt.Errorf("postgres: export votes: %w", err)
		}
		v.CreatedAt = created.UTC().Format(time.RFC3339)
		v.UpdatedAt = updated.UTC().Format(time.RFC3339)
		if err := fn(v); err != nil {
			return err
		}
	}
	return rows.Err()
}

// PurgeVotes deletes votes not changed since before. Any instance may run
// it; running it twice deletes nothing more.
//
// The rollups of the days the purge reached are counted again from the
// votes that remain, in the same transaction.
func (s *Store) PurgeVotes(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM votes WHERE updated_at < $1`, before)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		n = tag.RowsAffected()
		day := before.UTC().Format(time.DateOnly)
		if _, err := tx.Exec(ctx, `DELETE FROM vote_days WHERE day <= $1`, day); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO vote_days (day, article, locale, helpful, reason, count)
			SELECT (updated_at AT TIME ZONE 'UTC')::date, article, locale, helpful, reason, COUNT(*)
			FROM votes WHERE (updated_at AT TIME ZONE 'UTC')::date <= $1 GROUP BY 1, 2, 3, 4, 5`, day)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: purge votes: %w", err)
	}
	return n, nil
}

// upsertVotes writes a batch in one statement: the columns travel as
// arrays and unnest turns them back into rows, so a batch of 500 votes is
// one round trip and one plan. In the same statement the daily rollups
// move: each earlier vote (read from the snapshot before the upsert) is
// taken off its day, and each new answer is counted on today.
const upsertVotes = `WITH input AS (
	SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bool[], $5::text[], $6::text[]) AS t(r, a, l, h, rs, c)
), earlier AS (
	SELECT (v.updated_at AT TIME ZONE 'UTC')::date AS day, v.article, v.locale, v.helpful, v.reason
	FROM votes v JOIN input i ON v.reader = i.r AND v.article = i.a AND v.locale = i.l
), upsert AS (
	INSERT INTO votes (reader, article, locale, helpful, reason, comment, created_at, updated_at)
	SELECT r, a, l, h, rs, c, $7, $7 FROM input
	ON CONFLICT (reader, article, locale) DO UPDATE SET
		helpful = excluded.helpful, reason = excluded.reason,
		comment = excluded.comment, updated_at = excluded.updated_at
), delta AS (
	SELECT day, article, locale, helpful, reason, -1 AS n FROM earlier
	UNION ALL
	SELECT ($7::timestamptz AT TIME ZONE 'UTC')::date, a, l, h, rs, 1 FROM input
)
INSERT INTO vote_days (day, article, locale, helpful, reason, count)
SELECT day, article, locale, helpful, reason, SUM(n) FROM delta GROUP BY 1, 2, 3, 4, 5
ON CONFLICT (day, article, locale, helpful, reason) DO UPDATE SET count = vote_days.count + excluded.count`

// insertVotes writes votes, at most one per key, in tx.
func insertVotes(ctx context.Context, tx pgx.Tx, votes []store.Vote) error {
	n := len(votes)
	readers, articles, locales := make([]string, n), make([]string, n), make([]string, n)
	helpful, reasons, comments := make([]bool, n), make([]string, n), make([]string, n)
	for i, v := range votes {
		readers[i], articles[i], locales[i] = v.Reader, v.Article, v.Locale
		helpful[i], reasons[i], comments[i] = v.Helpful, v.Reason, v.Comment
	}
	_, err := tx.Exec(ctx, upsertVotes, readers, articles, locales, helpful, reasons, comments, time.Now().UTC())
	return err
}
