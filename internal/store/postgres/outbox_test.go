package postgres

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"helpcenter/internal/store"
)

// TestDueMailLease: a claimed message is not handed out again until its
// lease ends (its sender crashed) or MailFailed sets its next try.
func TestDueMailLease(t *testing.T) {
	dsn := testDatabase(t)
	ctx := context.Background()
	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.EnqueueMail(ctx, store.Mail{To: "a@example.com", Subject: "s", Text: "t"}); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	due, err := s.DueMail(ctx, now, 10)
	if err != nil || len(due) != 1 {
		t.Fatalf("first claim: %v %+v", err, due)
	}
	for _, at := range []time.Time{now, now.Add(MailLease - time.Minute)} {
		if again, err := s.DueMail(ctx, at, 10); err != nil || len(again) != 0 {
			t.Errorf("claimed again at +%v, within the lease: %v %+v", at.Sub(now), err, again)
		}
	}
	after := now.Add(MailLease + time.Minute)
	again, err := s.DueMail(ctx, after, 10)
	if err != nil || len(again) != 1 || again[0].ID != due[0].ID || again[0].Attempts != 0 {
		t.Fatalf("after the lease: %v %+v", err, again)
	}
	if err := s.MailFailed(ctx, due[0].ID, now, "down"); err != nil {
		t.Fatal(err)
	}
	if again, err := s.DueMail(ctx, now.Add(time.Second), 10); err != nil || len(again) != 1 || again[0].Attempts != 1 {
		t.Errorf("after a failure: %v %+v", err, again)
	}
}

// TestConcurrentDueMail claims from two instances, several goroutines
// each, at once: every message is handed out exactly once.
func TestConcurrentDueMail(t *testing.T) {
	dsn := testDatabase(t)
	ctx := context.Background()
	var instances []*Store
	for range 2 {
		s, err := Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		instances = append(instances, s)
	}
	const messages = 600
	for i := range messages {
		if err := instances[i%2].EnqueueMail(ctx, store.Mail{To: fmt.Sprint(i, "@example.com"), Subject: "s", Text: "t"}); err != nil {
			t.Fatal(err)
		}
	}
	var (
		mu     sync.Mutex
		seen   = map[int64]int{}
		wg     sync.WaitGroup
		start  = make(chan struct{})
		claims = make(chan error, 16)
	)
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for {
				due, err := instances[g%2].DueMail(ctx, time.Now(), 7)
				if err != nil {
					claims <- err
					return
				}
				if len(due) == 0 {
					return
				}
				mu.Lock()
				for _, m := range due {
					seen[m.ID]++
				}
				mu.Unlock()
			}
		}()
	}
	close(start)
	wg.Wait()
	close(claims)
	for err := range claims {
		t.Error(err)
	}
	if len(seen) != messages {
		t.Errorf("%d of %d messages handed out", len(seen), messages)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("message %d handed out %d times", id, n)
		}
	}
}
