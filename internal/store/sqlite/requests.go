package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"helpcenter/internal/store"
)

func now() string { return time.Now().UTC().Format(time.RFC3339Nano) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// CreateRequest stores r with its first message and screenshots, or, when
// an identical request was stored within r.DedupWindow, adds r's token to
// that one and reports duplicate. It returns only once the request is
// durable across a power cut (synchronous=FULL for its commit).
func (s *Store) CreateRequest(ctx context.Context, r store.NewRequest) (store.ContactRequest, bool, error) {
	var (
		out store.ContactRequest
		dup bool
	)
	if err := s.checkSize(ctx); err != nil {
		return out, false, err
	}
	err := s.writer.doDurable(ctx, func(tx *sql.Tx) error {
		out, dup = store.ContactRequest{}, false
		t := now()
		since := time.Now().UTC().Add(-r.DedupWindow).Format(time.RFC3339Nano)
		var id int64
		var code string
		err := tx.QueryRow(`SELECT id, code FROM contact_requests WHERE fingerprint = ? AND created_at >= ? ORDER BY id LIMIT 1`,
			r.Fingerprint, since).Scan(&id, &code)
		switch {
		case err == nil:
			dup = true
			out = store.ContactRequest{ID: id, Code: code}
		case errors.Is(err, sql.ErrNoRows):
			res, err := tx.Exec(`INSERT INTO contact_requests (code, locale, kind, device, email, article, fingerprint, state, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)`, r.Code, r.Locale, r.Kind, r.Device, r.Email, r.Article, r.Fingerprint, t, t)
			if err != nil {
				return err
			}
			if id, err = res.LastInsertId(); err != nil {
				return err
			}
			if _, err := addMessageBy(tx, id, store.AuthorReader, "", r.Description, r.Screenshots, t); err != nil {
				return err
			}
			if r.Mail != nil {
				if err := enqueueMail(tx, *r.Mail, t); err != nil {
					return err
				}
			}
			out = store.ContactRequest{ID: id, Code: r.Code}
		default:
			return err
		}
		_, err = tx.Exec(`INSERT INTO request_tokens (token_hash, request_id) VALUES (?, ?)`, r.TokenHash, id)
		return err
	})
	if err != nil {
		return store.ContactRequest{}, false, fmt.Errorf("store: create request: %w", err)
	}
	return out, dup, nil
}

func addMessageBy(tx *sql.Tx, requestID int64, author, staff, body string, shots []store.Screenshot, t string) (int64, error) {
	res, err := tx.Exec(`INSERT INTO request_messages (request_id, author, staff, body, created_at) VALUES (?, ?, ?, ?, ?)`,
		requestID, author, staff, body, t)
	if err != nil {
		return 0, err
	}
	mid, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	for _, sh := range shots {
		if _, err := tx.Exec(`INSERT INTO request_screenshots (request_id, message_id, sha256, type, size, width, height, data)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, requestID, mid, sh.SHA256, sh.Type, sh.Size, sh.Width, sh.Height, sh.Data); err != nil {
			return 0, err
		}
	}
	return mid, nil
}

func requestIDByToken(q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, ctx context.Context, tokenHash []byte) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT request_id FROM request_tokens WHERE token_hash = ?`, tokenHash).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, store.ErrNotFound
	}
	return id, err
}

// RequestByToken returns the request a status link's token opens, with
// its thread as the reader sees it (no staff notes, screenshots without
// their bytes), or ErrNotFound.
func (s *Store) RequestByToken(ctx context.Context, tokenHash []byte) (store.ContactRequest, error) {
	id, err := requestIDByToken(s.read, ctx, tokenHash)
	if err != nil {
		return store.ContactRequest{}, err
	}
	return s.loadRequest(ctx, id, false)
}

// loadRequest reads request id and its thread, staff notes only if asked.
func (s *Store) loadRequest(ctx context.Context, id int64, notes bool) (store.ContactRequest, error) {
	var r store.ContactRequest
	var created, updated string
	err := s.read.QueryRowContext(ctx, `SELECT id, code, locale, kind, device, email, article, state, assigned_to, created_at, updated_at
		FROM contact_requests WHERE id = ?`, id).Scan(&r.ID, &r.Code, &r.Locale, &r.Kind, &r.Device, &r.Email, &r.Article, &r.State, &r.AssignedTo, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return r, store.ErrNotFound
	}
	if err != nil {
		return r, fmt.Errorf("store: request: %w", err)
	}
	r.CreatedAt, r.UpdatedAt = parseTime(created), parseTime(updated)
	rows, err := s.read.QueryContext(ctx, `SELECT id, author, staff, body, created_at FROM request_messages
		WHERE request_id = ? AND (? OR author != 'note') ORDER BY id`, id, notes)
	if err != nil {
		return r, fmt.Errorf("store: request messages: %w", err)
	}
	index := map[int64]int{}
	for rows.Next() {
		var m store.Message
		var at string
		if err := rows.Scan(&m.ID, &m.Author, &m.Staff, &m.Body, &at); err != nil {
			rows.Close()
			return r, fmt.Errorf("store: request messages: %w", err)
		}
		m.CreatedAt = parseTime(at)
		index[m.ID] = len(r.Messages)
		r.Messages = append(r.Messages, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return r, fmt.Errorf("store: request messages: %w", err)
	}
	rows, err = s.read.QueryContext(ctx, `SELECT id, message_id, sha256, type, size, width, height FROM request_screenshots WHERE request_id = ? ORDER BY id`, id)
	if err != nil {
		return r, fmt.Errorf("store: request screenshots: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sh store.Screenshot
		var mid int64
		if err := rows.Scan(&sh.ID, &mid, &sh.SHA256, &sh.Type, &sh.Size, &sh.Width, &sh.Height); err != nil {
			return r, fmt.Errorf("store: request screenshots: %w", err)
		}
		if i, ok := index[mid]; ok {
			r.Messages[i].Screenshots = append(r.Messages[i].Screenshots, sh)
		}
	}
	return r, rows.Err()
}

// ScreenshotByToken returns screenshot id, bytes included, if it belongs
// to the request the token opens; otherwise ErrNotFound.
func (s *Store) ScreenshotByToken(ctx context.Context, tokenHash []byte, id int64) (store.Screenshot, error) {
	var sh store.Screenshot
	err := s.read.QueryRowContext(ctx, `SELECT sc.id, sc.sha256, sc.type, sc.size, sc.width, sc.height, sc.data
		FROM request_tokens t JOIN request_screenshots sc ON sc.request_id = t.request_id
		WHERE t.token_hash = ? AND sc.id = ?`, tokenHash, id).Scan(&sh.ID, &sh.SHA256, &sh.Type, &sh.Size, &sh.Width, &sh.Height, &sh.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return sh, store.ErrNotFound
	}
	if err != nil {
		return sh, fmt.Errorf("store: screenshot: %w", err)
	}
	return sh, nil
}

// AddFollowUp adds the reader's message and screenshots to the request the
// token opens, reopening it if it was answered or closed.
func (s *Store) AddFollowUp(ctx context.Context, tokenHash []byte, body string, shots []store.Screenshot) error {
	if err := s.checkSize(ctx); err != nil {
		return err
	}
	err := s.writer.doDurable(ctx, func(tx *sql.Tx) error {
		id, err := requestIDByToken(tx, ctx, tokenHash)
		if err != nil {
			return err
		}
		t := now()
		if _, err := addMessageBy(tx, id, store.AuthorReader, "", body, shots, t); err != nil {
			return err
		}
		_, err = tx.Exec(`UPDATE contact_requests SET state = 'open', closed_at = NULL, updated_at = ? WHERE id = ?`, t, id)
		return err
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("store: follow up: %w", err)
	}
	return err
}

// MarkSolved closes the request the token opens.
func (s *Store) MarkSolved(ctx context.Context, tokenHash []byte) error {
	err := s.writer.do(ctx, func(tx *sql.Tx) error {
		id, err := requestIDByToken(tx, ctx, tokenHash)
		if err != nil {
			return err
		}
		t := now()
		_, err = tx.Exec(`UPDATE contact_requests SET state = 'closed', closed_at = ?, updated_at = ? WHERE id = ?`, t, t, id)
		return err
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("store: mark solved: %w", err)
	}
	return err
}

// PurgeRequests deletes requests closed before the time given, with their
// threads, screenshots and tokens.
func (s *Store) PurgeRequests(ctx context.Context, closedBefore time.Time) (int64, error) {
	var n int64
	err := s.writer.do(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`DELETE FROM contact_requests WHERE state = 'closed' AND closed_at < ?`, closedBefore.UTC().Format(time.RFC3339Nano))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: purge requests: %w", err)
	}
	return n, nil
}

var _ store.Contact = (*Store)(nil)
