package server

// Browser tests: the real Chromium against the real server. They skip when
// no Chromium is installed, unless HELPCENTER_E2E=1 (as in CI), which makes
// a missing browser a failure.

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"helpcenter/internal/contact"
	"helpcenter/internal/contact/contacttest"
	"helpcenter/internal/store"
)

func findChromium() string {
	if p := os.Getenv("HELPCENTER_CHROME"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// newBrowser starts a headless Chromium with a fresh profile. The flags
// keep it off the network, which is closed here and in CI.
func newBrowser(t *testing.T, width, height int) context.Context {
	t.Helper()
	path := findChromium()
	if path == "" {
		if os.Getenv("HELPCENTER_E2E") == "1" {
			t.Fatal("HELPCENTER_E2E=1 but no Chromium found (install chromium or set HELPCENTER_CHROME)")
		}
		t.Skip("no Chromium found: install chromium to run the browser tests (HELPCENTER_E2E=1 makes this a failure)")
	}
	// Not t.TempDir: Chromium's helpers may still be writing to the profile
	// for a moment after the browser exits, which fails its strict cleanup.
	profile, err := os.MkdirTemp("", "helpcenter-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(width, height),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc(); os.RemoveAll(profile) })
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

func run(t *testing.T, ctx context.Context, actions ...chromedp.Action) {
	t.Helper()
	if err := chromedp.Run(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

func evalBool(t *testing.T, ctx context.Context, js string) bool {
	t.Helper()
	var ok bool
	run(t, ctx, chromedp.Evaluate(js, &ok))
	return ok
}

func TestBrowserFeedbackWithJS(t *testing.T) {
	ts := newTestServer(t)
	ctx := newBrowser(t, 412, 915)
	run(t, ctx,
		chromedp.Navigate(ts.URL+"/en/articles/log-out"),
		chromedp.WaitReady(`html.js`, chromedp.ByQuery),
		chromedp.Click(`#feedback button[value="yes"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#feedback [data-step="thanks"]`, chromedp.ByQuery),
	)
	if !evalBool(t, ctx, `document.activeElement.classList.contains("feedback-thanks-title")`) {
		t.Error("focus did not move to the thank-you message")
	}
	if !evalBool(t, ctx, `document.querySelector(".feedback-status").textContent.length > 0 && location.search === ""`) {
		t.Error("no live announcement, or the page reloaded")
	}
	if v := votes(t, ts); len(v) != 1 || !v[0].Helpful {
		t.Fatalf("votes after Yes: %+v", v)
	}
	// Change the answer: No, a reason and a comment.
	run(t, ctx,
		chromedp.Click(`[data-feedback-change]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#feedback button[value="no"]`, chromedp.ByQuery),
		chromedp.Click(`#feedback button[value="no"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#reason-did_not_work`, chromedp.ByQuery),
	)
	if !evalBool(t, ctx, `document.activeElement.tagName === "LEGEND"`) {
		t.Error("focus did not move to the reasons")
	}
	// Sending without a reason: the error stands by the reasons, no thanks.
	run(t, ctx,
		chromedp.Click(`[data-step="reason"] button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#feedback-reason-error-js`, chromedp.ByQuery),
	)
	if !evalBool(t, ctx, `document.querySelector('[data-step="thanks"]').hidden
		&& document.querySelector('[data-step="reason"] fieldset').getAttribute('aria-describedby').includes('feedback-reason-error-js')`) {
		t.Error("a refused answer was thanked, or its error is not tied to the reasons")
	}
	run(t, ctx,
		chromedp.Click(`#reason-did_not_work`, chromedp.ByQuery),
		chromedp.SendKeys(`#feedback-comment`, "The menu looks different on my phone.", chromedp.ByQuery),
		chromedp.Click(`[data-step="reason"] button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#feedback [data-step="thanks"]`, chromedp.ByQuery),
	)
	v := votes(t, ts)
	if len(v) != 1 || v[0].Helpful || v[0].Reason != "did_not_work" || v[0].Comment != "The menu looks different on my phone." {
		t.Fatalf("votes after No: %+v", v)
	}
}

func TestBrowserFeedbackWithoutJS(t *testing.T) {
	ts := newTestServer(t)
	ctx := newBrowser(t, 412, 915)
	var loc string
	run(t, ctx,
		emulation.SetScriptExecutionDisabled(true),
		chromedp.Navigate(ts.URL+"/fr/articles/log-out"),
		chromedp.Click(`#feedback button[value="no"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#reason-unclear`, chromedp.ByQuery),
		chromedp.Location(&loc),
	)
	if !strings.HasSuffix(loc, "/fr/articles/log-out?feedback=no#feedback") {
		t.Errorf("after No: %s", loc)
	}
	run(t, ctx,
		chromedp.Click(`#reason-unclear`, chromedp.ByQuery),
		chromedp.Click(`[data-step="reason"] button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#feedback [data-step="thanks"]`, chromedp.ByQuery),
		chromedp.Location(&loc),
	)
	if !strings.HasSuffix(loc, "?feedback=thanks#feedback") {
		t.Errorf("after the reason: %s", loc)
	}
	if v := votes(t, ts); len(v) != 1 || v[0].Reason != "unclear" || v[0].Locale != "fr" {
		t.Fatalf("votes: %+v", v)
	}
}

func TestBrowserLanguagePicker(t *testing.T) {
	ts := newTestServer(t)
	ctx := newBrowser(t, 1280, 900)
	var loc, dir string
	run(t, ctx,
		chromedp.Navigate(ts.URL+"/en/articles/log-out"),
		chromedp.Click(`.lang-menu summary`, chromedp.ByQuery),
		chromedp.WaitVisible(`.lang-menu a[lang="ar"]`, chromedp.ByQuery),
		chromedp.Click(`.lang-menu a[lang="ar"]`, chromedp.ByQuery),
		chromedp.WaitReady(`html[lang="ar"]`, chromedp.ByQuery),
		chromedp.Location(&loc),
		chromedp.AttributeValue(`html`, "dir", &dir, nil, chromedp.ByQuery),
	)
	if !strings.HasSuffix(loc, "/ar/articles/log-out") || dir != "rtl" {
		t.Fatalf("after choosing العربية: %s dir=%s", loc, dir)
	}
	// The choice is remembered: the bare address now leads to Arabic.
	run(t, ctx, chromedp.Navigate(ts.URL+"/"), chromedp.WaitReady(`html[lang="ar"]`, chromedp.ByQuery), chromedp.Location(&loc))
	if !strings.HasSuffix(loc, "/ar/") {
		t.Errorf("/ led to %s", loc)
	}
}

func TestBrowserSearch(t *testing.T) {
	ts := newTestServer(t)
	ctx := newBrowser(t, 412, 915)
	var loc string
	run(t, ctx,
		chromedp.Navigate(ts.URL+"/en/"),
		chromedp.SendKeys(`#q-home`, "backup\n", chromedp.ByQuery),
		chromedp.WaitVisible(`.results a.result-title`, chromedp.ByQuery),
		chromedp.Click(`.results a.result-title`, chromedp.ByQuery),
		chromedp.WaitVisible(`article h1`, chromedp.ByQuery),
		chromedp.Location(&loc),
	)
	if !strings.Contains(loc, "/en/articles/") {
		t.Errorf("the first result led to %s", loc)
	}
}

func TestBrowserPlatformSelector(t *testing.T) {
	ts := newTestServer(t)
	t.Run("with JS", func(t *testing.T) {
		ctx := newBrowser(t, 412, 915)
		run(t, ctx,
			emulation.SetUserAgentOverride("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"),
			chromedp.Navigate(ts.URL+"/en/articles/request-account-info"),
			chromedp.WaitReady(`[role="tablist"]`, chromedp.ByQuery),
		)
		if !evalBool(t, ctx, `document.querySelector('[role=tab][data-platform=iphone]').getAttribute('aria-selected') === 'true'
			&& document.querySelector('section[data-platform=android]').hidden
			&& !document.querySelector('section[data-platform=iphone]').hidden`) {
			t.Fatal("iPhone not preselected from the User-Agent")
		}
		// The tab names the platform, so each section's own title is kept
		// for screen readers only.
		if !evalBool(t, ctx, `[...document.querySelectorAll('section[data-platform]:not([hidden]) .platform-title')].every(h => h.getBoundingClientRect().width <= 1)`) {
			t.Error("platform titles still shown beside the tabs")
		}
		run(t, ctx, chromedp.Click(`[role=tab][data-platform=android]`, chromedp.ByQuery))
		if !evalBool(t, ctx, `!document.querySelector('section[data-platform=android]').hidden
			&& document.querySelector('section[data-platform=iphone]').hidden && location.hash === ''`) {
			t.Error("switching to Android did not show its steps in place")
		}
		// A link to one platform's steps opens that platform.
		run(t, ctx, chromedp.Navigate("about:blank"), chromedp.Navigate(ts.URL+"/en/articles/request-account-info#steps-2-kaios"), chromedp.WaitReady(`[role="tablist"]`, chromedp.ByQuery))
		if !evalBool(t, ctx, `!document.getElementById('steps-2-kaios').hidden`) {
			t.Error("#steps-2-kaios opened on a hidden section")
		}
		run(t, ctx, chromedp.Navigate(ts.URL+"/en/articles/request-account-info"), chromedp.WaitReady(`[role="tablist"]`, chromedp.ByQuery),
			chromedp.Click(`[role=tab][data-platform=android]`, chromedp.ByQuery))
		// Arrow keys move between tabs (roving focus).
		run(t, ctx, chromedp.Focus(`[role=tab][data-platform=android]`, chromedp.ByQuery), chromedp.KeyEvent(kb.ArrowRight))
		if !evalBool(t, ctx, `document.activeElement.getAttribute('data-platform') === 'iphone' && document.activeElement.getAttribute('aria-selected') === 'true'`) {
			t.Error("ArrowRight did not select the next tab")
		}
	})
	t.Run("without JS", func(t *testing.T) {
		ctx := newBrowser(t, 412, 915)
		var loc string
		run(t, ctx,
			emulation.SetScriptExecutionDisabled(true),
			chromedp.Navigate(ts.URL+"/en/articles/request-account-info"),
			chromedp.WaitVisible(`section[data-platform=kaios]`, chromedp.ByQuery),
			chromedp.Click(`.platform-tabs a[data-platform=kaios]`, chromedp.ByQuery),
			chromedp.Location(&loc),
		)
		if !evalBool(t, ctx, `[...document.querySelectorAll('.platform-section')].every(s => s.getBoundingClientRect().height > 0)`) {
			t.Error("some platform's steps are not on the page")
		}
		if !strings.Contains(loc, "#steps-") || !strings.HasSuffix(loc, "-kaios") {
			t.Errorf("the KaiOS link led to %s", loc)
		}
	})
}

// TestBrowserKeyboard reaches the widget with Tab alone, the focus always
// visible, and votes with Enter.
func TestBrowserKeyboard(t *testing.T) {
	ts := newTestServer(t)
	ctx := newBrowser(t, 1280, 900)
	run(t, ctx, chromedp.Navigate(ts.URL+"/en/articles/log-out"), chromedp.WaitReady(`html.js`, chromedp.ByQuery))
	run(t, ctx, chromedp.KeyEvent(kb.Tab))
	if !evalBool(t, ctx, `document.activeElement.classList.contains('skip-link')`) {
		t.Error("the first Tab does not reach the skip link")
	}
	reached := false
	for i := 0; i < 150 && !reached; i++ {
		run(t, ctx, chromedp.KeyEvent(kb.Tab))
		var info string
		run(t, ctx, chromedp.Evaluate(`(() => {
			const el = document.activeElement, s = getComputedStyle(el);
			const visible = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
			return (visible ? 'ok' : 'invisible') + ' ' + el.tagName + ' ' + (el.getAttribute('value') || el.textContent.trim().slice(0, 30));
		})()`, &info))
		if !strings.HasPrefix(info, "ok") {
			t.Errorf("focus not visible on %s", info)
		}
		reached = strings.HasPrefix(info, "ok BUTTON yes")
	}
	if !reached {
		t.Fatal("Tab never reached the Yes button")
	}
	run(t, ctx, chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(`#feedback [data-step="thanks"]`, chromedp.ByQuery))
	if n := countVotes(t, ts); n != 1 {
		t.Errorf("%d votes after Enter", n)
	}
}

func TestBrowserRightToLeft(t *testing.T) {
	ts := newTestServer(t)
	ctx := newBrowser(t, 1280, 900)
	run(t, ctx, chromedp.Navigate(ts.URL+"/ar/articles/request-account-info"), chromedp.WaitReady(`html.js`, chromedp.ByQuery))
	if !evalBool(t, ctx, `(() => {
		const c = document.querySelectorAll('.breadcrumbs li');
		return c[0].getBoundingClientRect().left > c[1].getBoundingClientRect().left;
	})()`) {
		t.Error("the breadcrumb's first item is not right of the second")
	}
	if !evalBool(t, ctx, `(() => {
		const t = document.querySelectorAll('.platform-tabs [role=tab]');
		return t[0].getBoundingClientRect().left > t[1].getBoundingClientRect().left;
	})()`) {
		t.Error("the platform tabs are not mirrored")
	}
	if !evalBool(t, ctx, `(() => {
		const h = document.querySelector('.site-name').getBoundingClientRect(), m = document.querySelector('.lang-menu').getBoundingClientRect();
		return h.left > m.left;
	})()`) {
		t.Error("the header is not mirrored")
	}
}

// TestBrowserScreenshots saves home and an article in four scripts at phone
// and desktop widths to $HELPCENTER_SCREENSHOTS (CI names the folder) for
// people to look at; the test checks that every page rendered.
func TestBrowserScreenshots(t *testing.T) {
	ts := newTestServer(t)
	dir := os.Getenv("HELPCENTER_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, size := range []struct {
		name          string
		width, height int
	}{{"phone", 412, 915}, {"desktop", 1280, 900}} {
		ctx := newBrowser(t, size.width, size.height)
		for _, lang := range []string{"en", "ar", "zh-tw", "hi"} {
			for _, p := range []struct{ name, path string }{{"home", "/"}, {"article", "/articles/request-account-info"}} {
				var png []byte
				run(t, ctx, chromedp.Navigate(ts.URL+"/"+lang+p.path), chromedp.WaitReady(`html.js`, chromedp.ByQuery), chromedp.FullScreenshot(&png, 100))
				if len(png) < 10_000 {
					t.Errorf("%s %s %s: screenshot of %d bytes", lang, p.name, size.name, len(png))
				}
				name := filepath.Join(dir, fmt.Sprintf("%s-%s-%s.png", p.name, lang, size.name))
				if err := os.WriteFile(name, png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// TestBrowserAxe runs axe-core inside every page type in six locales and
// wants zero violations. CI points HELPCENTER_AXE_JS at axe.min.js from
// .ci/node_modules; without it the test says so and skips.
func TestBrowserAxe(t *testing.T) {
	axePath := os.Getenv("HELPCENTER_AXE_JS")
	if axePath == "" {
		if os.Getenv("HELPCENTER_E2E") == "1" {
			t.Fatal("HELPCENTER_E2E=1 but HELPCENTER_AXE_JS is not set")
		}
		t.Skip("HELPCENTER_AXE_JS not set: run `npm ci` in .ci and point it at node_modules/axe-core/axe.min.js")
	}
	axe, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t)
	ctx := newBrowser(t, 412, 915)
	pages := []string{"/", "/categories/account", "/articles/request-account-info", "/articles/backup-restore",
		"/articles/request-account-info?feedback=no", "/articles/request-account-info?feedback=thanks",
		"/search?q=backup", "/search?q=qqqzzz", "/search", "/languages", "/articles/no-such-page",
		"/contact", "/contact?article=log-out", "/requests/" + axeRequest(t, ts)}
	checked := 0
	for _, lang := range []string{"en", "ar", "zh-tw", "ja", "hi", "ru"} {
		for _, p := range pages {
			var violations []struct {
				ID    string `json:"id"`
				Help  string `json:"help"`
				Nodes []struct {
					Target []string `json:"target"`
				} `json:"nodes"`
			}
			run(t, ctx,
				chromedp.Navigate(ts.URL+"/"+lang+p),
				chromedp.WaitReady(`body`, chromedp.ByQuery),
				chromedp.Evaluate(string(axe), nil),
				chromedp.Evaluate(`axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations)`, &violations,
					func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
			)
			checked++
			for _, v := range violations {
				var targets []string
				for _, n := range v.Nodes {
					targets = append(targets, strings.Join(n.Target, " "))
				}
				t.Errorf("%s%s: %s (%s) at %s", lang, p, v.ID, v.Help, strings.Join(targets, ", "))
			}
		}
	}
	t.Logf("axe-core: %d pages, zero violations expected", checked)
}

// axeRequest stores a request with a staff reply and a screenshot, and
// returns its status token, so the status page is checked like the others.
func axeRequest(t *testing.T, ts *testServer) string {
	t.Helper()
	ctx := context.Background()
	token, hash := contact.NewToken()
	shot, err := contact.Process(contacttest.PNG(t, 64, 48))
	if err != nil {
		t.Fatal(err)
	}
	r, _, err := ts.store.CreateRequest(ctx, store.NewRequest{Code: contact.NewCode(), TokenHash: hash, Locale: "en", Kind: "technical",
		Device: "android", Description: "The app closes when I open a chat with a video.", Fingerprint: token,
		Screenshots: []store.Screenshot{shot}})
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.store.Reply(ctx, r.ID, store.StaffReply{Staff: "agent@example.com", Body: "Please update the app and try again."}); err != nil {
		t.Fatal(err)
	}
	return token
}
