package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"helpcenter/internal/store"
)

// runContact runs the scenarios of the contact flow and the inbox.
func runContact(t *testing.T, open Opener) {
	t.Run("RequestLifecycle", func(t *testing.T) { testRequestLifecycle(t, open) })
	t.Run("ConcurrentDuplicates", func(t *testing.T) { testConcurrentDuplicates(t, open) })
	t.Run("LargeScreenshots", func(t *testing.T) { testLargeScreenshots(t, open) })
	t.Run("FollowUpReopens", func(t *testing.T) { testFollowUpReopens(t, open) })
	t.Run("Drafts", func(t *testing.T) { testDrafts(t, open) })
	t.Run("Outbox", func(t *testing.T) { testOutbox(t, open) })
	t.Run("InboxFilters", func(t *testing.T) { testInboxFilters(t, open) })
	t.Run("InboxStaff", func(t *testing.T) { testInboxStaff(t, open) })
	t.Run("Deflections", func(t *testing.T) { testDeflections(t, open) })
}

var shot = store.Screenshot{SHA256: []byte("h"), Type: "image/png", Size: 3, Width: 1, Height: 1, Data: []byte{1, 2, 3}}

// newRequest is a request with a fingerprint and token of its own.
func newRequest(n int) store.NewRequest {
	return store.NewRequest{
		Code: fmt.Sprintf("HC-%04d-BBBB-CCCC", n), TokenHash: []byte(fmt.Sprint("token-", n)),
		Locale: "en", Kind: "technical", Device: "android", Email: "reader@example.com",
		Description: fmt.Sprint("the app closes when I open chat ", n),
		Fingerprint: fmt.Sprint("fp-", n), DedupWindow: 10 * time.Minute,
	}
}

func create(t *testing.T, s Store, r store.NewRequest) store.ContactRequest {
	t.Helper()
	c, dup, err := s.CreateRequest(context.Background(), r)
	if err != nil || dup {
		t.Fatalf("create %s: %v, duplicate %v", r.Code, err, dup)
	}
	return c
}

// dueMail returns every message due an hour from now.
func dueMail(t *testing.T, s Store) []store.Mail {
	t.Helper()
	due, err := s.DueMail(context.Background(), time.Now().Add(time.Hour), 100)
	if err != nil {
		t.Fatal(err)
	}
	return due
}

