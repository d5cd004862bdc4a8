package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"helpcenter/internal/store"
)

// likeEscape escapes s for a LIKE pattern with ESCAPE '\'.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// requestQuery returns the FROM and WHERE clauses that select f's
// requests (as r), and the column that orders them by id. A text search
// of three characters or more is driven by the trigram index in id order,
// newest first, so a page of a common word stops after its first matches;
// a code-shaped search also looks the code up; one of one or two
// characters scans the readers' messages with LIKE.
func requestQuery(f store.RequestFilter) (from string, args []any, order string) {
	var conds []string
	add := func(cond string, a ...any) { conds = append(conds, cond); args = append(args, a...) }
	from, order = "contact_requests r", "r.id"
	q := strings.TrimSpace(f.Query)
	code := strings.ToUpper(q)
	switch {
	case q == "":
	case utf8.RuneCountInString(q) >= 3 && !strings.HasPrefix(code, "HC-"):
		// Case folded substring of the text, as LIKE would find it.
		from, order = "request_text t JOIN contact_requests r ON r.id = t.rowid", "t.rowid"
		add("t.request_text MATCH ?", ftsPhrase(q))
	case utf8.RuneCountInString(q) >= 3:
		add(`r.id IN (SELECT id FROM contact_requests WHERE code = ? UNION ALL SELECT rowid FROM request_text WHERE request_text MATCH ?)`,
			code, ftsPhrase(q))
	default:
		// Too short for a trigram, and for a code: one pass over the
		// messages, not one probe per request.
		add(`r.id IN (SELECT request_id FROM request_messages WHERE author = 'reader' AND body LIKE ? ESCAPE '\')`, "%"+likeEscape(q)+"%")
	}
	if f.State != "" {
		add("r.state = ?", f.State)
	}
	if f.Kind != "" {
		add("r.kind = ?", f.Kind)
	}
	if f.Locale != "" {
		add("r.locale = ?", f.Locale)
	}
	if f.Device != "" {
		add("r.device = ?", f.Device)
	}
	switch f.AssignedTo {
	case "":
	case "-":
		add("r.assigned_to = ''")
	default:
		add("r.assigned_to = ?", f.AssignedTo)
	}
	if !f.From.IsZero() {
		add("r.created_at >= ?", f.From.UTC().Format(time.RFC3339Nano))
	}
	if !f.To.IsZero() {
		add("r.created_at < ?", f.To.UTC().Format(time.RFC3339Nano))
	}
	if len(conds) > 0 {
		from += " WHERE " + strings.Join(conds, " AND ")
	}
	return from, args, order
}

