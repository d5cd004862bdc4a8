package content

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

const categories = "[[category]]\nslug = \"account\"\n"

const enArticle = `---
title: Log out of the app
description: How to log out.
category: account
platforms: [web, desktop]
related: [other]
updated: 2026-10-01
keywords: [sign out]
---
Log out from the menu. See [the other guide](article:other).

## Steps

:::platform web
1. Click [[Menu > Log out]].
:::

:::platform desktop
1. Click **Log out**.

:::warning
This can't be undone.
:::
:::

:::note
Phones have no log-out button.
:::
`

const esArticle = `---
title: Cerrar sesión en la app
description: Cómo cerrar sesión.
updated: 2026-10-02
---
Cierra sesión desde el menú. Consulta [la otra guía](article:other).

## Pasos

:::platform web
1. Haz clic en [[Menú > Cerrar sesión]].
:::

:::platform desktop
1. Haz clic en **Cerrar sesión**.

:::warning
No se puede deshacer.
:::
:::

:::note
Los teléfonos no tienen botón para cerrar sesión.
:::
`

const otherArticle = `---
title: Another guide
description: Something else.
category: account
updated: 2026-10-01
---
Body text of the other guide, long enough to be a real article body.
`

func fixture(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{
		"categories.toml": {Data: []byte(categories)},
		"log-out/en.md":   {Data: []byte(enArticle)},
		"log-out/es.md":   {Data: []byte(esArticle)},
		"other/en.md":     {Data: []byte(otherArticle)},
	}
	for name, data := range files {
		if data == "" {
			delete(fsys, name)
			continue
		}
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return fsys
}

var now = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

func TestLoadFixture(t *testing.T) {
	c, err := Load(fixture(nil), Options{Now: now, Labels: func(locale, id string) string { return locale + ":" + id }})
	if err != nil {
		t.Fatal(err)
	}
	a, err := c.Article("log-out")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Article("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown article: %v", err)
	}
	en := a.Translations["en"]
	if got := en.PlatformSections(); len(got) != 1 || strings.Join(got[0], ",") != "web,desktop" {
		t.Errorf("platform sections = %v", got)
	}
	html := en.Body[0].HTML
	for _, want := range []string{`href="/_lang_/articles/other"`, `<h2 id="steps">Steps</h2>`} {
		if !strings.Contains(html, want) {
			t.Errorf("body lacks %q:\n%s", want, html)
		}
	}
	web := en.Body[1].Platforms[0].HTML
	if !strings.Contains(web, `<b class="menu-item">Menu</b><span class="menu-sep" aria-hidden="true"></span>`) {
		t.Errorf("menu path not rendered: %s", web)
	}
	desk := en.Body[1].Platforms[1].HTML
	if !strings.Contains(desk, `<div class="callout callout-warning" role="note"><p class="callout-title">en:article.warning</p><p>This can't be undone.</p>`) {
		t.Errorf("callout inside platform section not rendered: %s", desk)
	}
	if !strings.Contains(en.Body[2].HTML, "callout-note") {
		t.Errorf("trailing note missing: %+v", en.Body[2])
	}
	if strings.Contains(en.Text(), "<") || !strings.Contains(en.Text(), "Phones have no log-out button.") {
		t.Errorf("plain text = %q", en.Text())
	}
	// Fallback chain: Catalan reads Spanish, Ukrainian reads English.
	if tr, fb := a.In("ca"); tr.Locale != "es" || !fb {
		t.Errorf("ca falls back to %s (%v), want es", tr.Locale, fb)
	}
	if tr, fb := a.In("uk"); tr.Locale != "en" || !fb {
		t.Errorf("uk falls back to %s (%v), want en", tr.Locale, fb)
	}
	if tr, fb := a.In("es"); tr.Locale != "es" || fb {
		t.Errorf("es is %s (%v)", tr.Locale, fb)
	}
}

