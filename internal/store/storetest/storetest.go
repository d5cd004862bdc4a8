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
	store.Staff
	store.Feedback
	store.Contact
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
	t.Run("Staff", func(t *testing.T) { testStaff(t, open) })
	t.Run("Rollups", func(t *testing.T) { testRollups(t, open) })
	t.Run("Triage", func(t *testing.T) { testTriage(t, open) })
	runContact(t, open)
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

// testStaff: accounts, sessions (a new password revokes them, removing an
// account takes them along) and the audit log, newest first.
func testStaff(t *testing.T, open Opener) {
	s, _ := open(t)
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	if err := s.AddStaff(ctx, store.StaffMember{Email: "ana@example.com", Role: "admin", Password: "$argon2id$x", CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddStaff(ctx, store.StaffMember{Email: "ana@example.com", Role: "agent", Password: "y", CreatedAt: now}); err != store.ErrExists {
		t.Errorf("second account with one e-mail: %v, want ErrExists", err)
	}
	m, err := s.StaffByEmail(ctx, "ana@example.com")
	if err != nil || m.Role != "admin" || m.Password != "$argon2id$x" || !m.CreatedAt.Equal(now) {
		t.Errorf("StaffByEmail = %+v, %v", m, err)
	}
	if _, err := s.StaffByEmail(ctx, "nobody@example.com"); err != store.ErrNotFound {
		t.Errorf("unknown e-mail: %v", err)
	}
	if err := s.CreateSession(ctx, "h1", "ana@example.com", now); err != nil {
		t.Fatal(err)
	}
	later := now.Add(10 * time.Minute)
	s.TouchSession(ctx, "h1", later)
	se, err := s.SessionByHash(ctx, "h1")
	if err != nil || se.Role != "admin" || !se.SeenAt.Equal(later) || !se.CreatedAt.Equal(now) {
		t.Errorf("SessionByHash = %+v, %v", se, err)
	}
	if err := s.SetStaffPassword(ctx, "ana@example.com", "new", later); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionByHash(ctx, "h1"); err != store.ErrNotFound {
		t.Errorf("a session survived a new password: %v", err)
	}
	s.CreateSession(ctx, "h2", "ana@example.com", now)
	s.CreateSession(ctx, "h3", "ana@example.com", later)
	s.PurgeSessions(ctx, now.Add(time.Minute), now.Add(-time.Hour))
	if _, err := s.SessionByHash(ctx, "h2"); err != store.ErrNotFound {
		t.Errorf("an idle session survived the purge: %v", err)
	}
	if _, err := s.SessionByHash(ctx, "h3"); err != nil {
		t.Errorf("a fresh session was purged: %v", err)
	}
	if err := s.RemoveStaff(ctx, "ana@example.com"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionByHash(ctx, "h3"); err != store.ErrNotFound {
		t.Errorf("a session outlived its account: %v", err)
	}
	if err := s.RemoveStaff(ctx, "ana@example.com"); err != store.ErrNotFound {
		t.Errorf("removing twice: %v", err)
	}
	for i, action := range []string{"staff.add", "staff.passwd", "staff.remove"} {
		s.Audit(ctx, store.AuditEntry{At: now.Add(time.Duration(i) * time.Second), Actor: "cli", Action: action, Detail: "ana@example.com"})
	}
	log, err := s.AuditLog(ctx, 2)
	if err != nil || len(log) != 2 || log[0].Action != "staff.remove" || log[1].Action != "staff.passwd" {
		t.Errorf("AuditLog = %+v, %v", log, err)
	}
}

// testRollups: the daily counts follow the votes, a changed vote moving
// its count rather than adding one.
func testRollups(t *testing.T, open Opener) {
	s, _ := open(t)
	ctx := context.Background()
	for _, v := range []store.Vote{
		{Reader: "a", Article: "log-out", Locale: "en", Helpful: true},
		{Reader: "b", Article: "log-out", Locale: "en", Reason: "unclear"},
		{Reader: "c", Article: "log-out", Locale: "ar", Reason: "policy"},
		{Reader: "b", Article: "log-out", Locale: "en", Reason: "did_not_work"}, // b changes the reason
		{Reader: "c", Article: "log-out", Locale: "ar", Helpful: true},          // c changes to yes
	} {
		if err := s.SaveVote(ctx, v); err != nil {
			t.Fatal(err)
		}
	}
	since := time.Now().Add(-24 * time.Hour)
	stats, err := s.VoteStats(ctx, since, "")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(stats), "[{log-out ar 1 0 map[]} {log-out en 1 1 map[did_not_work:1]}]"; got != want {
		t.Errorf("VoteStats = %s, want %s", got, want)
	}
	if ar, _ := s.VoteStats(ctx, since, "ar"); len(ar) != 1 || ar[0].Locale != "ar" {
		t.Errorf("VoteStats for ar = %v", ar)
	}
	trend, err := s.VoteTrend(ctx, since, "log-out", "")
	today := time.Now().UTC().Format(time.DateOnly)
	if err != nil || len(trend) != 1 || trend[0] != (store.DayCount{Day: today, Helpful: 2, NotHelpful: 1}) {
		t.Errorf("VoteTrend = %+v, %v", trend, err)
	}
	if _, err := s.PurgeVotes(ctx, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if stats, _ := s.VoteStats(ctx, since, ""); len(stats) != 0 {
		t.Errorf("rollups after every vote was purged: %v", stats)
	}
}

// testTriage: the queue lists commented "No" votes newest first, and a
// triage state moves a comment from "new" to its state.
func testTriage(t *testing.T, open Opener) {
	s, _ := open(t)
	ctx := context.Background()
	for i, r := range []string{"r1", "r2", "r3"} {
		v := store.Vote{Reader: r, Article: "backup-restore", Locale: "es", Reason: "unclear", Comment: fmt.Sprint("comment ", i)}
		if err := s.SaveVote(ctx, v); err != nil {
			t.Fatal(err)
		}
		time.Sleep(1100 * time.Millisecond) // distinct timestamps: the order is by time
	}
	s.SaveVote(ctx, store.Vote{Reader: "r4", Article: "backup-restore", Locale: "es", Helpful: true})
	all, err := s.Comments(ctx, "", 10)
	if err != nil || len(all) != 3 || all[0].Comment != "comment 2" || all[0].State != "new" {
		t.Fatalf("Comments = %+v, %v", all, err)
	}
	c := all[1]
	c.State, c.Note, c.UpdatedBy = "planned", "rewrite step 3", "ana@example.com"
	if err := s.SetTriage(ctx, c, time.Now()); err != nil {
		t.Fatal(err)
	}
	planned, _ := s.Comments(ctx, "planned", 10)
	fresh, _ := s.Comments(ctx, "new", 10)
	if len(planned) != 1 || planned[0].Note != "rewrite step 3" || planned[0].UpdatedBy != "ana@example.com" || len(fresh) != 2 {
		t.Errorf("planned %+v, new %d", planned, len(fresh))
	}
	top, err := s.TopMissedSearches(ctx, time.Now().Add(-time.Hour), "", 5)
	if err != nil || len(top) != 0 {
		t.Errorf("TopMissedSearches on no searches = %v, %v", top, err)
	}
}