// ftsPhrase quotes s as one FTS5 phrase: with the trigram tokenizer, a
// substring.
func ftsPhrase(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// ListRequests returns the requests f selects, newest first.
func (s *Store) ListRequests(ctx context.Context, f store.RequestFilter) ([]store.RequestSummary, error) {
	from, args, order := requestQuery(f)
	if f.Limit <= 0 {
		f.Limit = 50
	}
	args = append(args, f.Limit, f.Offset)
	rows, err := s.read.QueryContext(ctx, `SELECT r.id, r.code, r.locale, r.kind, r.device, r.state, r.assigned_to, r.article, r.created_at, r.updated_at,
		COALESCE((SELECT substr(m.body, 1, 160) FROM request_messages m WHERE m.request_id = r.id ORDER BY m.id LIMIT 1), '')
		FROM `+from+` ORDER BY `+order+` DESC LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list requests: %w", err)
	}
	defer rows.Close()
	var out []store.RequestSummary
	for rows.Next() {
		var r store.RequestSummary
		var created, updated string
		if err := rows.Scan(&r.ID, &r.Code, &r.Locale, &r.Kind, &r.Device, &r.State, &r.AssignedTo, &r.Article, &created, &updated, &r.Excerpt); err != nil {
			return nil, fmt.Errorf("store: list requests: %w", err)
		}
		r.CreatedAt, r.UpdatedAt = parseTime(created), parseTime(updated)
		out = append(out, r)
	}
	return out, rows.Err()
}

// CountRequests counts the requests f selects, up to f.CountLimit if set
// (Limit and Offset ignored).
func (s *Store) CountRequests(ctx context.Context, f store.RequestFilter) (int, error) {
	from, args, _ := requestQuery(f)
	q := `SELECT COUNT(*) FROM ` + from
	if f.CountLimit > 0 {
		q, args = `SELECT COUNT(*) FROM (SELECT 1 FROM `+from+` LIMIT ?)`, append(args, f.CountLimit)
	}
	var n int
	if err := s.read.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count requests: %w", err)
	}
	return n, nil
}

// RequestByID returns request id with its thread, notes included.
func (s *Store) RequestByID(ctx context.Context, id int64) (store.ContactRequest, error) {
	return s.loadRequest(ctx, id, true)
}

// ScreenshotByID returns screenshot id of request requestID, bytes
// included, or ErrNotFound.
func (s *Store) ScreenshotByID(ctx context.Context, requestID, id int64) (store.Screenshot, error) {
	var sh store.Screenshot
	err := s.read.QueryRowContext(ctx, `SELECT id, sha256, type, size, width, height, data FROM request_screenshots WHERE request_id = ? AND id = ?`,
		requestID, id).Scan(&sh.ID, &sh.SHA256, &sh.Type, &sh.Size, &sh.Width, &sh.Height, &sh.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return sh, store.ErrNotFound
	}
	if err != nil {
		return sh, fmt.Errorf("store: screenshot: %w", err)
	}
	return sh, nil
}

// Reply adds a staff reply to request id, marks it answered and, with the
// reply's token and mail, adds the mail's status link and queues the mail.
func (s *Store) Reply(ctx context.Context, id int64, r store.StaffReply) error {
	err := s.writer.doDurable(ctx, func(tx *sql.Tx) error {
		t := now()
		res, err := tx.Exec(`UPDATE contact_requests SET state = 'answered', closed_at = NULL, updated_at = ? WHERE id = ?`, t, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		if _, err := addMessageBy(tx, id, store.AuthorStaff, r.Staff, r.Body, nil, t); err != nil {
			return err
		}
		if r.TokenHash != nil {
			if _, err := tx.Exec(`INSERT INTO request_tokens (token_hash, request_id) VALUES (?, ?)`, r.TokenHash, id); err != nil {
				return err
			}
		}
		if r.Mail != nil {
			return enqueueMail(tx, *r.Mail, t)
		}
		return nil
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("store: reply: %w", err)
	}
	return err
}

// AddNote adds an internal note to request id's thread.
func (s *Store) AddNote(ctx context.Context, id int64, staff, body string) error {
	return s.updateRequest(ctx, "add note", id, func(tx *sql.Tx, t string) error {
		_, err := addMessageBy(tx, id, store.AuthorNote, staff, body, nil, t)
		return err
	})
}

// AssignRequest assigns request id to a staff member ("" unassigns).
func (s *Store) AssignRequest(ctx context.Context, id int64, staff string) error {
	return s.updateRequest(ctx, "assign request", id, func(tx *sql.Tx, t string) error {
		_, err := tx.Exec(`UPDATE contact_requests SET assigned_to = ? WHERE id = ?`, staff, id)
		return err
	})
}

// SetRequestState sets request id's state; closing it starts its
// retention period.
func (s *Store) SetRequestState(ctx context.Context, id int64, state string) error {
	if !store.ValidState(state) {
		return fmt.Errorf("store: set request state: invalid state %q", state)
	}
	return s.updateRequest(ctx, "set request state", id, func(tx *sql.Tx, t string) error {
		_, err := tx.Exec(`UPDATE contact_requests SET state = ?, closed_at = CASE WHEN ? = 'closed' THEN COALESCE(closed_at, ?) END WHERE id = ?`,
			state, state, t, id)
		return err
	})
}

// updateRequest runs change on request id in a transaction that also
// bumps its updated_at, or returns ErrNotFound.
func (s *Store) updateRequest(ctx context.Context, what string, id int64, change func(tx *sql.Tx, t string) error) error {
	err := s.writer.do(ctx, func(tx *sql.Tx) error {
		t := now()
		res, err := tx.Exec(`UPDATE contact_requests SET updated_at = ? WHERE id = ?`, t, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		return change(tx, t)
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	return err
}

// Deflections returns, per article and locale, how often since the time
// given a suggestion of the contact form was opened and no request sent;
// locale "" means every locale. Most frequent first.
func (s *Store) Deflections(ctx context.Context, since time.Time, locale string) ([]store.Deflection, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT article, locale, SUM(count) FROM contact_deflections
		WHERE day >= ? AND (? = '' OR locale = ?) GROUP BY article, locale HAVING SUM(count) > 0 ORDER BY 3 DESC, 1, 2 LIMIT 500`,
		since.UTC().Format(time.DateOnly), locale, locale)
	if err != nil {
		return nil, fmt.Errorf("store: deflections: %w", err)
	}
	defer rows.Close()
	var out []store.Deflection
	for rows.Next() {
		var d store.Deflection
		if err := rows.Scan(&d.Article, &d.Locale, &d.Count); err != nil {
			return nil, fmt.Errorf("store: deflections: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
