package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"helpcenter/internal/store"
)

// TestImportCoversSchema fails when a table or a column is added to the
// SQLite schema without telling ImportSQLite how to copy it.
// It runs with the PostgreSQL suite, as CI does.
func TestImportCoversSchema(t *testing.T) {
	testDatabase(t) // skips without a PostgreSQL server
	path := filepath.Join(t.TempDir(), "hc.db")
	s, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name FROM sqlite_schema WHERE type = 'table'
		AND name NOT LIKE 'sqlite_%' AND name != 'schema_migrations' AND sql NOT LIKE 'CREATE VIRTUAL%'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		rows.Scan(&name)
		tables = append(tables, name)
	}
	rows.Close()
	specs := map[string]importTable{}
	for _, it := range importTables {
		specs[it.name] = it
	}
	for _, name := range tables {
		spec, ok := specs[name]
		if !ok {
			t.Errorf("table %s is not in importTables", name)
			continue
		}
		cols, _ := db.Query("SELECT name FROM pragma_table_info(?)", name)
		var have []string
		for cols.Next() {
			var c string
			cols.Scan(&c)
			have = append(have, c)
		}
		cols.Close()
		var want []string
		for _, c := range spec.columns {
			want = append(want, c.name)
		}
		slices.Sort(have)
		slices.Sort(want)
		if !slices.Equal(have, want) {
			t.Errorf("table %s: SQLite has columns %v, importTables copies %v", name, have, want)
		}
	}
}

// TestImportSQLite moves a SQLite database into PostgreSQL twice: the
// second run adds nothing, and the data reads back the same.
func TestImportSQLite(t *testing.T) {
	dsn := testDatabase(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hc.db")
	src, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 12000 { // more than two COPY batches
		v := store.Vote{Reader: fmt.Sprint("r", i), Article: "log-out", Locale: "en", Helpful: i%3 != 0}
		if !v.Helpful {
			v.Reason, v.Comment = "unclear", fmt.Sprint("comment ", i)
		}
		if err := src.SaveVote(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	src.RecordMissedSearch(ctx, "es", "cerrar sesion")
	src.RecordMissedSearch(ctx, "es", "cerrar sesion")
	var want []store.ExportedVote
	src.EachVote(ctx, func(v store.ExportedVote) error { want = append(want, v); return nil })
	src.Close()

	dst, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	for run := 1; run <= 2; run++ {
		counts, err := dst.ImportSQLite(ctx, path)
		if err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		if fmt.Sprint(counts) != "[{votes 12000 12000} {missed_searches 1 1} {staff 0 0} {staff_sessions 0 0} {audit_log 0 0} {comment_triage 0 0} {vote_days 2 2}]" {
			t.Errorf("run %d: counts %v", run, counts)
		}
	}
	var got []store.ExportedVote
	dst.EachVote(ctx, func(v store.ExportedVote) error { got = append(got, v); return nil })
	key := func(v store.ExportedVote) string { return fmt.Sprint(v) }
	slices.SortFunc(want, func(a, b store.ExportedVote) int { return cmpString(key(a), key(b)) })
	slices.SortFunc(got, func(a, b store.ExportedVote) int { return cmpString(key(a), key(b)) })
	if !slices.Equal(got, want) {
		t.Errorf("votes differ after import: %d vs %d rows", len(got), len(want))
	}
	missed, _ := dst.MissedSearches(ctx, mustDay(t, "2000-01-01"))
	if len(missed) != 1 || missed[0].Count != 2 {
		t.Errorf("missed searches after import: %+v", missed)
	}
}

func cmpString(a, b string) int { return strings.Compare(a, b) }

func mustDay(t *testing.T, s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
