// Package mail sends the site's mail: messages wait in the store's
// durable outbox and a background worker sends them over SMTP, retrying
// with backoff, so no message is lost while the server is down or the
// process restarts.
package mail

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"

	"helpcenter/internal/store"
)

// Sender sends one message over SMTP.
type Sender struct {
	host string
	opts []gomail.Option
	from string
}

// NewSender parses an SMTP URL: smtp://user:pass@host:port (STARTTLS
// required, port 587 by default) or smtps://… (implicit TLS, port 465).
// tlsConfig may be nil; tests pass one that trusts their own server.
func NewSender(rawURL, from string, tlsConfig *tls.Config) (*Sender, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Hostname() == "" {
		return nil, fmt.Errorf("mail: bad SMTP URL")
	}
	opts := []gomail.Option{gomail.WithTimeout(30 * time.Second)}
	port := 587
	switch u.Scheme {
	case "smtp":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case "smtps":
		port = 465
		opts = append(opts, gomail.WithSSL())
	default:
		return nil, fmt.Errorf("mail: SMTP URL scheme %q: want smtp or smtps", u.Scheme)
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("mail: bad SMTP port %q", p)
		}
	}
	opts = append(opts, gomail.WithPort(port))
	if tlsConfig != nil {
		opts = append(opts, gomail.WithTLSConfig(tlsConfig))
	}
	if u.User != nil {
		pass, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain),
			gomail.WithUsername(u.User.Username()), gomail.WithPassword(pass))
	}
	if from == "" {
		return nil, fmt.Errorf("mail: no sender address (HELPCENTER_MAIL_FROM)")
	}
	return &Sender{host: u.Hostname(), opts: opts, from: from}, nil
}

// Send sends m as plain text with an HTML alternative.
func (s *Sender) Send(ctx context.Context, m store.Mail) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return fmt.Errorf("mail: from: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("mail: to: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	c, err := gomail.NewClient(s.host, s.opts...)
	if err != nil {
		return fmt.Errorf("mail: client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("mail: send: %w", err)
	}
	return nil
}

// Worker sends the outbox's due messages.
type Worker struct {
	Outbox store.Outbox
	Sender interface {
		Send(context.Context, store.Mail) error
	}
	Log      *slog.Logger
	Interval time.Duration // how often to look for due mail; a second by default
	Backoff  func(attempts int) time.Duration
}

// backoff doubles from 30 s up to an hour between attempts.
func backoff(attempts int) time.Duration {
	d := 30 * time.Second << min(attempts, 7)
	return min(d, time.Hour)
}

// Run sends due mail until ctx ends.
func (w *Worker) Run(ctx context.Context) {
	interval := w.Interval
	if interval <= 0 {
		interval = time.Second
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		w.Flush(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Flush sends what is due now, once each. A message is marked sent only
// after the server accepted it; a failure schedules a retry.
func (w *Worker) Flush(ctx context.Context) {
	due, err := w.Outbox.DueMail(ctx, time.Now(), 20)
	if err != nil {
		w.log().Error("mail: outbox", "err", err)
		return
	}
	bo := w.Backoff
	if bo == nil {
		bo = backoff
	}
	for _, m := range due {
		if err := w.Sender.Send(ctx, m); err != nil {
			w.log().Warn("mail: send failed, will retry", "id", m.ID, "attempts", m.Attempts+1, "err", err)
			if err := w.Outbox.MailFailed(ctx, m.ID, time.Now().Add(bo(m.Attempts)), err.Error()); err != nil {
				w.log().Error("mail: outbox", "err", err)
			}
			continue
		}
		if err := w.Outbox.MailSent(ctx, m.ID); err != nil {
			w.log().Error("mail: outbox", "err", err)
		}
	}
}

func (w *Worker) log() *slog.Logger {
	if w.Log == nil {
		return slog.Default()
	}
	return w.Log
}
