package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"helpcenter/internal/store"
)

var _ store.Contact = (*Store)(nil)

// durable runs fn in a transaction that is acknowledged only once its
// commit is flushed to the server's WAL, as the SQLite store's doDurable
// does: synchronous_commit is set on for this transaction even where an
// operator turned it off for the server, trading votes' durability for
// speed. Requests, replies and their mail are not to be lost that way.
func (s *Store) durable(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SET LOCAL synchronous_commit = on"); err != nil {
			return err
		}
		return fn(tx)
	})
}

// CreateRequest stores r with its first message and screenshots, or, when
// an identical request was stored within r.DedupWindow, adds r's token to
// that one and reports duplicate. The confirmation r.Mail is queued in
// the same transaction. It returns only once the request is committed.
//
// Identical posts arriving together, on one instance or several, are
// serialized by a transaction-level advisory lock on the fingerprint: the
// second one waits for the first to commit, and its next statement (read
// committed takes a fresh snapshot per statement) finds the first request.
func (s *Store) CreateRequest(ctx context.Context, r store.NewRequest) (store.ContactRequest, bool, error) {
	var (
		out store.ContactRequest
		dup bool
	)
	err := s.durable(ctx, func(tx pgx.Tx) error {
		out, dup = store.ContactRequest{}, false
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", advisoryKey("helpcenter request "+r.Fingerprint)); err != nil {
			return err
		}
		t := time.Now().UTC()
		var id int64
		var code string
		err := tx.QueryRow(ctx, `SELECT id, code FROM contact_requests WHERE fingerprint = $1 AND created_at >= $2 ORDER BY id LIMIT 1`,
			r.Fingerprint, t.Add(-r.DedupWindow)).Scan(&id, &code)
		switch {
		case err == nil:
			dup = true
			out = store.ContactRequest{ID: id, Code: code}
		case errors.Is(err, pgx.ErrNoRows):
			if err := tx.QueryRow(ctx, `INSERT INTO contact_requests (code, locale, kind, device, email, article, fingerprint, state, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $8) RETURNING id`,
				r.Code, r.Locale, r.Kind, r.Device, r.Email, r.Article, r.Fingerprint, t).Scan(&id); err != nil {
				return err
			}
			if _, err := addMessage(ctx, tx, id, store.AuthorReader, "", r.Description, r.Screenshots, t); err != nil {
				return err
			}
			if r.Mail != nil {
				if err := enqueueMail(ctx, tx, *r.Mail, t); err != nil {
					return err
				}
			}
			out = store.ContactRequest{ID: id, Code: r.Code}
		default:
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO request_tokens (token_hash, request_id) VALUES ($1, $2)`, r.TokenHash, id)
		return err
	})
	if err != nil {
		return store.ContactRequest{}, false, fmt.Errorf("postgres: create request: %w", err)
	}
	return out, dup, nil
}

// addMessage adds a message and its screenshots to request requestID's
// thread in tx. Screenshots travel as binary bytea parameters, a few
// megabytes each.
func addMessage(ctx context.Context, tx pgx.Tx, requestID int64, author, staff, body string, shots []store.Screenshot, t time.Time) (int64, error) {
	var mid int64
	if err := tx.QueryRow(ctx, `INSERT INTO request_messages (request_id, author, staff, body, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		requestID, author, staff, body, t).Scan(&mid); err != nil {
		return 0, err
	}
	for _, sh := range shots {
		if _, err := tx.Exec(ctx, `INSERT INTO request_screenshots (request_id, message_id, sha256, type, size, width, height, data)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, requestID, mid, sh.SHA256, sh.Type, sh.Size, sh.Width, sh.Height, sh.Data); err != nil {
			return 0, err
		}
	}
	return mid, nil
}

// RequestByToken returns the request a status link's token opens, with
// its thread as the reader sees it (no staff notes, screenshots without
// their bytes), or store.ErrNotFound.
func (s *Store) RequestByToken(ctx context.Context, tokenHash []byte) (store.ContactRequest, error) {
	var id int64
	err := s.pool.QueryRow(ctx, `SELECT request_id FROM request_tokens WHERE token_hash = $1`, tokenHash).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.ContactRequest{}, store.ErrNotFound
	}
	if err != nil {
		return store.ContactRequest{}, fmt.Errorf("postgres: request: %w", err)
	}
	return s.loadRequest(ctx, id, false)
}

// loadRequest reads request id and its thread, staff notes only if asked.
func (s *Store) loadRequest(ctx context.Context, id int64, notes bool) (store.ContactRequest, error) {
	var r store.ContactRequest
	err := s.pool.QueryRow(ctx, `SELECT id, code, locale, kind, device, email, article, state, assigned_to, created_at, updated_at
		FROM contact_requests WHERE id = $1`, id).Scan(&r.ID, &r.Code, &r.Locale, &r.Kind, &r.Device, &r.Email, &r.Article, &r.State, &r.AssignedTo, &r.CreatedAt, &r.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, store.ErrNotFound
	}
	if err != nil {
		return r, fmt.Errorf("postgres: request: %w", err)
	}
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	rows, err := s.pool.Query(ctx, `SELECT id, author, staff, body, created_at FROM request_messages
		WHERE request_id = $1 AND ($2 OR author != 'note') ORDER BY id`, id, notes)
	if err != nil {
		return r, fmt.Errorf("postgres: request messages: %w", err)
	}
	index := map[int64]int{}
	for rows.Next() {
		var m store.Message
		if err := rows.Scan(&m.ID, &m.Author, &m.Staff, &m.Body, &m.CreatedAt); err != nil {
			rows.Close()
			return r, fmt.Errorf("postgres: request messages: %w", err)
		}
		m.CreatedAt = m.CreatedAt.UTC()
		index[m.ID] = len(r.Messages)
		r.Messages = append(r.Messages, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return r, fmt.Errorf("postgres: request messages: %w", err)
	}
	rows, err = s.pool.Query(ctx, `SELECT id, message_id, sha256, type, size, width, height FROM request_screenshots
		WHERE request_id = $1 ORDER BY id`, id)
	if err != nil {
		return r, fmt.Errorf("postgres: request screenshots: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sh store.Screenshot
		var mid int64
		if err := rows.Scan(&sh.ID, &mid, &sh.SHA256, &sh.Type, &sh.Size, &sh.Width, &sh.Height); err != nil {
			return r, fmt.Errorf("postgres: request screenshots: %w", err)
		}
		if i, ok := index[mid]; ok {
			r.Messages[i].Screenshots = append(r.Messages[i].Screenshots, sh)
		}
	}
	if err := rows.Err(); err != nil {
		return r, fmt.Errorf("postgres: request screenshots: %w", err)
	}
	return r, nil
}

// ScreenshotByToken returns screenshot id, bytes included, if it belongs
// to the request the token opens; otherwise store.ErrNotFound.
func (s *Store) ScreenshotByToken(ctx context.Context, tokenHash []byte, id int64) (store.Screenshot, error) {
	var sh store.Screenshot
	err := s.pool.QueryRow(ctx, `SELECT sc.id, sc.sha256, sc.type, sc.size, sc.width, sc.height, sc.data
		FROM request_tokens t JOIN request_screenshots sc ON sc.request_id = t.request_id
		WHERE t.token_hash = $1 AND sc.id = $2`, tokenHash, id).Scan(&sh.ID, &sh.SHA256, &sh.Type, &sh.Size, &sh.Width, &sh.Height, &sh.Data)
	if errors.Is(err, pgx.ErrNoRows) {
		return sh, store.ErrNotFound
	}
	if err != nil {
		return sh, fmt.Errorf("postgres: screenshot: %w", err)
	}
	return sh, nil
}

// AddFollowUp adds the reader's message and screenshots to the request the
// token opens, reopening it if it was answered or closed. The request's
// row is updated first, so it stays locked until the message is in.
func (s *Store) AddFollowUp(ctx context.Context, tokenHash []byte, body string, shots []store.Screenshot) error {
	err := s.durable(ctx, func(tx pgx.Tx) error {
		t := time.Now().UTC()
		var id int64
		err := tx.QueryRow(ctx, `UPDATE contact_requests SET state = 'open', closed_at = NULL, updated_at = $1
			WHERE id = (SELECT request_id FROM request_tokens WHERE token_hash = $2) RETURNING id`, t, tokenHash).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		_, err = addMessage(ctx, tx, id, store.AuthorReader, "", body, shots, t)
		return err
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("postgres: follow up: %w", err)
	}
	return err
}

// MarkSolved closes the request the token opens.
func (s *Store) MarkSolved(ctx context.Context, tokenHash []byte) error {
	t := time.Now().UTC()
	tag, err := s.pool.Exec(ctx, `UPDATE contact_requests SET state = 'closed', closed_at = $1, updated_at = $1
		WHERE id = (SELECT request_id FROM request_tokens WHERE token_hash = $2)`, t, tokenHash)
	if err != nil {
		return fmt.Errorf("postgres: mark solved: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return store.ErrNotFound
	}
	return nil
}

// PurgeRequests deletes requests closed before the time given, with their
// threads, screenshots and tokens. Any instance may run it; running it
// twice deletes nothing more.
func (s *Store) PurgeRequests(ctx context.Context, closedBefore time.Time) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM contact_requests WHERE state = 'closed' AND closed_at < $1`, closedBefore.UTC())
	if err != nil {
		return 0, fmt.Errorf("postgres: purge requests: %w", err)
	}
	return tag.RowsAffected(), nil
}
