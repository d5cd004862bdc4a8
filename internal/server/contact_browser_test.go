package server

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"helpcenter/internal/contact"
	"helpcenter/internal/contact/contacttest"
	"helpcenter/internal/i18n"
)

// contactJourney is the reader's whole way through support, as a browser
// does it: from an article's "No" to the form, a screenshot attached,
// the request sent, then its status page: a follow-up, and solved.
func contactJourney(t *testing.T, lang, description, followUp string, js bool) {
	ts := newTestServer(t)
	ctx := newBrowser(t, 412, 915)
	shot := filepath.Join(t.TempDir(), "screen.png")
	if err := os.WriteFile(shot, contacttest.PNG(t, 64, 48), 0o644); err != nil {
		t.Fatal(err)
	}
	if !js {
		run(t, ctx, emulation.SetScriptExecutionDisabled(true))
	}
	var loc string
	run(t, ctx,
		chromedp.Navigate(ts.URL+"/"+lang+"/articles/log-out"),
		chromedp.Click(`#feedback button[value="no"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-step="reason"] .feedback-contact a`, chromedp.ByQuery),
		chromedp.Click(`[data-step="reason"] .feedback-contact a`, chromedp.ByQuery),
		chromedp.WaitVisible(`#contact-form`, chromedp.ByQuery),
		chromedp.Location(&loc),
	)
	if !strings.HasSuffix(loc, "/"+lang+"/contact?article=log-out") {
		t.Fatalf("the widget led to %s", loc)
	}
	run(t, ctx,
		chromedp.Click(`#contact-kind-account`, chromedp.ByQuery),
		chromedp.Click(`#contact-device-android`, chromedp.ByQuery),
		chromedp.SendKeys(`#contact-description`, description, chromedp.ByQuery),
		chromedp.SetUploadFiles(`#contact-screenshots`, []string{shot}, chromedp.ByQuery),
	)
	if js {
		// Suggestions appear while typing, and are announced.
		run(t, ctx, chromedp.WaitVisible(`#contact-suggest li a`, chromedp.ByQuery))
		if !evalBool(t, ctx, `document.getElementById("contact-suggest-status").textContent.length > 0
			&& document.querySelectorAll("#contact-suggest li").length <= 3`) {
			t.Error("suggestions not announced, or more than three")
		}
	}
	// A human takes more than the form's minimum fill time.
	run(t, ctx, chromedp.Sleep(3*time.Second),
		chromedp.Click(`#contact-form > button[type=submit]`, chromedp.ByQuery))
	if !js {
		// Without the script, the suggestions come once, before sending;
		// the screenshot waits in the draft, the text in the form.
		run(t, ctx, chromedp.WaitVisible(`.suggestions-confirm li a`, chromedp.ByQuery))
		if !evalBool(t, ctx, `document.querySelectorAll(".kept-shots li").length === 1
			&& document.getElementById("contact-description").value.length > 0`) {
			t.Fatal("the suggestion step lost the screenshot or the text")
		}
		run(t, ctx, chromedp.Click(`.suggestions-confirm button[type=submit]`, chromedp.ByQuery))
	}
	var code, status string
	run(t, ctx,
		chromedp.WaitVisible(`.reference .code`, chromedp.ByQuery),
		chromedp.Text(`.reference .code`, &code, chromedp.ByQuery),
		chromedp.AttributeValue(`a.button[href*="/requests/"]`, "href", &status, nil, chromedp.ByQuery),
	)
	if !codeRE.MatchString(strings.TrimSpace(code)) {
		t.Fatalf("code %q", code)
	}
	run(t, ctx,
		chromedp.Navigate(status),
		chromedp.WaitVisible(`.request-facts`, chromedp.ByQuery),
	)
	// The thumbnail loads lazily: bring it into view, then wait for it.
	var loaded bool
	run(t, ctx,
		chromedp.ScrollIntoView(`.shots img`, chromedp.ByQuery),
		chromedp.Poll(`document.querySelectorAll(".shots img").length === 1 && document.querySelector(".shots img").naturalWidth === 64`,
			&loaded, chromedp.WithPollingTimeout(10*time.Second)),
	)
	if !loaded {
		t.Error("the screenshot is not on the status page")
	}
	run(t, ctx,
		chromedp.SendKeys(`#request-body`, followUp, chromedp.ByQuery),
		chromedp.Click(`form:has(#request-body) button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.notice`, chromedp.ByQuery),
	)
	if !evalBool(t, ctx, `document.querySelectorAll(".message").length === 2`) {
		t.Error("the follow-up is not in the thread")
	}
	run(t, ctx,
		chromedp.Click(`form:has(input[value=solve]) button`, chromedp.ByQuery),
		chromedp.WaitVisible(`.state-closed`, chromedp.ByQuery),
	)
	r, err := ts.store.RequestByToken(context.Background(), hashOfStatus(status))
	if err != nil || r.State != "closed" || r.Locale != localeOf(lang) || r.Article != "log-out" || len(r.Messages) != 2 {
		t.Fatalf("stored request: %v %+v", err, r)
	}
}

func TestBrowserContactWithJS(t *testing.T) {
	contactJourney(t, "en", "How do I log out of my account on my old phone?", "I still see my chats on the old phone.", true)
}

func TestBrowserContactWithoutJS(t *testing.T) {
	contactJourney(t, "en", "How do I log out of my account on my old phone?", "I still see my chats on the old phone.", false)
}

func TestBrowserContactArabic(t *testing.T) {
	contactJourney(t, "ar", "كيف أسجّل الخروج من حسابي على هاتفي القديم؟", "ما زلت أرى محادثاتي على الهاتف القديم.", false)
}

func TestBrowserContactTraditionalChinese(t *testing.T) {
	contactJourney(t, "zh-tw", "我要如何在舊手機上登出我的帳號？換了新手機之後舊手機還登入著。", "舊手機上還看得到我的聊天。", true)
}

// hashOfStatus is the stored hash of a status link's token.
func hashOfStatus(link string) []byte {
	return contact.HashToken(link[strings.LastIndexByte(link, '/')+1:])
}

// localeOf is the locale code of a URL's language segment.
func localeOf(slug string) string {
	return i18n.MustLookup(slug).Code
}
