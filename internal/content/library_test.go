package content

import (
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"helpcenter/articles"
	"helpcenter/internal/i18n"
	"helpcenter/locales"
	glossaryfiles "helpcenter/locales/glossary"
)

// TestLibrary loads the real articles/ folder: every file parses, passes
// every check of articles/README.md, keeps English's structure, follows
// its locale's glossary and renders.
func TestLibrary(t *testing.T) {
	b, err := i18n.Load(locales.FS, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	c, err := Load(articles.FS, Options{
		Now:      time.Now(),
		Labels:   func(locale, id string) string { return b.For(locale).T(id) },
		Glossary: glossaryfiles.FS,
	})
	var le *LoadError
	if errors.As(err, &le) {
		for _, p := range le.Problems {
			t.Error(p)
		}
		t.FailNow()
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Articles) < 16 {
		t.Errorf("library has %d articles, want at least 16", len(c.Articles))
	}
	for _, a := range c.Articles {
		for code, tr := range a.Translations {
			if _, ok := i18n.Lookup(code); !ok {
				t.Errorf("%s: unknown locale", tr.File)
			}
			if strings.TrimSpace(tr.Text()) == "" || len(tr.Body) == 0 {
				t.Errorf("%s: empty body", tr.File)
			}
		}
	}
}