// testRequestLifecycle: a request, its duplicate (one more link to the
// same request, no second confirmation), a reply with a link and mail of
// its own, a note the reader never sees, a follow-up, screenshots only
// through the request's own links, closing, durability across a reopen
// and the purge.
func testRequestLifecycle(t *testing.T, open Opener) {
	s, reopen := open(t)
	ctx := context.Background()
	nr := newRequest(1)
	nr.Screenshots = []store.Screenshot{shot}
	nr.Mail = &store.Mail{To: "reader@example.com", Subject: "confirmation", Text: "t", HTML: "h"}
	before := time.Now().Add(-time.Second)
	r := create(t, s, nr)
	if r.ID == 0 || r.Code != nr.Code {
		t.Fatalf("created %+v", r)
	}
	nr2 := nr
	nr2.Code, nr2.TokenHash = "HC-DDDD-EEEE-FFFF", []byte("token-1b")
	r2, dup, err := s.CreateRequest(ctx, nr2)
	if err != nil || !dup || r2.ID != r.ID || r2.Code != r.Code {
		t.Fatalf("duplicate: %v dup=%v %+v", err, dup, r2)
	}
	other := create(t, s, newRequest(2))

	if err := s.Reply(ctx, r.ID, store.StaffReply{Staff: "agent@example.com", Body: "please update the app", TokenHash: []byte("token-1c"),
		Mail: &store.Mail{To: "reader@example.com", Subject: "reply", Text: "t", HTML: "h"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddNote(ctx, r.ID, "agent@example.com", "internal only"); err != nil {
		t.Fatal(err)
	}
	if err := s.AddFollowUp(ctx, []byte("token-1b"), "still broken", []store.Screenshot{shot, shot}); err != nil {
		t.Fatal(err)
	}
	due := dueMail(t, s)
	if len(due) != 2 || due[0].Subject != "confirmation" || due[1].Subject != "reply" || due[0].To != "reader@example.com" {
		t.Errorf("queued mail %+v, want the confirmation then the reply", due)
	}

	for _, token := range []string{"token-1", "token-1b", "token-1c"} {
		got, err := s.RequestByToken(ctx, []byte(token))
		if err != nil {
			t.Fatalf("%s: %v", token, err)
		}
		if got.ID != r.ID || len(got.Messages) != 3 || got.State != store.StateOpen {
			t.Fatalf("%s opens %+v", token, got)
		}
	}
	got, _ := s.RequestByToken(ctx, []byte("token-1"))
	if got.Code != nr.Code || got.Locale != "en" || got.Kind != "technical" || got.Device != "android" || got.Email != "reader@example.com" {
		t.Errorf("request %+v", got)
	}
	if got.CreatedAt.Before(before) || got.CreatedAt.After(time.Now()) || got.UpdatedAt.Before(got.CreatedAt) {
		t.Errorf("created %v, updated %v", got.CreatedAt, got.UpdatedAt)
	}
	for i, want := range []struct{ author, staff, body string }{
		{store.AuthorReader, "", nr.Description},
		{store.AuthorStaff, "agent@example.com", "please update the app"},
		{store.AuthorReader, "", "still broken"},
	} {
		m := got.Messages[i]
		if m.Author != want.author || m.Staff != want.staff || m.Body != want.body {
			t.Errorf("message %d = %+v, want %+v", i, m, want)
		}
	}
	if n := []int{len(got.Messages[0].Screenshots), len(got.Messages[1].Screenshots), len(got.Messages[2].Screenshots)}; n[0] != 1 || n[1] != 0 || n[2] != 2 {
		t.Errorf("screenshots per message: %v", n)
	}
	if m := got.Messages[0].Screenshots[0]; m.Data != nil || m.Type != "image/png" || m.Size != 3 || !bytes.Equal(m.SHA256, []byte("h")) {
		t.Errorf("screenshot in the thread: %+v", m)
	}
	full, err := s.RequestByID(ctx, r.ID)
	if err != nil || len(full.Messages) != 4 || full.Messages[2].Author != store.AuthorNote || full.Messages[2].Body != "internal only" {
		t.Fatalf("RequestByID: %v %+v", err, full.Messages)
	}

	id := got.Messages[0].Screenshots[0].ID
	sh, err := s.ScreenshotByToken(ctx, []byte("token-1c"), id)
	if err != nil || !bytes.Equal(sh.Data, []byte{1, 2, 3}) || sh.Width != 1 {
		t.Fatalf("screenshot: %v %+v", err, sh)
	}
	if _, err := s.ScreenshotByToken(ctx, []byte("token-2"), id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("another request's link opened the screenshot: %v", err)
	}
	if _, err := s.ScreenshotByToken(ctx, []byte("nope"), id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown link: %v", err)
	}
	if _, err := s.ScreenshotByID(ctx, other.ID, id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("screenshot through another request: %v", err)
	}
	if sh, err := s.ScreenshotByID(ctx, r.ID, id); err != nil || !bytes.Equal(sh.Data, []byte{1, 2, 3}) {
		t.Errorf("ScreenshotByID: %v %+v", err, sh)
	}
	if _, err := s.RequestByToken(ctx, []byte("nope")); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown link: %v", err)
	}
	if err := s.AddFollowUp(ctx, []byte("nope"), "x", nil); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("follow-up through an unknown link: %v", err)
	}
	if err := s.MarkSolved(ctx, []byte("nope")); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("solving through an unknown link: %v", err)
	}

	if err := s.MarkSolved(ctx, []byte("token-1")); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = reopen()
	got, err = s.RequestByToken(ctx, []byte("token-1b"))
	if err != nil || got.State != store.StateClosed || len(got.Messages) != 3 {
		t.Fatalf("after reopen: %v %+v", err, got)
	}
	if n, err := s.PurgeRequests(ctx, time.Now().Add(-time.Hour)); err != nil || n != 0 {
		t.Errorf("purge of requests closed an hour ago: %d, %v", n, err)
	}
	if n, err := s.PurgeRequests(ctx, time.Now().Add(time.Hour)); err != nil || n != 1 {
		t.Fatalf("purge: %d %v", n, err)
	}
	for _, token := range []string{"token-1", "token-1b", "token-1c"} {
		if _, err := s.RequestByToken(ctx, []byte(token)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s after the purge: %v", token, err)
		}
	}
	if _, err := s.ScreenshotByID(ctx, r.ID, id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("screenshot after the purge: %v", err)
	}
	if _, err := s.RequestByToken(ctx, []byte("token-2")); err != nil {
		t.Errorf("the open request was purged: %v", err)
	}
}

