// Package postgres keeps the site's data in PostgreSQL, for deployments of
// several instances that share one database. It offers the same methods,
// with the same contracts, as the SQLite store in internal/store/sqlite,
// and uses the types of internal/store; SQLite stays the default.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"helpcenter/internal/store"
)

// IsURL reports whether dsn names a PostgreSQL database rather than a
// SQLite file.
func IsURL(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Store is the database. Its methods are safe for concurrent use, and
// several processes may share one database.
type Store struct {
	pool   *pgxpool.Pool
	writer *voteWriter
}

// Open connects to the database at url and brings its schema up to date.
// Ten instances starting at once migrate once: migrations run under an
// advisory lock.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// The parse error may quote the URL, password included.
		return nil, errors.New("postgres: the database URL is not valid")
	}
	if cfg.MaxConns < 8 {
		cfg.MaxConns = 8
	}
	cfg.ConnConfig.RuntimeParams["application_name"] = "helpcenter"
	// Statements on a lost connection fail fast; /readyz and the writer
	// retry on their own schedule.
	cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	cfg.HealthCheckPeriod = 5 * time.Second
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	return &Store{pool: pool, writer: newVoteWriter(pool)}, nil
}

// Ping reports whether the database answers and accepts writes, for
// /readyz: a read-only replica promoted by mistake, or a primary that
// became a standby, is not ready.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var readOnly string
	if err := s.pool.QueryRow(ctx, "SHOW transaction_read_only").Scan(&readOnly); err != nil {
		return fmt.Errorf("postgres: ping: %w", err)
	}
	if readOnly == "on" {
		return errors.New("postgres: ping: the database is read-only")
	}
	return nil
}

var _ store.DB = (*Store)(nil)

// Close commits the votes already queued and closes the connections.
func (s *Store) Close() error {
	s.writer.close()
	s.pool.Close()
	return nil
}
