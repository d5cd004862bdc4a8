package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"helpcenter/internal/store"
)

// likeEscape escapes s for a LIKE pattern with ESCAPE '\'.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// requestWhere is the WHERE clause of f, its arguments numbered from $1.
// The text search matches the reference code exactly or the reader's own
// messages (never staff replies or notes) case-insensitively: ILIKE here,
// where SQLite's LIKE ignores the case of ASCII letters only.
func requestWhere(f store.RequestFilter) (string, []any) {
	var conds []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.State != "" {
		conds = append(conds, "r.state = "+arg(f.State))
	}
	if f.Kind != "" {
		conds = append(conds, "r.kind = "+arg(f.Kind))
	}
	if f.Locale != "" {
		conds = append(conds, "r.locale = "+arg(f.Locale))
	}
	if f.Device != "" {
		conds = append(conds, "r.device = "+arg(f.Device))
	}
	switch f.AssignedTo {
	case "":
	case "-":
		conds = append(conds, "r.assigned_to = ''")
	default:
		conds = append(conds, "r.assigned_to = "+arg(f.AssignedTo))
	}
	if !f.From.IsZero() {
		conds = append(conds, "r.created_at >= "+arg(f.From.UTC()))
	}
	if !f.To.IsZero() {
		conds = append(conds, "r.created_at < "+arg(f.To.UTC()))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		conds = append(conds, `(r.code = `+arg(strings.ToUpper(q))+` OR EXISTS (SELECT 1 FROM request_messages m
			WHERE m.request_id = r.id AND m.author = 'reader' AND m.body ILIKE `+arg("%"+likeEscape(q)+"%")+` ESCAPE '\'))`)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// ListRequests returns the requests f selects, newest first.
func (s *Store) ListRequests(ctx context.Context, f store.RequestFilter) ([]store.RequestSummary, error) {
	where, args := requestWhere(f)
	if f.Limit <= 0 {
		f.Limit = 50
	}
	n := len(args)
	args = append(args, f.Limit, f.Offset)
	rows, err := s.pool.Query(ctx, `SELECT r.id, r.code, r.locale, r.kind, r.device, r.state, r.assigned_to, r.article, r.created_at, r.updated_at,
		COALESCE((SELECT substr(m.body, 1, 160) FROM request_messages m WHERE m.request_id = r.id ORDER BY m.id LIMIT 1), '')
		FROM contact_requests r`+where+fmt.Sprintf(` ORDER BY r.id DESC LIMIT $%d OFFSET $%d`, n+1, n+2), args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: list requests: %w", err)
	}
	defer rows.Close()
	var out []store.RequestSummary
	for rows.Next() {
		var r store.RequestSummary
		if err := rows.Scan(&r.ID, &r.Code, &r.Locale, &r.Kind, &r.Device, &r.State, &r.AssignedTo, &r.Article, &r.CreatedAt, &r.UpdatedAt, &r.Excerpt); err != nil {
			return nil, fmt.Errorf("postgres: list requests: %w", err)
		}
		r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list requests: %w", err)
	}
	return out, nil
}

// CountRequests counts the requests f selects (Limit and Offset ignored).
func (s *Store) CountRequests(ctx context.Context, f store.RequestFilter) (int, error) {
	where, args := requestWhere(f)
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT COUNT(*) FROM contact_requests r`+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: count requests: %w", err)
	}
	return n, nil
}

// RequestByID returns request id with its thread, notes included.
func (s *Store) RequestByID(ctx context.Context, id int64) (store.ContactRequest, error) {
	return s.loadRequest(ctx, id, true)
}

// ScreenshotByID returns screenshot id of request requestID, bytes
// included, or store.ErrNotFound.
func (s *Store) ScreenshotByID(ctx context.Context, requestID, id int64) (store.Screenshot, error) {
	var sh store.Screenshot
	err := s.pool.QueryRow(ctx, `SELECT id, sha256, type, size, width, height, data FROM request_screenshots WHERE request_id = $1 AND id = $2`,
		requestID, id).Scan(&sh.ID, &sh.SHA256, &sh.Type, &sh.Size, &sh.Width, &sh.Height, &sh.Data)
	if errors.Is(err, pgx.ErrNoRows) {
		return sh, store.ErrNotFound
	}
	if err != nil {
		return sh, fmt.Errorf("postgres: screenshot: %w", err)
	}
	return sh, nil
}

// Reply adds a staff reply to request id, marks it answered and, with the
// reply's token and mail, adds the mail's status link and queues the mail,
// all in one transaction acknowledged once committed.
func (s *Store) Reply(ctx context.Context, id int64, r store.StaffReply) error {
	err := s.durable(ctx, func(tx pgx.Tx) error {
		t := time.Now().UTC()
		tag, err := tx.Exec(ctx, `UPDATE contact_requests SET state = 'answered', closed_at = NULL, updated_at = $1 WHERE id = $2`, t, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.ErrNotFound
		}
		if _, err := addMessage(ctx, tx, id, store.AuthorStaff, r.Staff, r.Body, nil, t); err != nil {
			return err
		}
		if r.TokenHash != nil {
			if _, err := tx.Exec(ctx, `INSERT INTO request_tokens (token_hash, request_id) VALUES ($1, $2)`, r.TokenHash, id); err != nil {
				return err
			}
		}
		if r.Mail != nil {
			return enqueueMail(ctx, tx, *r.Mail, t)
		}
		return nil
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("postgres: reply: %w", err)
	}
	return err
}

// AddNote adds an internal note to request id's thread.
func (s *Store) AddNote(ctx context.Context, id int64, staff, body string) error {
	return s.updateRequest(ctx, "add note", id, func(tx pgx.Tx, t time.Time) error {
		_, err := addMessage(ctx, tx, id, store.AuthorNote, staff, body, nil, t)
		return err
	})
}

// AssignRequest assigns request id to a staff member ("" unassigns).
func (s *Store) AssignRequest(ctx context.Context, id int64, staff string) error {
	return s.updateRequest(ctx, "assign request", id, func(tx pgx.Tx, t time.Time) error {
		_, err := tx.Exec(ctx, `UPDATE contact_requests SET assigned_to = $1 WHERE id = $2`, staff, id)
		return err
	})
}

// SetRequestState sets request id's state; closing it starts its
// retention period.
func (s *Store) SetRequestState(ctx context.Context, id int64, state string) error {
	if !store.ValidState(state) {
		return fmt.Errorf("postgres: set request state: invalid state %q", state)
	}
	return s.updateRequest(ctx, "set request state", id, func(tx pgx.Tx, t time.Time) error {
		_, err := tx.Exec(ctx, `UPDATE contact_requests SET state = $1,
			closed_at = CASE WHEN $1 = 'closed' THEN COALESCE(closed_at, $2) END WHERE id = $3`, state, t, id)
		return err
	})
}

// updateRequest runs change on request id in a transaction that also
// bumps its updated_at (locking its row first), or returns
// store.ErrNotFound.
func (s *Store) updateRequest(ctx context.Context, what string, id int64, change func(tx pgx.Tx, t time.Time) error) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		t := time.Now().UTC()
		tag, err := tx.Exec(ctx, `UPDATE contact_requests SET updated_at = $1 WHERE id = $2`, t, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.ErrNotFound
		}
		return change(tx, t)
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("postgres: %s: %w", what, err)
	}
	return err
}

// Deflections returns, per article and locale, how often since the time
// given a suggestion of the contact form was opened and no request sent;
// locale "" means every locale. Most frequent first.
func (s *Store) Deflections(ctx context.Context, since time.Time, locale string) ([]store.Deflection, error) {
	rows, err := s.pool.Query(ctx, `SELECT article, locale, SUM(count) FROM contact_deflections
		WHERE day >= $1 AND ($2 = '' OR locale = $2) GROUP BY article, locale HAVING SUM(count) > 0 ORDER BY 3 DESC, 1, 2 LIMIT 500`,
		since.UTC().Format(time.DateOnly), locale)
	if err != nil {
		return nil, fmt.Errorf("postgres: deflections: %w", err)
	}
	defer rows.Close()
	var out []store.Deflection
	for rows.Next() {
		var d store.Deflection
		if err := rows.Scan(&d.Article, &d.Locale, &d.Count); err != nil {
			return nil, fmt.Errorf("postgres: deflections: %w", err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: deflections: %w", err)
	}
	return out, nil
}
