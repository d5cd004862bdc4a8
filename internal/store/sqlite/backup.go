package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
)

// Backup copies the database at src, which may be in use by a running
// server, to a new file dest. VACUUM INTO reads one snapshot in a single
// read transaction, so the copy is consistent however many votes are
// being written meanwhile (WAL lets the writer go on), and it comes out
// compacted, with the WAL already folded in. The copy is written beside
// dest and renamed into place once it passes quick_check, so dest is
// either absent or a whole, checked database.
func Backup(ctx context.Context, src, dest string) (int64, error) {
	if _, err := os.Stat(src); err != nil {
		return 0, fmt.Errorf("store: backup: %w", err)
	}
	if _, err := os.Stat(dest); err == nil {
		return 0, fmt.Errorf("store: backup: %s already exists", dest)
	}
	tmp := filepath.Join(filepath.Dir(dest), "."+filepath.Base(dest)+".part")
	_ = os.Remove(tmp)
	defer os.Remove(tmp)

	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: src}).EscapedPath()+"?_pragma=busy_timeout(5000)")
	if err != nil {
		return 0, fmt.Errorf("store: backup: %w", err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		return 0, fmt.Errorf("store: backup: %w", asCorrupt(src, err))
	}

	cp, err := sql.Open("sqlite", "file:"+(&url.URL{Path: tmp}).EscapedPath()+"?mode=ro")
	if err != nil {
		return 0, fmt.Errorf("store: backup: %w", err)
	}
	err = quickCheck(ctx, cp, tmp)
	cp.Close()
	if err != nil {
		return 0, fmt.Errorf("store: backup: the copy fails its check: %w", err)
	}
	st, err := os.Stat(tmp)
	if err != nil {
		return 0, fmt.Errorf("store: backup: %w", err)
	}
	if err := os.Link(tmp, dest); err != nil {
		if errors.Is(err, os.ErrExist) {
			return 0, fmt.Errorf("store: backup: %s already exists", dest)
		}
		// A file system without hard links: rename instead.
		if err := os.Rename(tmp, dest); err != nil {
			return 0, fmt.Errorf("store: backup: %w", err)
		}
	}
	return st.Size(), nil
}
