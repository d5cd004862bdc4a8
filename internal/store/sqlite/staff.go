package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"helpcenter/internal/store"
)

var _ store.Staff = (*Store)(nil)

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTS(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// AddStaff creates an account; ErrExists when the e-mail has one.
func (s *Store) AddStaff(ctx context.Context, m store.StaffMember) error {
	now := ts(m.CreatedAt)
	err := s.commit(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO staff (email, role, password, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
			m.Email, m.Role, m.Password, now, now)
		return err
	})
	if err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed") {
		return store.ErrExists
	}
	if err != nil {
		return fmt.Errorf("store: add staff: %w", err)
	}
	return nil
}

// StaffMembers lists the accounts by e-mail, without their hashes.
func (s *Store) StaffMembers(ctx context.Context) ([]store.StaffMember, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT email, role, created_at FROM staff ORDER BY email`)
	if err != nil {
		return nil, fmt.Errorf("store: staff: %w", err)
	}
	defer rows.Close()
	var out []store.StaffMember
	for rows.Next() {
		var m store.StaffMember
		var created string
		if err := rows.Scan(&m.Email, &m.Role, &created); err != nil {
			return nil, fmt.Errorf("store: staff: %w", err)
		}
		m.CreatedAt = parseTS(created)
		out = append(out, m)
	}
	return out, rows.Err()
}

// StaffByEmail returns one account with its hash, or ErrNotFound.
func (s *Store) StaffByEmail(ctx context.Context, email string) (store.StaffMember, error) {
	var m store.StaffMember
	var created string
	err := s.read.QueryRowContext(ctx, `SELECT email, role, password, created_at FROM staff WHERE email = ?`, email).
		Scan(&m.Email, &m.Role, &m.Password, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return m, store.ErrNotFound
	}
	if err != nil {
		return m, fmt.Errorf("store: staff by email: %w", err)
	}
	m.CreatedAt = parseTS(created)
	return m, nil
}

// SetStaffPassword replaces an account's hash and revokes its sessions.
func (s *Store) SetStaffPassword(ctx context.Context, email, hash string, now time.Time) error {
	err := s.commit(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`UPDATE staff SET password = ?, updated_at = ? WHERE email = ?`, hash, ts(now), email)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		_, err = tx.Exec(`DELETE FROM staff_sessions WHERE email = ?`, email)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return err
	}
	if err != nil {
		return fmt.Errorf("store: set staff password: %w", err)
	}
	return nil
}

// RemoveStaff deletes an account; its sessions go with it.
func (s *Store) RemoveStaff(ctx context.Context, email string) error {
	err := s.commit(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`DELETE FROM staff WHERE email = ?`, email)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return err
	}
	if err != nil {
		return fmt.Errorf("store: remove staff: %w", err)
	}
	return nil
}

// CreateSession records a new session under the hash of its token.
func (s *Store) CreateSession(ctx context.Context, tokenHash, email string, now time.Time) error {
	err := s.commit(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO staff_sessions (token_hash, email, created_at, seen_at) VALUES (?, ?, ?, ?)`,
			tokenHash, email, ts(now), ts(now))
		return err
	})
	if err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	return nil
}

// SessionByHash returns a session and its account's role, or ErrNotFound.
func (s *Store) SessionByHash(ctx context.Context, tokenHash string) (store.Session, error) {
	var se store.Session
	var created, seen string
	err := s.read.QueryRowContext(ctx, `SELECT s.token_hash, s.email, st.role, s.created_at, s.seen_at
		FROM staff_sessions s JOIN staff st ON st.email = s.email WHERE s.token_hash = ?`, tokenHash).
		Scan(&se.TokenHash, &se.Email, &se.Role, &created, &seen)
	if errors.Is(err, sql.ErrNoRows) {
		return se, store.ErrNotFound
	}
	if err != nil {
		return se, fmt.Errorf("store: session: %w", err)
	}
	se.CreatedAt, se.SeenAt = parseTS(created), parseTS(seen)
	return se, nil
}

// TouchSession moves a session's idle clock.
func (s *Store) TouchSession(ctx context.Context, tokenHash string, now time.Time) error {
	err := s.commit(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`UPDATE staff_sessions SET seen_at = ? WHERE token_hash = ?`, ts(now), tokenHash)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: touch session: %w", err)
	}
	return nil
}

// DeleteSession revokes one session.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	err := s.commit(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`DELETE FROM staff_sessions WHERE token_hash = ?`, tokenHash)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// PurgeSessions deletes sessions idle or old past their limits.
func (s *Store) PurgeSessions(ctx context.Context, idleBefore, createdBefore time.Time) error {
	err := s.commit(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`DELETE FROM staff_sessions WHERE seen_at < ? OR created_at < ?`, ts(idleBefore), ts(createdBefore))
		return err
	})
	if err != nil {
		return fmt.Errorf("store: purge sessions: %w", err)
	}
	return nil
}

// Audit appends one entry to the audit log.
func (s *Store) Audit(ctx context.Context, e store.AuditEntry) error {
	err := s.commit(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO audit_log (at, actor, action, detail) VALUES (?, ?, ?, ?)`,
			ts(e.At), e.Actor, e.Action, e.Detail)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: audit: %w", err)
	}
	return nil
}

// AuditLog returns the newest entries first.
func (s *Store) AuditLog(ctx context.Context, limit int) ([]store.AuditEntry, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT at, actor, action, detail FROM audit_log ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: audit log: %w", err)
	}
	defer rows.Close()
	var out []store.AuditEntry
	for rows.Next() {
		var e store.AuditEntry
		var at string
		if err := rows.Scan(&at, &e.Actor, &e.Action, &e.Detail); err != nil {
			return nil, fmt.Errorf("store: audit log: %w", err)
		}
		e.At = parseTS(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
