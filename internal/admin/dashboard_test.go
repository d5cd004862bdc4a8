package admin

import (
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"helpcenter/internal/store"
	"helpcenter/internal/store/sqlite"
)

func TestWilsonLower(t *testing.T) {
	for _, c := range []struct {
		pos, n int
		want   float64
	}{{0, 0, 0}, {2, 2, 0.3424}, {480, 500, 0.9392}, {0, 10, 0}, {5, 10, 0.2366}} {
		if got := wilsonLower(c.pos, c.n); math.Abs(got-c.want) > 0.0005 {
			t.Errorf("wilsonLower(%d, %d) = %.4f, want %.4f", c.pos, c.n, got, c.want)
		}
	}
	if wilsonLower(2, 2) >= wilsonLower(480, 500) {
		t.Error("2 of 2 ranks above 480 of 500")
	}
}

func saveVotes(t *testing.T, db *sqlite.Store, article, locale string, yes, no int, reason, comment string) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, yes+no)
	for i := range yes + no {
		wg.Go(func() {
			v := store.Vote{Reader: fmt.Sprintf("%s-%s-%d", article, locale, i), Article: article, Locale: locale, Helpful: i < yes}
			if !v.Helpful {
				v.Reason, v.Comment = reason, comment
			}
			errs <- db.SaveVote(context.Background(), v)
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestDashboardNumbers(t *testing.T) {
	e := newEnv(t)
	e.clock.t = time.Now() // votes are stamped with the real time
	saveVotes(t, e.db, "big", "en", 480, 20, "unclear", "")
	saveVotes(t, e.db, "tiny", "en", 2, 0, "", "")
	saveVotes(t, e.db, "bad", "ar", 3, 9, "did_not_work", "لم ينجح")
	_, token := e.signIn(t, adminEmail, password)

	res := e.do(t, "GET", "/admin/", token, nil)
	doc, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	var ranking [][]string
	doc.Find("#ranking ~ table tbody tr, section[aria-labelledby=ranking] tbody tr").Each(func(_ int, tr *goquery.Selection) {
		var row []string
		tr.Find("th, td").Each(func(_ int, c *goquery.Selection) { row = append(row, strings.TrimSpace(c.Text())) })
		ranking = append(ranking, row)
	})
	want := [][]string{
		{"big", "English (en)", "480", "20", "96.0", "93.9", "unclear: 20"},
		{"tiny", "English (en)", "2", "0", "100.0", "34.2", ""},
		{"bad", "Arabic (ar)", "3", "9", "25.0", "8.9", "did_not_work: 9"},
	}
	if fmt.Sprint(ranking) != fmt.Sprint(want) {
		t.Errorf("ranking\n got %q\nwant %q", ranking, want)
	}
	attention := doc.Find("section[aria-labelledby=attention] tbody th").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
	if fmt.Sprint(attention) != "[bad big]" {
		t.Errorf("needs attention: %v (tiny has too few votes)", attention)
	}
	// Today's trend point holds every vote; the SVG has a title and desc.
	today := time.Now().UTC().Format(time.DateOnly)
	last := doc.Find("section[aria-labelledby=trend] tbody tr").Last()
	if got := last.Find("th").Text(); got != today {
		t.Errorf("last trend day: %q, want %q", got, today)
	}
	if cells := last.Find("td").Map(func(_ int, s *goquery.Selection) string { return s.Text() }); fmt.Sprint(cells) != "[485 29]" {
		t.Errorf("today's trend point: %v, want [485 29]", cells)
	}
	if doc.Find("svg title").First().Text() == "" || doc.Find("svg desc").Text() == "" {
		t.Error("trend SVG lacks <title> or <desc>")
	}

	// The language filter and the per-article trend.
	res = e.do(t, "GET", "/admin/?"+url.Values{"lang": {"ar"}, "article": {"bad"}}.Encode(), token, nil)
	doc, _ = goquery.NewDocumentFromReader(res.Body)
	if n := doc.Find("section[aria-labelledby=ranking] tbody tr").Length(); n != 1 {
		t.Errorf("filtered by Arabic: %d rows", n)
	}
	if cells := doc.Find("section[aria-labelledby=trend] tbody tr").Last().Find("td").Map(func(_ int, s *goquery.Selection) string { return s.Text() }); fmt.Sprint(cells) != "[3 9]" {
		t.Errorf("trend of bad/ar today: %v", cells)
	}
	if res := e.do(t, "GET", "/admin/?lang=xx", token, nil); res.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown language: %d", res.StatusCode)
	}

	// A changed vote moves its count.
	if err := e.db.SaveVote(context.Background(), store.Vote{Reader: "tiny-en-0", Article: "tiny", Locale: "en", Reason: "policy"}); err != nil {
		t.Fatal(err)
	}
	res = e.do(t, "GET", "/admin/dashboard.csv", token, nil)
	recs, err := csv.NewReader(res.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var tiny []string
	for _, r := range recs {
		if r[0] == "tiny" {
			tiny = r
		}
	}
	if fmt.Sprint(tiny) != "[tiny en 1 1 50.0 9.5 0 0 0 1]" {
		t.Errorf("tiny after a changed vote: %v (header %v)", tiny, recs[0])
	}
}

func TestCommentTriage(t *testing.T) {
	e := newEnv(t)
	e.clock.t = time.Now()
	saveVotes(t, e.db, "bad", "ar", 0, 2, "unclear", "=HYPERLINK(\"http://evil\")")
	_, token := e.signIn(t, agentEmail, password)
	res := e.do(t, "GET", "/admin/comments", token, nil)
	doc, _ := goquery.NewDocumentFromReader(res.Body)
	q := doc.Find("blockquote")
	if q.Length() != 2 || q.AttrOr("lang", "") != "ar" || q.AttrOr("dir", "") != "rtl" {
		t.Fatalf("comments: %d, lang %q dir %q", q.Length(), q.AttrOr("lang", ""), q.AttrOr("dir", ""))
	}
	key := doc.Find("input[name=key]").First().AttrOr("value", "")
	if res := e.do(t, "POST", "/admin/comments", token, url.Values{"key": {key}, "state": {"planned"}, "note": {"rewrite step 2"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("triage: %d", res.StatusCode)
	}
	if res := e.do(t, "POST", "/admin/comments", token, url.Values{"key": {key}, "state": {"bogus"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("bad state: %d", res.StatusCode)
	}
	for state, want := range map[string]int{"planned": 1, "new": 1, "done": 0, "": 2} {
		cs, err := e.db.Comments(context.Background(), state, 10)
		if err != nil || len(cs) != want {
			t.Errorf("state %q: %d comments, want %d (%v)", state, len(cs), want, err)
		}
	}
	res = e.do(t, "GET", "/admin/comments.csv?state=planned", token, nil)
	recs, err := csv.NewReader(res.Body).ReadAll()
	if err != nil || len(recs) != 2 || recs[1][4] != "'=HYPERLINK(\"http://evil\")" || recs[1][6] != "rewrite step 2" {
		t.Errorf("CSV: %q %v", recs, err)
	}
	log, _ := e.db.AuditLog(context.Background(), 1)
	if len(log) != 1 || log[0].Actor != agentEmail || log[0].Action != "triage_comment" {
		t.Errorf("audit: %+v", log)
	}
}

func TestDefuse(t *testing.T) {
	for in, want := range map[string]string{"=1+1": "'=1+1", "+1": "'+1", "-2": "'-2", "@SUM": "'@SUM", "plain": "plain", "": ""} {
		if got := defuse(in); got != want {
			t.Errorf("defuse(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDashboardCategory(t *testing.T) {
	e := newEnv(t)
	e.clock.t = time.Now()
	cat := libraryCat.Categories[0]
	in, out := cat.Articles[0].Slug, ""
	for _, a := range libraryCat.Articles {
		if a.Category != cat.Slug {
			out = a.Slug
			break
		}
	}
	saveVotes(t, e.db, in, "en", 4, 1, "unclear", "")
	if len(cat.Articles) > 1 {
		saveVotes(t, e.db, cat.Articles[1].Slug, "en", 1, 1, "unclear", "")
	}
	saveVotes(t, e.db, out, "en", 7, 0, "", "")
	_, token := e.signIn(t, agentEmail, password)
	doc := page(t, e.do(t, "GET", "/admin/?category="+cat.Slug, token, nil))
	for _, a := range doc.Find("section[aria-labelledby=ranking] tbody th").Map(func(_ int, s *goquery.Selection) string { return s.Text() }) {
		if art, _ := libraryCat.Article(a); art == nil || art.Category != cat.Slug {
			t.Errorf("article %s outside category %s", a, cat.Slug)
		}
	}
	if doc.Find("#category option[selected]").AttrOr("value", "") != cat.Slug {
		t.Error("category not selected in the filter")
	}
	want := "[5 1]"
	if len(cat.Articles) > 1 {
		want = "[5 2]"
	}
	if cells := doc.Find("section[aria-labelledby=trend] tbody tr").Last().Find("td").Map(func(_ int, s *goquery.Selection) string { return s.Text() }); fmt.Sprint(cells) != want {
		t.Errorf("category trend today: %v, want %v", cells, want)
	}
	if res := e.do(t, "GET", "/admin/?category=nope", token, nil); res.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown category: %d", res.StatusCode)
	}
	recs, _ := csv.NewReader(e.do(t, "GET", "/admin/dashboard.csv?category="+cat.Slug, token, nil).Body).ReadAll()
	for _, r := range recs[1:] {
		if r[0] == out {
			t.Errorf("CSV has %s, outside the category", out)
		}
	}
}
