// Package mailtest runs a real SMTP server (STARTTLS, self-signed) in a
// test's process, to receive what the site sends.
package mailtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	smtp "github.com/emersion/go-smtp"
)

// Inbox keeps every message the server received, as raw RFC 5322 text.
type Inbox struct {
	mu   sync.Mutex
	msgs []string
}

// Messages returns the messages received so far.
func (in *Inbox) Messages() []string {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]string(nil), in.msgs...)
}

// Count is how many messages were received.
func (in *Inbox) Count() int { return len(in.Messages()) }

type session struct{ in *Inbox }

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

// SelfSigned returns a server TLS config for 127.0.0.1 and the pool a
// client needs to trust it.
func SelfSigned(t testing.TB) (*tls.Config, *x509.CertPool) {
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

// Serve starts an SMTP server on addr that delivers into in.
func Serve(t testing.TB, in *Inbox, addr string, cfg *tls.Config) *smtp.Server {
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
	t.Cleanup(func() { s.Close() })
	return s
}
