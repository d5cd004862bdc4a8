package server

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"helpcenter/internal/config"
	"helpcenter/internal/contact"
	"helpcenter/internal/contact/contacttest"
	"helpcenter/internal/store"
)

// contactPost is a multipart post of the contact form.
type contactPost struct {
	fields map[string]string
	files  map[string][]byte // file name → bytes, sent as "screenshots"
	order  []string          // file names in order
	extra  int               // more tiny parts
}

// validContact is a form a human would send: every field filled, issued a
// minute ago. Its description matches no article, so it is sent at once.
func validContact(ts *testServer) contactPost {
	return contactPost{fields: map[string]string{
		"kind": "technical", "device": "android",
		"description": "Qzxv wbblr frmblt qrrk vvmm zzyx plnk xqj",
		"stamp":       ts.srv.stamper.Stamp(time.Now().Add(-time.Minute)),
	}}
}

func (p contactPost) with(kv ...string) contactPost {
	f := map[string]string{}
	for k, v := range p.fields {
		f[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		f[kv[i]] = kv[i+1]
	}
	p.fields = f
	return p
}

func (p contactPost) file(name string, data []byte) contactPost {
	files := map[string][]byte{name: data}
	for k, v := range p.files {
		files[k] = v
	}
	p.files, p.order = files, append(append([]string(nil), p.order...), name)
	return p
}

func (p contactPost) body() (io.Reader, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range p.fields {
		mw.WriteField(k, v)
	}
	for _, name := range p.order {
		w, _ := mw.CreateFormFile("screenshots", name)
		w.Write(p.files[name])
	}
	for i := range p.extra {
		mw.WriteField(fmt.Sprintf("x%d", i), "x")
	}
	mw.Close()
	return &b, mw.FormDataContentType()
}

// post sends p to path with the client's cookies.
func (ts *testServer) post(t *testing.T, client *http.Client, path string, p contactPost) (*http.Response, *goquery.Document) {
	t.Helper()
	body, ct := p.body()
	req, _ := http.NewRequest(http.MethodPost, ts.URL+path, body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Origin", ts.URL)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, doc
}

// sqlDB opens the test server's database file for checks.
func (ts *testServer) sqlDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", ts.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func (ts *testServer) countRows(t *testing.T, table string) int {
	t.Helper()
	var n int
	if err := ts.sqlDB(t).QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

var codeRE = regexp.MustCompile(`^HC-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$`)

// sent checks a confirmation page and returns its code and status path.
func sent(t *testing.T, resp *http.Response, doc *goquery.Document) (code, status string) {
	t.Helper()
	if resp.StatusCode != http.StatusOK || doc.Find("h1").Text() != "Your request was sent" {
		t.Fatalf("not a confirmation: %d %q %q", resp.StatusCode, doc.Find("h1").Text(), doc.Find(".field-error").Text())
	}
	code = strings.TrimSpace(doc.Find(".code").Text())
	if !codeRE.MatchString(code) {
		t.Fatalf("code %q", code)
	}
	href, _ := doc.Find("a.button").Attr("href")
	i := strings.Index(href, "/en/requests/")
	if i < 0 {
		t.Fatalf("status link %q", href)
	}
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("confirmation Cache-Control %q", resp.Header.Get("Cache-Control"))
	}
	return code, href[i:]
}

func TestContactForm(t *testing.T) {
	ts := newTestServer(t)
	doc := ts.page(t, "/en/contact?article=log-out", http.StatusOK)
	if n := doc.Find(`input[name=kind][type=radio]`).Length(); n != len(contact.Kinds) {
		t.Errorf("%d request types", n)
	}
	if n := doc.Find(`input[name=device][type=radio]:not([checked])`).Length(); n != len(contact.Devices) {
		t.Errorf("%d devices, none preselected in the HTML", n)
	}
	for _, sel := range []string{`textarea#contact-description[name=description][minlength="20"][maxlength="5000"]`,
		`input#contact-email[type=email]`, `input#contact-screenshots[type=file][multiple]`,
		`form[enctype="multipart/form-data"][method=post][action="/en/contact"]`,
		`.hp input[name=website][tabindex="-1"]`, `input[name=article][value=log-out]`, `input[name=stamp]`,
		`label[for=contact-description]`, `label[for=contact-email]`, `label[for=contact-screenshots]`} {
		if doc.Find(sel).Length() != 1 {
			t.Errorf("missing %s", sel)
		}
	}
	if !strings.Contains(doc.Text(), "365 days after the request is closed") {
		t.Error("no line about what is stored and for how long")
	}
	// Every page leads to the form: header or footer, home, no results,
	// the feedback widget after a No, the contact-support article.
	for _, path := range []string{"/en/", "/en/search?q=zzqqxx", "/en/articles/log-out?feedback=no", "/en/articles/contact-support", "/en/languages"} {
		d := ts.page(t, path, http.StatusOK)
		if d.Find(`a[href^="/en/contact"]`).Length() == 0 {
			t.Errorf("%s: no link to the contact form", path)
		}
	}
	if d := ts.page(t, "/en/articles/log-out?feedback=no", http.StatusOK); d.Find(`[data-step=reason] a[href="/en/contact?article=log-out"]`).Length() != 1 {
		t.Error("the reason step does not lead to the form with the article")
	}
	// In Arabic the form is right to left and in Arabic.
	ar := ts.page(t, "/ar/contact", http.StatusOK)
	if dir, _ := ar.Find("html").Attr("dir"); dir != "rtl" || ar.Find("h1").Text() == "Contact support" {
		t.Errorf("ar: dir %q h1 %q", dir, ar.Find("h1").Text())
	}
}

func TestContactSendAndFollowUp(t *testing.T) {
	ts := newTestServer(t)
	client := newJarClient(t)
	p := validContact(ts).with("email", "reader@example.com").file("shot.jpg", contacttest.GPSJPEG(t, 40, 20))
	resp, doc := ts.post(t, client, "/en/contact", p)
	code, status := sent(t, resp, doc)
	if n := ts.countRows(t, "contact_requests"); n != 1 {
		t.Fatalf("%d requests stored", n)
	}
	if n := ts.countRows(t, "mail_outbox"); n != 0 {
		t.Fatalf("mail queued without SMTP settings: %d", n)
	}

	// The status page shows the request; the code alone opens nothing.
	st := ts.page(t, status, http.StatusOK)
	if got := strings.TrimSpace(st.Find(".request-facts strong").Text()); got != code {
		t.Errorf("status page code %q, want %q", got, code)
	}
	if !strings.Contains(st.Find(".message-body").Text(), "frmblt") {
		t.Error("the description is not in the thread")
	}
	ts.page(t, "/en/requests/"+strings.ToLower(code), http.StatusNotFound)
	ts.page(t, "/en/requests/"+strings.Repeat("0", 32), http.StatusNotFound)
	ts.page(t, "/en/requests/not-a-token", http.StatusNotFound)

	// The screenshot comes back re-encoded: no EXIF, GPS or comment, the
	// orientation applied (40×20 turned to 20×40), with inert headers.
	src, _ := st.Find(".shots img").Attr("src")
	r := ts.do(t, http.MethodGet, src, nil)
	img, _ := io.ReadAll(r.Body)
	if r.StatusCode != 200 || r.Header.Get("Content-Type") != "image/jpeg" || contact.HasMetadata(img) || bytes.Contains(img, []byte("Exif")) {
		t.Fatalf("screenshot: %d %s metadata=%v", r.StatusCode, r.Header.Get("Content-Type"), contact.HasMetadata(img))
	}
	for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; sandbox"} {
		if got := r.Header.Get(k); got != want {
			t.Errorf("%s: %q", k, got)
		}
	}
	if !strings.HasPrefix(r.Header.Get("Content-Disposition"), "inline; filename=") {
		t.Errorf("Content-Disposition %q", r.Header.Get("Content-Disposition"))
	}
	if w, _ := st.Find(".shots img").Attr("width"); w != "120" {
		t.Errorf("thumbnail width %s: orientation not applied", w)
	}
	if ts.do(t, http.MethodGet, strings.Replace(src, status, "/en/requests/"+strings.Repeat("0", 32), 1), nil).StatusCode != 404 {
		t.Error("a screenshot opened with another token")
	}

	// A staff reply (written through the store) shows on the page.
	id := requestID(t, ts, code)
	if err := ts.store.Reply(context.Background(), id, store.StaffReply{Staff: "agent@example.com", Body: "Please update the app."}); err != nil {
		t.Fatal(err)
	}
	if err := ts.store.AddNote(context.Background(), id, "agent@example.com", "internal: likely a duplicate"); err != nil {
		t.Fatal(err)
	}
	st = ts.page(t, status, http.StatusOK)
	if st.Find(".message-staff").Length() != 1 || strings.Contains(st.Text(), "internal: likely") || st.Find(".state-answered").Length() != 1 {
		t.Fatalf("after reply: staff %d, state %q", st.Find(".message-staff").Length(), st.Find(".state").Text())
	}

	// Follow-up with a screenshot, then solved.
	fu := contactPost{fields: map[string]string{"action": "followup", "body": "It still happens on version 2."}}.file("again.png", contacttest.PNG(t, 10, 10))
	resp, _ = ts.post(t, noRedirect(), status, fu)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != status+"?done=followup" {
		t.Fatalf("follow-up: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	st = ts.page(t, status+"?done=followup", http.StatusOK)
	if st.Find(".message").Length() != 3 || st.Find(".shots img").Length() != 2 || st.Find(".state-open").Length() != 1 {
		t.Fatalf("after follow-up: %d messages %d shots", st.Find(".message").Length(), st.Find(".shots img").Length())
	}
	resp, _ = ts.post(t, noRedirect(), status, contactPost{fields: map[string]string{"action": "followup", "body": " "}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("empty follow-up: %d", resp.StatusCode)
	}
	resp, _ = ts.post(t, noRedirect(), status, contactPost{fields: map[string]string{"action": "solve"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("solve: %d", resp.StatusCode)
	}
	st = ts.page(t, status+"?done=solved", http.StatusOK)
	if st.Find(".state-closed").Length() != 1 || st.Find("textarea").Length() != 0 {
		t.Error("a solved request is not closed")
	}
	resp, _ = ts.post(t, noRedirect(), "/en/requests/"+strings.Repeat("0", 32), contactPost{fields: map[string]string{"action": "solve"}})
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("solve with a wrong token: %d", resp.StatusCode)
	}
}

func requestID(t *testing.T, ts *testServer, code string) int64 {
	t.Helper()
	var id int64
	if err := ts.sqlDB(t).QueryRow(`SELECT id FROM contact_requests WHERE code = ?`, code).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestContactSuggestionsWithoutJS(t *testing.T) {
	ts := newTestServer(t)
	client := newJarClient(t)
	p := validContact(ts).with("description", "How do I log out of my account on another phone?").file("a.png", contacttest.PNG(t, 8, 8))
	resp, doc := ts.post(t, client, "/en/contact", p)
	if resp.StatusCode != http.StatusOK || doc.Find(".suggestions-confirm li").Length() == 0 {
		t.Fatalf("no suggestions step: %d", resp.StatusCode)
	}
	if n := doc.Find(".suggestions-confirm li").Length(); n > 3 {
		t.Errorf("%d suggestions", n)
	}
	if ts.countRows(t, "contact_requests") != 0 {
		t.Fatal("stored before the reader confirmed")
	}
	// Nothing typed is lost; the screenshot waits in the draft.
	if doc.Find("textarea").Text() != p.fields["description"] || doc.Find(`input[name=kind][value=technical][checked]`).Length() != 1 ||
		doc.Find(`input[name=step][value=confirm]`).Length() != 1 || doc.Find(".kept-shots li").Length() != 1 {
		t.Fatal("the form lost what the reader sent")
	}
	draft, _ := doc.Find(`input[name=draft]`).Attr("value")
	href, _ := doc.Find(".suggestions-confirm a").First().Attr("href")

	// Opening a suggestion counts a deflection...
	r := ts.do(t, http.MethodGet, href, nil)
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/en/articles/") {
		t.Fatalf("open suggestion: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	if d, _ := ts.store.Deflections(context.Background(), time.Now().Add(-time.Hour), "en"); len(d) != 1 || d[0].Count != 1 {
		t.Fatalf("deflections %+v", d)
	}
	// ...taken back when the reader sends the request after all.
	resp2, err := client.Get(ts.URL + href)
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	resp, doc = ts.post(t, client, "/en/contact", p.with("step", "confirm", "draft", draft))
	sent(t, resp, doc)
	var shots int
	ts.sqlDB(t).QueryRow(`SELECT COUNT(*) FROM request_screenshots`).Scan(&shots)
	if shots != 1 || ts.countRows(t, "draft_screenshots") != 0 {
		t.Fatalf("draft screenshot not moved to the request: %d", shots)
	}
	if d, _ := ts.store.Deflections(context.Background(), time.Now().Add(-time.Hour), "en"); len(d) != 1 || d[0].Count != 1 {
		t.Fatalf("deflections after sending %+v", d)
	}

	// The script's endpoint.
	r = ts.do(t, http.MethodGet, "/en/contact/suggest?q=log+out", nil)
	body, _ := io.ReadAll(r.Body)
	if r.StatusCode != 200 || !bytes.Contains(body, []byte(`"href":"/en/contact/open/`)) {
		t.Fatalf("suggest: %d %s", r.StatusCode, body)
	}
}

func TestContactRefusals(t *testing.T) {
	ts := newTestServer(t)
	client := newJarClient(t)
	big := bytes.Repeat([]byte{0}, 6<<20)
	copy(big, contacttest.PNG(t, 4, 4))
	pdf := []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n")
	cases := []struct {
		name   string
		p      contactPost
		status int
		field  string
		text   string
	}{
		{"missing description", validContact(ts).with("description", ""), 422, "description", "at least 20 characters"},
		{"short description", validContact(ts).with("description", "too short"), 422, "description", "at least 20 characters"},
		{"long description", validContact(ts).with("description", strings.Repeat("é", 5001)), 422, "description", "under 5,000 characters"},
		{"bad type", validContact(ts).with("kind", "refund-now"), 422, "kind", "type of request"},
		{"bad device", validContact(ts).with("device", "toaster"), 422, "device", "your device"},
		{"bad e-mail", validContact(ts).with("email", "not-an-address"), 422, "email", "valid e-mail address"},
		{"pdf renamed png", validContact(ts).file("invoice.png", pdf), 422, "screenshots", "invoice.png isn't a PNG"},
		{"6 MB file", validContact(ts).file("huge.png", big), 422, "screenshots", "larger than 5 MB"},
		{"50,000 × 50,000 header", validContact(ts).file("bomb.png", contacttest.BombPNG(t, 50_000, 50_000)), 422, "screenshots", "40 megapixels"},
		{"4 files", validContact(ts).file("1.png", contacttest.PNG(t, 2, 2)).file("2.png", contacttest.PNG(t, 3, 2)).file("3.png", contacttest.PNG(t, 4, 2)).file("4.png", contacttest.PNG(t, 5, 2)), 422, "screenshots", "up to 3 screenshots"},
		{"1,000 parts", contactPost{fields: validContact(ts).fields, extra: 1000}, 400, "", "couldn't read the form"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			resp, doc := ts.post(t, client, "/en/contact", tc.p)
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.status)
			}
			msg := doc.Find("#contact-" + tc.field + "-error").Text()
			if tc.field == "" {
				msg = doc.Find("#contact-submit-error").Text()
			}
			if !strings.Contains(msg, tc.text) {
				t.Errorf("message %q, want %q", msg, tc.text)
			}
			if tc.field != "" && doc.Find(`.error-summary a[href="#contact-`+tc.field+`"]`).Length() != 1 {
				t.Error("the error summary does not link to the field")
			}
			if ts.countRows(t, "contact_requests") != 0 {
				t.Fatal("a refused request was stored")
			}
			// A decompression bomb is refused from its header: far less
			// is allocated than its 10 GB of pixels (the post itself and
			// the page cost a few MB).
			if alloc := after.TotalAlloc - before.TotalAlloc; tc.name == "50,000 × 50,000 header" {
				if alloc > 64<<20 {
					t.Errorf("allocated %d MB for a bomb", alloc>>20)
				}
				t.Logf("a 50,000 × 50,000 PNG header: %.1f MB allocated by the whole request", float64(alloc)/(1<<20))
			}
		})
	}
}

func TestContactBotsAndLimits(t *testing.T) {
	ts := newTestServer(t)
	client := newJarClient(t)
	for name, p := range map[string]contactPost{
		"honeypot": validContact(ts).with("website", "http://spam.example"),
		"too fast": validContact(ts).with("stamp", ts.srv.stamper.Stamp(time.Now())),
		"too old":  validContact(ts).with("stamp", ts.srv.stamper.Stamp(time.Now().Add(-25*time.Hour))),
	} {
		resp, doc := ts.post(t, client, "/en/contact", p)
		_, status := sent(t, resp, doc) // looks real...
		if ts.countRows(t, "contact_requests") != 0 {
			t.Fatalf("%s: a bot's request was stored", name)
		}
		ts.page(t, status, http.StatusNotFound) // ...and leads nowhere
	}

	// A stamp this server cannot verify (a form served before a restart
	// with another key) is a person asked to send again, never dropped.
	for _, stamp := range []string{"0000000000000000.00000000000000000000000000000000", "", "garbage"} {
		resp, doc := ts.post(t, client, "/en/contact", validContact(ts).with("stamp", stamp).file("a.png", contacttest.PNG(t, 6, 6)))
		fresh, _ := doc.Find(`input[name=stamp]`).Attr("value")
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(doc.Find("#contact-submit-error").Text(), "try again") ||
			fresh == stamp || doc.Find(".kept-shots li").Length() != 1 || doc.Find("textarea").Text() == "" {
			t.Fatalf("unknown stamp %q: %d %q", stamp, resp.StatusCode, doc.Find("#contact-submit-error").Text())
		}
		if ts.countRows(t, "contact_requests") != 0 {
			t.Fatal("stored with an unknown stamp")
		}
	}

	// An identical request within 10 minutes is the same request.
	resp, doc := ts.post(t, client, "/en/contact", validContact(ts))
	code1, _ := sent(t, resp, doc)
	resp, doc = ts.post(t, client, "/en/contact", validContact(ts))
	code2, status2 := sent(t, resp, doc)
	if code1 != code2 || ts.countRows(t, "contact_requests") != 1 || !strings.Contains(doc.Text(), "already sent") {
		t.Fatalf("duplicate: %s %s", code1, code2)
	}
	ts.page(t, status2, http.StatusOK) // its own link opens the same request

	// Five requests an hour per reader: the sixth is refused next to the
	// send button, its text kept.
	for i := 3; i <= 5; i++ {
		resp, doc := ts.post(t, client, "/en/contact", validContact(ts).with("description", fmt.Sprintf("Qzxv wbblr frmblt qrrk vvmm zzyx plnk%c", 'a'+i)))
		sent(t, resp, doc)
	}
	p := validContact(ts).with("description", "Qzxv wbblr frmblt qrrk vvmm zzyx plnkz")
	resp, doc = ts.post(t, client, "/en/contact", p)
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(doc.Find("#contact-submit-error").Text(), "wait an hour") ||
		doc.Find("textarea").Text() != p.fields["description"] {
		t.Fatalf("rate limit: %d %q", resp.StatusCode, doc.Find("#contact-submit-error").Text())
	}
}

func TestContactMail(t *testing.T) {
	ts := newTestServer(t, func(c *config.Config) {
		c.SMTPURL, c.MailFrom = "smtp://127.0.0.1:1", "help@example.com"
	})
	resp, doc := ts.post(t, newJarClient(t), "/de/contact", validContact(ts).with("email", "leser@example.com"))
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	due, err := ts.store.DueMail(context.Background(), time.Now().Add(time.Minute), 10)
	if err != nil || len(due) != 1 {
		t.Fatalf("outbox: %v %d", err, len(due))
	}
	m := due[0]
	code := strings.TrimSpace(doc.Find(".code").Text())
	if m.To != "leser@example.com" || !strings.Contains(m.Subject, code) || !strings.Contains(m.Subject, "Anfrage") {
		t.Fatalf("mail %q to %s", m.Subject, m.To)
	}
	link := regexp.MustCompile(`/de/requests/[0-9a-f]{32}`).FindString(m.Text)
	if link == "" || !strings.Contains(m.HTML, link) {
		t.Fatalf("no status link in the mail: %s", m.Text)
	}
	ts.page(t, link, http.StatusOK)
}

// TestStatusTokenNeverLogged: a status link is the only key to a request;
// the access log and the error log keep its route, never its token.
func TestStatusTokenNeverLogged(t *testing.T) {
	ts, logs := newLoggedServer(t)
	client := newJarClient(t)
	resp, doc := ts.post(t, client, "/en/contact", validContact(ts).file("a.png", contacttest.PNG(t, 8, 8)))
	_, status := sent(t, resp, doc)
	token := status[strings.LastIndexByte(status, '/')+1:]
	st := ts.page(t, status, http.StatusOK)
	src, _ := st.Find(".shots img").Attr("src")
	ts.do(t, http.MethodGet, src, nil)
	ts.do(t, http.MethodGet, "/en/requests/"+strings.Repeat("ab", 16), nil)
	ts.post(t, noRedirect(), status, contactPost{fields: map[string]string{"action": "followup", "body": "More details here."}})
	logs.mu.Lock()
	all := logs.buf.String()
	logs.mu.Unlock()
	if strings.Contains(all, token) || strings.Contains(all, strings.Repeat("ab", 16)) {
		t.Fatal("a status token reached the log")
	}
	if !strings.Contains(all, "/en/requests/{token}") {
		t.Error("the status page's requests are not in the access log at all")
	}
}

// TestContactDraftExpired: screenshots kept in a draft expire an hour
// after its last change; a form that still names them is told to attach
// them again instead of being sent without them.
func TestContactDraftExpired(t *testing.T) {
	ts := newTestServer(t)
	client := newJarClient(t)
	_, doc := ts.post(t, client, "/en/contact", validContact(ts).with("description", "short").file("a.png", contacttest.PNG(t, 8, 8)))
	draft, _ := doc.Find(`input[name=draft]`).Attr("value")
	if draft == "" || doc.Find(".kept-shots li").Length() != 1 {
		t.Fatal("no draft kept")
	}
	if _, err := ts.sqlDB(t).Exec(`UPDATE contact_drafts SET created_at = '2000-01-01T00:00:00Z'`); err != nil {
		t.Fatal(err)
	}
	resp, doc := ts.post(t, client, "/en/contact", validContact(ts).with("draft", draft, "step", "confirm"))
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(doc.Find("#contact-screenshots-error").Text(), "attach your screenshots again") {
		t.Fatalf("expired draft: %d %q", resp.StatusCode, doc.Find("#contact-screenshots-error").Text())
	}
	if ts.countRows(t, "contact_requests") != 0 {
		t.Fatal("sent without the screenshots the reader had attached")
	}
}
