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
	"helpcenter/internal/store/sqlite"
)

// TestImportCoversSchema fails when a table or a column is added to the
// SQLite schema without telling ImportSQLite how to copy it.
// It runs with the PostgreSQL suite, as CI does.
func TestImportCoversSchema(t *testing.T) {
	testDatabase(t) // skips without a PostgreSQL server
	path := filepath.Join(t.TempDir(), "hc.db")
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Virtual tables (the inbox's full-text index) and their shadow tables
	// are SQLite's own indexes, rebuilt from the data, not data to move.
	rows, err := db.Query(`SELECT name FROM sqlite_schema t WHERE type = 'table'
		AND name NOT LIKE 'sqlite_%' AND name != 'schema_migrations' AND sql NOT LIKE 'CREATE VIRTUAL%'
		AND NOT EXISTS (SELECT 1 FROM sqlite_schema v WHERE v.sql LIKE 'CREATE VIRTUAL%' AND t.name LIKE v.name || '\_%' ESCAPE '\')`)
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
	src, err := sqlite.Open(ctx, path)
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
	seedContact(t, src)
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
		if fmt.Sprint(counts) != "[{votes 12000 12000} {missed_searches 1 1} {staff 0 0} {staff_sessions 0 0} {audit_log 0 0} {comment_triage 0 0} {vote_days 2 2} "+
			"{contact_requests 2 2} {request_tokens 4 4} {request_messages 4 4} {request_screenshots 1 1} "+
			"{contact_drafts 1 1} {draft_screenshots 1 1} {mail_outbox 2 2} {contact_deflections 1 1}]" {
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
	checkContact(t, dst)
}

// seedContact stores, in the SQLite file, a request with a screenshot, a
// second link, a reply with its mail and a note; a closed request; a
// draft; a sent message and a deflection.
func seedContact(t *testing.T, src *sqlite.Store) {
	t.Helper()
	ctx := context.Background()
	r, _, err := src.CreateRequest(ctx, store.NewRequest{Code: "HC-AAAA-BBBB-CCCC", TokenHash: []byte("t1"), Locale: "es", Kind: "billing",
		Device: "ios", Description: "me cobraron dos veces", Fingerprint: "fp1", DedupWindow: time.Minute,
		Screenshots: []store.Screenshot{{SHA256: []byte{0, 1}, Type: "image/png", Size: 3, Width: 1, Height: 1, Data: []byte{0, 1, 2}}},
		Mail:        &store.Mail{To: "r@example.com", Subject: "confirmation", Text: "t"}})
	if err != nil {
		t.Fatal(err)
	}
	src.CreateRequest(ctx, store.NewRequest{Code: "HC-XXXX-XXXX-XXXX", TokenHash: []byte("t1b"), Locale: "es", Kind: "billing",
		Device: "ios", Description: "me cobraron dos veces", Fingerprint: "fp1", DedupWindow: time.Minute})
	src.Reply(ctx, r.ID, store.StaffReply{Staff: "ana@example.com", Body: "refunded", TokenHash: []byte("t1c"),
		Mail: &store.Mail{To: "r@example.com", Subject: "reply", Text: "t"}})
	src.AddNote(ctx, r.ID, "ana@example.com", "finance approved")
	src.CreateRequest(ctx, store.NewRequest{Code: "HC-DDDD-EEEE-FFFF", TokenHash: []byte("t2"), Locale: "en", Kind: "other",
		Device: "web", Description: "solved", Fingerprint: "fp2"})
	src.MarkSolved(ctx, []byte("t2"))
	src.AddDraftScreenshots(ctx, "draft", []store.Screenshot{{Name: "a.png", SHA256: []byte{9}, Type: "image/png", Size: 1, Width: 1, Height: 1, Data: []byte{9}}})
	due, _ := src.DueMail(ctx, time.Now(), 1)
	if len(due) != 1 {
		t.Fatalf("due: %+v", due)
	}
	src.MailSent(ctx, due[0].ID)
	src.RecordDeflection(ctx, "es", "refunds")
}

// checkContact reads back what seedContact stored, and adds rows of each
// kind: the identities continue after the copied ids.
func checkContact(t *testing.T, dst *Store) {
	t.Helper()
	ctx := context.Background()
	r, err := dst.RequestByToken(ctx, []byte("t1b"))
	if err != nil || r.Code != "HC-AAAA-BBBB-CCCC" || r.State != store.StateAnswered || len(r.Messages) != 2 ||
		len(r.Messages[0].Screenshots) != 1 || r.CreatedAt.IsZero() {
		t.Fatalf("request after import: %v %+v", err, r)
	}
	if full, _ := dst.RequestByID(ctx, r.ID); len(full.Messages) != 3 || full.Messages[2].Author != store.AuthorNote {
		t.Errorf("thread after import: %+v", full.Messages)
	}
	sh, err := dst.ScreenshotByToken(ctx, []byte("t1c"), r.Messages[0].Screenshots[0].ID)
	if err != nil || string(sh.Data) != "\x00\x01\x02" || string(sh.SHA256) != "\x00\x01" {
		t.Errorf("screenshot after import: %v %+v", err, sh)
	}
	if n, err := dst.CountRequests(ctx, store.RequestFilter{State: store.StateClosed}); err != nil || n != 1 {
		t.Errorf("closed requests after import: %d, %v", n, err)
	}
	if shots, _ := dst.DraftScreenshots(ctx, "draft", time.Now().Add(-time.Hour)); len(shots) != 1 || shots[0].Name != "a.png" {
		t.Errorf("draft after import: %+v", shots)
	}
	if d, _ := dst.Deflections(ctx, time.Now().Add(-48*time.Hour), ""); len(d) != 1 || d[0].Count != 1 {
		t.Errorf("deflections after import: %+v", d)
	}
	due, err := dst.DueMail(ctx, time.Now(), 10)
	if err != nil || len(due) != 1 || due[0].Subject != "reply" {
		t.Errorf("due mail after import: %v %+v", err, due)
	}
	if _, dup, err := dst.CreateRequest(ctx, store.NewRequest{Code: "HC-NEW0-0000-0000", TokenHash: []byte("t3"), Locale: "en", Kind: "other",
		Device: "web", Description: "new", Fingerprint: "fp3", Screenshots: []store.Screenshot{sh}, Mail: &store.Mail{To: "x@example.com"}}); err != nil || dup {
		t.Errorf("new request after import: %v, duplicate %v", err, dup)
	}
	if err := dst.AddDraftScreenshots(ctx, "draft", []store.Screenshot{sh}); err != nil {
		t.Errorf("new draft screenshot after import: %v", err)
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
