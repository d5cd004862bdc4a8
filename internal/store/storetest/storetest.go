// Package storetest is the behaviour every store engine must show, as one
// suite that runs unchanged against SQLite (always) and PostgreSQL (when
// HELPCENTER_TEST_POSTGRES names a server). It speaks only through the
// stores' methods, never their SQL.
package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"helpcenter/internal/store"
)

// Store is the method set the suite exercises.
type Store interface {
	SaveVote(context.Context, store.Vote) error
	Tallies(context.Context) ([]store.VoteTally, error)
	HelpfulByArticle(context.Context) (map[string]int, error)
	EachVote(context.Context, func(store.ExportedVote) error) error
	PurgeVotes(context.Context, time.Time) (int64, error)
	RecordMissedSearch(ctx context.Context, locale, query string) error
	MissedSearches(context.Context, time.Time) ([]store.MissedSearch, error)
	PurgeMissedSearches(context.Context, time.Time) error
	Version(context.Context) (int, error)
	Ping(context.Context) error
	Close() error
}

// Opener opens a fresh, empty database for one test; reopen opens the same
// database again, for tests that close and come back.
type Opener func(t *testing.T) (s Store, reopen func() Store)

// Run runs the whole suite.
func Run(t *testing.T, open Opener) {
	t.Run("Votes", func(t *testing.T) { testVotes(t, open) })
	t.Run("ConcurrentVotes", func(t *testing.T) { testConcurrentVotes(t, open) })
	t.Run("CloseCommitsQueued", func(t *testing.T) { testCloseCommitsQueued(t, open) })
	t.Run("MissedSearches", func(t *testing.T) { testMissedSearches(t, open) })
	t.Run("MissedSearchesBounded", func(t *testing.T) { testMissedSearchesBounded(t, open) })
	t.Run("Reopen", func(t *testing.T) { testReopen(t, open) })
}

func countVotes(t *testing.T, s Store, match func(store.ExportedVote) bool) int {
	t.Helper()
	n := 0
	err := s.EachVote(context.Background(), func(v store.ExportedVote) error {
		if match == nil || match(v) {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func testVotes(t *testing.T, open Opener) {
	s, _ := open(t)
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
	if got, want := fmt.Sprint(tallies), "[{log-out ar 0 1 map[unclear:1]} {log-out en 2 1 map[unclear:1]}]"; got != want {
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
		t.Fatalf("exported %d votes, want 4", len(rows))
	}
	for _, r := range rows {
		if _, err := time.Parse(time.RFC3339, r.CreatedAt); err != nil {
			t.Errorf("created_at %q is not RFC 3339", r.CreatedAt)
		}
		if r.Locale == "en" && r.Reason == "unclear" && r.Comment != "hm" {
			t.Errorf("comment = %q", r.Comment)
		}
	}
	if err := s.SaveVote(ctx, store.Vote{Reader: "d", Article: "x", Locale: "en", Reason: "made-up"}); err == nil {
		t.Error("an unknown reason was stored")
	}
	if n, err := s.PurgeVotes(ctx, time.Now().Add(-time.Hour)); err != nil || n != 0 {
		t.Errorf("purge of old votes = %d, %v; want 0", n, err)
	}
	if n, err := s.PurgeVotes(ctx, time.Now().Add(time.Hour)); err != nil || n != 4 {
		t.Errorf("purge = %d, %v; want 4", n, err)
	}
}

// testConcurrentVotes sends many votes at once through the batching
// writer: no lock errors, one row per key, the last write winning.
func testConcurrentVotes(t *testing.T, open Opener) {
	s, _ := open(t)
	const readers, articles = 50, 20
	var wg sync.WaitGroup
	errs := make(chan error, 2*readers*articles)
	for r := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for a := range articles {
				v := store.Vote{Reader: fmt.Sprint("reader-", r), Article: fmt.Sprint("article-", a), Locale: "en", Helpful: a%2 == 0}
				if !v.Helpful {
					v.Reason = store.Reasons[a%len(store.Reasons)]
				}
				if err := s.SaveVote(context.Background(), v); err != nil {
					errs <- err
				}
				v.Comment = "again" // must replace, not add
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
	if n := countVotes(t, s, nil); n != readers*articles {
		t.Errorf("%d rows, want %d", n, readers*articles)
	}
	if n := countVotes(t, s, func(v store.ExportedVote) bool { return v.Comment == "again" }); n != readers*articles {
		t.Errorf("%d rows with the second write, want %d", n, readers*articles)
	}
}

// testCloseCommitsQueued closes the store while votes are still queued:
// every vote that was acknowledged is there afterwards.
func testCloseCommitsQueued(t *testing.T, open Opener) {
	s, reopen := open(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	acked := 0
	for i := range 500 {
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
	s2 := reopen()
	if n := countVotes(t, s2, nil); n != acked {
		t.Errorf("%d rows after close, %d acknowledged", n, acked)
	}
}

func testMissedSearches(t *testing.T, open Opener) {
	s, _ := open(t)
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
	if len(got) != 2 || got[0].Query != "cerrar sesion" || got[0].Count != 2 || got[0].Day != time.Now().UTC().Format(time.DateOnly) {
		t.Errorf("missed = %+v", got)
	}
	if err := s.PurgeMissedSearches(ctx, time.Now().Add(48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.MissedSearches(ctx, time.Now().Add(-24*time.Hour)); len(got) != 0 {
		t.Errorf("after purge: %+v", got)
	}
}

// testMissedSearchesBounded: random queries cannot grow a day past
// MaxMissedPerDay queries, and known ones keep counting.
func testMissedSearchesBounded(t *testing.T, open Opener) {
	s, _ := open(t)
	ctx := context.Background()
	for i := range store.MaxMissedPerDay + 50 {
		if err := s.RecordMissedSearch(ctx, "en", fmt.Sprint("q", i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.RecordMissedSearch(ctx, "en", "q1"); err != nil {
		t.Fatal(err)
	}
	got, err := s.MissedSearches(ctx, time.Now().Add(-24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != store.MaxMissedPerDay {
		t.Errorf("%d queries kept, want %d", len(got), store.MaxMissedPerDay)
	}
	if got[0].Query != "q1" || got[0].Count != 2 {
		t.Errorf("most frequent = %+v, want q1 counted twice", got[0])
	}
}

// testReopen: the schema is migrated once; a second open finds it current.
func testReopen(t *testing.T, open Opener) {
	s, reopen := open(t)
	v1, err := s.Version(context.Background())
	if err != nil || v1 == 0 {
		t.Fatalf("version = %d, %v", v1, err)
	}
	if err := s.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2 := reopen()
	if v2, err := s2.Version(context.Background()); err != nil || v2 != v1 {
		t.Errorf("version after reopen = %d, %v; want %d", v2, err, v1)
	}
}
