package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"helpcenter/internal/store"
)

// EnqueueMail stores m to be sent; it returns once m is durable.
func (s *Store) EnqueueMail(ctx context.Context, m store.Mail) error {
	err := s.writer.doDurable(ctx, func(tx *sql.Tx) error {
		return enqueueMail(tx, m, now())
	})
	if err != nil {
		return fmt.Errorf("store: enqueue mail: %w", err)
	}
	return nil
}

// enqueueMail queues m in tx, due at once.
func enqueueMail(tx *sql.Tx, m store.Mail, t string) error {
	_, err := tx.Exec(`INSERT INTO mail_outbox (recipient, subject, text_body, html_body, next_try_at, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		m.To, m.Subject, m.Text, m.HTML, t, t)
	return err
}

// DueMail returns up to limit unsent messages whose next try is due at at.
func (s *Store) DueMail(ctx context.Context, at time.Time, limit int) ([]store.Mail, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, recipient, subject, text_body, html_body, attempts, created_at FROM mail_outbox
		WHERE sent_at IS NULL AND next_try_at <= ? ORDER BY id LIMIT ?`, at.UTC().Format(time.RFC3339Nano), limit)
	if err != nil {
		return nil, fmt.Errorf("store: due mail: %w", err)
	}
	defer rows.Close()
	var out []store.Mail
	for rows.Next() {
		var m store.Mail
		var created string
		if err := rows.Scan(&m.ID, &m.To, &m.Subject, &m.Text, &m.HTML, &m.Attempts, &created); err != nil {
			return nil, fmt.Errorf("store: due mail: %w", err)
		}
		m.CreatedAt = parseTime(created)
		out = append(out, m)
	}
	return out, rows.Err()
}

// MailSent marks message id as sent.
func (s *Store) MailSent(ctx context.Context, id int64) error {
	return s.writer.doDurable(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`UPDATE mail_outbox SET sent_at = ?, attempts = attempts + 1, last_error = '' WHERE id = ?`, now(), id)
		return err
	})
}

// MailFailed records a failed attempt and when to try again.
func (s *Store) MailFailed(ctx context.Context, id int64, nextTry time.Time, reason string) error {
	return s.writer.do(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`UPDATE mail_outbox SET attempts = attempts + 1, next_try_at = ?, last_error = ? WHERE id = ?`,
			nextTry.UTC().Format(time.RFC3339Nano), reason, id)
		return err
	})
}

// PurgeSentMail deletes messages sent before the time given: the outbox
// keeps an address only as long as the mail to it waits.
func (s *Store) PurgeSentMail(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.writer.do(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`DELETE FROM mail_outbox WHERE sent_at IS NOT NULL AND sent_at < ?`, before.UTC().Format(time.RFC3339Nano))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// RecordDeflection counts one suggestion opened from the contact form
// after which the request was not sent.
func (s *Store) RecordDeflection(ctx context.Context, locale, article string) error {
	return s.writer.do(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO contact_deflections (day, locale, article, count) VALUES (?, ?, ?, 1)
			ON CONFLICT (day, locale, article) DO UPDATE SET count = count + 1`,
			time.Now().UTC().Format(time.DateOnly), locale, article)
		return err
	})
}

// UndoDeflection takes back a deflection counted on day (YYYY-MM-DD):
// the reader opened the suggestion, then sent the request after all.
func (s *Store) UndoDeflection(ctx context.Context, day, locale, article string) error {
	return s.writer.do(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`UPDATE contact_deflections SET count = count - 1 WHERE day = ? AND locale = ? AND article = ? AND count > 0`,
			day, locale, article)
		return err
	})
}

// PurgeDeflections deletes deflection counts of days before the time given.
func (s *Store) PurgeDeflections(ctx context.Context, before time.Time) error {
	return s.writer.do(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`DELETE FROM contact_deflections WHERE day < ?`, before.UTC().Format(time.DateOnly))
		return err
	})
}
