package server

import (
	"context"
	"crypto/tls"
	"net"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"helpcenter/internal/auth"
	"helpcenter/internal/config"
	"helpcenter/internal/contact"
	"helpcenter/internal/mail"
	"helpcenter/internal/mail/mailtest"
	"helpcenter/internal/store"
)

// TestBrowserAdmin signs in with the real Chromium over plain http on
// the loopback address (the __Host- cookie is Secure, which Chromium accepts on
// localhost), reads the dashboard, triages a comment with the keyboard
// and signs out; with HELPCENTER_AXE_JS set it runs axe on every page.
func TestBrowserAdmin(t *testing.T) {
	// Mail goes to a real SMTP server in this process (STARTTLS).
	smtpTLS, pool := mailtest.SelfSigned(t)
	smtpAddr := freeLoopbackAddr(t)
	received := &mailtest.Inbox{}
	mailtest.Serve(t, received, smtpAddr, smtpTLS)
	ts := newTestServer(t, func(c *config.Config) { c.SMTPURL, c.MailFrom = "smtp://"+smtpAddr, "help@example.com" })
	sender, err := mail.NewSender("smtp://"+smtpAddr, "help@example.com", &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	worker := &mail.Worker{Outbox: ts.store, Sender: sender}
	ctx := newBrowser(t, 1280, 900)
	bg := context.Background()
	hash, _ := auth.HashPassword("correct horse battery")
	if err := ts.store.AddStaff(bg, store.StaffMember{Email: "admin@example.com", Role: "admin", Password: hash, CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	for i, c := range []string{"Шаги другие", "الخطوات مختلفة"} {
		loc := []string{"ru", "ar"}[i]
		if err := ts.store.SaveVote(bg, store.Vote{Reader: "r" + loc, Article: "backup-restore", Locale: loc, Reason: "did_not_work", Comment: c}); err != nil {
			t.Fatal(err)
		}
	}
	readerToken, readerHash := contact.NewToken()
	req, _, err := ts.store.CreateRequest(bg, store.NewRequest{Code: "HC-BRWS-BRWS-BRWS", TokenHash: readerHash, Locale: "ar", Kind: "account",
		Device: "android", Description: "لا أستطيع تسجيل الدخول إلى حسابي منذ أمس", Fingerprint: "b", Email: "reader@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	reqPath := "/admin/requests/" + strconv.FormatInt(req.ID, 10)
	// The test browser resolves no names, so the loopback address stands
	// for localhost: Chromium treats both as secure contexts.
	for _, host := range []string{"127.0.0.1"} {
		t.Run(host, func(t *testing.T) {
			base := strings.Replace(ts.URL, "127.0.0.1", host, 1)
			var title string
			run(t, ctx,
				chromedp.Navigate(base+"/admin/"),
				chromedp.WaitVisible(`#email`, chromedp.ByQuery),
				chromedp.SendKeys(`#email`, "admin@example.com", chromedp.ByQuery),
				chromedp.SendKeys(`#password`, "correct horse battery\n", chromedp.ByQuery),
				chromedp.WaitVisible(`#ranking`, chromedp.ByQuery),
				chromedp.Title(&title),
			)
			if !strings.HasPrefix(title, "Articles") {
				t.Fatalf("after sign-in: title %q", title)
			}
			if !evalBool(t, ctx, `[...document.querySelectorAll("section[aria-labelledby=ranking] tbody th")].some(th => th.textContent == "backup-restore")`) {
				t.Error("the dashboard does not list backup-restore")
			}
			axePages(t, ctx, base, "/admin/", "/admin/comments", "/admin/searches", "/admin/translations", "/admin/staff", "/admin/audit",
				"/admin/requests", reqPath)
			// The inbox: open the request and reply, without a mouse.
			run(t, ctx,
				chromedp.Navigate(base+"/admin/requests"),
				chromedp.WaitVisible(`table.requests`, chromedp.ByQuery),
				chromedp.Focus(`table.requests tbody th a`, chromedp.ByQuery),
				chromedp.KeyEvent("\r"),
				chromedp.WaitVisible(`#reply`, chromedp.ByQuery),
				chromedp.SendKeys(`#reply`, "Open Settings, then Account.", chromedp.ByQuery),
				chromedp.Submit(`#reply`, chromedp.ByQuery),
				chromedp.WaitVisible(`#notice`, chromedp.ByQuery),
			)
			if !evalBool(t, ctx, `document.querySelector("#request-state").textContent == "answered" && document.querySelectorAll("ol.thread > li").length == 2`) {
				t.Error("the reply is not in the thread, or the request is not answered")
			}
			// The reader sees the reply on the status page...
			run(t, ctx,
				chromedp.Navigate(base+"/ar/requests/"+readerToken),
				chromedp.WaitVisible(`.message-staff`, chromedp.ByQuery),
			)
			if !evalBool(t, ctx, `document.querySelector(".message-staff .message-body").textContent == "Open Settings, then Account."
				&& document.querySelector(".state-answered") !== null && document.documentElement.dir == "rtl"`) {
				t.Error("the reader's status page does not show the reply")
			}
			// ...and gets it by mail, in Arabic, with a link that opens it.
			worker.Flush(bg)
			msgs := received.Messages()
			if len(msgs) != 1 || !strings.Contains(msgs[0], "reader@example.com") {
				t.Fatalf("mail: %d messages", len(msgs))
			}
			link := regexp.MustCompile(`/ar/requests/[0-9a-f]{32}`).FindString(msgs[0])
			if link == "" {
				t.Fatalf("no status link in the mail:\n%s", msgs[0])
			}
			run(t, ctx,
				chromedp.Navigate(base+link),
				chromedp.WaitVisible(`.message-staff`, chromedp.ByQuery),
			)
			run(t, ctx,
				chromedp.Navigate(base+"/admin/comments"),
				chromedp.WaitVisible(`#s0`, chromedp.ByQuery),
				chromedp.SetValue(`#s0`, "planned", chromedp.ByQuery),
				chromedp.SendKeys(`#n0`, "rewrite step 2\n", chromedp.ByQuery),
				// "Last changed by" shows only on the page after the save.
				chromedp.WaitVisible(`article.comment form span`, chromedp.ByQuery),
				chromedp.Navigate(base+"/admin/comments?state=planned"),
				chromedp.WaitVisible(`#state`, chromedp.ByQuery),
			)
			if !evalBool(t, ctx, `document.querySelectorAll("blockquote").length == 1 && document.querySelector("#n0").value == "rewrite step 2"`) {
				t.Error("the triaged comment is not listed as planned with its note")
			}
			run(t, ctx,
				chromedp.Click(`form[action="/admin/logout"] button`, chromedp.ByQuery),
				chromedp.WaitVisible(`#email`, chromedp.ByQuery),
				chromedp.Navigate(base+"/admin/comments"),
				chromedp.WaitVisible(`#email`, chromedp.ByQuery),
			)
			axePages(t, ctx, base, "/admin/login")
		})
	}
}

// axePages runs axe-core on each page when HELPCENTER_AXE_JS is set.
func axePages(t *testing.T, ctx context.Context, base string, paths ...string) {
	t.Helper()
	p := os.Getenv("HELPCENTER_AXE_JS")
	if p == "" {
		return
	}
	axe, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range paths {
		var violations []struct {
			ID   string `json:"id"`
			Help string `json:"help"`
		}
		run(t, ctx,
			chromedp.Navigate(base+path),
			chromedp.WaitReady(`body`, chromedp.ByQuery),
			chromedp.Evaluate(string(axe), nil),
			chromedp.Evaluate(`axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations)`, &violations,
				func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
		)
		for _, v := range violations {
			t.Errorf("%s: %s (%s)", path, v.ID, v.Help)
		}
	}
}

// freeLoopbackAddr is a free TCP address on 127.0.0.1.
func freeLoopbackAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
