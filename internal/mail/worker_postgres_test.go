package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"helpcenter/internal/store"
	"helpcenter/internal/store/postgres"
	"helpcenter/internal/store/storetest"
)

// countingSender records every message handed to it; every third first
// attempt fails, to exercise MailFailed too.
type countingSender struct {
	mu    sync.Mutex
	sent  map[int64]int
	tries map[int64]int
}

func (c *countingSender) Send(ctx context.Context, m store.Mail) error {
	time.Sleep(time.Millisecond) // let the instances' batches overlap
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tries[m.ID]++
	if m.ID%3 == 0 && c.tries[m.ID] == 1 {
		return errors.New("421 try again later")
	}
	c.sent[m.ID]++
	return nil
}

// TestWorkersShareOutbox runs a worker on each of two instances sharing
// one PostgreSQL outbox: every message is delivered exactly once.
func TestWorkersShareOutbox(t *testing.T) {
	dsn := storetest.PostgresDatabase(t)
	ctx := context.Background()
	sender := &countingSender{sent: map[int64]int{}, tries: map[int64]int{}}
	var workers []*Worker
	for range 2 {
		st, err := postgres.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		workers = append(workers, &Worker{Outbox: st, Sender: sender, Log: slog.New(slog.DiscardHandler), Backoff: func(int) time.Duration { return 0 }})
	}
	const messages = 90
	for i := range messages {
		if err := workers[0].Outbox.EnqueueMail(ctx, store.Mail{To: fmt.Sprint(i, "@example.com"), Subject: "s", Text: "t"}); err != nil {
			t.Fatal(err)
		}
	}
	for round := 0; round < 20; round++ {
		var wg sync.WaitGroup
		for _, w := range workers {
			wg.Add(1)
			go func() { defer wg.Done(); w.Flush(ctx) }()
		}
		wg.Wait()
		sender.mu.Lock()
		done := len(sender.sent) == messages
		sender.mu.Unlock()
		if done {
			break
		}
	}
	if len(sender.sent) != messages {
		t.Errorf("%d of %d messages delivered", len(sender.sent), messages)
	}
	for id, n := range sender.sent {
		if n != 1 {
			t.Errorf("message %d delivered %d times", id, n)
		}
	}
	if due, err := workers[1].Outbox.DueMail(ctx, time.Now().Add(time.Hour), 100); err != nil || len(due) != 0 {
		t.Errorf("still due: %v %+v", err, due)
	}
}
