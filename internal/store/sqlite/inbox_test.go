package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"helpcenter/internal/store"
)

// TestInboxSearch: the inbox's text search finds the readers' words
// (any script, any case, follow-ups too) and never staff replies or
// notes, and its index follows requests in and out.
func TestInboxSearch(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hc.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { s.Close() }()
	create := func(code, locale, text string) int64 {
		r, _, err := s.CreateRequest(ctx, store.NewRequest{Code: code, TokenHash: []byte(code), Locale: locale, Kind: "technical", Device: "web",
			Description: text, Fingerprint: code})
		if err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	a := create("HC-AAAA-AAAA-AAAA", "en", "The app closes when I open a chat with Bluetooth on")
	b := create("HC-BBBB-BBBB-BBBB", "ar", "لا أستطيع تسجيل الدخول")
	c := create("HC-CCCC-CCCC-CCCC", "zh-CN", "我想退款 100%_done")
	if err := s.Reply(ctx, a, store.StaffReply{Staff: "agent@example.com", Body: "staffwords in a reply"}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddNote(ctx, a, "agent@example.com", "notewords in a note"); err != nil {
		t.Fatal(err)
	}
	if err := s.AddFollowUp(ctx, []byte("HC-BBBB-BBBB-BBBB"), "followup with a Quote \" inside", nil); err != nil {
		t.Fatal(err)
	}
	search := func(t *testing.T, q string) []int64 {
		t.Helper()
		rs, err := s.ListRequests(ctx, store.RequestFilter{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, r := range rs {
			ids = append(ids, r.ID)
		}
		cnt, err := s.CountRequests(ctx, store.RequestFilter{Query: q})
		if err != nil || cnt != len(ids) {
			t.Errorf("count %q: %d, listed %d (%v)", q, cnt, len(ids), err)
		}
		return ids
	}
	for q, want := range map[string][]int64{
		"bluetooth": {a}, "BLUETOOTH ON": {a}, "app": {a}, "تسجيل": {b}, "退款": {c}, "款": {c}, "100%_": {c}, "%": {c}, "_": {c},
		"hc-cccc-cccc-cccc": {c}, "HC-AAAA": nil, "staffwords": nil, "notewords": nil, `Quote " inside`: {b}, "followup": {b},
		"a": {b, a}, "zzz": nil, `"`: {b}, "op": {a},
	} {
		t.Run(q, func(t *testing.T) {
			if got := search(t, q); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
	if n, err := s.CountRequests(ctx, store.RequestFilter{Query: "a", CountLimit: 2}); err != nil || n != 2 {
		t.Errorf("count limited to 2: %d %v", n, err)
	}
	// Combined with the other filters.
	if rs, _ := s.ListRequests(ctx, store.RequestFilter{Query: "bluetooth", State: store.StateOpen}); len(rs) != 0 {
		t.Errorf("answered request listed as open: %+v", rs)
	}
	if rs, _ := s.ListRequests(ctx, store.RequestFilter{Query: "bluetooth", State: store.StateAnswered, Locale: "en"}); len(rs) != 1 {
		t.Errorf("answered English request: %+v", rs)
	}

	// A purged request leaves the index, and the index stays consistent.
	if err := s.SetRequestState(ctx, a, store.StateClosed); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PurgeRequests(ctx, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	var left int
	if err := s.read.QueryRow(`SELECT COUNT(*) FROM request_text WHERE request_text MATCH '"bluetooth"'`).Scan(&left); err != nil || left != 0 {
		t.Errorf("purged request still indexed: %d %v", left, err)
	}
	if _, err := s.write.Exec(`INSERT INTO request_text (request_text, rank) VALUES ('integrity-check', 0)`); err != nil {
		t.Errorf("index integrity: %v", err)
	}

	// The migration indexes the requests already there.
	for _, q := range []string{`DROP TRIGGER request_text_insert`, `DROP TRIGGER request_text_delete`, `DROP TABLE request_text`,
		`DROP INDEX contact_requests_locale`, `DROP INDEX contact_requests_kind`, `DROP INDEX contact_requests_device`,
		`DROP INDEX contact_requests_assigned`, `DROP INDEX contact_requests_created`, `DELETE FROM schema_migrations WHERE version = 11`} {
		if _, err := s.write.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	if s, err = Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	if got := search(t, "followup"); fmt.Sprint(got) != fmt.Sprint([]int64{b}) {
		t.Errorf("after the migration: %v", got)
	}
	if got := search(t, "a"); fmt.Sprint(got) != fmt.Sprint([]int64{b}) {
		t.Errorf("after the migration, short search: %v", got)
	}
}
