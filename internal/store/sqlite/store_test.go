package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"helpcenter/internal/store"
)

func openTemp(t testing.TB) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sub", "helpcenter.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func TestOpenCreatesFolderAndMigrates(t *testing.T) {
	s, path := openTemp(t)
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	v, err := s.Version(context.Background())
	if err != nil || v != len(migrations) {
		t.Fatalf("version = %d, %v; want %d", v, err, len(migrations))
	}
	var mode string
	if err := s.read.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v", mode, err)
	}
	var fk int
	if err := s.write.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys = %d, %v", fk, err)
	}
	if err := s.Ping(context.Background()); err != nil {
		t.Error(err)
	}
	// The read pool must not be able to write.
	if _, err := s.read.Exec("DELETE FROM votes"); err == nil {
		t.Error("read pool accepted a write")
	}
}

// TestMigrateExisting reopens a database made by an older binary (only
// the first migration applied) and one already current.
func TestMigrateExisting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(migrations[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO schema_migrations VALUES (1, 'then')`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO votes VALUES ('r', 'log-out', 'en', 1, '', '', 'then', 'then')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for i := 0; i < 2; i++ {
		s, err := Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		v, _ := s.Version(context.Background())
		if v != len(migrations) {
			t.Errorf("open %d: version %d, want %d", i, v, len(migrations))
		}
		var n int
		s.read.QueryRow("SELECT COUNT(*) FROM votes").Scan(&n)
		if n != 1 {
			t.Errorf("open %d: the old vote is gone (%d rows)", i, n)
		}
		if err := s.RecordMissedSearch(context.Background(), "en", "x"); err != nil {
			t.Errorf("open %d: new table unusable: %v", i, err)
		}
		s.Close()
	}
}

func TestRefusesNewerSchema(t *testing.T) {
	s, path := openTemp(t)
	if _, err := s.write.Exec(`INSERT INTO schema_migrations VALUES (99, 'future')`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(context.Background(), path); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("want a newer-schema error, got %v", err)
	}
}

func TestVotes(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	save := func(v store.Vote) {
		t.Helper()
		if err := s.SaveVote(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	save(store.Vote{Reader: "a", Article: "log-out", Locale: "en", Helpful: true})
	save(store.Vote{Reader: "b", Article: "log-out", Locale: "en", Helpful: false, Reason: "unclear", Comment: "hm"})
	save(store.Vote{Reader: "c", Article: "log-out", Locale: "en", Helpful: false, Reason: "policy"})
	save(store.Vote{Reader: "a", Article: "log-out", Locale: "ar", Helpful: false, Reason: "unclear"})
	// Reader c changes their mind: still one vote.
	save(store.Vote{Reader: "c", Article: "log-out", Locale: "en", Helpful: true})

	tallies, err := s.Tallies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(tallies)
	want := "[{log-out ar 0 1 map[unclear:1]} {log-out en 2 1 map[unclear:1]}]"
	if got != want {
		t.Errorf("tallies = %s, want %s", got, want)
	}
	helpful, err := s.HelpfulByArticle(ctx)
	if err != nil || helpful["log-out"] != 2 {
		t.Errorf("helpful = %v, %v", helpful, err)
	}
	var rows []store.ExportedVote
	if err := s.EachVote(ctx, func(v store.ExportedVote) error { rows = append(rows, v); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 {
		t.Errorf("exported %d votes, want 4", len(rows))
	}
	if err := s.SaveVote(ctx, store.Vote{Reader: "d", Article: "x", Locale: "en", Reason: "made-up"}); err == nil {
		t.Error("an unknown reason was stored")
	}
	n, err := s.PurgeVotes(ctx, time.Now().Add(time.Hour))
	if err != nil || n != 4 {
		t.Errorf("purge = %d, %v", n, err)
	}
}

// TestConcurrentVotes sends many votes at once through the single writer:
// no "database is locked", and exactly the expected rows.
func TestConcurrentVotes(t *testing.T) {
	s, _ := openTemp(t)
	const readers, articles = 50, 20
	var wg sync.WaitGroup
	errs := make(chan error, readers*articles)
	for r := 0; r < readers; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for a := 0; a < articles; a++ {
				v := store.Vote{Reader: fmt.Sprint("reader-", r), Article: fmt.Sprint("article-", a), Locale: "en", Helpful: a%2 == 0}
				if !v.Helpful {
					v.Reason = store.Reasons[a%len(store.Reasons)]
				}
				if err := s.SaveVote(context.Background(), v); err != nil {
					errs <- err
				}
				// Vote again on the same article: must replace, not add.
				v.Comment = "again"
				if err := s.SaveVote(context.Background(), v); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	var n int
	s.read.QueryRow("SELECT COUNT(*) FROM votes WHERE comment = 'again'").Scan(&n)
	if n != readers*articles {
		t.Errorf("%d rows, want %d", n, readers*articles)
	}
}

// TestCloseCommitsQueued closes the store while writes are still queued:
// every write that was acknowledged is in the file afterwards.
func TestCloseCommitsQueued(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hc.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	acked := 0
	for i := 0; i < 500; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if s.SaveVote(context.Background(), store.Vote{Reader: fmt.Sprint(i), Article: "a", Locale: "en", Helpful: true}) == nil {
				mu.Lock()
				acked++
				mu.Unlock()
			}
		}()
	}
	time.Sleep(time.Millisecond)
	s.Close()
	wg.Wait()
	s2, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	var n int
	s2.read.QueryRow("SELECT COUNT(*) FROM votes").Scan(&n)
	if n != acked {
		t.Errorf("%d rows after close, %d acknowledged", n, acked)
	}
}

func TestMissedSearches(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	for _, q := range []string{"cerrar sesion", "cerrar sesion", "xyz"} {
		if err := s.RecordMissedSearch(ctx, "es", q); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.MissedSearches(ctx, time.Now().Add(-24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Query != "cerrar sesion" || got[0].Count != 2 {
		t.Errorf("missed = %+v", got)
	}
}

// BenchmarkSaveVote sends votes from 64 goroutines at once, like 64
// connections of a load test, through the single batching writer.
func BenchmarkSaveVote(b *testing.B) {
	s, _ := openTemp(b)
	b.SetParallelism(32)
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			i++
			sum := sha256.Sum256([]byte(fmt.Sprintf("%p-%d", pb, i)))
			v := store.Vote{Reader: hex.EncodeToString(sum[:16]), Article: "log-out", Locale: "en", Helpful: true}
			if err := s.SaveVote(context.Background(), v); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestMissedSearchesBounded: random queries cannot grow the table past
// MaxMissedPerDay a day and locale, and known ones keep counting.
func TestMissedSearchesBounded(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := 0; i < store.MaxMissedPerDay+50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.RecordMissedSearch(ctx, "en", fmt.Sprint("q", i)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if err := s.RecordMissedSearch(ctx, "en", "q1"); err != nil {
		t.Fatal(err)
	}
	var rows, q1 int
	s.read.QueryRow("SELECT COUNT(*) FROM missed_searches").Scan(&rows)
	s.read.QueryRow("SELECT count FROM missed_searches WHERE query = 'q1'").Scan(&q1)
	if rows != store.MaxMissedPerDay {
		t.Errorf("%d rows, want %d", rows, store.MaxMissedPerDay)
	}
	if q1 != 2 && rows == store.MaxMissedPerDay {
		// q1 may have been one of the 50 turned away; then it is absent.
		var n int
		s.read.QueryRow("SELECT COUNT(*) FROM missed_searches WHERE query = 'q1'").Scan(&n)
		if n != 0 {
			t.Errorf("q1 counted %d", q1)
		}
	}
}
