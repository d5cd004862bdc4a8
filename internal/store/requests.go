package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Request states.
const (
	StateOpen     = "open"
	StateAnswered = "answered"
	StateClosed   = "closed"
)

// Message authors.
const (
	AuthorReader = "reader"
	AuthorStaff  = "staff"
)

// Requests is what the site does with contact requests.
type Requests interface {
	CreateRequest(ctx context.Context, r NewRequest) (created ContactRequest, duplicate bool, err error)
	RequestByToken(ctx context.Context, tokenHash []byte) (ContactRequest, error)
	ScreenshotByToken(ctx context.Context, tokenHash []byte, id int64) (Screenshot, error)
	AddFollowUp(ctx context.Context, tokenHash []byte, body string, shots []Screenshot) error
	MarkSolved(ctx context.Context, tokenHash []byte) error
	PurgeRequests(ctx context.Context, closedBefore time.Time) (int64, error)
}

// Screenshot is one re-encoded image, metadata stripped.
type Screenshot struct {
	ID     int64
	Name   string // drafts only: the name the reader's file had
	SHA256 []byte
	Type   string // image/png, image/jpeg
	Size   int
	Width  int
	Height int
	Data   []byte // nil when only the description was loaded
}

// NewRequest is a request as the reader sent it.
type NewRequest struct {
	Code        string
	TokenHash   []byte
	Locale      string
	Kind        string
	Device      string
	Email       string
	Article     string
	Description string
	Fingerprint string        // hash of the request's content and sender, for duplicates
	DedupWindow time.Duration // an identical request within it is the same request
	Screenshots []Screenshot
	Mail        *Mail // the confirmation, queued with a new request (not a duplicate)
}

// Message is one entry in a request's thread.
type Message struct {
	ID          int64
	Author      string
	Staff       string // the staff member who wrote a reply or note
	Body        string
	CreatedAt   time.Time
	Screenshots []Screenshot // without Data
}

// ContactRequest is a stored request with its thread.
type ContactRequest struct {
	ID         int64
	Code       string
	Locale     string
	Kind       string
	Device     string
	Email      string
	Article    string
	State      string
	AssignedTo string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Messages   []Message
}

func now() string { return time.Now().UTC().Format(time.RFC3339Nano) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// CreateRequest stores r with its first message and screenshots, or, when
// an identical request was stored within r.DedupWindow, adds r's token to
// that one and reports duplicate. It returns only once the request is
// durable across a power cut (synchronous=FULL for its commit).
func (s *Store) CreateRequest(ctx context.Context, r NewRequest) (ContactRequest, bool, error) {
	var (
		out ContactRequest
		dup bool
	)
	if err := s.checkSize(ctx); err != nil {
		return out, false, err
	}
	err := s.writer.doDurable(ctx, func(tx *sql.Tx) error {
		out, dup = ContactRequest{}, false
		t := now()
		since := time.Now().UTC().Add(-r.DedupWindow).Format(time.RFC3339Nano)
		var id int64
		var code string
		err := tx.QueryRow(`SELECT id, code FROM contact_requests WHERE fingerprint = ? AND created_at >= ? ORDER BY id LIMIT 1`,
			r.Fingerprint, since).Scan(&id, &code)
		switch {
		case err == nil:
			dup = true
			out = ContactRequest{ID: id, Code: code}
		case errors.Is(err, sql.ErrNoRows):
			res, err := tx.Exec(`INSERT INTO contact_requests (code, locale, kind, device, email, article, fingerprint, state, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)`, r.Code, r.Locale, r.Kind, r.Device, r.Email, r.Article, r.Fingerprint, t, t)
			if err != nil {
				return err
			}
			if id, err = res.LastInsertId(); err != nil {
				return err
			}
			if _, err := addMessageBy(tx, id, AuthorReader, "", r.Description, r.Screenshots, t); err != nil {
				return err
			}
			if r.Mail != nil {
				if err := enqueueMail(tx, *r.Mail, t); err != nil {
					return err
				}
			}
			out = ContactRequest{ID: id, Code: r.Code}
		default:
			return err
		}
		_, err = tx.Exec(`INSERT INTO request_tokens (token_hash, request_id) VALUES (?, ?)`, r.TokenHash, id)
		return err
	})
	if err != nil {
		return ContactRequest{}, false, fmt.Errorf("store: create request: %w", err)
	}
	return out, dup, nil
}

func addMessageBy(tx *sql.Tx, requestID int64, author, staff, body string, shots []Screenshot, t string) (int64, error) {
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
		return 0, ErrNotFound
	}
	return id, err
}

// RequestByToken returns the request a status link's token opens, with
// its thread as the reader sees it (no staff notes, screenshots without
// their bytes), or ErrNotFound.
func (s *Store) RequestByToken(ctx context.Context, tokenHash []byte) (ContactRequest, error) {
	id, err := requestIDByToken(s.read, ctx, tokenHash)
	if err != nil {
		return ContactRequest{}, err
	}
	return s.loadRequest(ctx, id, false)
}

// loadRequest reads request id and its thread, staff notes only if asked.
func (s *Store) loadRequest(ctx context.Context, id int64, notes bool) (ContactRequest, error) {
	var r ContactRequest
	var created, updated string
	err := s.read.QueryRowContext(ctx, `SELECT id, code, locale, kind, device, email, article, state, assigned_to, created_at, updated_at
		FROM contact_requests WHERE id = ?`, id).Scan(&r.ID, &r.Code, &r.Locale, &r.Kind, &r.Device, &r.Email, &r.Article, &r.State, &r.AssignedTo, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNotFound
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
		var m Message
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
		var sh Screenshot
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
func (s *Store) ScreenshotByToken(ctx context.Context, tokenHash []byte, id int64) (Screenshot, error) {
	var sh Screenshot
	err := s.read.QueryRowContext(ctx, `SELECT sc.id, sc.sha256, sc.type, sc.size, sc.width, sc.height, sc.data
		FROM request_tokens t JOIN request_screenshots sc ON sc.request_id = t.request_id
		WHERE t.token_hash = ? AND sc.id = ?`, tokenHash, id).Scan(&sh.ID, &sh.SHA256, &sh.Type, &sh.Size, &sh.Width, &sh.Height, &sh.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return sh, ErrNotFound
	}
	if err != nil {
		return sh, fmt.Errorf("store: screenshot: %w", err)
	}
	return sh, nil
}

// AddFollowUp adds the reader's message and screenshots to the request the
// token opens, reopening it if it was answered or closed.
func (s *Store) AddFollowUp(ctx context.Context, tokenHash []byte, body string, shots []Screenshot) error {
	if err := s.checkSize(ctx); err != nil {
		return err
	}
	err := s.writer.doDurable(ctx, func(tx *sql.Tx) error {
		id, err := requestIDByToken(tx, ctx, tokenHash)
		if err != nil {
			return err
		}
		t := now()
		if _, err := addMessageBy(tx, id, AuthorReader, "", body, shots, t); err != nil {
			return err
		}
		_, err = tx.Exec(`UPDATE contact_requests SET state = 'open', closed_at = NULL, updated_at = ? WHERE id = ?`, t, id)
		return err
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
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
	if err != nil && !errors.Is(err, ErrNotFound) {
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

// Contact is everything the contact flow and the support inbox need of a
// store; both engines implement it.
type Contact interface {
	Requests
	Drafts
	Outbox
	Inbox
	RecordDeflection(ctx context.Context, locale, article string) error
	PurgeDeflections(ctx context.Context, before time.Time) error
}

var _ Contact = (*Store)(nil)