// TestLoadProblems breaks the fixture in each way `helpcenter check` must
// catch, and expects the problem at the right file and line.
func TestLoadProblems(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string // file:line: message fragment
	}{
		{"malformed front matter", map[string]string{"other/en.md": "---\ntitle: [unclosed\ndescription: x\n---\nbody\n"}, "other/en.md:2: front matter"},
		{"unknown field", map[string]string{"other/en.md": strings.Replace(otherArticle, "updated:", "colour: red\nupdated:", 1)}, "other/en.md:5: front matter: field colour not found"},
		{"no front matter", map[string]string{"other/en.md": "just text\n"}, "other/en.md:1: front matter must start"},
		{"missing title", map[string]string{"other/en.md": strings.Replace(otherArticle, "title: Another guide\n", "", 1)}, "other/en.md:1: title is required"},
		{"unknown category", map[string]string{"other/en.md": strings.Replace(otherArticle, "category: account", "category: nowhere", 1)}, `unknown category "nowhere"`},
		{"unknown platform", map[string]string{"log-out/en.md": strings.Replace(enArticle, "platforms: [web, desktop]", "platforms: [web, desktop, palm]", 1)}, `log-out/en.md:5: unknown platform "palm"`},
		{"unknown related", map[string]string{"log-out/en.md": strings.Replace(enArticle, "related: [other]", "related: [ghost]", 1)}, `log-out/en.md:6: related article "ghost" does not exist`},
		{"broken internal link", map[string]string{"other/en.md": otherArticle + "\nSee [this](article:ghost).\n"}, `other/en.md:9: link to unknown article "ghost"`},
		{"insecure link", map[string]string{"other/en.md": otherArticle + "\nSee [this](http://example.com).\n"}, `other/en.md:9: link "http://example.com"`},
		{"platform sections differ", map[string]string{"log-out/es.md": strings.Replace(esArticle, ":::platform desktop", ":::platform android", 1)}, "log-out/es.md: platform sections [[web android]] differ from English [[web desktop]]"},
		{"identical to English", map[string]string{"other/fr.md": strings.Replace(otherArticle, "category: account\n", "", 1)}, "other/fr.md: identical to English"},
		{"wrong script", map[string]string{"other/ru.md": "---\ntitle: Другое руководство\ndescription: x\nupdated: 2026-10-01\n---\nThis body was left in English by mistake, which the script check must notice.\n"}, "other/ru.md: only"},
		{"future date", map[string]string{"other/en.md": strings.Replace(otherArticle, "2026-10-01", "2027-01-01", 1)}, "other/en.md:5: updated 2027-01-01 is in the future"},
		{"bad date", map[string]string{"other/en.md": strings.Replace(otherArticle, "2026-10-01", "1 Oct 2026", 1)}, `other/en.md:5: updated "1 Oct 2026"`},
		{"h1 in body", map[string]string{"other/en.md": otherArticle + "\n# Title again\n"}, "other/en.md:9: the title comes from the front matter"},
		{"unclosed fence", map[string]string{"other/en.md": otherArticle + "\n:::note\nhello\n"}, "other/en.md:9: :::note is never closed"},
		{"unknown fence", map[string]string{"other/en.md": otherArticle + "\n:::tip\nhello\n:::\n"}, `other/en.md:9: unknown fence ":::tip"`},
		{"raw html", map[string]string{"other/en.md": otherArticle + "\n<script>alert(1)</script>\n"}, "other/en.md:9: raw HTML is not rendered"},
		{"unlisted platform section", map[string]string{"log-out/en.md": strings.Replace(enArticle, "platforms: [web, desktop]", "platforms: [web]", 1)}, `platform section "desktop" is not listed`},
		{"translation sets platforms", map[string]string{"log-out/es.md": strings.Replace(esArticle, "updated:", "platforms: [web]\nupdated:", 1)}, "log-out/es.md:4: platforms is decided by en.md only"},
		{"translation without English", map[string]string{"ghost/fr.md": esArticle}, "ghost/fr.md: no English version"},
		{"bad locale file", map[string]string{"other/xx.md": otherArticle}, "other/xx.md: file name must be a locale code"},
		{"bad slug", map[string]string{"Bad_Slug/en.md": otherArticle}, "Bad_Slug: folder name is not a valid slug"},
		{"long description", map[string]string{"other/en.md": strings.Replace(otherArticle, "Something else.", strings.Repeat("x", 201), 1)}, "other/en.md:3: description is 201 characters"},
		{"source in English", map[string]string{"other/en.md": strings.Replace(otherArticle, "updated:", "source: 0123456789ab\nupdated:", 1)}, "other/en.md:5: source is for translations"},
		{"hand-written source", map[string]string{"log-out/es.md": strings.Replace(esArticle, "updated:", "source: today\nupdated:", 1)}, `log-out/es.md:4: source "today" is not a hash`},
		{"bold left open", map[string]string{"other/en.md": otherArticle + "\nTap **Forgot PIN?**now.\n"}, "other/en.md:9: ** is shown as is"},
		// Structure parity: a translation keeps English's structure.
		{"missing warning", map[string]string{"log-out/es.md": strings.Replace(esArticle, ":::warning\nNo se puede deshacer.\n:::\n", "", 1)}, "log-out/es.md:19: missing :::warning callout that English has (log-out/en.md:21)"},
		{"callouts swapped", map[string]string{"log-out/es.md": strings.NewReplacer(":::warning", ":::note", ":::note", ":::warning").Replace(esArticle)}, "log-out/es.md:22: :::warning callout that English does not have"},
		{"missing step", map[string]string{"log-out/es.md": strings.Replace(esArticle, "1. Haz clic en **Cerrar sesión**.", "1. Haz clic en **Cerrar sesión**.\n2. Confirma.", 1)}, "log-out/es.md:15: numbered list of 2 steps where English has numbered list of 1 steps (log-out/en.md:19)"},
		{"lost bold name", map[string]string{"log-out/es.md": strings.Replace(esArticle, "**Cerrar sesión**", "Cerrar sesión", 1)}, "log-out/es.md:15: step with 0 bold screen names where English has step with 1 bold screen names (log-out/en.md:19)"},
		{"changed link target", map[string]string{"log-out/es.md": strings.Replace(esArticle, "(article:other)", "(article:log-out)", 1)}, "log-out/es.md:6: link to article:log-out where English has link to article:other (log-out/en.md:10)"},
		{"lost menu path", map[string]string{"log-out/es.md": strings.Replace(esArticle, "[[Menú > Cerrar sesión]]", "Menú, Cerrar sesión", 1)}, "log-out/es.md:14: missing menu path of 2 levels that English has (log-out/en.md:15)"},
		{"shallower menu path", map[string]string{"log-out/es.md": strings.Replace(esArticle, "[[Menú > Cerrar sesión]]", "[[Cerrar sesión]]", 1)}, "log-out/es.md:11: menu path of 1 levels where English has menu path of 2 levels"},
		{"heading level", map[string]string{"log-out/es.md": strings.Replace(esArticle, "## Pasos", "### Pasos", 1)}, "log-out/es.md:8: heading level 3 where English has heading level 2 (log-out/en.md:12)"},
		{"extra bullet list", map[string]string{"log-out/es.md": esArticle + "\n- uno\n- dos\n"}, "log-out/es.md:26: bulleted list of 2 items that English does not have"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(fixture(tt.files), Options{Now: now})
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("want a LoadError, got %v", err)
			}
			var all []string
			for _, p := range le.Problems {
				all = append(all, p.String())
				if strings.Contains(p.String(), tt.want) {
					return
				}
			}
			t.Errorf("no problem matching %q in:\n%s", tt.want, strings.Join(all, "\n"))
		})
	}
}

