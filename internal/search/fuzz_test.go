package search

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzQuery: any reader input folds and parses into a bounded list of
// quoted FTS5 terms, and searching for it in every script's index never
// fails: errors may come only from the database, never from the input.
func FuzzQuery(f *testing.F) {
	ix, err := Build([]Doc{
		{Locale: "en", Slug: "log-out", Title: "Log out of the app", Body: "Open Settings and tap Log out. Passwords stay safe."},
		{Locale: "ja", Slug: "log-out", Title: "アプリからログアウトする", Body: "設定を開いてログアウトをタップします。"},
		{Locale: "ar", Slug: "log-out", Title: "تسجيل الخروج من التطبيق", Body: "افتح الإعدادات واضغط على تسجيل الخروج."},
		{Locale: "th", Slug: "log-out", Title: "ออกจากระบบแอป", Body: "เปิดการตั้งค่าแล้วแตะออกจากระบบ"},
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { ix.Close() })
	for _, s := range []string{
		"log out", `"`, `""`, `"unterminated`, "*", "a*", "NEAR(a b, 1)", "a OR b", "NOT a", "^a", "title:a", "{title body}:a",
		"(((a", "-a", `\`, "' OR 1=1 --", "%", "ログアウト", "تسجيل", "ออกจากระบบ", "İstanbul", "ǅ", "ﬁx", "a\u0301", "\u202eabc",
		"a\u200bb", "\x00", "\xff\xfe", "\xc0\xbc", strings.Repeat("日", 300), strings.Repeat("a ", 300), "１２３", "٣٤٥",
	} {
		f.Add(s)
	}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, text string) {
		var tk tokenizer
		terms := parseQuery(&tk, text)
		if len(terms) > maxQueryTokens {
			t.Fatalf("%d terms from %q", len(terms), text)
		}
		for _, term := range terms {
			m := term.match()
			if !strings.HasPrefix(m, `"`) || !(strings.HasSuffix(m, `"`) || strings.HasSuffix(m, `"*`)) {
				t.Fatalf("term %q of %q is not a quoted FTS5 string: %s", term.text, text, m)
			}
			if inner := strings.TrimSuffix(strings.TrimSuffix(m, "*"), `"`)[1:]; strings.Count(strings.ReplaceAll(inner, `""`, ""), `"`) > 0 {
				t.Fatalf("term %q of %q has a stray quote: %s", term.text, text, m)
			}
		}
		if n := Normalize(text); !utf8.ValidString(n) {
			t.Fatalf("Normalize(%q) = %q, not UTF-8", text, n)
		}
		for _, locale := range []string{"en", "ja", "ar", "th"} {
			hits, total, err := ix.Search(ctx, Query{Locale: locale, Text: text})
			if err != nil {
				t.Fatalf("Search(%s, %q): %v", locale, text, err)
			}
			if len(hits) > total {
				t.Fatalf("Search(%s, %q): %d hits of %d", locale, text, len(hits), total)
			}
			for _, h := range hits {
				if !utf8.ValidString(h.Snippet) {
					t.Fatalf("Search(%s, %q): snippet %q not UTF-8", locale, text, h.Snippet)
				}
			}
		}
	})
}
