package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	_ "modernc.org/sqlite" // reads the SQLite file being moved
)

// column is one column of a table that ImportSQLite copies, with the way
// its SQLite value becomes a PostgreSQL one.
type column struct {
	name string
	kind string // "text", "int", "bool" (0/1), "time" (RFC 3339 text), "date", "bytes"
}

// importTable names a table to copy and its columns, in the order both
// schemas share.
type importTable struct {
	name    string
	columns []column
	serial  string // an identity column whose sequence must follow the copied ids
}

// importTables lists every table of the SQLite schema, parents before the
// tables whose foreign keys point at them.
var importTables = []importTable{
	{name: "votes", columns: []column{
		{"reader", "text"}, {"article", "text"}, {"locale", "text"}, {"helpful", "bool"},
		{"reason", "text"}, {"comment", "text"}, {"created_at", "time"}, {"updated_at", "time"},
	}},
	{name: "missed_searches", columns: []column{
		{"day", "date"}, {"locale", "text"}, {"query", "text"}, {"count", "int"},
	}},
	{name: "staff", columns: []column{
		{"email", "text"}, {"role", "text"}, {"password", "text"}, {"created_at", "time"}, {"updated_at", "time"},
	}},
	{name: "staff_sessions", columns: []column{
		{"token_hash", "text"}, {"email", "text"}, {"created_at", "time"}, {"seen_at", "time"},
	}},
	{name: "audit_log", serial: "id", columns: []column{
		{"id", "int"}, {"at", "time"}, {"actor", "text"}, {"action", "text"}, {"detail", "text"},
	}},
	{name: "comment_triage", columns: []column{
		{"reader", "text"}, {"article", "text"}, {"locale", "text"}, {"state", "text"}, {"note", "text"},
		{"updated_by", "text"}, {"updated_at", "time"},
	}},
	{name: "vote_days", columns: []column{
		{"day", "date"}, {"article", "text"}, {"locale", "text"}, {"helpful", "bool"}, {"reason", "text"}, {"count", "int"},
	}},
	{name: "contact_requests", serial: "id", columns: []column{
		{"id", "int"}, {"code", "text"}, {"locale", "text"}, {"kind", "text"}, {"device", "text"}, {"email", "text"},
		{"article", "text"}, {"fingerprint", "text"}, {"state", "text"}, {"assigned_to", "text"},
		{"created_at", "time"}, {"updated_at", "time"}, {"closed_at", "time"},
	}},
	{name: "request_tokens", columns: []column{
		{"token_hash", "bytes"}, {"request_id", "int"},
	}},
	{name: "request_messages", serial: "id", columns: []column{
		{"id", "int"}, {"request_id", "int"}, {"author", "text"}, {"staff", "text"}, {"body", "text"}, {"created_at", "time"},
	}},
	{name: "request_screenshots", serial: "id", columns: []column{
		{"id", "int"}, {"request_id", "int"}, {"message_id", "int"}, {"sha256", "bytes"}, {"type", "text"},
		{"size", "int"}, {"width", "int"}, {"height", "int"}, {"data", "bytes"},
	}},
	{name: "contact_drafts", columns: []column{
		{"id", "text"}, {"created_at", "time"},
	}},
	{name: "draft_screenshots", serial: "id", columns: []column{
		{"id", "int"}, {"draft_id", "text"}, {"name", "text"}, {"sha256", "bytes"}, {"type", "text"},
		{"size", "int"}, {"width", "int"}, {"height", "int"}, {"data", "bytes"},
	}},
	{name: "mail_outbox", serial: "id", columns: []column{
		{"id", "int"}, {"recipient", "text"}, {"subject", "text"}, {"text_body", "text"}, {"html_body", "text"},
		{"attempts", "int"}, {"next_try_at", "time"}, {"sent_at", "time"}, {"last_error", "text"}, {"created_at", "time"},
	}},
	{name: "contact_deflections", columns: []column{
		{"day", "date"}, {"locale", "text"}, {"article", "text"}, {"count", "int"},
	}},
}

// TableCount is the rows of one table in the source and, after the copy,
// in PostgreSQL.
type TableCount struct {
	Table            string
	Source, Imported int64
}

