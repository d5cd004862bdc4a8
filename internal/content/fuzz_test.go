package content

import (
	"errors"
	"strings"
	"testing"
)

// FuzzArticleFile loads the fixture library with one article file
// replaced by arbitrary bytes: the loader either accepts it or lists its
// problems as file:line, never panics, and what it renders never carries
// raw markup or a script URL from the file.
func FuzzArticleFile(f *testing.F) {
	for _, s := range []string{
		enArticle, esArticle, otherArticle, "", "---\n", "---\n---\n", "---\ntitle: [\n---\n", "\ufeff---\r\ntitle: x\r\n---\r\n",
		"---\ntitle: x\ndescription: y\nupdated: 2026-10-01\n---\n<script>alert(1)</script>\n",
		"---\ntitle: x\ndescription: y\nupdated: 2026-10-01\n---\n[a](javascript:alert(1)) ![i](data:text/html,x)\n",
		"---\ntitle: x\ndescription: y\nupdated: 2026-10-01\n---\n:::platform web\n:::note\n:::\n",
		"---\ntitle: x\ndescription: y\nupdated: 9999-99-99\nunknown: 1\n---\n[[A > > B]] [[",
		"---\ntitle: &a [*a, *a]\n---\n", "---\ntitle: \"\\u202e\"\ndescription: \"\\x00\"\nupdated: 2026-10-01\n---\n# \u202e\n",
		"---\n" + strings.Repeat("a: [", 100) + "\n---\n", "\xff\xfe---\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Load(fixture(map[string]string{"log-out/en.md": string(data)}), Options{Now: now})
		if err != nil {
			var le *LoadError
			if !errors.As(err, &le) || len(le.Problems) == 0 {
				t.Fatalf("error is not a list of problems: %v", err)
			}
			for _, p := range le.Problems {
				if p.File == "" || p.Message == "" {
					t.Fatalf("problem without a file or a message: %+v", p)
				}
			}
			return
		}
		a, err := c.Article("log-out")
		if err != nil {
			t.Fatal(err)
		}
		tr, _ := a.In("en")
		for _, seg := range tr.Body {
			html := seg.HTML
			for _, p := range seg.Platforms {
				html += p.HTML
			}
			lower := strings.ToLower(html)
			for _, bad := range []string{"<script", "javascript:", "<iframe", " onerror=", " onload="} {
				if strings.Contains(lower, bad) {
					t.Fatalf("rendered %q from %q", bad, data)
				}
			}
		}
	})
}
