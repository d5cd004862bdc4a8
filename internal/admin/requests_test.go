package admin

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/PuerkitoBio/goquery"

	"helpcenter/internal/contact"
	"helpcenter/internal/i18n"
	"helpcenter/internal/store"
	"helpcenter/internal/store/sqlite"
	"helpcenter/locales"
)

const baseURL = "https://help.example.com"

var (
	bundleOnce sync.Once
	bundleVal  *i18n.Bundle
	bundleErr  error
)

// testBundle is the real message bundle. While the translations of new
// messages are still on their way, a locale file missing some is given
// the English text of those, so the bundle loads; nothing else changes.
func testBundle(t *testing.T) *i18n.Bundle {
	t.Helper()
	bundleOnce.Do(func() {
		log := slog.New(slog.DiscardHandler)
		if bundleVal, bundleErr = i18n.Load(locales.FS, log); bundleErr == nil {
			return
		}
		var le *i18n.LoadError
		if !errors.As(bundleErr, &le) {
			return
		}
		en, err := fs.ReadFile(locales.FS, "en.toml")
		if err != nil {
			bundleErr = err
			return
		}
		line := map[string]string{}
		sc := bufio.NewScanner(bytes.NewReader(en))
		for sc.Scan() {
			if id, _, ok := strings.Cut(sc.Text(), " = "); ok && strings.HasPrefix(id, `"`) {
				line[strings.Trim(id, `"`)] = sc.Text()
			}
		}
		// An English plural has one and other; a copy serves every
		// locale's plural rules with all six CLDR forms.
		plural := regexp.MustCompile(`^("[^"]+") = \{ one = (".*"), other = (".*") \}$`)
		for id, l := range line {
			if m := plural.FindStringSubmatch(l); m != nil {
				line[id] = fmt.Sprintf("%s = { zero = %s, one = %s, two = %s, few = %s, many = %s, other = %s }", m[1], m[3], m[2], m[3], m[3], m[3], m[3])
			}
		}
		missing := regexp.MustCompile(`^missing message "([^"]+)"$`)
		add := map[string][]string{}
		for _, p := range le.Problems {
			m := missing.FindStringSubmatch(p.Message)
			if m == nil || line[m[1]] == "" {
				return // another problem: report the original error
			}
			add[p.File] = append(add[p.File], line[m[1]])
		}
		mfs := fstest.MapFS{}
		err = fs.WalkDir(locales.FS, ".", func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := fs.ReadFile(locales.FS, path)
			if extra := add[path]; len(extra) > 0 {
				data = append([]byte(strings.Join(extra, "\n")+"\n"), data...)
			}
			mfs[path] = &fstest.MapFile{Data: data}
			return err
		})
		if err != nil {
			bundleErr = err
			return
		}
		bundleVal, bundleErr = i18n.Load(mfs, log)
	})
	if bundleErr != nil {
		t.Fatal(bundleErr)
	}
	return bundleVal
}

func withMail(t *testing.T, enabled bool) func(*Handler) {
	b := testBundle(t)
	return func(h *Handler) { h.WithMail(func() *i18n.Bundle { return b }, baseURL, enabled) }
}

var fingerprints struct {
	sync.Mutex
	n int
}

// newRequest stores a request as the contact form would and returns it
// with its status-link token.
func newRequest(t testing.TB, db *sqlite.Store, nr store.NewRequest) (store.ContactRequest, string) {
	t.Helper()
	fingerprints.Lock()
	fingerprints.n++
	n := fingerprints.n
	fingerprints.Unlock()
	token, hash := contact.NewToken()
	nr.TokenHash, nr.Fingerprint = hash, fmt.Sprint("fp-", n)
	if nr.Code == "" {
		nr.Code = contact.NewCode()
	}
	if nr.Kind == "" {
		nr.Kind = "technical"
	}
	if nr.Device == "" {
		nr.Device = "android"
	}
	if nr.Locale == "" {
		nr.Locale = "en"
	}
	r, _, err := db.CreateRequest(context.Background(), nr)
	if err != nil {
		t.Fatal(err)
	}
	return r, token
}

func codes(doc *goquery.Document) []string {
	return doc.Find("table.requests tbody th").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
}