// TestLoadChecked: a library checked at build time skips only the
// comparisons with English at start-up; what would break a page still
// fails the load.
func TestLoadChecked(t *testing.T) {
	skipped := map[string]map[string]string{
		"platform sections differ": {"log-out/es.md": strings.Replace(esArticle, ":::platform desktop", ":::platform android", 1)},
		"identical to English":     {"other/fr.md": strings.Replace(otherArticle, "category: account\n", "", 1)},
		"missing step":             {"log-out/es.md": strings.Replace(esArticle, "1. Haz clic en **Cerrar sesión**.", "1. Haz clic en **Cerrar sesión**.\n2. Confirma.", 1)},
	}
	for name, files := range skipped {
		if _, err := Load(fixture(files), Options{Now: now}); err == nil {
			t.Errorf("%s: a full load passed", name)
		}
		c, err := Load(fixture(files), Options{Now: now, Checked: true})
		if err != nil {
			t.Errorf("%s: checked load failed: %v", name, err)
			continue
		}
		if a, _ := c.Article("log-out"); a == nil || len(a.Translations) == 0 || a.Translations["en"].Text() == "" {
			t.Errorf("%s: checked load lost the articles", name)
		}
	}
	kept := map[string]map[string]string{
		"unknown category":     {"other/en.md": strings.Replace(otherArticle, "category: account", "category: nowhere", 1)},
		"unknown platform":     {"log-out/en.md": strings.Replace(enArticle, "platforms: [web, desktop]", "platforms: [web, desktop, palm]", 1)},
		"broken internal link": {"other/en.md": otherArticle + "\nSee [this](article:ghost).\n"},
		"bad date":             {"other/en.md": strings.Replace(otherArticle, "2026-10-01", "1 Oct 2026", 1)},
		"unclosed fence":       {"other/en.md": otherArticle + "\n:::note\nhello\n"},
	}
	for name, files := range kept {
		if _, err := Load(fixture(files), Options{Now: now, Checked: true}); err == nil {
			t.Errorf("%s: passed a checked load", name)
		}
	}
}

func TestHeadingIDsKeepEveryScript(t *testing.T) {
	ids := newHeadingIDs()
	for in, want := range map[string]string{
		"Request your report": "request-your-report",
		"退出帳號":                "退出帳號",
		"Выйти из аккаунта":   "выйти-из-аккаунта",
		"तीन चरण":             "तीन-चरण",
		"?!":                  "section",
	} {
		if got := string(ids.Generate([]byte(in), 0)); got != want {
			t.Errorf("Generate(%q) = %q, want %q", in, got, want)
		}
	}
	if got := string(ids.Generate([]byte("Request your report"), 0)); got != "request-your-report-1" {
		t.Errorf("repeated heading got %q", got)
	}
}
