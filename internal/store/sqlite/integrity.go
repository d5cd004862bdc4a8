package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	msqlite "modernc.org/sqlite"

	"helpcenter/internal/store"
)

// SQLite's primary result codes that matter here.
const (
	sqliteIOErr   = 10
	sqliteCorrupt = 11
	sqliteFull    = 13
	sqliteNotADB  = 26
)

// sqliteCode is the primary result code of a SQLite error, or 0.
func sqliteCode(err error) int {
	var se *msqlite.Error
	if errors.As(err, &se) {
		return se.Code() & 0xff
	}
	return 0
}

// asCorrupt wraps err in ErrCorrupt when SQLite says the file is damaged.
func asCorrupt(path string, err error) error {
	if c := sqliteCode(err); c == sqliteCorrupt || c == sqliteNotADB {
		return fmt.Errorf("%w: %s: %v", store.ErrCorrupt, path, err)
	}
	return err
}

// quickCheck runs PRAGMA quick_check: every page and b-tree is readable and
// well formed (it skips the slower index-content comparison of
// integrity_check). Without it a damaged file surfaces later, as whatever
// the first query happens to trip over: "table votes already exists", a
// schema version of 40.
func quickCheck(ctx context.Context, db *sql.DB, path string) error {
	rows, err := db.QueryContext(ctx, "PRAGMA quick_check(10)")
	if err != nil {
		return asCorrupt(path, fmt.Errorf("quick_check: %w", err))
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return asCorrupt(path, fmt.Errorf("quick_check: %w", err))
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return asCorrupt(path, fmt.Errorf("quick_check: %w", err))
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s: %s", store.ErrCorrupt, path, strings.Join(problems, "; "))
	}
	return nil
}
