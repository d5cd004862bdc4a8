package server

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"helpcenter/internal/auth"
	"helpcenter/internal/store"
)

// TestBrowserAdmin signs in with the real Chromium over plain http on
// the loopback address (the __Host- cookie is Secure, which Chromium accepts on
// localhost), reads the dashboard, triages a comment with the keyboard
// and signs out; with HELPCENTER_AXE_JS set it runs axe on every page.
func TestBrowserAdmin(t *testing.T) {
	ts := newTestServer(t)
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
	req, _, err := ts.store.CreateRequest(bg, store.NewRequest{Code: "HC-BRWS-BRWS-BRWS", TokenHash: []byte("b"), Locale: "ar", Kind: "account",
		Device: "android", Description: "لا أستطيع تسجيل الدخول إلى حسابي منذ أمس", Fingerprint: "b"})
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
