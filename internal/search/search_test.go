package search

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"
)

// relevance rows: a reader's query in a locale and the article that must be
// among the first `top` hits. Queries are typed the way readers type them:
// without accents, in capitals, with synonyms from the keywords, as a
// sentence without spaces. Locales that only have the three guides need
// the article first, or the row would prove nothing.
var relevance = []struct {
	locale, query, slug string
	top                 int // 0 means 3
}{
	// Latin.
	{"en", "how do I log out", "log-out", 1},
	{"en", "sign out", "log-out", 1},
	{"en", "2FA", "two-step-verification", 1},
	{"en", "download my data", "request-account-info", 0},
	{"en", "QR code", "linked-devices", 0},
	{"en", "scam", "avoid-scams", 0},
	{"en", "restore chats", "backup-restore", 0},
	{"es", "cerrar sesion", "log-out", 1},
	{"es", "CERRAR SESIÓN", "log-out", 1},
	{"es", "borrar mi cuenta", "delete-account", 0},
	{"es", "copia de seguridad", "backup-restore", 0},
	{"es", "no me llegan notificaciones", "fix-notifications", 0},
	{"fr", "verification en deux etapes", "two-step-verification", 1},
	{"fr", "se deconnecter", "log-out", 0},
	{"fr", "arnaque", "avoid-scams", 0},
	{"de", "konto loschen", "delete-account", 1},
	{"de", "abmelden", "log-out", 0},
	{"de", "Chat exportieren", "export-chat-history", 0},
	{"de", "telefonnummer andern", "change-phone-number", 0},
	{"pt-BR", "sair da conta", "log-out", 0},
	{"pt-BR", "golpe", "avoid-scams", 0},
	{"pt-BR", "verificacao em duas etapas", "two-step-verification", 0},
	{"id", "keluar akun", "log-out", 0},
	{"id", "hapus akun", "delete-account", 0},
	{"id", "notifikasi tidak muncul", "fix-notifications", 0},
	{"vi", "dang xuat", "log-out", 1},
	{"vi", "Đăng xuất", "log-out", 1},
	{"vi", "cham soc khach hang", "contact-support", 1},
	{"tr", "cikis yap", "log-out", 1},
	{"tr", "HESAP BİLGİLERİNİZİ İSTEYİN", "request-account-info", 1},
	{"tr", "musteri hizmetleri", "contact-support", 1},
	{"pl", "wyloguj sie", "log-out", 1},
	{"cs", "odhlaseni", "log-out", 1},
	{"ro", "deconectare", "log-out", 1},
	{"hu", "kijelentkezes", "log-out", 1},
	{"nl", "uitloggen", "log-out", 1},
	{"it", "servizio clienti", "contact-support", 1},
	{"sv", "logga ut", "log-out", 1},
	{"fi", "kirjaudu ulos", "log-out", 1},
	// Cyrillic.
	{"ru", "выйти из аккаунта", "log-out", 0},
	{"ru", "удалить аккаунт", "delete-account", 0},
	{"ru", "резервная копия", "backup-restore", 0},
	{"ru", "черный список", "block-and-report", 0},
	{"uk", "вийти з облікового запису", "log-out", 1},
	{"bg", "изход", "log-out", 1},
	{"kk", "шығу", "log-out", 1},
	// Greek.
	{"el", "αποσυνδεση", "log-out", 1},
	{"el", "ΕΞΥΠΗΡΕΤΗΣΗ ΠΕΛΑΤΩΝ", "contact-support", 1},
	// Arabic script.
	{"ar", "تسجيل الخروج", "log-out", 1},
	{"ar", "تَسْجِيل الخُرُوج", "log-out", 1},
	{"ar", "حذف الحساب", "delete-account", 0},
	{"ar", "نسخ احتياطي", "backup-restore", 0},
	{"ar", "اعدادات الخصوصيه", "privacy-settings", 0},
	{"fa", "خروج از حساب", "log-out", 1},
	{"fa", "شكايت", "contact-support", 1},
	{"ur", "لاگ آؤٹ", "log-out", 1},
	// Hebrew.
	{"he", "התנתקות", "log-out", 1},
	{"he", "שירות לקוחות", "contact-support", 1},
	// Devanagari and other Indic scripts.
	{"hi", "लॉग आउट", "log-out", 1},
	{"hi", "अकाउंट डिलीट", "delete-account", 0},
	{"hi", "नोटिफिकेशन नहीं आ रहे", "fix-notifications", 0},
	{"hi", "बैकअप", "backup-restore", 0},
	{"mr", "लॉग आउट", "log-out", 1},
	{"bn", "লগ আউট", "log-out", 1},
	{"gu", "લૉગ આઉટ", "log-out", 1},
	{"kn", "ಲಾಗ್ ಔಟ್", "log-out", 1},
	{"ta", "வெளியேறு", "log-out", 1},
	{"te", "లాగ్ అవుట్", "log-out", 1},
	{"ml", "ലോഗ് ഔട്ട്", "log-out", 1},
	{"pa", "ਲੌਗ ਆਊਟ", "log-out", 1},
	{"pa", "ਗਾਹਕ ਸੇਵਾ", "contact-support", 1},
	// Thai.
	{"th", "ออกจากระบบ", "log-out", 1},
	{"th", "ขอข้อมูล", "request-account-info", 1},
	{"th", "ฝ่ายบริการลูกค้า", "contact-support", 1},
	// Korean.
	{"ko", "로그아웃", "log-out", 1},
	{"ko", "로그", "log-out", 1},
	{"ko", "상담원 연결", "contact-support", 1},
	{"ko", "계정 정보", "request-account-info", 1},
	// Han, Traditional.
	{"zh-TW", "退出", "log-out", 0},
	{"zh-TW", "登出", "log-out", 1},
	{"zh-TW", "刪除帳號", "delete-account", 1},
	{"zh-TW", "如何退出帳號", "log-out", 0},
	{"zh-TW", "備份", "backup-restore", 0},
	{"zh-TW", "QR code", "linked-devices", 0},
	// Han, Simplified.
	{"zh-CN", "退出登录", "log-out", 1},
	{"zh-CN", "备份", "backup-restore", 0},
	{"zh-CN", "拉黑", "block-and-report", 1},
	{"zh-CN", "客服", "contact-support", 0},
	// Japanese.
	{"ja", "ログアウト", "log-out", 1},
	{"ja", "退会", "delete-account", 1},
	{"ja", "機種変更", "backup-restore", 0},
	{"ja", "詐欺", "avoid-scams", 1},
	{"ja", "ﾛｸﾞｱｳﾄ", "log-out", 1},
}

