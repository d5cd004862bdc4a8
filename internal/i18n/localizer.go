package i18n

import (
	"context"
	"log/slog"
	"time"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// Localizer translates messages and formats numbers and dates for one
// locale. One is built per locale at load and shared by every request.
type Localizer struct {
	Locale
	loc     *goi18n.Localizer
	english *goi18n.Localizer
	printer *message.Printer
	dates   dateFormatter
	log     *slog.Logger
}

// T returns the message id, its {{.Name}} fields filled from kv pairs
// ("Date", "3 March 2026").
func (l *Localizer) T(id string, kv ...string) string {
	return l.localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: pairs(kv)})
}

// N returns the plural message id for n, with {{.Count}} as n written in
// the locale's digits and grouping.
func (l *Localizer) N(id string, n int, kv ...string) string {
	data := pairs(kv)
	data["Count"] = l.Number(n)
	return l.localize(&goi18n.LocalizeConfig{MessageID: id, PluralCount: n, TemplateData: data})
}

func (l *Localizer) localize(cfg *goi18n.LocalizeConfig) string {
	s, err := l.loc.Localize(cfg)
	if err == nil {
		return s
	}
	// Load verified every message of every locale, so this is a message ID
	// the code uses but en.toml lacks. Say so loudly and show something.
	l.log.Error("i18n: localize", "locale", l.Code, "id", cfg.MessageID, "err", err)
	if s, err := l.english.Localize(cfg); err == nil {
		return s
	}
	return cfg.MessageID
}

// Number writes n with the locale's digits and grouping (CLDR).
func (l *Localizer) Number(n int) string {
	return l.printer.Sprint(number.Decimal(n))
}

// Date writes t as the locale's long date ("3 March 2026", "2026年3月3日"),
// with the locale's digits.
func (l *Localizer) Date(t time.Time) string {
	return l.dates.format(t, l.printer)
}

func pairs(kv []string) map[string]any {
	m := make(map[string]any, len(kv)/2+1)
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

type ctxKey struct{}

// WithLocalizer returns a context that carries l, for templates.
func WithLocalizer(ctx context.Context, l *Localizer) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// FromContext returns the request's Localizer. Every page request has one
// (the locale middleware puts it there); nil means a programming error.
func FromContext(ctx context.Context) *Localizer {
	l, _ := ctx.Value(ctxKey{}).(*Localizer)
	return l
}
