package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"helpcenter/internal/store"
)

var _ store.Staff = (*Store)(nil)

// AddStaff creates an account; store.ErrExists when the e-mail has one.
func (s *Store) AddStaff(ctx context.Context, m store.StaffMember) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO staff (email, role, password, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)`,
		m.Email, m.Role, m.Password, m.CreatedAt.UTC())
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" { // unique_violation
		return store.ErrExists
	}
	if err != nil {
		return fmt.Errorf("postgres: add staff: %w", err)
	}
	return nil
}

// StaffMembers lists the accounts by e-mail, without their hashes.
func (s *Store) StaffMembers(ctx context.Context) ([]store.StaffMember, error) {
	rows, err := s.pool.Query(ctx, `SELECT email, role, created_at FROM staff ORDER BY email`)
	if err != nil {
		return nil, fmt.Errorf("postgres: staff: %w", err)
	}
	defer rows.Close()
	var out []store.StaffMember
	for rows.Next() {
		var m store.StaffMember
		if err := rows.Scan(&m.Email, &m.Role, &m.CreatedAt); err != nil {
			return nil, fmt.Errorf("postgres: staff: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// StaffByEmail returns one account with its hash, or store.ErrNotFound.
func (s *Store) StaffByEmail(ctx context.Context, email string) (store.StaffMember, error) {
	var m store.StaffMember
	err := s.pool.QueryRow(ctx, `SELECT email, role, password, created_at FROM staff WHERE email = $1`, email).
		Scan(&m.Email, &m.Role, &m.Password, &m.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return m, store.ErrNotFound
	}
	if err != nil {
		return m, fmt.Errorf("postgres: staff by email: %w", err)
	}
	return m, nil
}

// SetStaffPassword replaces an account's hash and revokes its sessions,
// in one transaction.
func (s *Store) SetStaffPassword(ctx context.Context, email, hash string, now time.Time) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE staff SET password = $1, updated_at = $2 WHERE email = $3`, hash, now.UTC(), email)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.ErrNotFound
		}
		_, err = tx.Exec(ctx, `DELETE FROM staff_sessions WHERE email = $1`, email)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return err
	}
	if err != nil {
		return fmt.Errorf("postgres: set staff password: %w", err)
	}
	return nil
}

// RemoveStaff deletes an account; its sessions go with it.
func (s *Store) RemoveStaff(ctx context.Context, email string) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM staff WHERE email = $1`, email)
	if err != nil {
		return fmt.Errorf("postgres: remove staff: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return store.ErrNotFound
	}
	return nil
}

// CreateSession records a new session under the hash of its token.
func (s *Store) CreateSession(ctx context.Context, tokenHash, email string, now time.Time) error {
	if _, err := s.pool.Exec(ctx, `INSERT INTO staff_sessions (token_hash, email, created_at, seen_at) VALUES ($1, $2, $3, $3)`,
		tokenHash, email, now.UTC()); err != nil {
		return fmt.Errorf("postgres: create session: %w", err)
	}
	return nil
}

// SessionByHash returns a session and its account's role, or
// store.ErrNotFound. Every instance sees every session: a reader of the
// back office may land on any of them.
func (s *Store) SessionByHash(ctx context.Context, tokenHash string) (store.Session, error) {
	var se store.Session
	err := s.pool.QueryRow(ctx, `SELECT s.token_hash, s.email, st.role, s.created_at, s.seen_at
		FROM staff_sessions s JOIN staff st ON st.email = s.email WHERE s.token_hash = $1`, tokenHash).
		Scan(&se.TokenHash, &se.Email, &se.Role, &se.CreatedAt, &se.SeenAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return se, store.ErrNotFound
	}
	if err != nil {
		return se, fmt.Errorf("postgres: session: %w", err)
	}
	return se, nil
}

// TouchSession moves a session's idle clock.
func (s *Store) TouchSession(ctx context.Context, tokenHash string, now time.Time) error {
	if _, err := s.pool.Exec(ctx, `UPDATE staff_sessions SET seen_at = $1 WHERE token_hash = $2`, now.UTC(), tokenHash); err != nil {
		return fmt.Errorf("postgres: touch session: %w", err)
	}
	return nil
}

// DeleteSession revokes one session.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM staff_sessions WHERE token_hash = $1`, tokenHash); err != nil {
		return fmt.Errorf("postgres: delete session: %w", err)
	}
	return nil
}

// PurgeSessions deletes sessions idle or old past their limits.
func (s *Store) PurgeSessions(ctx context.Context, idleBefore, createdBefore time.Time) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM staff_sessions WHERE seen_at < $1 OR created_at < $2`,
		idleBefore.UTC(), createdBefore.UTC()); err != nil {
		return fmt.Errorf("postgres: purge sessions: %w", err)
	}
	return nil
}

// Audit appends one entry to the audit log.
func (s *Store) Audit(ctx context.Context, e store.AuditEntry) error {
	if _, err := s.pool.Exec(ctx, `INSERT INTO audit_log (at, actor, action, detail) VALUES ($1, $2, $3, $4)`,
		e.At.UTC(), e.Actor, e.Action, e.Detail); err != nil {
		return fmt.Errorf("postgres: audit: %w", err)
	}
	return nil
}

// AuditLog returns the newest entries first.
func (s *Store) AuditLog(ctx context.Context, limit int) ([]store.AuditEntry, error) {
	rows, err := s.pool.Query(ctx, `SELECT at, actor, action, detail FROM audit_log ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: audit log: %w", err)
	}
	defer rows.Close()
	var out []store.AuditEntry
	for rows.Next() {
		var e store.AuditEntry
		if err := rows.Scan(&e.At, &e.Actor, &e.Action, &e.Detail); err != nil {
			return nil, fmt.Errorf("postgres: audit log: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
