package mail

import (
	"context"
	"crypto/tls"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"helpcenter/internal/mail/mailtest"
	"helpcenter/internal/store"
	"helpcenter/internal/store/sqlite"
)

func TestOutboxRetriesUntilServerReturns(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "hc.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srvTLS, pool := mailtest.SelfSigned(t)
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := l.Addr().String()
	l.Close()
	sender, err := NewSender("smtp://"+addr, "help@example.com", &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	w := &Worker{Outbox: st, Sender: sender, Backoff: func(int) time.Duration { return 0 }}
	for _, to := range []string{"a@example.com", "b@example.com"} {
		if err := st.EnqueueMail(ctx, store.Mail{To: to, Subject: "Your request HC-0000-0000-0000", Text: "A reply is waiting.", HTML: "<p>A reply is waiting.</p>"}); err != nil {
			t.Fatal(err)
		}
	}
	// No server: every attempt fails and the mail stays queued.
	w.Flush(ctx)
	w.Flush(ctx)
	if due, _ := st.DueMail(ctx, time.Now(), 10); len(due) != 2 || due[0].Attempts != 2 {
		t.Fatalf("after failures: %+v", due)
	}
	// The server comes back: each message is sent exactly once.
	in := &mailtest.Inbox{}
	s := mailtest.Serve(t, in, addr, srvTLS)
	defer s.Close()
	w.Flush(ctx)
	w.Flush(ctx)
	w.Flush(ctx)
	if n := in.Count(); n != 2 {
		t.Fatalf("delivered %d messages, want 2", n)
	}
	if due, _ := st.DueMail(ctx, time.Now().Add(time.Hour), 10); len(due) != 0 {
		t.Fatalf("still due: %+v", due)
	}
	msg := in.Messages()[0]
	for _, want := range []string{"text/plain", "text/html", "Subject: Your request HC-0000-0000-0000", "To: <a@example.com>"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
}

func TestNewSender(t *testing.T) {
	for _, bad := range []string{"", "http://x", "smtp://", "smtp://h:port"} {
		if _, err := NewSender(bad, "a@example.com", nil); err == nil {
			t.Errorf("NewSender(%q) accepted", bad)
		}
	}
	if _, err := NewSender("smtps://u:p@mail.example.com", "a@example.com", nil); err != nil {
		t.Error(err)
	}
	if _, err := NewSender("smtp://mail.example.com", "", nil); err == nil {
		t.Error("no from accepted")
	}
}
