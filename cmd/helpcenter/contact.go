package main

import (
	"context"
	"log/slog"
	"time"

	"helpcenter/internal/config"
	"helpcenter/internal/mail"
	"helpcenter/internal/store"
)

// draftLifetime is how long a contact form's draft screenshots are kept.
const draftLifetime = time.Hour

// sentMailRetention is how long a sent message stays in the outbox (with
// its address) before it is deleted.
const sentMailRetention = 7 * 24 * time.Hour

// contactDB is a store with the contact flow: both engines.
type contactDB interface {
	store.Contact
	Exclusive(ctx context.Context, job string, fn func(context.Context) error) (bool, error)
}

// runContact starts the contact flow's background work:
// the mail worker (when SMTP is configured) and the purges of drafts,
// sent mail and closed requests past their retention. Every instance runs
// a worker (the outbox hands each message to one of them); the purges run
// on one instance at a time.
func runContact(ctx context.Context, cfg config.Config, st contactDB, log *slog.Logger) error {
	if cfg.SMTPURL != "" {
		sender, err := mail.NewSender(cfg.SMTPURL, cfg.MailFrom, nil)
		if err != nil {
			return err
		}
		go (&mail.Worker{Outbox: st, Sender: sender, Log: log}).Run(ctx)
	}
	go func() {
		t := time.NewTicker(10 * time.Minute)
		defer t.Stop()
		for {
			if _, err := st.Exclusive(ctx, "purge-contact", func(ctx context.Context) error {
				purgeContact(ctx, cfg, st, log, time.Now())
				return nil
			}); err != nil {
				log.Warn("purge contact", "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return nil
}

func purgeContact(ctx context.Context, cfg config.Config, st store.Contact, log *slog.Logger, now time.Time) {
	if _, err := st.PurgeDrafts(ctx, now.Add(-draftLifetime)); err != nil {
		log.Warn("purge drafts", "err", err)
	}
	if _, err := st.PurgeSentMail(ctx, now.Add(-sentMailRetention)); err != nil {
		log.Warn("purge sent mail", "err", err)
	}
	if err := st.PurgeDeflections(ctx, now.Add(-365*24*time.Hour)); err != nil {
		log.Warn("purge deflections", "err", err)
	}
	if n, err := st.PurgeRequests(ctx, now.Add(-cfg.RequestRetention)); err != nil {
		log.Warn("purge requests", "err", err)
	} else if n > 0 {
		log.Info("purged closed requests", "count", n)
	}
}
