package i18n

import (
	"bytes"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"

	"helpcenter/locales"
)

// TestTableMatchesShared checks that the embedded locale table is the one
// the product specifies in ../shared/locales.tsv.
func TestTableMatchesShared(t *testing.T) {
	shared, err := os.ReadFile("../../../shared/locales.tsv")
	if err != nil {
		t.Skipf("../shared/locales.tsv not beside the repository: %v", err)
	}
	ours, err := locales.FS.ReadFile("locales.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(bytes.TrimSpace(shared), bytes.TrimSpace(ours)) {
		t.Fatal("locales/locales.tsv differs from ../shared/locales.tsv: copy it over")
	}
}

func TestTable(t *testing.T) {
	if len(All) != 59 {
		t.Fatalf("got %d locales, want 59", len(All))
	}
	rtl := map[string]bool{}
	for _, l := range All {
		if l.RTL() {
			rtl[l.Code] = true
		}
		if got, ok := Lookup(l.Slug); !ok || got.Code != l.Code {
			t.Errorf("Lookup(%q) = %v, %v", l.Slug, got.Code, ok)
		}
	}
	for _, code := range []string{"ar", "he", "fa", "ur"} {
		if !rtl[code] {
			t.Errorf("%s should be right to left", code)
		}
	}
	if len(rtl) != 4 {
		t.Errorf("got %d right-to-left locales, want 4", len(rtl))
	}
}

// TestNegotiate is the mapping table every reader's first visit relies on.
func TestNegotiate(t *testing.T) {
	tests := []struct {
		cookie, header, want string
	}{
		{"", "", "en"},
		{"", "zh-HK", "zh-TW"},
		{"", "zh-MO", "zh-TW"},
		{"", "zh-Hant", "zh-TW"},
		{"", "zh-Hant-HK", "zh-TW"},
		{"", "zh-TW", "zh-TW"},
		{"", "zh", "zh-CN"},
		{"", "zh-SG", "zh-CN"},
		{"", "zh-Hans", "zh-CN"},
		{"", "zh-CN", "zh-CN"},
		{"", "pt", "pt-BR"},
		{"", "pt-BR", "pt-BR"},
		{"", "pt-PT", "pt-PT"},
		{"", "pt-AO", "pt-PT"},
		{"", "no", "nb"},
		{"", "nn", "nb"},
		{"", "nb-NO", "nb"},
		{"", "es-419", "es"},
		{"", "es-MX", "es"},
		{"", "tl", "fil"},
		{"", "fil-PH", "fil"},
		{"", "iw", "he"},
		{"", "in", "id"},
		{"", "en-GB", "en"},
		{"", "fr-CA,fr;q=0.9", "fr"},
		{"", "de-AT", "de"},
		{"", "sr-Latn", "sr"},
		{"", "ar-EG", "ar"},
		{"", "fa-IR", "fa"},
		{"", "ja-JP", "ja"},
		{"", "ko-KR", "ko"},
		{"", "uk-UA,ru;q=0.5", "uk"},
		{"", "ru;q=0.5, de;q=0.9", "de"},
		{"", "de;q=0, fr", "fr"},
		{"", "xx, yy;q=0.5, it;q=0.1", "it"},
		{"", "*", "en"},
		{"", "xx-YY", "en"},
		{"", "en;q=garbage,,,;;", "en"},
		{"", "ñ\xff\x00", "en"},
		{"", strings.Repeat("fr-FR,", 2000), "en"},
		{"ar", "fr", "ar"},
		{"pt-BR", "", "pt-BR"},
		{"zh-tw", "de", "zh-TW"},
		{"bogus", "ja", "ja"},
	}
	for _, tt := range tests {
		t.Run(tt.cookie+"|"+truncate(tt.header), func(t *testing.T) {
			if got := Negotiate(tt.cookie, tt.header); got.Code != tt.want {
				t.Errorf("Negotiate(%q, %q) = %s, want %s", tt.cookie, tt.header, got.Code, tt.want)
			}
		})
	}
}

func truncate(s string) string {
	if len(s) > 30 {
		return s[:30] + "..."
	}
	return s
}

