package i18n

import (
	"strings"
	"testing"
)

// FuzzNegotiate: any cookie and Accept-Language header give one of our
// locales, the same one every time, and never a panic.
func FuzzNegotiate(f *testing.F) {
	for _, s := range [][2]string{
		{"", "en-US,en;q=0.9"}, {"zh-TW", ""}, {"zh_TW", "zh-HK"}, {"", "zh-Hant-HK-u-nu-hanidec"}, {"xx", "*"},
		{"", "pt;q=0.1, pt-PT;q=0.9"}, {"", "sr-Latn"}, {"", "en;q=abc,,,;q=;"}, {"\u202ear", "ar-EG;q=1.0"},
		{"", strings.Repeat("zz-ZZ;q=0.5,", 50)}, {"../../etc", "fil-PH, tl"}, {"", "iw, in, no"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, cookie, header string) {
		l := Negotiate(cookie, header)
		if got, ok := Lookup(l.Code); !ok || got.Code != l.Code {
			t.Fatalf("Negotiate(%q, %q) = %q, not one of ours", cookie, header, l.Code)
		}
		if again := Negotiate(cookie, header); again.Code != l.Code {
			t.Fatalf("Negotiate(%q, %q) gave %q, then %q", cookie, header, l.Code, again.Code)
		}
		if m, ok := MatchAcceptLanguage(header); ok {
			if _, known := Lookup(m.Code); !known {
				t.Fatalf("MatchAcceptLanguage(%q) = %q, not one of ours", header, m.Code)
			}
		}
	})
}
