package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"helpcenter/internal/store"
)

// MailLease is how long a message handed out by DueMail stays with the
// instance that claimed it. Until then no other instance gets it; after
// it, a message neither sent nor failed (its sender crashed) is due
// again. It must outlast a mail.Worker's batch: 20 messages, each with
// SMTP timeouts of 30 seconds.
const MailLease = 15 * time.Minute

// EnqueueMail stores m to be sent, due at once; it returns once m is
// committed.
func (s *Store) EnqueueMail(ctx context.Context, m store.Mail) error {
	err := s.durable(ctx, func(tx pgx.Tx) error {
		return enqueueMail(ctx, tx, m, time.Now().UTC())
	})
	if err != nil {
		return fmt.Errorf("postgres: enqueue mail: %w", err)
	}
	return nil
}

// enqueueMail queues m in tx, due at once.
func enqueueMail(ctx context.Context, tx pgx.Tx, m store.Mail, t time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO mail_outbox (recipient, subject, text_body, html_body, next_try_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $5)`, m.To, m.Subject, m.Text, m.HTML, t)
	return err
}

// claimMail takes up to $2 unsent messages due at $1, oldest first, and
// moves their next try a lease ahead. SKIP LOCKED lets instances claiming
// at the same moment each take different rows instead of waiting for one
// another; a row another instance claimed and committed meanwhile is
// re-checked and no longer due. The CTE is MATERIALIZED so that the locking
// SELECT, with its LIMIT, runs exactly once.
const claimMail = `WITH due AS MATERIALIZED (
	SELECT id FROM mail_outbox
	WHERE sent_at IS NULL AND next_try_at <= $1
	ORDER BY id LIMIT $2
	FOR UPDATE SKIP LOCKED
), claimed AS (
	UPDATE mail_outbox m SET next_try_at = $1::timestamptz + $3::interval
	FROM due WHERE m.id = due.id
	RETURNING m.id, m.recipient, m.subject, m.text_body, m.html_body, m.attempts, m.created_at
)
SELECT * FROM claimed ORDER BY id`

// DueMail claims up to limit unsent messages whose next try is due at at
// and returns them. Unlike the SQLite store, whose one process has one
// worker, it never hands a message to two instances at once: each claimed
// message is due again only after MailLease, unless MailSent or
// MailFailed come first.
func (s *Store) DueMail(ctx context.Context, at time.Time, limit int) ([]store.Mail, error) {
	rows, err := s.pool.Query(ctx, claimMail, at.UTC(), limit, MailLease)
	if err != nil {
		return nil, fmt.Errorf("postgres: due mail: %w", err)
	}
	defer rows.Close()
	var out []store.Mail
	for rows.Next() {
		var m store.Mail
		if err := rows.Scan(&m.ID, &m.To, &m.Subject, &m.Text, &m.HTML, &m.Attempts, &m.CreatedAt); err != nil {
			return nil, fmt.Errorf("postgres: due mail: %w", err)
		}
		m.CreatedAt = m.CreatedAt.UTC()
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: due mail: %w", err)
	}
	return out, nil
}

// MailSent marks message id as sent; it returns once that is committed,
// so that a message is never sent twice because its mark was lost.
func (s *Store) MailSent(ctx context.Context, id int64) error {
	err := s.durable(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE mail_outbox SET sent_at = $1, attempts = attempts + 1, last_error = '' WHERE id = $2`,
			time.Now().UTC(), id)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: mail sent: %w", err)
	}
	return nil
}

// MailFailed records a failed attempt and when to try again, which ends
// the message's lease.
func (s *Store) MailFailed(ctx context.Context, id int64, nextTry time.Time, reason string) error {
	if _, err := s.pool.Exec(ctx, `UPDATE mail_outbox SET attempts = attempts + 1, next_try_at = $1, last_error = $2 WHERE id = $3`,
		nextTry.UTC(), reason, id); err != nil {
		return fmt.Errorf("postgres: mail failed: %w", err)
	}
	return nil
}

// PurgeSentMail deletes messages sent before the time given: the outbox
// keeps an address only as long as the mail to it waits.
func (s *Store) PurgeSentMail(ctx context.Context, before time.Time) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM mail_outbox WHERE sent_at IS NOT NULL AND sent_at < $1`, before.UTC())
	if err != nil {
		return 0, fmt.Errorf("postgres: purge sent mail: %w", err)
	}
	return tag.RowsAffected(), nil
}

// RecordDeflection counts one suggestion opened from the contact form
// after which the request was not sent.
func (s *Store) RecordDeflection(ctx context.Context, locale, article string) error {
	if _, err := s.pool.Exec(ctx, `INSERT INTO contact_deflections (day, locale, article, count) VALUES ($1, $2, $3, 1)
		ON CONFLICT (day, locale, article) DO UPDATE SET count = contact_deflections.count + 1`,
		time.Now().UTC().Format(time.DateOnly), locale, article); err != nil {
		return fmt.Errorf("postgres: record deflection: %w", err)
	}
	return nil
}

// UndoDeflection takes back a deflection counted on day (YYYY-MM-DD):
// the reader opened the suggestion, then sent the request after all.
func (s *Store) UndoDeflection(ctx context.Context, day, locale, article string) error {
	if _, err := s.pool.Exec(ctx, `UPDATE contact_deflections SET count = count - 1
		WHERE day = $1 AND locale = $2 AND article = $3 AND count > 0`, day, locale, article); err != nil {
		return fmt.Errorf("postgres: undo deflection: %w", err)
	}
	return nil
}

// PurgeDeflections deletes deflection counts of days before the time given.
func (s *Store) PurgeDeflections(ctx context.Context, before time.Time) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM contact_deflections WHERE day < $1`, before.UTC().Format(time.DateOnly)); err != nil {
		return fmt.Errorf("postgres: purge deflections: %w", err)
	}
	return nil
}
