package store

import (
	"context"
	"time"
)

// Outbox is the durable queue of mail to send.
type Outbox interface {
	EnqueueMail(ctx context.Context, m Mail) error
	DueMail(ctx context.Context, at time.Time, limit int) ([]Mail, error)
	MailSent(ctx context.Context, id int64) error
	MailFailed(ctx context.Context, id int64, nextTry time.Time, reason string) error
	PurgeSentMail(ctx context.Context, before time.Time) (int64, error)
}

// Mail is one message in the outbox.
type Mail struct {
	ID        int64
	To        string
	Subject   string
	Text      string
	HTML      string
	Attempts  int
	CreatedAt time.Time
}
