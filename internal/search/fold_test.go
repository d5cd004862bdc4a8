package search

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestNormalize covers each folding rule through the function that the
// missed-searches log uses; the index and the queries fold the same way.
func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		// Case, spaces, accents.
		{"spanish accents and spaces", "Cerrar  Sesión ", "cerrar sesion"},
		{"upper case accents", "CERRAR SESIÓN", "cerrar sesion"},
		{"combining accent", "sesio\u0301n", "sesion"},
		{"french", "Vérification en deux étapes", "verification en deux etapes"},
		{"german umlaut", "Konto löschen", "konto loschen"},
		{"german sharp s", "Straße", "strasse"},
		{"german capital sharp s", "STRAẞE", "strasse"},
		{"portuguese", "Não consigo fazer a verificação", "nao consigo fazer a verificacao"},
		{"polish stroke l", "Wyloguj się, łatwo", "wyloguj sie latwo"},
		{"danish o slash and ae", "Slet kontoen, øjeblik, æble", "slet kontoen ojeblik aeble"},
		{"romanian comma below", "Ștergeți contul", "stergeti contul"},
		{"czech caron", "Odhlášení účtu", "odhlaseni uctu"},
		{"vietnamese tones", "Đăng xuất tài khoản", "dang xuat tai khoan"},
		{"vietnamese horn", "Người dùng mở ứng dụng", "nguoi dung mo ung"},
		{"turkish dotted capital i", "İSTANBUL", "istanbul"},
		{"turkish dotless i", "Çıkış yap, ışık", "cikis yap isik"},
		{"turkish capital I", "HESABI SİL", "hesabi sil"},
		// Greek and Cyrillic.
		{"greek tonos", "Αποσύνδεση λογαριασμού", "αποσυνδεση λογαριασμου"},
		{"greek dialytika and tonos", "ΐ ϊ Ϊ", "ι"},
		{"greek final sigma", "Λογαριασμός", "λογαριασμοσ"},
		{"russian yo", "Ещё ЁЛКА", "еще елка"},
		{"ukrainian", "Вийти з облікового запису, її", "вийти з облікового запису іі"},
		{"russian short i stays", "Мой аккаунт, ЙОД", "мой аккаунт йод"},
		// Arabic script.
		{"arabic harakat", "تَسْجِيلُ الخُرُوجِ", "تسجيل الخروج"},
		{"arabic tatweel", "الحـــساب", "الحساب"},
		{"arabic alef hamza above", "أمان", "امان"},
		{"arabic alef hamza below", "إلغاء", "الغاء"},
		{"arabic alef madda", "آمن", "امن"},
		{"arabic alef wasla", "ٱلحساب", "الحساب"},
		{"arabic alef maksura", "على", "علي"},
		{"arabic teh marbuta", "كلمة", "كلمه"},
		{"arabic waw hamza", "مؤقت", "موقت"},
		{"arabic yeh hamza", "رئيسي", "رييسي"},
		{"persian yeh and keheh", "کاربری", "كاربري"},
		{"persian zwnj", "می\u200cخواهم", "ميخواهم"},
		{"urdu heh goal and yeh barree", "کیجیے ہے", "كيجيي هي"},
		{"arabic-indic digits", "١٤ يوم ۱۴", "14 يوم"},
		// Hebrew.
		{"hebrew niqqud", "שָׁלוֹם", "שלום"},
		{"hebrew presentation form", "\ufb2aלום", "שלום"},
		// Scripts whose marks are letters: unchanged.
		{"devanagari vowel signs and virama", "लॉग आउट करें हिन्दी", "लॉग आउट करें हिन्दी"},
		{"devanagari nukta dropped", "क़लम नोटिफ़िकेशन", "कलम नोटिफिकेशन"},
		{"devanagari precomposed nukta dropped", "\u0958लम", "कलम"},
		{"devanagari chandrabindu as anusvara", "हटाएँ", "हटाएं"},
		{"gurmukhi nukta dropped", "ਫ਼ੋਨ \u0a5eੋਨ", "ਫੋਨ"},
		{"devanagari digits", "१४ दिन", "14 दिन"},
		{"bengali", "লগ আউট করুন", "লগ আউট করুন"},
		{"tamil", "வெளியேறு கணக்கு", "வெளியேறு கணக்கு"},
		{"telugu", "లాగ్ అవుట్", "లాగ్ అవుట్"},
		{"thai", "ออกจากระบบ บัญชี", "ออกจากระบบ บัญชี"},
		{"korean", "로그아웃 계정", "로그아웃 계정"},
		{"japanese", "ログアウトする", "ログアウトする"},
		{"japanese voicing mark decomposed", "か\u3099", "が"},
		{"chinese", "如何退出帳號？", "如何退出帳號"},
		// Width, ligatures, invisible characters.
		{"fullwidth latin", "ＬＯＧ　ＯＵＴ", "log out"},
		{"halfwidth katakana", "ﾛｸﾞｱｳﾄ", "ログアウト"},
		{"ligature", "ﬁle", "file"},
		{"soft hyphen", "log\u00adout", "logout"},
		{"bidi override", "\u202elog\u202c out", "log out"},
		{"zero width space", "log\u200bout", "logout"},
		{"emoji", "🔒 log out 👋🏽 👨‍👩‍👧", "log out"},
		{"punctuation only", "?!… — «»", ""},
		{"empty", "", ""},
		{"control characters", "log\x00out\x07\tnow", "log out now"},
		{"invalid utf-8", "\xffabc\xfe def\xc3", "abc def"},
		{"fts5 syntax", `"NEAR(a b)" AND -c* ^d col:e`, "near a b and c d col e"},
		{"repeated words", "log out log OUT", "log out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestNormalizeBounds checks that long input is cut, and that whatever
// comes in, what comes out is valid, trimmed and space-separated.
func TestNormalizeBounds(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{"5000 words", strings.Repeat("word", 1250)},
		{"5000 distinct words", distinctWords(5000)},
		{"5000 han", strings.Repeat("退出帳號", 1250)},
		{"one huge word", strings.Repeat("a", 100000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Normalize(tt.in)
			if n := utf8.RuneCountInString(got); n > maxQueryRunes {
				t.Errorf("Normalize returned %d characters, want at most %d", n, maxQueryRunes)
			}
			if n := len(strings.Fields(got)); n > maxQueryTokens {
				t.Errorf("Normalize returned %d words, want at most %d", n, maxQueryTokens)
			}
			if !utf8.ValidString(got) || got != strings.TrimSpace(got) || strings.Contains(got, "  ") {
				t.Errorf("Normalize returned %q", got)
			}
		})
	}
}