// TestRelevance runs the relevance rows over the real library.
func TestRelevance(t *testing.T) {
	ix := libraryIndex(t)
	docs := library(t)
	have := map[string]bool{}
	for _, d := range docs {
		have[d.Locale+"/"+d.Slug] = true
	}
	locales, scripts := map[string]bool{}, map[string]bool{}
	for _, row := range relevance {
		top := row.top
		if top == 0 {
			top = 3
		}
		t.Run(row.locale+"/"+row.query, func(t *testing.T) {
			if !have[row.locale+"/"+row.slug] {
				t.Fatalf("%s/%s.md is not in the library: fix the row", row.slug, row.locale)
			}
			hits, total, err := ix.Search(context.Background(), Query{Locale: row.locale, Text: row.query})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range hits {
				got = append(got, h.Slug)
			}
			if i := slices.Index(got, row.slug); i < 0 || i >= top {
				t.Errorf("%s %q: %s is not in the top %d of %d: %v", row.locale, row.query, row.slug, top, total, got)
			}
		})
		locales[row.locale] = true
		scripts[scriptOf(row.query)] = true
	}
	if len(relevance) < 40 || len(locales) < 15 {
		t.Errorf("relevance has %d rows in %d locales, want at least 40 in 15", len(relevance), len(locales))
	}
	for _, s := range []string{"Latin", "Cyrillic", "Greek", "Arabic", "Hebrew", "Devanagari", "Bengali", "Tamil", "Thai", "Han", "Katakana", "Hangul"} {
		if !scripts[s] {
			t.Errorf("relevance has no query in %s", s)
		}
	}
	t.Logf("%d rows, %d locales, scripts %v", len(relevance), len(locales), slices.Sorted(func(yield func(string) bool) {
		for s := range scripts {
			if !yield(s) {
				return
			}
		}
	}))
}

// scriptOf names the script of the first letter of s.
func scriptOf(s string) string {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			continue
		}
		for name, tab := range unicode.Scripts {
			if name != "Common" && name != "Inherited" && unicode.Is(tab, r) {
				return name
			}
		}
	}
	return ""
}