// testConcurrentDuplicates posts one request many times at once: one
// request, one confirmation, and every post's link opens it.
func testConcurrentDuplicates(t *testing.T, open Opener) {
	s, _ := open(t)
	const posts = 16
	var wg sync.WaitGroup
	ids := make([]int64, posts)
	dups := make([]bool, posts)
	errs := make([]error, posts)
	start := make(chan struct{})
	// A screenshot makes each transaction long enough for the posts to
	// overlap between looking for the request and storing it.
	big := store.Screenshot{SHA256: []byte("h"), Type: "image/png", Size: 1 << 20, Width: 1, Height: 1, Data: make([]byte, 1<<20)}
	for i := range posts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			nr := newRequest(100 + i)
			nr.Fingerprint = "same"
			nr.Screenshots = []store.Screenshot{big}
			nr.Mail = &store.Mail{To: "reader@example.com", Subject: "confirmation", Text: "t"}
			<-start
			var c store.ContactRequest
			c, dups[i], errs[i] = s.CreateRequest(context.Background(), nr)
			ids[i] = c.ID
		}()
	}
	close(start)
	wg.Wait()
	created := 0
	for i := range posts {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if !dups[i] {
			created++
		}
		if ids[i] != ids[0] {
			t.Errorf("post %d went to request %d, post 0 to %d", i, ids[i], ids[0])
		}
	}
	if created != 1 {
		t.Errorf("%d requests created from one post sent %d times", created, posts)
	}
	for i := range posts {
		if r, err := s.RequestByToken(context.Background(), []byte(fmt.Sprint("token-", 100+i))); err != nil || r.ID != ids[0] {
			t.Errorf("link %d: %v %d", i, err, r.ID)
		}
	}
	if n, err := s.CountRequests(context.Background(), store.RequestFilter{}); err != nil || n != 1 {
		t.Errorf("%d requests, %v", n, err)
	}
	if due := dueMail(t, s); len(due) != 1 {
		t.Errorf("%d confirmations queued, want 1", len(due))
	}
	// Outside the window the same content is a new request.
	nr := newRequest(200)
	nr.Fingerprint, nr.DedupWindow = "same", -time.Second
	if _, dup, err := s.CreateRequest(context.Background(), nr); err != nil || dup {
		t.Errorf("after the window: %v, duplicate %v", err, dup)
	}
}

