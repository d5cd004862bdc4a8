package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"helpcenter/internal/store"
)

// rollupStmts keep vote_days, the per-day counts the dashboard reads,
// in step with votes: one primary-key read of the reader's earlier vote
// and one or two upserts into a small table, in the vote's transaction.
type rollupStmts struct {
	previous_, bump *sql.Stmt
}

func (r *rollupStmts) prepare(ctx context.Context, w *sql.DB) error {
	var err error
	if r.previous_, err = w.PrepareContext(ctx, `SELECT substr(updated_at, 1, 10), helpful, reason FROM votes
		WHERE reader = ? AND article = ? AND locale = ?`); err != nil {
		return err
	}
	r.bump, err = w.PrepareContext(ctx, `INSERT INTO vote_days (day, article, locale, helpful, reason, count)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (day, article, locale, helpful, reason) DO UPDATE SET count = count + excluded.count`)
	return err
}

func (r *rollupStmts) close() {
	if r.previous_ != nil {
		r.previous_.Close()
	}
	if r.bump != nil {
		r.bump.Close()
	}
}

// earlier is a reader's earlier vote as the rollup counted it.
type earlier struct {
	found   bool
	day     string
	helpful int
	reason  string
}

func (r *rollupStmts) previous(tx *sql.Tx, v store.Vote) (earlier, error) {
	var e earlier
	err := tx.Stmt(r.previous_).QueryRow(v.Reader, v.Article, v.Locale).Scan(&e.day, &e.helpful, &e.reason)
	if errors.Is(err, sql.ErrNoRows) {
		return e, nil
	}
	e.found = err == nil
	return e, err
}

// move takes the earlier vote off its day and counts v on today.
func (r *rollupStmts) move(tx *sql.Tx, v store.Vote, e earlier, now string) error {
	helpful := 0
	if v.Helpful {
		helpful = 1
	}
	bump := tx.Stmt(r.bump)
	if e.found {
		if _, err := bump.Exec(e.day, v.Article, v.Locale, e.helpful, e.reason, -1); err != nil {
			return err
		}
	}
	_, err := bump.Exec(now[:10], v.Article, v.Locale, helpful, v.Reason, 1)
	return err
}

// rebuildRollups recounts the days from day on from the votes, after a
// purge removed votes (rare: once a day).
func rebuildRollups(tx *sql.Tx, from string) error {
	if _, err := tx.Exec(`DELETE FROM vote_days WHERE day <= ?`, from); err != nil {
		return err
	}
	_, err := tx.Exec(`INSERT INTO vote_days (day, article, locale, helpful, reason, count)
		SELECT substr(updated_at, 1, 10), article, locale, helpful, reason, COUNT(*)
		FROM votes WHERE updated_at < ? GROUP BY 1, 2, 3, 4, 5`, from+"T99")
	return err
}

// rollupSince is the first day of a period, as vote_days spells it.
func rollupSince(since time.Time) string { return since.UTC().Format(time.DateOnly) }