// hostile are inputs a search box receives from readers and from bots.
var hostile = []string{
	"", " ", "\t\n", `"`, `""`, `"log out`, `log" out`, `(log out`, `log out)`, `((((`,
	`NEAR(log out)`, `NEAR(`, `NEAR(log, 0)`, `log*`, `*`, `**`, `^log`, `^`, `title:log`,
	`body:"out"`, `{title keywords}: log`, `-log`, `- -`, `log AND`, `AND`, `OR`, `NOT`,
	`AND OR NOT NEAR`, `log NOT out`, `log + out`, `'; DROP TABLE t0; --`, `" OR 1=1 --`,
	"🔒🔑👋🏽", "👨‍👩‍👧 log out 🏳️‍🌈", "log\x00out", "\x00", "\x01\x02\x1b[31mred\x7f",
	"\u202elog out\u202c", "\u2066x\u2069", "\u200f\u200e", "\ufeffbom",
	strings.Repeat("log out ", 625), strings.Repeat("a", 5000), strings.Repeat("退出帳號", 1250),
	"\xff\xfe\xfd", "log\xc3out", "\xed\xa0\x80", "\xc0\xaf", "?!.,;:'\"()[]{}<>",
	"<script>alert(1)</script>", "<mark>log</mark> out", "&lt;script&gt;", "</mark><script>",
	"\u0301\u0301\u0301", "l̴̢̛o̷g̸ ̵o̶u̸t̷", "%s %d %%", `\`, `\"`, "1e999", "-1", "0x00",
	"ﷺ ﷽", "𝕃𝕠𝕘 𝕠𝕦𝕥", "Ⅻ ⑫ ½", "\U0010FFFF", "\uFFFD\uFFFD",
}

// TestHostileInput searches every hostile input in locales of several
// scripts: never an error, never a panic, never raw markup in a snippet.
func TestHostileInput(t *testing.T) {
	ix := libraryIndex(t)
	inputs := append(slices.Clone(hostile), randomText(rand.New(rand.NewPCG(1, 2)), 5000))
	for _, locale := range []string{"en", "zh-TW", "ar", "hi", "ja", "xx", ""} {
		for i, in := range inputs {
			t.Run(fmt.Sprintf("%s/%d", locale, i), func(t *testing.T) {
				q := Query{Locale: locale, Text: in, Limit: 5}
				hits, total, err := ix.Search(context.Background(), q)
				if err != nil {
					t.Fatalf("Search(%q) error: %v", in, err)
				}
				if total < len(hits) || len(hits) > 5 {
					t.Errorf("Search(%q): %d hits of %d", in, len(hits), total)
				}
				for _, h := range hits {
					checkSafe(t, h.Snippet)
				}
				_ = Normalize(in)
			})
		}
	}
}

// TestScriptInQueryIsEscaped looks for a query that finds articles and
// carries markup: the markup must never come back raw.
func TestScriptInQueryIsEscaped(t *testing.T) {
	ix := libraryIndex(t)
	hits, _, err := ix.Search(context.Background(), Query{Locale: "en", Text: `<script>alert("log out")</script>`})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) == 0 {
		t.Fatal("no hits for a query with words of the library")
	}
	for _, h := range hits {
		checkSafe(t, h.Snippet)
		if strings.Contains(h.Snippet, "<script") {
			t.Errorf("snippet has raw <script>: %q", h.Snippet)
		}
	}
}

// FuzzSearch checks the hostile-input properties on any input.
func FuzzSearch(f *testing.F) {
	for _, in := range hostile {
		f.Add(in)
	}
	ix := libraryIndex(f)
	f.Fuzz(func(t *testing.T, in string) {
		for _, locale := range []string{"en", "zh-TW"} {
			hits, total, err := ix.Search(context.Background(), Query{Locale: locale, Text: in})
			if err != nil {
				t.Fatalf("Search(%q): %v", in, err)
			}
			if total < len(hits) {
				t.Fatalf("Search(%q): %d hits of %d", in, len(hits), total)
			}
			for _, h := range hits {
				checkSafe(t, h.Snippet)
			}
		}
	})
}