// ImportSQLite copies every row of the SQLite database at path into this
// database. Rows already present (same primary key) are kept as they are,
// so running it again, or after a partial run, copies only what is
// missing. It returns the row counts of both sides per table; it fails if
// any table has fewer rows here than in the source.
func (s *Store) ImportSQLite(ctx context.Context, path string) ([]TableCount, error) {
	src, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return nil, fmt.Errorf("postgres: import: %w", err)
	}
	defer src.Close()
	var version int
	if err := src.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&version); err != nil {
		return nil, fmt.Errorf("postgres: import: %s is not a helpcenter database: %w", path, err)
	}
	var counts []TableCount
	for _, t := range importTables {
		c, err := s.importTable(ctx, src, t)
		if err != nil {
			return counts, fmt.Errorf("postgres: import %s: %w", t.name, err)
		}
		counts = append(counts, c)
		if c.Imported < c.Source {
			return counts, fmt.Errorf("postgres: import %s: %d rows in the source, %d here", t.name, c.Source, c.Imported)
		}
	}
	return counts, nil
}

// importBatch is how many rows travel in one COPY, and importBatchBytes
// about how many bytes of text and BLOBs: a batch of 5,000 screenshots
// of 5 MB each would not fit in memory.
const (
	importBatch      = 5000
	importBatchBytes = 32 << 20
)

func (s *Store) importTable(ctx context.Context, src *sql.DB, t importTable) (TableCount, error) {
	c := TableCount{Table: t.name}
	names := make([]string, len(t.columns))
	for i, col := range t.columns {
		names[i] = col.name
	}
	if err := src.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+t.name).Scan(&c.Source); err != nil {
		return c, err
	}
	rows, err := src.QueryContext(ctx, "SELECT "+strings.Join(names, ", ")+" FROM "+t.name)
	if err != nil {
		return c, err
	}
	defer rows.Close()
	batch := make([][]any, 0, importBatch)
	batchBytes := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		batchBytes = 0
		err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			// COPY cannot skip conflicts, so rows go through a temporary
			// table and then in with ON CONFLICT DO NOTHING.
			tmp := "import_" + t.name
			if _, err := tx.Exec(ctx, "CREATE TEMP TABLE "+tmp+" (LIKE "+t.name+" INCLUDING DEFAULTS) ON COMMIT DROP"); err != nil {
				return err
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{tmp}, names, pgx.CopyFromRows(batch)); err != nil {
				return err
			}
			cols := strings.Join(names, ", ")
			_, err := tx.Exec(ctx, "INSERT INTO "+t.name+" ("+cols+") SELECT "+cols+" FROM "+tmp+" ON CONFLICT DO NOTHING")
			return err
		})
		batch = batch[:0]
		return err
	}
	for rows.Next() {
		raw := make([]any, len(t.columns))
		ptrs := make([]any, len(t.columns))
		for i := range raw {
			ptrs[i] = &raw[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return c, err
		}
		row := make([]any, len(t.columns))
		for i, col := range t.columns {
			if row[i], err = convert(raw[i], col.kind); err != nil {
				return c, fmt.Errorf("column %s: %w", col.name, err)
			}
			switch v := row[i].(type) {
			case []byte:
				batchBytes += len(v)
			case string:
				batchBytes += len(v)
			}
		}
		batch = append(batch, row)
		if len(batch) == importBatch || batchBytes >= importBatchBytes {
			if err := flush(); err != nil {
				return c, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return c, err
	}
	if err := flush(); err != nil {
		return c, err
	}
	if t.serial != "" {
		if _, err := s.pool.Exec(ctx, fmt.Sprintf(
			"SELECT setval(pg_get_serial_sequence('%s', '%s'), GREATEST((SELECT MAX(%s) FROM %s), 1))",
			t.name, t.serial, t.serial, t.name)); err != nil {
			return c, err
		}
	}
	err = s.pool.QueryRow(ctx, "SELECT COUNT(*) FROM "+t.name).Scan(&c.Imported)
	return c, err
}

// convert turns a value read from SQLite into the Go value pgx writes
// for kind.
func convert(v any, kind string) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch kind {
	case "bool":
		n, ok := v.(int64)
		if !ok {
			return nil, fmt.Errorf("want 0 or 1, got %T", v)
		}
		return n != 0, nil
	case "time":
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("want RFC 3339 text, got %T", v)
		}
		return time.Parse(time.RFC3339Nano, s)
	case "date":
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("want a YYYY-MM-DD date, got %T", v)
		}
		return time.Parse(time.DateOnly, s)
	case "bytes":
		switch b := v.(type) {
		case []byte:
			return b, nil
		case string:
			return []byte(b), nil
		}
		return nil, fmt.Errorf("want a BLOB, got %T", v)
	case "int":
		if _, ok := v.(int64); !ok {
			return nil, fmt.Errorf("want an integer, got %T", v)
		}
		return v, nil
	default: // text
		switch s := v.(type) {
		case string:
			return s, nil
		case []byte:
			return string(s), nil
		}
		return fmt.Sprint(v), nil
	}
}
