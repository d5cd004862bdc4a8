// Package sqlite is the embedded default engine: it keeps the site's data
// in one SQLite file through modernc.org/sqlite, pure Go, so the binary
// needs neither cgo nor a database server. It implements the interfaces of
// internal/store. One connection writes and a pool reads, so writers never
// fight over SQLite's single write lock.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"helpcenter/internal/store"
)

// Store is the database. Its methods are safe for concurrent use.
type Store struct {
	write  *sql.DB // exactly one connection: SQLite has one writer anyway
	read   *sql.DB // a pool of query-only connections; WAL lets them run beside the writer
	writer *writer
	path   string
	cap    capacity

	upsertVote *sql.Stmt   // prepared on the write connection
	rollup     rollupStmts // rollups.go, also on the write connection

	checkpoint    *sql.DB // one connection that copies the WAL into the database
	stop, stopped chan struct{}
	closeOnce     sync.Once
	closeErr      error
}

// checkpointInterval is how often the WAL is copied back into the
// database file. PASSIVE checkpoints never block the writer.
const checkpointInterval = time.Second

func (s *Store) checkpointLoop() {
	defer close(s.stopped)
	t := time.NewTicker(checkpointInterval)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			_, _ = s.checkpoint.Exec("PRAGMA wal_checkpoint(PASSIVE)")
		}
	}
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
	// The writer never checkpoints (wal_autocheckpoint=0): copying the WAL
	// back into the database, with its fsync, would stall every queued vote.
	// A connection of its own does it in the background (checkpointLoop).
	w, err := sql.Open("sqlite", dsn+"&_txlock=immediate&_pragma=wal_autocheckpoint(0)")
	if err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, asCorrupt(path, fmt.Errorf("store: open %s: %w", path, err))
	}
	if err := quickCheck(ctx, w, path); err != nil {
		w.Close()
		return nil, err
	}
	if err := migrate(ctx, w); err != nil {
		w.Close()
		return nil, asCorrupt(path, err)
	}
	// Reads are few (vote counts once a minute, exports): four
	// connections with 512 KiB page caches, not eight with SQLite's
	// default 2 MiB; the file's pages stay in the OS page cache anyway.
	r, err := sql.Open("sqlite", dsn+"&_pragma=query_only(1)&_pragma=cache_size(-512)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open reader: %w", err)
	}
	r.SetMaxOpenConns(4)
	r.SetMaxIdleConns(4)
	cp, err := sql.Open("sqlite", dsn)
	if err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("store: open checkpointer: %w", err)
	}
	cp.SetMaxOpenConns(1)
	s := &Store{write: w, read: r, path: path, checkpoint: cp, stop: make(chan struct{}), stopped: make(chan struct{})}
	if s.upsertVote, err = w.PrepareContext(ctx, upsertVote); err == nil {
		err = s.rollup.prepare(ctx, w)
	}
	if err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("store: prepare: %w", err)
	}
	s.writer = newWriter(w)
	go s.checkpointLoop()
	return s, nil
}

// answers reports whether the database answers a query.
func (s *Store) answers(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var one int
	return s.read.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Close commits what is queued, checkpoints the WAL and closes the files.
// Calling it again does nothing.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.writer.close()
		close(s.stop)
		<-s.stopped
		s.upsertVote.Close()
		s.rollup.close()
		_, _ = s.write.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
		s.closeErr = errors.Join(s.read.Close(), s.checkpoint.Close(), s.write.Close())
	})
	return s.closeErr
}

// Exclusive runs fn and reports that it ran. One process owns a SQLite
// file, so there is no other instance to leave the job to; the PostgreSQL
// store runs fn only where no other instance is running the same job.
func (s *Store) Exclusive(ctx context.Context, job string, fn func(context.Context) error) (bool, error) {
	return true, fn(ctx)
}

var _ store.DB = (*Store)(nil)
