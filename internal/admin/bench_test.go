package admin

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"helpcenter/internal/auth"
	"helpcenter/internal/contact"
	"helpcenter/internal/i18n"
	"helpcenter/internal/store"
	"helpcenter/internal/store/sqlite"
)

// Size of the benchmark's database: a year of a busy help center.
const (
	benchVotes    = 1_000_000
	benchRequests = 100_000
	benchArticles = 120
)

// words make up the readers' messages; "bluetooth" is rare on purpose
// (one message in a hundred or so), "account" is common.
var benchWords = strings.Fields(`the app my phone when I open chat message send receive cannot does not work
	after update again please help account login code verification number backup restore photo video call
	group contact blocked notification sound battery storage settings language privacy delete new old
	screen keyboard crash slow error payment card charged twice refund subscription web desktop tablet`)

// BenchmarkAdminPages times the back office's pages over HTTP on a
// database of 1,000,000 votes over 365 days, 100,000 missed-search rows
// and 100,000 contact requests with about 200,000 messages. Set
// HELPCENTER_BENCH_DB to a file path to keep the database between runs
// (filling it takes a minute). Each page should answer well under 200 ms:
//
//	go test -run '^$' -bench AdminPages -benchtime 20x ./internal/admin
func BenchmarkAdminPages(b *testing.B) {
	path := os.Getenv("HELPCENTER_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "bench.db")
	}
	ctx := context.Background()
	if _, err := os.Stat(path); err != nil {
		start := time.Now()
		if err := fillBench(ctx, path); err != nil {
			b.Fatal(err)
		}
		b.Logf("filled %s in %s", path, time.Since(start).Round(time.Second))
	}
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	token, hash := auth.NewToken()
	if err := db.CreateSession(ctx, hash, adminEmail, time.Now()); err != nil {
		b.Fatal(err)
	}
	e := echo.New()
	New(db, slog.New(slog.DiscardHandler), "/site.css", nil).Mount(e)
	ts := httptest.NewServer(e)
	defer ts.Close()

	var id int64
	var code string
	ro, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		b.Fatal(err)
	}
	err = ro.QueryRow(`SELECT id, code FROM contact_requests WHERE id = (SELECT MAX(id) / 2 FROM contact_requests)`).Scan(&id, &code)
	ro.Close()
	if err != nil {
		b.Fatal(err)
	}
	from := time.Now().UTC().AddDate(0, 0, -30).Format(time.DateOnly)
	for _, p := range []struct{ name, path string }{
		{"dashboard", "/admin/"},
		{"searches", "/admin/searches"},
		{"inbox", "/admin/requests"},
		{"inbox_page_100", "/admin/requests?page=100"},
		{"inbox_filtered", "/admin/requests?" + url.Values{"state": {"open"}, "lang": {"ar"}, "kind": {"account"}, "from": {from}}.Encode()},
		{"inbox_unassigned_open", "/admin/requests?state=open&assigned=-"},
		{"inbox_search_rare", "/admin/requests?q=bluetooth"},
		{"inbox_search_common", "/admin/requests?q=account"},
		{"inbox_search_phrase", "/admin/requests?" + url.Values{"q": {"cannot send"}}.Encode()},
		{"inbox_search_code", "/admin/requests?q=" + code},
		{"inbox_search_filtered", "/admin/requests?q=bluetooth&state=closed&lang=en"},
		{"inbox_search_common_filtered", "/admin/requests?q=account&state=open&lang=ar"},
		{"inbox_search_common_page_10", "/admin/requests?q=account&page=10"},
		{"inbox_search_short", "/admin/requests?q=zq"},
		{"inbox_csv", "/admin/requests.csv?state=open"},
		{"request", fmt.Sprintf("/admin/requests/%d", id)},
	} {
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				req, _ := http.NewRequest("GET", ts.URL+p.path, nil)
				req.AddCookie(&http.Cookie{Name: CookieName, Value: token})
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				n, _ := io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK || n == 0 {
					b.Fatalf("%s: %d", p.path, res.StatusCode)
				}
			}
		})
	}
}

