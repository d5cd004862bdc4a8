// Package store keeps the site's data in SQLite: reader votes and the
// searches that found nothing. One connection writes and a pool reads, so
// writers never fight over SQLite's single write lock.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// ErrNotFound is returned when a row asked for does not exist.
var ErrNotFound = errors.New("store: not found")

// Store is the database. Its methods are safe for concurrent use.
type Store struct {
	write  *sql.DB // exactly one connection: SQLite has one writer anyway
	read   *sql.DB // a pool of query-only connections; WAL lets them run beside the writer
	writer *writer

	upsertVote *sql.Stmt // prepared on the write connection
}

// Open opens (creating if needed) the database file at path, its folder
// included, and brings its schema up to date.
func Open(ctx context.Context, path string) (*Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("store: create folder: %w", err)
		}
	}
	// synchronous=NORMAL in WAL mode keeps every commit through a crash of
	// the process (kill -9); only a power cut can lose the last commits.
	pragmas := "_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + pragmas
	w, err := sql.Open("sqlite", dsn+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if err := migrate(ctx, w); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite", dsn+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open reader: %w", err)
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	s := &Store{write: w, read: r}
	if s.upsertVote, err = w.PrepareContext(ctx, upsertVote); err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("store: prepare: %w", err)
	}
	s.writer = newWriter(w)
	return s, nil
}

// Ping reports whether the database answers, for /readyz.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var one int
	return s.read.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Close commits what is queued, checkpoints the WAL and closes the files.
func (s *Store) Close() error {
	s.writer.close()
	s.upsertVote.Close()
	_, _ = s.write.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	return errors.Join(s.read.Close(), s.write.Close())
}
