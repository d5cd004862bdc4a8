package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

func TestRequestLifecycle(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hc.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	shot := Screenshot{SHA256: []byte("h"), Type: "image/png", Size: 3, Width: 1, Height: 1, Data: []byte{1, 2, 3}}
	nr := NewRequest{Code: "HC-AAAA-BBBB-CCCC", TokenHash: []byte("token-1"), Locale: "en", Kind: "technical",
		Device: "android", Description: "the app closes when I open a chat", Fingerprint: "fp", DedupWindow: 10 * time.Minute,
		Screenshots: []Screenshot{shot}}
	r, dup, err := s.CreateRequest(ctx, nr)
	if err != nil || dup {
		t.Fatalf("create: %v dup=%v", err, dup)
	}
	nr2 := nr
	nr2.Code, nr2.TokenHash = "HC-DDDD-EEEE-FFFF", []byte("token-2")
	r2, dup, err := s.CreateRequest(ctx, nr2)
	if err != nil || !dup || r2.ID != r.ID || r2.Code != r.Code {
		t.Fatalf("duplicate: %v dup=%v %+v", err, dup, r2)
	}
	if err := s.Reply(ctx, r.ID, StaffReply{Staff: "agent@example.com", Body: "please update the app", TokenHash: []byte("token-3"),
		Mail: &Mail{To: "reader@example.com", Subject: "reply", Text: "t", HTML: "h"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddNote(ctx, r.ID, "agent@example.com", "internal only"); err != nil {
		t.Fatal(err)
	}
	if err := s.AddFollowUp(ctx, []byte("token-2"), "still broken", []Screenshot{shot}); err != nil {
		t.Fatal(err)
	}
	got, err := s.RequestByToken(ctx, []byte("token-1"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Messages) != 3 || got.Messages[1].Author != AuthorStaff || len(got.Messages[2].Screenshots) != 1 || got.State != StateOpen {
		t.Fatalf("thread: %+v", got)
	}
	sh, err := s.ScreenshotByToken(ctx, []byte("token-1"), got.Messages[0].Screenshots[0].ID)
	if err != nil || string(sh.Data) != "\x01\x02\x03" {
		t.Fatalf("screenshot: %v %v", err, sh.Data)
	}
	if _, err := s.ScreenshotByToken(ctx, []byte("nope"), sh.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("wrong token: %v", err)
	}
	if _, err := s.RequestByToken(ctx, []byte("nope")); !errors.Is(err, ErrNotFound) {
		t.Fatalf("wrong token: %v", err)
	}
	if err := s.MarkSolved(ctx, []byte("token-1")); err != nil {
		t.Fatal(err)
	}
	// Durable writes survive a close and reopen.
	s.Close()
	if s, err = Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, _ = s.RequestByToken(ctx, []byte("token-1"))
	if got.State != StateClosed {
		t.Fatalf("state %q", got.State)
	}
	if n, err := s.PurgeRequests(ctx, time.Now().Add(time.Hour)); err != nil || n != 1 {
		t.Fatalf("purge: %d %v", n, err)
	}
	if _, err := s.ScreenshotByToken(ctx, []byte("token-1"), sh.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after purge: %v", err)
	}
}

func TestDraftsOutboxDeflections(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "hc.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.AddDraftScreenshots(ctx, "d1", []Screenshot{{Name: "a.png", SHA256: []byte("h"), Type: "image/png", Size: 1, Width: 1, Height: 1, Data: []byte{9}}}); err != nil {
		t.Fatal(err)
	}
	shots, err := s.DraftScreenshots(ctx, "d1", time.Now().Add(-time.Hour))
	if err != nil || len(shots) != 1 || shots[0].Name != "a.png" {
		t.Fatalf("draft: %v %+v", err, shots)
	}
	if shots, _ := s.DraftScreenshots(ctx, "d1", time.Now().Add(time.Minute)); len(shots) != 0 {
		t.Fatal("expired draft still returned")
	}
	if n, err := s.PurgeDrafts(ctx, time.Now().Add(time.Minute)); err != nil || n != 1 {
		t.Fatalf("purge drafts: %d %v", n, err)
	}
	if err := s.EnqueueMail(ctx, Mail{To: "a@example.com", Subject: "s", Text: "t", HTML: "<p>t</p>"}); err != nil {
		t.Fatal(err)
	}
	due, err := s.DueMail(ctx, time.Now(), 10)
	if err != nil || len(due) != 1 {
		t.Fatalf("due: %v %d", err, len(due))
	}
	if err := s.MailFailed(ctx, due[0].ID, time.Now().Add(time.Hour), "down"); err != nil {
		t.Fatal(err)
	}
	if due, _ := s.DueMail(ctx, time.Now(), 10); len(due) != 0 {
		t.Fatal("failed mail due before its retry time")
	}
	if err := s.MailSent(ctx, due[0].ID); err != nil {
		t.Fatal(err)
	}
	if due, _ := s.DueMail(ctx, time.Now().Add(2*time.Hour), 10); len(due) != 0 {
		t.Fatal("sent mail still due")
	}
	if err := s.RecordDeflection(ctx, "en", "reset-password"); err != nil {
		t.Fatal(err)
	}
}

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
		r, _, err := s.CreateRequest(ctx, NewRequest{Code: code, TokenHash: []byte(code), Locale: locale, Kind: "technical", Device: "web",
			Description: text, Fingerprint: code})
		if err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	a := create("HC-AAAA-AAAA-AAAA", "en", "The app closes when I open a chat with Bluetooth on")
	b := create("HC-BBBB-BBBB-BBBB", "ar", "لا أستطيع تسجيل الدخول")
	c := create("HC-CCCC-CCCC-CCCC", "zh-CN", "我想退款 100%_done")
	if err := s.Reply(ctx, a, StaffReply{Staff: "agent@example.com", Body: "staffwords in a reply"}); err != nil {
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
		rs, err := s.ListRequests(ctx, RequestFilter{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, r := range rs {
			ids = append(ids, r.ID)
		}
		cnt, err := s.CountRequests(ctx, RequestFilter{Query: q})
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
	if n, err := s.CountRequests(ctx, RequestFilter{Query: "a", CountLimit: 2}); err != nil || n != 2 {
		t.Errorf("count limited to 2: %d %v", n, err)
	}
	// Combined with the other filters.
	if rs, _ := s.ListRequests(ctx, RequestFilter{Query: "bluetooth", State: StateOpen}); len(rs) != 0 {
		t.Errorf("answered request listed as open: %+v", rs)
	}
	if rs, _ := s.ListRequests(ctx, RequestFilter{Query: "bluetooth", State: StateAnswered, Locale: "en"}); len(rs) != 1 {
		t.Errorf("answered English request: %+v", rs)
	}

	// A purged request leaves the index, and the index stays consistent.
	if err := s.SetRequestState(ctx, a, StateClosed); err != nil {
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
