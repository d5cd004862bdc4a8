package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// migrations is the schema's history, applied in order and recorded in
// schema_migrations, as in the SQLite store. Never edit or reorder an
// entry that has shipped: append a new one.
var migrations = []string{
	// 1: reader votes on articles. reader is a hash of the reader's random
	// cookie, never an address or a User-Agent.
	`CREATE TABLE votes (
		reader     TEXT        NOT NULL,
		article    TEXT        NOT NULL,
		locale     TEXT        NOT NULL,
		helpful    BOOLEAN     NOT NULL,
		reason     TEXT        NOT NULL DEFAULT '' CHECK (reason IN ('', 'unclear', 'not_answered', 'did_not_work', 'policy')),
		comment    TEXT        NOT NULL DEFAULT '',
		created_at TIMESTAMPTZ NOT NULL,
		updated_at TIMESTAMPTZ NOT NULL,
		PRIMARY KEY (reader, article, locale)
	)`,
	// 2: searches that found nothing, counted per day, locale and query.
	`CREATE TABLE missed_searches (
		day    DATE    NOT NULL,
		locale TEXT    NOT NULL,
		query  TEXT    NOT NULL,
		count  INTEGER NOT NULL,
		PRIMARY KEY (day, locale, query)
	)`,
}

// migrationLock is the advisory lock key that serializes migrations
// across instances (an arbitrary constant: "helpcntr" in ASCII).
const migrationLock = 0x68656c70636e7472

// migrate applies the migrations this database lacks in one transaction,
// holding an advisory lock so that instances starting together wait for
// the first one instead of racing it. PostgreSQL's DDL is transactional: a
// failed migration leaves the schema as it was.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(migrationLock)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    INTEGER PRIMARY KEY,
			applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
		)`); err != nil {
			return err
		}
		var current int
		if err := tx.QueryRow(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&current); err != nil {
			return err
		}
		if current > len(migrations) {
			return fmt.Errorf("database schema is version %d, newer than this binary's %d", current, len(migrations))
		}
		for v := current + 1; v <= len(migrations); v++ {
			if _, err := tx.Exec(ctx, migrations[v-1]); err != nil {
				return fmt.Errorf("%d: %w", v, err)
			}
			if _, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version) VALUES ($1)", v); err != nil {
				return fmt.Errorf("%d: %w", v, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	return nil
}

// Version returns the schema version the database is at.
func (s *Store) Version(ctx context.Context) (int, error) {
	var v int
	err := s.pool.QueryRow(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v)
	return v, err
}
