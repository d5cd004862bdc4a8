package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// migrations is the schema's history, applied in order and recorded in
// schema_migrations. Never edit or reorder an entry that has shipped:
// append a new one.
var migrations = []string{
	// 1: reader votes on articles. reader is a hash of the reader's random
	// cookie, never an address or a User-Agent. No secondary indexes: the
	// aggregates read the whole table anyway (and are cached), while every
	// index would be one more random page written per vote.
	`CREATE TABLE votes (
		reader     TEXT    NOT NULL,
		article    TEXT    NOT NULL,
		locale     TEXT    NOT NULL,
		helpful    INTEGER NOT NULL CHECK (helpful IN (0, 1)),
		reason     TEXT    NOT NULL DEFAULT '' CHECK (reason IN ('', 'unclear', 'not_answered', 'did_not_work', 'policy')),
		comment    TEXT    NOT NULL DEFAULT '',
		created_at TEXT    NOT NULL,
		updated_at TEXT    NOT NULL,
		PRIMARY KEY (reader, article, locale)
	) WITHOUT ROWID;`,
	// 2: searches that found nothing, counted per day, locale and query.
	`CREATE TABLE missed_searches (
		day    TEXT    NOT NULL,
		locale TEXT    NOT NULL,
		query  TEXT    NOT NULL,
		count  INTEGER NOT NULL,
		PRIMARY KEY (day, locale, query)
	) WITHOUT ROWID;`,
	// --- back office (admin) ---
	// 3: staff accounts. password is an argon2id PHC string.
	`CREATE TABLE staff (
		email      TEXT NOT NULL PRIMARY KEY,
		role       TEXT NOT NULL CHECK (role IN ('admin', 'agent')),
		password   TEXT NOT NULL,
		created_at TEXT NOT NULL,
		updated_at TEXT NOT NULL
	);`,
	// 4: staff sessions; only the SHA-256 of the cookie's token is kept.
	`CREATE TABLE staff_sessions (
		token_hash TEXT NOT NULL PRIMARY KEY,
		email      TEXT NOT NULL REFERENCES staff (email) ON DELETE CASCADE,
		created_at TEXT NOT NULL,
		seen_at    TEXT NOT NULL
	);`,
	// 5: every state change made by staff: who, what, when.
	`CREATE TABLE audit_log (
		id     INTEGER PRIMARY KEY,
		at     TEXT NOT NULL,
		actor  TEXT NOT NULL,
		action TEXT NOT NULL,
		detail TEXT NOT NULL DEFAULT ''
	);`,
	// 6: triage of the comments left with a "No" vote, keyed like the vote.
	`CREATE TABLE comment_triage (
		reader     TEXT NOT NULL,
		article    TEXT NOT NULL,
		locale     TEXT NOT NULL,
		state      TEXT NOT NULL CHECK (state IN ('new', 'planned', 'done', 'dismissed')),
		note       TEXT NOT NULL DEFAULT '',
		updated_by TEXT NOT NULL,
		updated_at TEXT NOT NULL,
		PRIMARY KEY (reader, article, locale)
	) WITHOUT ROWID;`,
	// 7: daily rollups of votes for the dashboard, kept in the vote's own
	// transaction: a vote counts on the day of its latest answer, and a
	// changed vote moves its count from its old (day, helpful, reason).
	`CREATE TABLE vote_days (
		day     TEXT    NOT NULL,
		article TEXT    NOT NULL,
		locale  TEXT    NOT NULL,
		helpful INTEGER NOT NULL,
		reason  TEXT    NOT NULL,
		count   INTEGER NOT NULL,
		PRIMARY KEY (day, article, locale, helpful, reason)
	) WITHOUT ROWID;`,
	// 8: the rollups of the votes already there.
	`INSERT INTO vote_days (day, article, locale, helpful, reason, count)
		SELECT substr(updated_at, 1, 10), article, locale, helpful, reason, COUNT(*)
		FROM votes GROUP BY 1, 2, 3, 4, 5;`,
	// 9: the triage queue reads the newest "No" votes with a comment. A
	// partial index holds only those, so other votes never write to it.
	`CREATE INDEX votes_comments ON votes (updated_at) WHERE helpful = 0 AND comment != '';`,
	// --- end back office ---
	// --- contact requests  ---
	// 10: contact requests, their threads, screenshots, drafts, the mail
	// outbox and deflections. request_tokens holds the SHA-256 of each
	// status link's secret (a duplicate post gets a link of its own to the
	// same request); the secret itself is never stored. reader is the
	// keyed hash used for rate limits and duplicates, never an address.
	`CREATE TABLE contact_requests (
		id          INTEGER PRIMARY KEY,
		code        TEXT    NOT NULL UNIQUE,
		locale      TEXT    NOT NULL,
		kind        TEXT    NOT NULL,
		device      TEXT    NOT NULL,
		email       TEXT    NOT NULL DEFAULT '',
		article     TEXT    NOT NULL DEFAULT '',
		fingerprint TEXT    NOT NULL,
		state       TEXT    NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'answered', 'closed')),
		assigned_to TEXT    NOT NULL DEFAULT '',
		created_at  TEXT    NOT NULL,
		updated_at  TEXT    NOT NULL,
		closed_at   TEXT
	);
	CREATE INDEX contact_requests_fingerprint ON contact_requests (fingerprint, created_at);
	CREATE INDEX contact_requests_state ON contact_requests (state, id);
	CREATE TABLE request_tokens (
		token_hash BLOB    PRIMARY KEY,
		request_id INTEGER NOT NULL REFERENCES contact_requests (id) ON DELETE CASCADE
	) WITHOUT ROWID;
	CREATE TABLE request_messages (
		id         INTEGER PRIMARY KEY,
		request_id INTEGER NOT NULL REFERENCES contact_requests (id) ON DELETE CASCADE,
		author     TEXT    NOT NULL CHECK (author IN ('reader', 'staff', 'note')),
		staff      TEXT    NOT NULL DEFAULT '',
		body       TEXT    NOT NULL,
		created_at TEXT    NOT NULL
	);
	CREATE INDEX request_messages_request ON request_messages (request_id, id);
	CREATE TABLE request_screenshots (
		id         INTEGER PRIMARY KEY,
		request_id INTEGER NOT NULL REFERENCES contact_requests (id) ON DELETE CASCADE,
		message_id INTEGER NOT NULL REFERENCES request_messages (id) ON DELETE CASCADE,
		sha256     BLOB    NOT NULL,
		type       TEXT    NOT NULL,
		size       INTEGER NOT NULL,
		width      INTEGER NOT NULL,
		height     INTEGER NOT NULL,
		data       BLOB    NOT NULL
	);
	CREATE INDEX request_screenshots_request ON request_screenshots (request_id, id);
	CREATE TABLE contact_drafts (
		id         TEXT PRIMARY KEY,
		created_at TEXT NOT NULL
	) WITHOUT ROWID;
	CREATE TABLE draft_screenshots (
		id       INTEGER PRIMARY KEY,
		draft_id TEXT    NOT NULL REFERENCES contact_drafts (id) ON DELETE CASCADE,
		name     TEXT    NOT NULL,
		sha256   BLOB    NOT NULL,
		type     TEXT    NOT NULL,
		size     INTEGER NOT NULL,
		width    INTEGER NOT NULL,
		height   INTEGER NOT NULL,
		data     BLOB    NOT NULL
	);
	CREATE INDEX draft_screenshots_draft ON draft_screenshots (draft_id, id);
	CREATE TABLE mail_outbox (
		id          INTEGER PRIMARY KEY,
		recipient   TEXT    NOT NULL,
		subject     TEXT    NOT NULL,
		text_body   TEXT    NOT NULL,
		html_body   TEXT    NOT NULL,
		attempts    INTEGER NOT NULL DEFAULT 0,
		next_try_at TEXT    NOT NULL,
		sent_at     TEXT,
		last_error  TEXT    NOT NULL DEFAULT '',
		created_at  TEXT    NOT NULL
	);
	CREATE INDEX mail_outbox_due ON mail_outbox (sent_at, next_try_at);
	CREATE TABLE contact_deflections (
		day     TEXT    NOT NULL,
		locale  TEXT    NOT NULL,
		article TEXT    NOT NULL,
		count   INTEGER NOT NULL,
		PRIMARY KEY (day, locale, article)
	) WITHOUT ROWID;`,
	// --- end contact requests ---
	// --- support inbox ---
	// 11: the support inbox's filters and text search. Each filter's
	// index ends with state, so the inbox's count per state reads only
	// the index. request_text indexes, by trigram (any script, any
	// substring of three characters or more), the text of each request's
	// reader messages under the request's id. It keeps no copy of the
	// text (contentless); triggers index a request again when the reader
	// adds a message and drop it with the request.
	`CREATE INDEX contact_requests_locale ON contact_requests (locale, state);
	CREATE INDEX contact_requests_kind ON contact_requests (kind, state);
	CREATE INDEX contact_requests_device ON contact_requests (device, state);
	CREATE INDEX contact_requests_assigned ON contact_requests (assigned_to, state);
	CREATE INDEX contact_requests_created ON contact_requests (created_at);
	CREATE VIRTUAL TABLE request_text USING fts5 (body, content = '', contentless_delete = 1, tokenize = 'trigram');
	INSERT INTO request_text (rowid, body)
		SELECT request_id, group_concat(body, char(10)) FROM
			(SELECT request_id, body FROM request_messages WHERE author = 'reader' ORDER BY request_id, id)
		GROUP BY request_id;
	CREATE TRIGGER request_text_insert AFTER INSERT ON request_messages WHEN new.author = 'reader' BEGIN
		DELETE FROM request_text WHERE rowid = new.request_id;
		INSERT INTO request_text (rowid, body)
			SELECT new.request_id, group_concat(body, char(10)) FROM
				(SELECT body FROM request_messages WHERE request_id = new.request_id AND author = 'reader' ORDER BY id);
	END;
	CREATE TRIGGER request_text_delete AFTER DELETE ON contact_requests BEGIN
		DELETE FROM request_text WHERE rowid = old.id;
	END;`,
	// --- end support inbox ---
}

func migrate(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		applied_at TEXT NOT NULL
	)`); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	var current int
	if err := db.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&current); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	if current > len(migrations) {
		return fmt.Errorf("store: database schema is version %d, newer than this binary's %d", current, len(migrations))
	}
	for v := current + 1; v <= len(migrations); v++ {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("store: migrate %d: %w", v, err)
		}
		if _, err := tx.ExecContext(ctx, migrations[v-1]); err != nil {
			tx.Rollback()
			return fmt.Errorf("store: migrate %d: %w", v, err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
			v, time.Now().UTC().Format(time.RFC3339)); err != nil {
			tx.Rollback()
			return fmt.Errorf("store: migrate %d: %w", v, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("store: migrate %d: %w", v, err)
		}
	}
	return nil
}

// Version returns the schema version the database is at.
func (s *Store) Version(ctx context.Context) (int, error) {
	var v int
	err := s.read.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v)
	return v, err
}