// randomText returns n characters drawn from many scripts, symbols and
// controls.
func randomText(rng *rand.Rand, n int) string {
	ranges := [][2]rune{{0, 0x7f}, {0xa0, 0x24f}, {0x300, 0x36f}, {0x370, 0x3ff}, {0x400, 0x4ff}, {0x590, 0x5ff},
		{0x600, 0x6ff}, {0x900, 0x97f}, {0xe00, 0xe7f}, {0x2000, 0x206f}, {0x3040, 0x30ff}, {0x4e00, 0x4fff},
		{0xac00, 0xad00}, {0xfe00, 0xfe0f}, {0x1f300, 0x1f6ff}}
	var b strings.Builder
	for range n {
		r := ranges[rng.IntN(len(ranges))]
		b.WriteRune(r[0] + rng.Int32N(r[1]-r[0]+1))
	}
	return b.String()
}

// TestSearch covers paging, exclusion, the any-term fallback and the
// shape of hits.
func TestSearch(t *testing.T) {
	ix := libraryIndex(t)
	ctx := context.Background()
	all, total, err := ix.Search(ctx, Query{Locale: "en", Text: "phone", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if total < 5 || total != len(all) {
		t.Fatalf("en phone: %d hits of %d, want at least 5", len(all), total)
	}

	t.Run("hits are ranked and complete", func(t *testing.T) {
		for i, h := range all {
			if h.Locale != "en" || h.Slug == "" || h.Title == "" || h.Snippet == "" {
				t.Errorf("hit %d is incomplete: %+v", i, h)
			}
			if i > 0 && h.Score < all[i-1].Score {
				t.Errorf("hit %d scores %v, better than hit %d (%v)", i, h.Score, i-1, all[i-1].Score)
			}
		}
	})
	t.Run("pages", func(t *testing.T) {
		var paged []Hit
		for offset := 0; offset < total; offset += 2 {
			hits, n, err := ix.Search(ctx, Query{Locale: "en", Text: "phone", Limit: 2, Offset: offset})
			if err != nil {
				t.Fatal(err)
			}
			if n != total {
				t.Errorf("offset %d: total %d, want %d", offset, n, total)
			}
			paged = append(paged, hits...)
		}
		if !reflect.DeepEqual(paged, all) {
			t.Errorf("pages differ from one page: %v", slugs(paged))
		}
	})
	t.Run("past the last page", func(t *testing.T) {
		hits, n, err := ix.Search(ctx, Query{Locale: "en", Text: "phone", Offset: total + 10})
		if err != nil || len(hits) != 0 || n != total {
			t.Errorf("got %d hits of %d, %v; want 0 of %d", len(hits), n, err, total)
		}
	})
	t.Run("default and negative bounds", func(t *testing.T) {
		hits, _, err := ix.Search(ctx, Query{Locale: "en", Text: "the", Limit: -1, Offset: -5})
		if err != nil || len(hits) != min(defaultLimit, len(hits)) || len(hits) == 0 {
			t.Errorf("got %d hits, %v", len(hits), err)
		}
		if len(hits) > defaultLimit {
			t.Errorf("got %d hits, want at most %d", len(hits), defaultLimit)
		}
	})
	t.Run("exclude", func(t *testing.T) {
		ex := []string{all[0].Slug, all[2].Slug, "no-such-article"}
		hits, n, err := ix.Search(ctx, Query{Locale: "en", Text: "phone", Limit: 100, Exclude: ex})
		if err != nil {
			t.Fatal(err)
		}
		want := slices.DeleteFunc(slices.Clone(all), func(h Hit) bool { return slices.Contains(ex, h.Slug) })
		if n != total-2 || !reflect.DeepEqual(slugs(hits), slugs(want)) {
			t.Errorf("got %v (%d), want %v (%d)", slugs(hits), n, slugs(want), total-2)
		}
	})
	t.Run("any term when all terms find nothing", func(t *testing.T) {
		hits, _, err := ix.Search(ctx, Query{Locale: "en", Text: "log out xyzzyqq"})
		if err != nil || len(hits) == 0 || hits[0].Slug != "log-out" {
			t.Errorf("got %v, %v; want log-out first", slugs(hits), err)
		}
	})
	t.Run("locale code in any case", func(t *testing.T) {
		hits, _, err := ix.Search(ctx, Query{Locale: "ZH-tw", Text: "登出"})
		if err != nil || len(hits) == 0 || hits[0].Locale != "zh-TW" {
			t.Errorf("got %+v, %v", hits, err)
		}
	})
	t.Run("nothing to search", func(t *testing.T) {
		for _, q := range []Query{{Locale: "en"}, {Locale: "en", Text: "?!"}, {Locale: "xx", Text: "log out"}} {
			hits, n, err := ix.Search(ctx, q)
			if err != nil || len(hits) != 0 || n != 0 {
				t.Errorf("Search(%+v) = %d hits of %d, %v; want none", q, len(hits), n, err)
			}
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, _, err := ix.Search(ctx, Query{Locale: "en", Text: "phone"}); !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
}

func slugs(hits []Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Slug)
	}
	return out
}

func TestBuild(t *testing.T) {
	ok := Doc{Locale: "en", Slug: "a", Title: "A", Body: "text"}
	tests := []struct {
		name    string
		docs    []Doc
		wantErr bool
	}{
		{"no docs", nil, false},
		{"one doc", []Doc{ok}, false},
		{"no locale", []Doc{{Slug: "a"}}, true},
		{"no slug", []Doc{{Locale: "en"}}, true},
		{"twice", []Doc{ok, ok}, true},
		{"twice in locales that differ by case", []Doc{ok, {Locale: "EN", Slug: "a"}}, true},
		{"same slug in two locales", []Doc{ok, {Locale: "fr", Slug: "a", Title: "A", Body: "texte"}}, false},
		{"invalid utf-8 and empty fields", []Doc{{Locale: "en", Slug: "x", Title: "\xff", Body: "\xfe\xfd", Keywords: []string{"", "\x00"}}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix, err := Build(tt.docs)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Build error = %v, want error %v", err, tt.wantErr)
			}
			if err != nil {
				if !strings.HasPrefix(err.Error(), "search: ") {
					t.Errorf("error %q lacks the package prefix", err)
				}
				return
			}
			defer ix.Close()
			if _, _, err := ix.Search(context.Background(), Query{Locale: "en", Text: "text"}); err != nil {
				t.Errorf("Search: %v", err)
			}
		})
	}
}

// TestIndexesAreSeparate builds two indexes at once: each memdb database
// has its own name, so neither sees the other's documents.
func TestIndexesAreSeparate(t *testing.T) {
	a, err := Build([]Doc{{Locale: "en", Slug: "apple", Title: "Apple", Body: "fruit"}})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Build([]Doc{{Locale: "en", Slug: "banana", Title: "Banana", Body: "fruit"}})
	if err != nil {
		t.Fatal(err)
	}
	hits, _, err := a.Search(context.Background(), Query{Locale: "en", Text: "fruit"})
	if err != nil || !reflect.DeepEqual(slugs(hits), []string{"apple"}) {
		t.Errorf("index a found %v, %v", slugs(hits), err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.Search(context.Background(), Query{Locale: "en", Text: "fruit"}); err == nil {
		t.Error("Search on a closed index: no error")
	}
	if hits, _, err := a.Search(context.Background(), Query{Locale: "en", Text: "fruit"}); err != nil || len(hits) != 1 {
		t.Errorf("index a after closing b: %v, %v", slugs(hits), err)
	}
}

// TestConcurrentSearch searches from many goroutines at once and checks
// that every answer is the one a lone search gives (run it with -race).
func TestConcurrentSearch(t *testing.T) {
	ix := libraryIndex(t)
	ctx := context.Background()
	var queries []Query
	for _, row := range relevance {
		queries = append(queries, Query{Locale: row.locale, Text: row.query})
	}
	queries = append(queries, Query{Locale: "en", Text: "phone", Limit: 2, Offset: 2, Exclude: []string{"log-out"}})
	type answer struct {
		hits  []Hit
		total int
	}
	want := make([]answer, len(queries))
	for i, q := range queries {
		hits, total, err := ix.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = answer{hits, total}
	}
	const goroutines, rounds = 32, 20
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(g), 7))
			for range rounds {
				i := rng.IntN(len(queries))
				hits, total, err := ix.Search(ctx, queries[i])
				if err != nil {
					t.Error(err)
					return
				}
				if !reflect.DeepEqual(answer{hits, total}, want[i]) {
					t.Errorf("goroutine %d: %+v gave %v (%d), want %v (%d)", g, queries[i], slugs(hits), total, slugs(want[i].hits), want[i].total)
				}
			}
		})
	}
	wg.Wait()
}