// testLargeScreenshots: a request with three screenshots of 5 MB each is
// stored and read back byte for byte.
func testLargeScreenshots(t *testing.T, open Opener) {
	s, _ := open(t)
	ctx := context.Background()
	nr := newRequest(1)
	for i := range 3 {
		data := bytes.Repeat([]byte{byte(i + 1), 0xff, 0x00, byte(i)}, 5<<20/4)
		nr.Screenshots = append(nr.Screenshots, store.Screenshot{SHA256: []byte{byte(i)}, Type: "image/png", Size: len(data), Width: 4000, Height: 3000, Data: data})
	}
	create(t, s, nr)
	r, err := s.RequestByToken(ctx, nr.TokenHash)
	if err != nil || len(r.Messages) != 1 || len(r.Messages[0].Screenshots) != 3 {
		t.Fatalf("%v %+v", err, r)
	}
	for i, meta := range r.Messages[0].Screenshots {
		sh, err := s.ScreenshotByToken(ctx, nr.TokenHash, meta.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(sh.Data, nr.Screenshots[i].Data) || sh.Size != 5<<20 || meta.Size != 5<<20 {
			t.Errorf("screenshot %d: %d bytes back, size %d", i, len(sh.Data), sh.Size)
		}
	}
}

// testFollowUpReopens: a reader's follow-up reopens an answered or closed
// request, and a reopened request is no longer purged as closed.
func testFollowUpReopens(t *testing.T, open Opener) {
	s, _ := open(t)
	ctx := context.Background()
	nr := newRequest(1)
	r := create(t, s, nr)
	state := func() string {
		t.Helper()
		got, err := s.RequestByID(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.State
	}
	if err := s.Reply(ctx, r.ID, store.StaffReply{Staff: "a@example.com", Body: "done?"}); err != nil {
		t.Fatal(err)
	}
	if st := state(); st != store.StateAnswered {
		t.Fatalf("after a reply: %s", st)
	}
	if err := s.AddFollowUp(ctx, nr.TokenHash, "no", nil); err != nil {
		t.Fatal(err)
	}
	if st := state(); st != store.StateOpen {
		t.Fatalf("after a follow-up to an answer: %s", st)
	}
	if err := s.MarkSolved(ctx, nr.TokenHash); err != nil {
		t.Fatal(err)
	}
	if st := state(); st != store.StateClosed {
		t.Fatalf("after solving: %s", st)
	}
	if err := s.AddFollowUp(ctx, nr.TokenHash, "it is back", nil); err != nil {
		t.Fatal(err)
	}
	if st := state(); st != store.StateOpen {
		t.Fatalf("after a follow-up to a closed request: %s", st)
	}
	if n, err := s.PurgeRequests(ctx, time.Now().Add(time.Hour)); err != nil || n != 0 {
		t.Errorf("a reopened request was purged: %d, %v", n, err)
	}
}

func testDrafts(t *testing.T, open Opener) {
	s, _ := open(t)
	ctx := context.Background()
	a := store.Screenshot{Name: "a.png", SHA256: []byte("ha"), Type: "image/png", Size: 1, Width: 2, Height: 3, Data: []byte{9}}
	b := store.Screenshot{Name: "b.jpg", SHA256: []byte("hb"), Type: "image/jpeg", Size: 2, Width: 4, Height: 5, Data: []byte{7, 8}}
	if err := s.AddDraftScreenshots(ctx, "d1", []store.Screenshot{a}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddDraftScreenshots(ctx, "d1", []store.Screenshot{b}); err != nil { // the draft exists: added to it
		t.Fatal(err)
	}
	if err := s.AddDraftScreenshots(ctx, "d2", []store.Screenshot{a}); err != nil {
		t.Fatal(err)
	}
	shots, err := s.DraftScreenshots(ctx, "d1", time.Now().Add(-time.Hour))
	if err != nil || len(shots) != 2 {
		t.Fatalf("draft: %v %+v", err, shots)
	}
	if g := shots[1]; g.Name != "b.jpg" || g.Type != "image/jpeg" || g.Size != 2 || g.Width != 4 || g.Height != 5 ||
		!bytes.Equal(g.Data, []byte{7, 8}) || !bytes.Equal(g.SHA256, []byte("hb")) || g.ID == 0 {
		t.Errorf("draft screenshot %+v", g)
	}
	if shots, err := s.DraftScreenshots(ctx, "d1", time.Now().Add(time.Minute)); err != nil || len(shots) != 0 {
		t.Errorf("expired draft: %v %+v", err, shots)
	}
	if shots, err := s.DraftScreenshots(ctx, "none", time.Now().Add(-time.Hour)); err != nil || len(shots) != 0 {
		t.Errorf("unknown draft: %v %+v", err, shots)
	}
	// A screenshot is removed only through its own draft.
	if err := s.RemoveDraftScreenshot(ctx, "d2", shots[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveDraftScreenshot(ctx, "d1", shots[0].ID); err != nil {
		t.Fatal(err)
	}
	if shots, _ := s.DraftScreenshots(ctx, "d1", time.Now().Add(-time.Hour)); len(shots) != 1 || shots[0].Name != "b.jpg" {
		t.Errorf("after removing a.png: %+v", shots)
	}
	if shots, _ := s.DraftScreenshots(ctx, "d2", time.Now().Add(-time.Hour)); len(shots) != 1 {
		t.Errorf("another draft's removal took d2's screenshot: %+v", shots)
	}
	if err := s.DeleteDraft(ctx, "d2"); err != nil {
		t.Fatal(err)
	}
	if shots, _ := s.DraftScreenshots(ctx, "d2", time.Now().Add(-time.Hour)); len(shots) != 0 {
		t.Errorf("deleted draft: %+v", shots)
	}
	if n, err := s.PurgeDrafts(ctx, time.Now().Add(-time.Minute)); err != nil || n != 0 {
		t.Errorf("purge of older drafts: %d, %v", n, err)
	}
	if n, err := s.PurgeDrafts(ctx, time.Now().Add(time.Minute)); err != nil || n != 1 {
		t.Errorf("purge drafts: %d, %v", n, err)
	}
	if shots, _ := s.DraftScreenshots(ctx, "d1", time.Now().Add(-time.Hour)); len(shots) != 0 {
		t.Errorf("purged draft: %+v", shots)
	}
}

// testOutbox: what both engines promise the mail worker. Claiming is
// engine-specific (PostgreSQL leases what it hands out), so each message
// is asked for once per state here.
func testOutbox(t *testing.T, open Opener) {
	s, _ := open(t)
	ctx := context.Background()
	for i := range 3 {
		if err := s.EnqueueMail(ctx, store.Mail{To: fmt.Sprint(i, "@example.com"), Subject: fmt.Sprint("s", i), Text: "t", HTML: "<p>t</p>"}); err != nil {
			t.Fatal(err)
		}
	}
	if due, err := s.DueMail(ctx, time.Now().Add(-time.Hour), 10); err != nil || len(due) != 0 {
		t.Errorf("due before it was queued: %v %+v", err, due)
	}
	due, err := s.DueMail(ctx, time.Now(), 2)
	if err != nil || len(due) != 2 {
		t.Fatalf("due: %v %+v", err, due)
	}
	m := due[0]
	if m.To != "0@example.com" || m.Subject != "s0" || m.Text != "t" || m.HTML != "<p>t</p>" || m.Attempts != 0 || m.ID == 0 ||
		time.Since(m.CreatedAt) > time.Minute || due[1].To != "1@example.com" {
		t.Errorf("due = %+v, want the oldest two", due)
	}
	if err := s.MailFailed(ctx, m.ID, time.Now().Add(time.Hour), "connection refused"); err != nil {
		t.Fatal(err)
	}
	if err := s.MailSent(ctx, due[1].ID); err != nil {
		t.Fatal(err)
	}
	// An hour and a half on, the failed message is due again, counting its
	// attempt; the sent one never is.
	later, err := s.DueMail(ctx, time.Now().Add(90*time.Minute), 10)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[int64]store.Mail{}
	for _, l := range later {
		ids[l.ID] = l
	}
	if len(later) != 2 || ids[m.ID].Attempts != 1 || ids[due[1].ID].ID != 0 {
		t.Errorf("due later = %+v, want the failed one (1 attempt) and the third", later)
	}
	if err := s.MailSent(ctx, m.ID); err != nil {
		t.Fatal(err)
	}
	for _, l := range later {
		if l.ID != m.ID {
			s.MailSent(ctx, l.ID)
		}
	}
	if due, _ := s.DueMail(ctx, time.Now().Add(48*time.Hour), 10); len(due) != 0 {
		t.Errorf("sent mail still due: %+v", due)
	}
	if n, err := s.PurgeSentMail(ctx, time.Now().Add(-time.Minute)); err != nil || n != 0 {
		t.Errorf("purge of mail sent before a minute ago: %d, %v", n, err)
	}
	if n, err := s.PurgeSentMail(ctx, time.Now().Add(time.Minute)); err != nil || n != 3 {
		t.Errorf("purge sent mail: %d, %v", n, err)
	}
	// Unsent mail is never purged.
	s.EnqueueMail(ctx, store.Mail{To: "x@example.com", Subject: "s", Text: "t"})
	if n, err := s.PurgeSentMail(ctx, time.Now().Add(time.Hour)); err != nil || n != 0 {
		t.Errorf("purge took unsent mail: %d, %v", n, err)
	}
}

// seedInbox stores four requests, oldest first, and returns them.
func seedInbox(t *testing.T, s Store) []store.ContactRequest {
	t.Helper()
	var out []store.ContactRequest
	for i, v := range []struct{ locale, kind, device, text string }{
		{"en", "technical", "android", "The app CRASHES on start"},
		{"es", "billing", "ios", "me cobraron dos veces"},
		{"en", "billing", "web", "100% charged twice, card_x"},
		{"ar", "account", "android", "لا أستطيع تسجيل الدخول"},
	} {
		nr := newRequest(i)
		nr.Locale, nr.Kind, nr.Device, nr.Description = v.locale, v.kind, v.device, v.text
		nr.Article = fmt.Sprint("article-", i)
		out = append(out, create(t, s, nr))
	}
	return out
}

func codes(list []store.RequestSummary) []string {
	var out []string
	for _, r := range list {
		out = append(out, r.Code)
	}
	return out
}

// testInboxFilters: every filter of the inbox list, alone and together,
// the count agreeing with the list, newest first, and paging.
func testInboxFilters(t *testing.T, open Opener) {
	s, _ := open(t)
	ctx := context.Background()
	reqs := seedInbox(t, s)
	if err := s.AssignRequest(ctx, reqs[1].ID, "ana@example.com"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetRequestState(ctx, reqs[2].ID, store.StateClosed); err != nil {
		t.Fatal(err)
	}
	// Words of staff replies and notes are not searched.
	s.Reply(ctx, reqs[3].ID, store.StaffReply{Staff: "ana@example.com", Body: "zebra reply"})
	s.AddNote(ctx, reqs[3].ID, "ana@example.com", "zebra note")

	all, err := s.ListRequests(ctx, store.RequestFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(codes(all)), "[HC-0003-BBBB-CCCC HC-0002-BBBB-CCCC HC-0001-BBBB-CCCC HC-0000-BBBB-CCCC]"; got != want {
		t.Fatalf("list = %s, want %s (newest first)", got, want)
	}
	first := all[3]
	if first.Excerpt != "The app CRASHES on start" || first.Locale != "en" || first.Kind != "technical" || first.Device != "android" ||
		first.State != store.StateOpen || first.Article != "article-0" || first.AssignedTo != "" || first.CreatedAt.IsZero() {
		t.Errorf("summary %+v", first)
	}
	if all[0].State != store.StateAnswered || all[0].Excerpt != "لا أستطيع تسجيل الدخول" {
		t.Errorf("summary of the answered request %+v", all[0])
	}
	if all[2].AssignedTo != "ana@example.com" {
		t.Errorf("assignment not listed: %+v", all[2])
	}

	past, future := time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
	for _, c := range []struct {
		name string
		f    store.RequestFilter
		want []int // indexes into reqs, newest first
	}{
		{"state open", store.RequestFilter{State: store.StateOpen}, []int{1, 0}},
		{"state closed", store.RequestFilter{State: store.StateClosed}, []int{2}},
		{"kind", store.RequestFilter{Kind: "billing"}, []int{2, 1}},
		{"locale", store.RequestFilter{Locale: "en"}, []int{2, 0}},
		{"device", store.RequestFilter{Device: "android"}, []int{3, 0}},
		{"assigned", store.RequestFilter{AssignedTo: "ana@example.com"}, []int{1}},
		{"unassigned", store.RequestFilter{AssignedTo: "-"}, []int{3, 2, 0}},
		{"together", store.RequestFilter{Kind: "billing", Locale: "en", State: store.StateClosed}, []int{2}},
		{"from", store.RequestFilter{From: past}, []int{3, 2, 1, 0}},
		{"from the future", store.RequestFilter{From: future}, nil},
		{"to the past", store.RequestFilter{To: past}, nil},
		{"between", store.RequestFilter{From: past, To: future, Locale: "es"}, []int{1}},
		{"text, any case", store.RequestFilter{Query: "crashes ON"}, []int{0}},
		{"text, upper case", store.RequestFilter{Query: "COBRARON"}, []int{1}},
		{"text, spaces trimmed", store.RequestFilter{Query: "  twice "}, []int{2}},
		{"text, Arabic", store.RequestFilter{Query: "تسجيل"}, []int{3}},
		{"percent is literal", store.RequestFilter{Query: "100%"}, []int{2}},
		{"percent alone", store.RequestFilter{Query: "%"}, []int{2}},
		{"underscore is literal", store.RequestFilter{Query: "card_"}, []int{2}},
		{"underscore alone", store.RequestFilter{Query: "d_x"}, []int{2}},
		{"no wildcard match", store.RequestFilter{Query: "c_rd"}, nil},
		{"code", store.RequestFilter{Query: "HC-0001-BBBB-CCCC"}, []int{1}},
		{"code, lower case", store.RequestFilter{Query: "hc-0002-bbbb-cccc"}, []int{2}},
		{"staff reply not searched", store.RequestFilter{Query: "zebra"}, nil},
		{"nothing", store.RequestFilter{Query: "nothing like this"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			list, err := s.ListRequests(ctx, c.f)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, i := range c.want {
				want = append(want, reqs[i].Code)
			}
			if got := codes(list); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("list = %v, want %v", got, want)
			}
			if n, err := s.CountRequests(ctx, c.f); err != nil || n != len(c.want) {
				t.Errorf("count = %d, %v; want %d", n, err, len(c.want))
			}
		})
	}

	page, err := s.ListRequests(ctx, store.RequestFilter{Limit: 2, Offset: 1})
	if err != nil || fmt.Sprint(codes(page)) != fmt.Sprint([]string{reqs[2].Code, reqs[1].Code}) {
		t.Errorf("page 2 of 2 = %v, %v", codes(page), err)
	}
	if n, err := s.CountRequests(ctx, store.RequestFilter{Limit: 1, Offset: 3}); err != nil || n != 4 {
		t.Errorf("count ignores paging: %d, %v", n, err)
	}
}

// testInboxStaff: assignment, states and the closing time they keep,
// replies with their link and mail in one go, notes, and not-found.
func testInboxStaff(t *testing.T, open Opener) {
	s, _ := open(t)
	ctx := context.Background()
	reqs := seedInbox(t, s)
	id := reqs[0].ID
	updated := func() time.Time {
		t.Helper()
		r, err := s.RequestByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return r.UpdatedAt
	}
	u0 := updated()
	time.Sleep(5 * time.Millisecond)
	if err := s.AssignRequest(ctx, id, "ana@example.com"); err != nil {
		t.Fatal(err)
	}
	r, _ := s.RequestByID(ctx, id)
	if r.AssignedTo != "ana@example.com" || !r.UpdatedAt.After(u0) {
		t.Errorf("after assigning: %q, updated %v (was %v)", r.AssignedTo, r.UpdatedAt, u0)
	}
	if err := s.AssignRequest(ctx, id, ""); err != nil {
		t.Fatal(err)
	}
	if r, _ := s.RequestByID(ctx, id); r.AssignedTo != "" {
		t.Errorf("unassigned: %q", r.AssignedTo)
	}

	if err := s.SetRequestState(ctx, id, "pending"); err == nil {
		t.Error("an unknown state was set")
	}
	// Closing twice keeps the first closing time: the retention runs from
	// it. Answering clears it; a request closed again starts over.
	if err := s.SetRequestState(ctx, id, store.StateClosed); err != nil {
		t.Fatal(err)
	}
	mid := time.Now()
	time.Sleep(5 * time.Millisecond)
	if err := s.SetRequestState(ctx, id, store.StateClosed); err != nil {
		t.Fatal(err)
	}
	if n, err := s.PurgeRequests(ctx, mid); err != nil || n != 1 {
		t.Errorf("purge of requests closed before the second close: %d, %v", n, err)
	}
	id = reqs[1].ID
	if err := s.SetRequestState(ctx, id, store.StateClosed); err != nil {
		t.Fatal(err)
	}
	if err := s.SetRequestState(ctx, id, store.StateAnswered); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.PurgeRequests(ctx, time.Now().Add(time.Hour)); n != 0 {
		t.Errorf("an answered request was purged")
	}
	if r, _ := s.RequestByID(ctx, id); r.State != store.StateAnswered {
		t.Errorf("state %q", r.State)
	}

	// A reply with a link and mail: the new link opens the request, the
	// mail is queued, and the reader sees the reply but not the note.
	id = reqs[2].ID
	if err := s.AddNote(ctx, id, "ana@example.com", "refund approved by finance"); err != nil {
		t.Fatal(err)
	}
	if err := s.Reply(ctx, id, store.StaffReply{Staff: "ana@example.com", Body: "refunded", TokenHash: []byte("reply-link"),
		Mail: &store.Mail{To: "reader@example.com", Subject: "Your request", Text: "refunded", HTML: "<p>refunded</p>"}}); err != nil {
		t.Fatal(err)
	}
	seen, err := s.RequestByToken(ctx, []byte("reply-link"))
	if err != nil || seen.ID != id || seen.State != store.StateAnswered || len(seen.Messages) != 2 ||
		seen.Messages[1].Body != "refunded" || seen.Messages[1].Staff != "ana@example.com" {
		t.Fatalf("through the reply's link: %v %+v", err, seen)
	}
	full, _ := s.RequestByID(ctx, id)
	if len(full.Messages) != 3 || full.Messages[1].Author != store.AuthorNote || full.Messages[1].Staff != "ana@example.com" {
		t.Errorf("staff view: %+v", full.Messages)
	}
	due := dueMail(t, s)
	if len(due) != 1 || due[0].Subject != "Your request" || due[0].HTML != "<p>refunded</p>" {
		t.Fatalf("reply mail: %+v", due)
	}
	if err := s.MailSent(ctx, due[0].ID); err != nil {
		t.Fatal(err)
	}
	// A reply whose link is already taken fails as a whole: no reply, no mail.
	if err := s.Reply(ctx, reqs[3].ID, store.StaffReply{Staff: "ana@example.com", Body: "half", TokenHash: []byte("reply-link"),
		Mail: &store.Mail{To: "reader@example.com", Subject: "half"}}); err == nil {
		t.Error("a reply reused a link")
	}
	if r, _ := s.RequestByID(ctx, reqs[3].ID); len(r.Messages) != 1 || r.State != store.StateOpen {
		t.Errorf("a failed reply left %+v", r)
	}
	if due := dueMail(t, s); len(due) != 0 {
		t.Errorf("a failed reply queued %+v", due)
	}

	const missing = 1 << 40
	for name, err := range map[string]error{
		"reply":  s.Reply(ctx, missing, store.StaffReply{Staff: "a", Body: "b"}),
		"note":   s.AddNote(ctx, missing, "a", "b"),
		"assign": s.AssignRequest(ctx, missing, "a"),
		"state":  s.SetRequestState(ctx, missing, store.StateClosed),
	} {
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s on a missing request: %v", name, err)
		}
	}
	if _, err := s.RequestByID(ctx, missing); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("RequestByID of a missing request: %v", err)
	}
}

func testDeflections(t *testing.T, open Opener) {
	s, _ := open(t)
	ctx := context.Background()
	for _, d := range [][2]string{
		{"en", "reset-password"}, {"en", "reset-password"}, {"en", "reset-password"},
		{"es", "reset-password"}, {"en", "log-out"}, {"es", "log-out"}, {"es", "log-out"},
	} {
		if err := s.RecordDeflection(ctx, d[0], d[1]); err != nil {
			t.Fatal(err)
		}
	}
	since := time.Now().Add(-24 * time.Hour)
	all, err := s.Deflections(ctx, since, "")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(all), "[{reset-password en 3} {log-out es 2} {log-out en 1} {reset-password es 1}]"; got != want {
		t.Errorf("deflections = %s, want %s", got, want)
	}
	es, err := s.Deflections(ctx, since, "es")
	if got, want := fmt.Sprint(es), "[{log-out es 2} {reset-password es 1}]"; err != nil || got != want {
		t.Errorf("deflections in es = %s, %v; want %s", got, err, want)
	}
	if later, _ := s.Deflections(ctx, time.Now().Add(48*time.Hour), ""); len(later) != 0 {
		t.Errorf("deflections since a later day: %v", later)
	}
	// A reader who sends the request after all takes the count back, and
	// a count never goes below zero.
	today := time.Now().UTC().Format(time.DateOnly)
	for range 3 {
		if err := s.UndoDeflection(ctx, today, "en", "log-out"); err != nil {
			t.Fatal(err)
		}
	}
	if en, _ := s.Deflections(ctx, since, "en"); fmt.Sprint(en) != "[{reset-password en 3}]" {
		t.Errorf("after undo: %v", en)
	}
	if err := s.PurgeDeflections(ctx, time.Now().Add(-24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if kept, _ := s.Deflections(ctx, since, ""); len(kept) != 3 {
		t.Errorf("today's counts were purged: %v", kept)
	}
	if err := s.PurgeDeflections(ctx, time.Now().Add(48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if left, _ := s.Deflections(ctx, since, ""); len(left) != 0 {
		t.Errorf("after the purge: %v", left)
	}
}