// fillBench creates the benchmark's database with SQL, in one transaction
// per table group, far faster than through the store's durable writes.
func fillBench(ctx context.Context, path string) error {
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		return err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	for i, email := range []string{adminEmail, agentEmail, "a2@example.com", "a3@example.com", "a4@example.com"} {
		role := map[bool]string{true: "admin", false: "agent"}[i == 0]
		if err := s.AddStaff(ctx, store.StaffMember{Email: email, Role: role, Password: hash, CreatedAt: time.Now()}); err != nil {
			return err
		}
	}
	if err := s.Close(); err != nil {
		return err
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(OFF)&_pragma=foreign_keys(1)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	rng := rand.New(rand.NewPCG(1, 2))
	now := time.Now().UTC()
	locales := i18n.All[:8]
	if err := inTx(ctx, db, func(tx *sql.Tx) error {
		ins, err := tx.Prepare(`INSERT INTO votes (reader, article, locale, helpful, reason, comment, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		reasons := store.Reasons
		for i := range benchVotes {
			t := now.Add(-time.Duration(rng.Int64N(int64(365 * 24 * time.Hour)))).Format(time.RFC3339Nano)
			helpful, reason, comment := 1, "", ""
			if rng.IntN(100) < 22 {
				helpful, reason = 0, reasons[rng.IntN(len(reasons))]
				if rng.IntN(5) == 0 {
					comment = "this did not help at all " + benchWords[rng.IntN(len(benchWords))]
				}
			}
			if _, err := ins.Exec(fmt.Sprintf("r%07d", i), fmt.Sprintf("article-%03d", rng.IntN(benchArticles)),
				locales[rng.IntN(len(locales))].Code, helpful, reason, comment, t, t); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(`INSERT INTO vote_days (day, article, locale, helpful, reason, count)
			SELECT substr(updated_at, 1, 10), article, locale, helpful, reason, COUNT(*) FROM votes GROUP BY 1, 2, 3, 4, 5`); err != nil {
			return err
		}
		ms, err := tx.Prepare(`INSERT OR IGNORE INTO missed_searches (day, locale, query, count) VALUES (?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		for range 100_000 {
			day := now.AddDate(0, 0, -rng.IntN(365)).Format(time.DateOnly)
			q := benchWords[rng.IntN(len(benchWords))] + " " + benchWords[rng.IntN(len(benchWords))] + fmt.Sprint(rng.IntN(50))
			if _, err := ms.Exec(day, locales[rng.IntN(len(locales))].Code, q, 1+rng.IntN(20)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	return inTx(ctx, db, func(tx *sql.Tx) error {
		req, err := tx.Prepare(`INSERT INTO contact_requests (code, locale, kind, device, email, article, fingerprint, state, assigned_to, created_at, updated_at, closed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		msg, err := tx.Prepare(`INSERT INTO request_messages (request_id, author, staff, body, created_at) VALUES (?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		tok, err := tx.Prepare(`INSERT INTO request_tokens (token_hash, request_id) VALUES (?, ?)`)
		if err != nil {
			return err
		}
		staff := []string{"", "", agentEmail, "a2@example.com", "a3@example.com", "a4@example.com"}
		all := i18n.All
		for i := range benchRequests {
			// Oldest first, so ids grow with time as they do in use.
			created := now.Add(-time.Duration(benchRequests-i) * 315 * time.Second)
			ts := created.Format(time.RFC3339Nano)
			loc := all[0].Code
			if rng.IntN(3) > 0 {
				loc = all[rng.IntN(len(all))].Code
			}
			state := []string{"closed", "closed", "closed", "answered", "answered", "open"}[rng.IntN(6)]
			if i > benchRequests-2000 {
				state = "open"
			}
			var closed any
			if state == "closed" {
				closed = ts
			}
			email := ""
			if rng.IntN(2) == 0 {
				email = fmt.Sprintf("reader%d@example.com", i)
			}
			article := ""
			if rng.IntN(3) == 0 {
				article = fmt.Sprintf("article-%03d", rng.IntN(benchArticles))
			}
			_, th := contact.NewToken()
			res, err := req.Exec(contact.NewCode(), loc, contact.Kinds[rng.IntN(len(contact.Kinds))], contact.Devices[rng.IntN(len(contact.Devices))],
				email, article, fmt.Sprint("fp", i), state, staff[rng.IntN(len(staff))], ts, ts, closed)
			if err != nil {
				return err
			}
			id, _ := res.LastInsertId()
			if _, err := tok.Exec(th, id); err != nil {
				return err
			}
			var words []string
			for range 20 + rng.IntN(60) {
				w := benchWords[rng.IntN(len(benchWords))]
				if rng.IntN(4000) == 0 {
					w = "bluetooth"
				}
				words = append(words, w)
			}
			if _, err := msg.Exec(id, store.AuthorReader, "", strings.Join(words, " "), ts); err != nil {
				return err
			}
			if state != "open" {
				if _, err := msg.Exec(id, store.AuthorStaff, agentEmail, "Thank you for writing. Please try the steps in the article.", ts); err != nil {
					return err
				}
			}
			if rng.IntN(10) == 0 {
				if _, err := msg.Exec(id, store.AuthorNote, agentEmail, "escalated to the account team", ts); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func inTx(ctx context.Context, db *sql.DB, fn func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