func distinctWords(n int) string {
	words := make([]string, n)
	for i := range words {
		words[i] = "w" + strings.Repeat("x", i%7) + string(rune('a'+i%26))
	}
	return strings.Join(words, " ")
}

// TestIndexText checks the tokens stored in the index: words, bigrams of
// the runs of scripts written without spaces, then their single
// characters at the end.
func TestIndexText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"words", "Log out, NOW!", "log out now"},
		{"chinese sentence", "如何退出帳號", "如何 何退 退出 出帳 帳號 如 何 退 出 帳 號"},
		{"one han between latin", "QR碼 code", "qr 碼 code"},
		{"mixed scripts", "掃描QR圖碼", "掃描 qr 圖碼 掃 描 圖 碼"},
		{"punctuation splits runs", "退出。帳號", "退出 帳號 退 出 帳 號"},
		{"japanese kana and kanji", "削除する", "削除 除す する 削 除 す る"},
		{"korean word with particle", "계정을", "계정 정을 계 정 을"},
		{"thai keeps vowels and tone marks", "ที่นี่", "ที ี่ ่น นี ี่ ท ี ่ น ี ่"},
		{"devanagari is a word", "लॉग आउट", "लॉग आउट"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tk tokenizer
			if got := tk.indexText(tt.in); got != tt.want {
				t.Errorf("indexText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestMatchExpression checks that the FTS5 expression is made of quoted
// folded tokens only, whatever the input.
func TestMatchExpression(t *testing.T) {
	tests := []struct {
		name, in, all, any string
	}{
		{"prefix words", "Cerrar sesión", `"cerrar"* AND "sesion"*`, `"cerrar"* OR "sesion"*`},
		{"one letter is not a prefix", "a b", `"a" AND "b"`, `"a" OR "b"`},
		{"han bigram", "退出", `"退出"`, `"退出"`},
		{"han run is a phrase of bigrams", "退出帳號", `"退出 出帳 帳號"`, `"退出" OR "出帳" OR "帳號"`},
		{"one han", "退", `"退"`, `"退"`},
		{"fts5 keywords stay words", `a AND b OR NOT NEAR(c)`, `"a" AND "and"* AND "b" AND "or"* AND "not"* AND "near"* AND "c"`, ""},
		{"quotes and operators are dropped", `"x" -y ^z col:w *`, `"x" AND "y" AND "z" AND "col"* AND "w"`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tk tokenizer
			terms := parseQuery(&tk, tt.in)
			if got := allTerms(terms); got != tt.all {
				t.Errorf("allTerms(%q) = %s, want %s", tt.in, got, tt.all)
			}
			if tt.any == "" {
				return
			}
			if got := oneTerm(anyTerms(terms)); got != tt.any {
				t.Errorf("oneTerm(%q) = %s, want %s", tt.in, got, tt.any)
			}
		})
	}
}

// TestFastPaths checks the range shortcuts of the folder against the
// Unicode tables they stand for, over every assigned code point.
func TestFastPaths(t *testing.T) {
	assigned := func(r rune) bool {
		return !unicode.Is(unicode.Cn, r) && unicode.In(r, categories...)
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !assigned(r) || unicode.Is(unicode.Cs, r) {
			continue
		}
		if got, want := isIgnorable(r), ignorable(r); got != want {
			t.Errorf("isIgnorable(%U) = %v, want %v", r, got, want)
		}
		if got, want := classify(r), classifySlow(r); got != want {
			t.Errorf("classify(%U) = %v, want %v", r, got, want)
		}
		// Shared letters and marks (Common, Inherited) count as the script
		// of their block there; their folding is the same either way.
		if (unicode.IsLetter(r) || unicode.IsMark(r)) && !unicode.In(r, unicode.Common, unicode.Inherited) {
			if got, want := isStripScript(r), unicode.In(r, stripScripts...); got != want {
				t.Errorf("isStripScript(%U) = %v, want %v", r, got, want)
			}
		}
	}
}

var categories = func() []*unicode.RangeTable {
	var out []*unicode.RangeTable
	for _, tab := range unicode.Categories {
		out = append(out, tab)
	}
	return out
}()

// classifySlow is classify by its definition, without shortcuts.
func classifySlow(r rune) kind {
	switch {
	case r == 'ー' || r == '々' || r == '〆' || r == '〇':
		return kindNoSpace
	case unicode.In(r, noSpaceScripts...):
		if unicode.IsLetter(r) || unicode.IsMark(r) {
			return kindNoSpace
		}
		if unicode.IsNumber(r) {
			return kindWord
		}
		return kindSep
	case unicode.IsLetter(r), unicode.IsNumber(r), unicode.IsMark(r), unicode.Is(unicode.Co, r):
		return kindWord
	}
	return kindSep
}