func TestInboxFilters(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a, _ := newRequest(t, e.db, store.NewRequest{Code: "HC-AAAA-AAAA-AAAA", Description: "The app closes when I open a chat with Bluetooth on"})
	b, _ := newRequest(t, e.db, store.NewRequest{Code: "HC-BBBB-BBBB-BBBB", Locale: "ar", Kind: "account", Device: "iphone",
		Description: "لا أستطيع تسجيل الدخول إلى حسابي"})
	c, _ := newRequest(t, e.db, store.NewRequest{Code: "HC-CCCC-CCCC-CCCC", Kind: "payments", Device: "web", Description: "charged twice 100%_done"})
	if err := e.db.AssignRequest(ctx, b.ID, agentEmail); err != nil {
		t.Fatal(err)
	}
	if err := e.db.SetRequestState(ctx, c.ID, store.StateClosed); err != nil {
		t.Fatal(err)
	}
	_, agent := e.signIn(t, agentEmail, password)
	today := time.Now().UTC().Format(time.DateOnly)
	tomorrow := time.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly)
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"", []string{c.Code, b.Code, a.Code}},
		{"state=open", []string{b.Code, a.Code}},
		{"state=closed", []string{c.Code}},
		{"kind=account", []string{b.Code}},
		{"lang=ar", []string{b.Code}},
		{"lang=AR", []string{b.Code}},
		{"device=web", []string{c.Code}},
		{"assigned=-", []string{c.Code, a.Code}},
		{"assigned=me", []string{b.Code}},
		{"assigned=" + url.QueryEscape(agentEmail), []string{b.Code}},
		{"assigned=" + url.QueryEscape(adminEmail), nil},
		{"from=" + today + "&to=" + today, []string{c.Code, b.Code, a.Code}},
		{"from=" + tomorrow, nil},
		{"to=" + time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly), nil},
		{"q=bluetooth", []string{a.Code}},
		{"q=" + url.QueryEscape("تسجيل الدخول"), []string{b.Code}},
		{"q=hc-cccc-cccc-cccc", []string{c.Code}},
		{"q=100%25_", []string{c.Code}},
		{"q=%25", []string{c.Code}},
		{"q=nothing+like+this", nil},
		{"state=open&kind=technical&device=android&lang=en&q=chat", []string{a.Code}},
	} {
		t.Run(tc.query, func(t *testing.T) {
			doc := page(t, e.do(t, "GET", "/admin/requests?"+tc.query, agent, nil))
			if got := codes(doc); fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	// The counts per state follow the other filters.
	doc := page(t, e.do(t, "GET", "/admin/requests?lang=en", agent, nil))
	counts := doc.Find(".state-counts a").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
	if fmt.Sprint(counts) != "[open: 1 answered: 0 closed: 1]" {
		t.Errorf("counts: %v", counts)
	}
	if got := strings.Join(strings.Fields(doc.Find("#requests-count").Text()), " "); got != "Requests 1–2 of 2, newest first." {
		t.Errorf("count line: %q", got)
	}
	doc = page(t, e.do(t, "GET", "/admin/requests?lang=en&state=closed", agent, nil))
	if cur := doc.Find(`.state-counts a[aria-current="page"]`); cur.Length() != 1 || cur.Text() != "closed: 1" {
		t.Errorf("current state link: %d %q", cur.Length(), cur.Text())
	}
	// Input echoed into the page stays text.
	evil := `"><script>alert(1)</script>`
	doc = page(t, e.do(t, "GET", "/admin/requests?q="+url.QueryEscape(evil), agent, nil))
	if doc.Find("script").Length() != 0 || doc.Find("#q").AttrOr("value", "") != evil {
		t.Errorf("search box: %d scripts, value %q", doc.Find("script").Length(), doc.Find("#q").AttrOr("value", ""))
	}
	// Reader text keeps its language and direction.
	doc = page(t, e.do(t, "GET", "/admin/requests?lang=ar", agent, nil))
	if td := doc.Find("table.requests tbody td[lang=ar]"); td.AttrOr("dir", "") != "rtl" || !strings.Contains(td.Text(), "حسابي") {
		t.Errorf("Arabic excerpt: %q dir %q", td.Text(), td.AttrOr("dir", ""))
	}
	for _, q := range []string{"state=bogus", "kind=x", "device=x", "lang=xx", "assigned=nobody@example.com", "from=2026-13-01",
		"to=yesterday", "page=0", "page=x", "page=100000", "q=" + strings.Repeat("x", 201)} {
		if res := e.do(t, "GET", "/admin/requests?"+q, agent, nil); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d", q, res.StatusCode)
		}
	}
}

func TestInboxPagesAndCSV(t *testing.T) {
	e := newEnv(t)
	var all []string
	for i := range 52 {
		desc := fmt.Sprintf("request number %d", i)
		if i == 0 {
			desc = `=HYPERLINK("http://evil.example","click")`
		}
		r, _ := newRequest(t, e.db, store.NewRequest{Description: desc})
		all = append([]string{r.Code}, all...)
	}
	_, token := e.signIn(t, adminEmail, password)
	doc := page(t, e.do(t, "GET", "/admin/requests", token, nil))
	if got := codes(doc); len(got) != 50 || fmt.Sprint(got) != fmt.Sprint(all[:50]) {
		t.Fatalf("page 1: %d rows", len(got))
	}
	next := doc.Find(".pager a[rel=next]").AttrOr("href", "")
	if next != "/admin/requests?page=2" || doc.Find(".pager a[rel=prev]").Length() != 0 {
		t.Fatalf("pager: next %q", next)
	}
	doc = page(t, e.do(t, "GET", next, token, nil))
	if got := codes(doc); fmt.Sprint(got) != fmt.Sprint(all[50:]) || doc.Find(".pager a[rel=next]").Length() != 0 {
		t.Errorf("page 2: %v", got)
	}
	if prev := doc.Find(".pager a[rel=prev]").AttrOr("href", ""); prev != "/admin/requests" {
		t.Errorf("prev: %q", prev)
	}
	// A text search is counted past its first page, and shows no counts
	// per state.
	doc = page(t, e.do(t, "GET", "/admin/requests?q=request+number", token, nil))
	if got := strings.Join(strings.Fields(doc.Find("#requests-count").Text()), " "); got != "Requests 1–50 of 51, newest first." || doc.Find(".state-counts").Length() != 0 {
		t.Errorf("search count line: %q", got)
	}
	doc = page(t, e.do(t, "GET", "/admin/requests?q=request+number&page=2", token, nil))
	if got := strings.Join(strings.Fields(doc.Find("#requests-count").Text()), " "); got != "Requests 51–51 of 51, newest first." {
		t.Errorf("search page 2 count line: %q", got)
	}
	if doc := page(t, e.do(t, "GET", "/admin/requests?page=9", token, nil)); len(codes(doc)) != 0 {
		t.Error("page past the end shows rows")
	}

	res := e.do(t, "GET", "/admin/requests.csv?q=HYPERLINK", token, nil)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("CSV type %q", ct)
	}
	recs, err := csv.NewReader(res.Body).ReadAll()
	if err != nil || len(recs) != 2 || recs[0][0] != "code" {
		t.Fatalf("CSV: %q %v", recs, err)
	}
	if got := recs[1][len(recs[1])-1]; got != `'=HYPERLINK("http://evil.example","click")` {
		t.Errorf("CSV cell not defused: %q", got)
	}
	recs, _ = csv.NewReader(e.do(t, "GET", "/admin/requests.csv", token, nil).Body).ReadAll()
	if len(recs) != 53 {
		t.Errorf("full CSV: %d rows, want 53", len(recs))
	}
}

