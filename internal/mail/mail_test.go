package mail

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	smtp "github.com/emersion/go-smtp"

	"helpcenter/internal/store"
)

// inbox is a real SMTP server (STARTTLS) in the test process.
type inbox struct {
	mu   sync.Mutex
	msgs []string
}

type session struct{ in *inbox }

func (s *session) Reset()                               {}
func (s *session) Logout() error                        { return nil }
func (s *session) Mail(string, *smtp.MailOptions) error { return nil }
func (s *session) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	s.in.mu.Lock()
	s.in.msgs = append(s.in.msgs, string(b))
	s.in.mu.Unlock()
	return err
}

func (in *inbox) count() int { in.mu.Lock(); defer in.mu.Unlock(); return len(in.msgs) }

func selfSigned(t *testing.T) (*tls.Config, *x509.CertPool) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, pool
}

func serve(t *testing.T, in *inbox, addr string, cfg *tls.Config) *smtp.Server {
	s := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{in}, nil }))
	s.Addr, s.Domain, s.TLSConfig = addr, "localhost", cfg
	var l net.Listener
	var err error
	for range 50 { // the port may linger a moment after the last server
		if l, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(l)
	return s
}

func TestOutboxRetriesUntilServerReturns(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "hc.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srvTLS, pool := selfSigned(t)
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
	in := &inbox{}
	s := serve(t, in, addr, srvTLS)
	defer s.Close()
	w.Flush(ctx)
	w.Flush(ctx)
	w.Flush(ctx)
	if n := in.count(); n != 2 {
		t.Fatalf("delivered %d messages, want 2", n)
	}
	if due, _ := st.DueMail(ctx, time.Now().Add(time.Hour), 10); len(due) != 0 {
		t.Fatalf("still due: %+v", due)
	}
	msg := in.msgs[0]
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
