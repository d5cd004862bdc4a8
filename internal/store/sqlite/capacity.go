package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"helpcenter/internal/store"
)

// minFreeSpace is the free space on the database's file system below
// which Ping reports the store full: writes, the WAL and checkpoints
// are about to fail, so a load balancer should hear it first.
const minFreeSpace = 8 << 20

// sizeCheckInterval bounds how often a write measures the database.
const sizeCheckInterval = time.Second

// capacity decides whether writes that make the database grow may run.
type capacity struct {
	max     atomic.Int64 // bytes of data; 0 means no limit
	failing atomic.Bool  // the last write failed for lack of disk space
	refused atomic.Uint64

	mu      sync.Mutex
	log     *slog.Logger
	checked time.Time
	size    int64
	over    bool
}

// LimitSize refuses writes that make the database grow (votes, search
// counts) once its data passes max bytes; 0 lifts the limit. Deleting
// data brings it back under, as the daily purge does. Crossing the limit
// either way is logged on log.
func (s *Store) LimitSize(max int64, log *slog.Logger) {
	s.cap.mu.Lock()
	s.cap.log = log
	s.cap.checked = time.Time{}
	s.cap.mu.Unlock()
	s.cap.max.Store(max)
	_ = s.checkSize(context.Background())
}

// RefusedWrites counts the writes refused with ErrFull since Open, for
// the metrics.
func (s *Store) RefusedWrites() uint64 { return s.cap.refused.Load() }

// checkSize returns ErrFull while the data is over the limit, measuring it
// at most once per sizeCheckInterval. The size is of the pages in use
// (page_count less the free list): the file never shrinks by itself, but
// deleted rows leave pages free for new ones.
func (s *Store) checkSize(ctx context.Context) error {
	max := s.cap.max.Load()
	if max <= 0 {
		return nil
	}
	c := &s.cap
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.checked) >= sizeCheckInterval {
		var size int64
		err := s.read.QueryRowContext(ctx, `SELECT (SELECT page_count FROM pragma_page_count()) -
			(SELECT freelist_count FROM pragma_freelist_count())`).Scan(&size)
		if err == nil {
			var pageSize int64
			err = s.read.QueryRowContext(ctx, "PRAGMA page_size").Scan(&pageSize)
			size *= pageSize
		}
		if err != nil {
			return fmt.Errorf("store: measure size: %w", err)
		}
		c.checked, c.size = time.Now(), size
		if over := size > max; over != c.over {
			c.over = over
			if c.log != nil && over {
				c.log.Error("database over its size limit: refusing writes, pages are still served",
					"size_bytes", size, "limit_bytes", max)
			} else if c.log != nil {
				c.log.Info("database back under its size limit: accepting writes", "size_bytes", size, "limit_bytes", max)
			}
		}
	}
	if c.over {
		return fmt.Errorf("%w: %d bytes of data, limit %d", store.ErrFull, c.size, max)
	}
	return nil
}

// grow runs a write that adds data: refused while the database is over
// its size limit, and remembered when it fails for lack of disk space.
func (s *Store) grow(ctx context.Context, fn func(*sql.Tx) error) error {
	if err := s.checkSize(ctx); err != nil {
		if errors.Is(err, store.ErrFull) {
			s.cap.refused.Add(1)
		}
		return err
	}
	return s.commit(ctx, fn)
}

// commit is writer.do that notes whether the disk had room.
func (s *Store) commit(ctx context.Context, fn func(*sql.Tx) error) error {
	err := s.writer.do(ctx, fn)
	switch {
	case err == nil:
		s.cap.failing.Store(false)
	case s.isDiskFull(err):
		s.cap.failing.Store(true)
		s.cap.refused.Add(1)
		return fmt.Errorf("%w: disk full: %v", store.ErrFull, err)
	}
	return err
}

// isDiskFull reports SQLite's SQLITE_FULL, and an I/O error on a disk
// with no room left (a WAL append can fail either way).
func (s *Store) isDiskFull(err error) bool {
	switch sqliteCode(err) {
	case sqliteFull:
		return true
	case sqliteIOErr:
		free, ok := freeSpace(filepath.Dir(s.path))
		return ok && free == 0
	}
	return false
}

// Ping reports whether the database answers and would accept a write
// now: it is under its size limit, its disk has room, and, if a write
// failed for lack of space, a small write succeeds again. /readyz uses it,
// so an instance that cannot save votes leaves the load balancer and
// comes back by itself when space returns.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.answers(ctx); err != nil {
		return err
	}
	if err := s.checkSize(ctx); err != nil {
		return err
	}
	if free, ok := freeSpace(filepath.Dir(s.path)); ok && free < minFreeSpace {
		return fmt.Errorf("%w: %d bytes free on the disk", store.ErrFull, free)
	}
	if s.cap.failing.Load() {
		ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		// Rewriting a row in place writes a page, as any commit does.
		return s.commit(ctx, func(tx *sql.Tx) error {
			_, err := tx.Exec("UPDATE schema_migrations SET applied_at = applied_at WHERE version = (SELECT MAX(version) FROM schema_migrations)")
			return err
		})
	}
	return nil
}
