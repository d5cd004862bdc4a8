package content

import (
	"errors"
	"strings"
	"testing"
	"time"

	"helpcenter/articles"
	"helpcenter/internal/i18n"
)

// TestLibrary loads the real articles/ folder: every file parses, passes
// every check of articles/README.md and renders.
func TestLibrary(t *testing.T) {
	c, err := Load(articles.FS, Options{Now: time.Now()})
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
			if strings.TrimSpace(tr.Text) == "" || len(tr.Body) == 0 {
				t.Errorf("%s: empty body", tr.File)
			}
		}
	}
}