func loadBundle(t testing.TB) *Bundle {
	t.Helper()
	b, err := Load(locales.FS, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestTranslations localizes every message of every locale with every
// sample count: each must come from the locale's own file, without error
// and without going through English.
func TestTranslations(t *testing.T) {
	b := loadBundle(t)
	counts := []any{nil, 0, 1, 2, 3, 5, 11, 21, 101}
	for _, l := range All {
		t.Run(l.Code, func(t *testing.T) {
			loc := b.For(l.Code)
			for _, id := range b.IDs {
				for _, n := range counts {
					cfg := &goi18n.LocalizeConfig{MessageID: id, PluralCount: n,
						TemplateData: map[string]any{"Count": "7", "Date": "D", "Language": "L", "Query": "Q", "Platform": "P", "Max": "9", "Page": "1", "Total": "2",
							"Min": "3", "Name": "N", "Days": "4", "Title": "T", "Number": "5", "Code": "C", "Link": "K", "Email": "E"}}
					if n == nil {
						cfg.PluralCount = nil
					}
					s, tag, err := loc.loc.LocalizeWithTag(cfg)
					if err != nil {
						if n == nil {
							t.Errorf("%s: %v", id, err)
						}
						continue // a plural message asked without a count
					}
					if tag != l.Tag {
						t.Errorf("%s: resolved through %s", id, tag)
					}
					if strings.TrimSpace(s) == "" {
						t.Errorf("%s: empty", id)
					}
					if strings.Contains(s, "{{") || strings.Contains(s, "<no value>") {
						t.Errorf("%s: unfilled placeholder in %q", id, s)
					}
				}
			}
		})
	}
}

// TestNoEnglishLeft is `helpcenter check`'s rule: no message other than
// proper nouns reads the same as English.
func TestNoEnglishLeft(t *testing.T) {
	for _, p := range Check(locales.FS) {
		t.Error(p)
	}
}

func TestLoadRejectsMissingPluralForm(t *testing.T) {
	fsys := overlay{"ru.toml": strings.Replace(mustRead(t, "ru.toml"), "few = ", "fewx = ", 1)}
	_, err := Load(fsys, slog.New(slog.DiscardHandler))
	if err == nil || !strings.Contains(err.Error(), "ru.toml") {
		t.Fatalf("want an error naming ru.toml, got %v", err)
	}
}

func TestLoadRejectsMissingMessage(t *testing.T) {
	src := mustRead(t, "ja.toml")
	i := strings.Index(src, "\"search.submit\"")
	j := strings.Index(src[i:], "\n")
	fsys := overlay{"ja.toml": src[:i] + src[i+j+1:]}
	_, err := Load(fsys, slog.New(slog.DiscardHandler))
	if err == nil || !strings.Contains(err.Error(), `missing message "search.submit"`) {
		t.Fatalf("want a missing message error, got %v", err)
	}
}

func mustRead(t *testing.T, name string) string {
	data, err := locales.FS.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestFormat(t *testing.T) {
	b := loadBundle(t)
	d := time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		code, date, number string
	}{
		{"en", "March 5, 2026", "12,345"},
		{"de", "5. März 2026", "12.345"},
		{"fr", "5 mars 2026", "12\u00a0345"},
		{"ru", "5 марта 2026 г.", "12\u00a0345"},
		{"ar", "٥ مارس ٢٠٢٦", "١٢٬٣٤٥"},
		{"fa", "۵ مارس ۲۰۲۶", "۱۲٬۳۴۵"},
		{"zh-TW", "2026年3月5日", "12,345"},
		{"ja", "2026年3月5日", "12,345"},
		{"bn", "৫ মার্চ, ২০২৬", "১২,৩৪৫"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			loc := b.For(tt.code)
			if got := loc.Date(d); got != tt.date {
				t.Errorf("Date = %q, want %q", got, tt.date)
			}
			if got := loc.Number(12345); got != tt.number {
				t.Errorf("Number = %q, want %q", got, tt.number)
			}
		})
	}
	if got := b.For("ru").N("category.article_count", 5); !strings.Contains(got, "статей") {
		t.Errorf("ru 5 articles = %q", got)
	}
}