// postMultipart posts fields as the request page's forms do.
func (e *env) postMultipart(t *testing.T, path, token string, fields map[string]string) *http.Response {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	w.Close()
	req, _ := http.NewRequest("POST", e.url+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: CookieName, Value: token})
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

var pngBytes = []byte("\x89PNG\r\n\x1a\n fake but stored as is")

func TestRequestPageAndThread(t *testing.T) {
	e := newEnv(t, withMail(t, true))
	ctx := context.Background()
	shot := store.Screenshot{SHA256: []byte("h"), Type: "image/png", Size: len(pngBytes), Width: 1080, Height: 2400, Data: pngBytes}
	r, token := newRequest(t, e.db, store.NewRequest{Locale: "ar", Article: "log-out", Email: "reader@example.com",
		Description: "سطر أول\n  سطر ثانٍ <script>alert(1)</script>", Screenshots: []store.Screenshot{shot}})
	_, agent := e.signIn(t, agentEmail, password)
	href := fmt.Sprintf("/admin/requests/%d", r.ID)

	// A note, through the form: in the thread for staff, never for the reader.
	if res := e.postMultipart(t, href+"/note", agent, map[string]string{"body": "customer called twice"}); res.StatusCode != http.StatusSeeOther ||
		res.Header.Get("Location") != href+"?done=note" {
		t.Fatalf("note: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	doc := page(t, e.do(t, "GET", href+"?done=note", agent, nil))
	if doc.Find("#code").Text() != r.Code || doc.Find("#notice").Text() != notices["note"] {
		t.Errorf("code %q, notice %q", doc.Find("#code").Text(), doc.Find("#notice").Text())
	}
	if a := doc.Find("#article").AttrOr("href", ""); a != "/ar/articles/log-out" {
		t.Errorf("article link %q", a)
	}
	if doc.Find("#email").Text() != "reader@example.com" {
		t.Errorf("e-mail %q", doc.Find("#email").Text())
	}
	msgs := doc.Find("ol.thread > li")
	if msgs.Length() != 2 {
		t.Fatalf("%d messages", msgs.Length())
	}
	reader := msgs.Eq(0).Find(".msg-body")
	if reader.AttrOr("lang", "") != "ar" || reader.AttrOr("dir", "") != "rtl" || reader.Text() != "سطر أول\n  سطر ثانٍ <script>alert(1)</script>" {
		t.Errorf("reader message: lang %q dir %q text %q", reader.AttrOr("lang", ""), reader.AttrOr("dir", ""), reader.Text())
	}
	if doc.Find("ol.thread script").Length() != 0 {
		t.Error("reader text rendered as HTML")
	}
	note := msgs.Eq(1)
	if !note.HasClass("msg-note") || !strings.Contains(note.Text(), "Internal note — the reader never sees this") || !strings.Contains(note.Text(), agentEmail) {
		t.Errorf("note: class %q text %q", note.AttrOr("class", ""), note.Text())
	}
	img := msgs.Eq(0).Find(".shots img")
	if img.Length() != 1 || img.AttrOr("width", "") != "160" || img.AttrOr("height", "") != "355" {
		t.Fatalf("thumbnail: %d, %s×%s", img.Length(), img.AttrOr("width", ""), img.AttrOr("height", ""))
	}
	seen, err := e.db.RequestByToken(ctx, contact.HashToken(token))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range seen.Messages {
		if m.Author == store.AuthorNote || strings.Contains(m.Body, "customer called") {
			t.Errorf("the reader sees a note: %+v", m)
		}
	}

	// The screenshot, as staff only, and only as an image.
	src := img.AttrOr("src", "")
	res := e.do(t, "GET", src, agent, nil)
	body, _ := io.ReadAll(res.Body)
	sid := src[strings.LastIndexByte(src, '/')+1:]
	for k, want := range map[string]string{
		"Content-Type": "image/png", "Content-Disposition": `inline; filename="screenshot-` + sid + `.png"`,
		"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; sandbox", "Cache-Control": "no-store",
	} {
		if got := res.Header.Get(k); got != want {
			t.Errorf("screenshot %s: %q, want %q", k, got, want)
		}
	}
	if res.StatusCode != http.StatusOK || !bytes.Equal(body, pngBytes) {
		t.Errorf("screenshot: %d, %d bytes", res.StatusCode, len(body))
	}
	if res := e.do(t, "GET", src, "", nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("screenshot without a session: %d", res.StatusCode)
	}
	other, _ := newRequest(t, e.db, store.NewRequest{Description: "another request entirely"})
	for _, p := range []string{fmt.Sprintf("/admin/requests/%d/screenshots/%s", other.ID, sid), href + "/screenshots/999", href + "/screenshots/x",
		"/admin/requests/999", "/admin/requests/0", "/admin/requests/-1", "/admin/requests/abc", "/admin/requests/99999999999999999999"} {
		if res := e.do(t, "GET", p, agent, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d", p, res.StatusCode)
		}
	}
}

func TestReplyMailsTheReader(t *testing.T) {
	e := newEnv(t, withMail(t, true))
	ctx := context.Background()
	_, admin := e.signIn(t, adminEmail, password)
	mailRe := regexp.MustCompile(regexp.QuoteMeta(baseURL) + `/([a-z-]+)/requests/([A-Za-z0-9_-]+)`)
	for _, locale := range []string{"en", "ar"} {
		t.Run(locale, func(t *testing.T) {
			before, _ := e.db.DueMail(ctx, time.Now().Add(time.Hour), 100)
			r, _ := newRequest(t, e.db, store.NewRequest{Locale: locale, Email: "reader@example.com", Description: "please help me with my account"})
			href := fmt.Sprintf("/admin/requests/%d", r.ID)
			res := e.postMultipart(t, href+"/reply", admin, map[string]string{"body": "Open Settings, then Account.\r\nThen try again."})
			if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != href+"?done=reply-mailed" {
				t.Fatalf("reply: %d %s", res.StatusCode, res.Header.Get("Location"))
			}
			after, err := e.db.DueMail(ctx, time.Now().Add(time.Hour), 100)
			if err != nil || len(after) != len(before)+1 {
				t.Fatalf("%d mails queued, want exactly one (%v)", len(after)-len(before), err)
			}
			m := after[len(after)-1]
			l := testBundle(t).For(locale)
			if m.To != "reader@example.com" || m.Subject != l.T("mail.reply_subject", "Code", r.Code) || !strings.Contains(m.Subject, r.Code) {
				t.Errorf("mail to %q, subject %q", m.To, m.Subject)
			}
			if locale == "en" && m.Subject != "A reply to your support request "+r.Code {
				t.Errorf("English subject %q", m.Subject)
			}
			if ar, _ := fs.ReadFile(locales.FS, "ar.toml"); locale == "ar" && bytes.Contains(ar, []byte(`"mail.reply_subject"`)) &&
				m.Subject == testBundle(t).For("en").T("mail.reply_subject", "Code", r.Code) {
				t.Errorf("Arabic reader got the English subject %q", m.Subject)
			}
			link := mailRe.FindStringSubmatch(m.Text)
			if link == nil || link[1] != strings.ToLower(locale) {
				t.Fatalf("no status link for %s in %q", locale, m.Text)
			}
			got, err := e.db.RequestByToken(ctx, contact.HashToken(link[2]))
			if err != nil || got.ID != r.ID || got.State != store.StateAnswered {
				t.Fatalf("the mailed link: %v, id %d state %q", err, got.ID, got.State)
			}
			last := got.Messages[len(got.Messages)-1]
			if last.Author != store.AuthorStaff || last.Staff != adminEmail || last.Body != "Open Settings, then Account.\nThen try again." {
				t.Errorf("reply as the reader sees it: %+v", last)
			}
		})
	}
	// No address: the reply is saved, no mail, no new link.
	r, _ := newRequest(t, e.db, store.NewRequest{Description: "no address given here"})
	before, _ := e.db.DueMail(ctx, time.Now().Add(time.Hour), 100)
	href := fmt.Sprintf("/admin/requests/%d", r.ID)
	if res := e.postMultipart(t, href+"/reply", admin, map[string]string{"body": "hello"}); res.Header.Get("Location") != href+"?done=reply" {
		t.Fatalf("reply without address: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if after, _ := e.db.DueMail(ctx, time.Now().Add(time.Hour), 100); len(after) != len(before) {
		t.Error("a mail was queued without an address")
	}
	log, _ := e.db.AuditLog(ctx, 1)
	if len(log) != 1 || log[0].Action != "reply_request" || log[0].Actor != adminEmail || log[0].Detail != r.Code {
		t.Errorf("audit: %+v", log)
	}
}

func TestReplyWithMailDisabled(t *testing.T) {
	e := newEnv(t, withMail(t, false))
	ctx := context.Background()
	r, _ := newRequest(t, e.db, store.NewRequest{Email: "reader@example.com", Description: "mail is off on this server"})
	_, admin := e.signIn(t, adminEmail, password)
	href := fmt.Sprintf("/admin/requests/%d", r.ID)
	if res := e.postMultipart(t, href+"/reply", admin, map[string]string{"body": "hello"}); res.Header.Get("Location") != href+"?done=reply" {
		t.Fatalf("reply: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if due, _ := e.db.DueMail(ctx, time.Now().Add(time.Hour), 10); len(due) != 0 {
		t.Errorf("%d mails queued with mail disabled", len(due))
	}
	if got, _ := e.db.RequestByID(ctx, r.ID); got.State != store.StateAnswered {
		t.Errorf("state %q", got.State)
	}
}

// TestRequestForms: assignment and state through the forms, every input
// checked (4xx, never 5xx), and every change in the audit log.
func TestRequestForms(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	r, _ := newRequest(t, e.db, store.NewRequest{Description: "forms and their checks"})
	_, agent := e.signIn(t, agentEmail, password)
	href := fmt.Sprintf("/admin/requests/%d", r.ID)
	post := func(path string, form url.Values) *http.Response { return e.do(t, "POST", path, agent, form) }

	if res := post(href+"/assign", url.Values{"staff": {adminEmail}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("assign: %d", res.StatusCode)
	}
	if got, _ := e.db.RequestByID(ctx, r.ID); got.AssignedTo != adminEmail {
		t.Errorf("assigned to %q", got.AssignedTo)
	}
	if res := post(href+"/state", url.Values{"state": {"closed"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("state: %d", res.StatusCode)
	}
	doc := page(t, e.do(t, "GET", href+"?done=state", agent, nil))
	if doc.Find("#request-state").Text() != "closed" || doc.Find("#assigned").Text() != adminEmail {
		t.Errorf("page: state %q, assigned %q", doc.Find("#request-state").Text(), doc.Find("#assigned").Text())
	}
	if sel := doc.Find("#staff option[selected]").AttrOr("value", ""); sel != adminEmail {
		t.Errorf("assign select shows %q", sel)
	}
	if res := post(href+"/assign", url.Values{"staff": {""}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("unassign: %d", res.StatusCode)
	}
	if got, _ := e.db.RequestByID(ctx, r.ID); got.AssignedTo != "" {
		t.Errorf("still assigned to %q", got.AssignedTo)
	}
	log, _ := e.db.AuditLog(ctx, 3)
	var actions []string
	for _, l := range log {
		actions = append(actions, l.Actor+" "+l.Action+" "+l.Detail)
	}
	want := []string{agentEmail + " assign_request " + r.Code + " → nobody", agentEmail + " set_request_state " + r.Code + " → closed",
		agentEmail + " assign_request " + r.Code + " → " + adminEmail}
	if fmt.Sprint(actions) != fmt.Sprint(want) {
		t.Errorf("audit:\n got %q\nwant %q", actions, want)
	}

	for _, tc := range []struct {
		path string
		form url.Values
		want int
	}{
		{href + "/reply", url.Values{"body": {""}}, http.StatusBadRequest},
		{href + "/reply", url.Values{"body": {"   \r\n "}}, http.StatusBadRequest},
		{href + "/reply", url.Values{"body": {strings.Repeat("x", maxBody+1)}}, http.StatusBadRequest},
		{href + "/reply", url.Values{"body": {"bad \xff utf-8"}}, http.StatusBadRequest},
		{href + "/note", url.Values{}, http.StatusBadRequest},
		{href + "/assign", url.Values{"staff": {"nobody@example.com"}}, http.StatusBadRequest},
		{href + "/state", url.Values{"state": {"deleted"}}, http.StatusBadRequest},
		{href + "/state", url.Values{}, http.StatusBadRequest},
		{"/admin/requests/999/reply", url.Values{"body": {"hi"}}, http.StatusNotFound},
		{"/admin/requests/x/note", url.Values{"body": {"hi"}}, http.StatusNotFound},
		{"/admin/requests/0/state", url.Values{"state": {"open"}}, http.StatusNotFound},
	} {
		if res := post(tc.path, tc.form); res.StatusCode != tc.want {
			t.Errorf("POST %s %v: %d, want %d", tc.path, tc.form, res.StatusCode, tc.want)
		}
	}
	// The longest reply allowed, in a script of three UTF-8 bytes a
	// character, is taken.
	if res := e.postMultipart(t, href+"/reply", agent, map[string]string{"body": strings.Repeat("中", maxBody)}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("10,000-character reply: %d", res.StatusCode)
	}
}
