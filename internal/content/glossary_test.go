package content

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

const esGlossary = `digits = "latn"

[[term]]
en = "log out"
use = "cerrar sesión"
avoid = ["desconectarte"]
message = "layout.logout"

[[menu]]
en = "Menu"
use = "Menú"
`

// TestGlossary breaks the fixture against its locale's glossary: an
// avoided word, a menu level named otherwise, a UI message that no longer
// holds the term, and Latin digits where the locale writes its own.
func TestGlossary(t *testing.T) {
	ui := map[string]string{"es:layout.logout": "Cerrar sesión", "bn:layout.logout": "লগ আউট"}
	labels := func(locale, id string) string { return ui[locale+":"+id] }
	bnArticle := "---\ntitle: অন্য একটি নির্দেশিকা\ndescription: অন্য কিছু।\nupdated: 2026-10-01\n---\nএই নির্দেশিকাটি প্রায় 14 দিনের জন্য প্রযোজ্য, এবং এটি একটি সম্পূর্ণ বাংলা লেখা।\n"
	tests := []struct {
		name     string
		files    map[string]string
		glossary string // es.toml; bn.toml is fixed
		want     string
	}{
		{"avoided word", map[string]string{"log-out/es.md": strings.Replace(esArticle, "Cierra sesión desde", "Puedes desconectarte desde", 1)}, esGlossary,
			`log-out/es.md:6: "desconectarte": the glossary (glossary/es.toml) writes "log out" as "cerrar sesión"`},
		{"menu level", map[string]string{"log-out/es.md": strings.Replace(esArticle, "[[Menú >", "[[Menu >", 1)}, esGlossary,
			`log-out/es.md:11: menu level "Menu": the glossary (glossary/es.toml) writes "Menu" as "Menú"`},
		{"UI message without the term", nil, strings.Replace(esGlossary, `use = "cerrar sesión"`, `use = "salir"`, 1),
			`glossary/es.toml: term "log out": the UI message layout.logout reads "Cerrar sesión", without "salir"`},
		{"latin digits", map[string]string{"other/bn.md": bnArticle}, esGlossary,
			`other/bn.md:6: "14": write numbers with beng digits in running text (glossary/bn.toml), like "১৪"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := fstest.MapFS{
				"es.toml": {Data: []byte(tt.glossary)},
				"bn.toml": {Data: []byte("digits = \"beng\"\n")},
			}
			_, err := Load(fixture(tt.files), Options{Now: now, Labels: labels, Glossary: g})
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
	// The same fixture with native digits and the glossary's words passes.
	fixed := strings.Replace(bnArticle, "14", "১৪", 1)
	g := fstest.MapFS{"es.toml": {Data: []byte(esGlossary)}, "bn.toml": {Data: []byte("digits = \"beng\"\n")}}
	if _, err := Load(fixture(map[string]string{"other/bn.md": fixed}), Options{Now: now, Labels: labels, Glossary: g}); err != nil {
		t.Errorf("glossary-abiding fixture: %v", err)
	}
}
