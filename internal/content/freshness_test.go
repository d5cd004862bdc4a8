package content

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFreshness stamps a library on disk, changes English, and expects the
// translation to be reported behind English (a warning, not a load error).
func TestFreshness(t *testing.T) {
	dir := t.TempDir()
	broken := strings.Replace(esArticle, "1. Haz clic en **Cerrar sesión**.", "1. Haz clic en Cerrar sesión.", 1)
	for name, data := range map[string]string{
		"categories.toml": categories,
		"log-out/en.md":   enArticle,
		"log-out/es.md":   esArticle,
		"log-out/fr.md":   strings.Replace(broken, "title: Cerrar", "title: Se déconnecter Cerrar", 1),
		"other/en.md":     otherArticle,
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	written, problems, err := Stamp(dir, Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(written, ",") != "log-out/es.md" {
		t.Errorf("stamped %v, want only log-out/es.md (fr.md lost a bold name)", written)
	}
	if len(problems) == 0 || problems[0].File != "log-out/fr.md" {
		t.Errorf("problems = %v", problems)
	}
	es, _ := os.ReadFile(filepath.Join(dir, "log-out", "es.md"))
	hash := SourceHash(enArticle[strings.Index(enArticle, "\n---\n")+5:])
	if !strings.Contains(string(es), "\nsource: "+hash+"\n---\n") {
		t.Errorf("es.md front matter:\n%s", es)
	}
	// A second run writes nothing: es.md has its source now.
	if again, _, _ := Stamp(dir, Options{Now: now}); len(again) != 0 {
		t.Errorf("second stamp wrote %v", again)
	}
	os.Remove(filepath.Join(dir, "log-out", "fr.md"))

	state := func() (State, []Problem) {
		c, err := Load(os.DirFS(dir), Options{Now: now})
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range c.Status() {
			for _, cell := range row {
				if cell.Slug == "log-out" && cell.Locale == "es" {
					a, _ := c.Article("log-out")
					if got := a.Outdated(a.Translations["es"]); got != (cell.State == Behind) {
						t.Errorf("Outdated = %v with state %s", got, cell.State)
					}
					return cell.State, c.Warnings()
				}
			}
		}
		t.Fatal("no log-out × es cell")
		return "", nil
	}
	if s, w := state(); s != Current || len(w) != 0 {
		t.Errorf("after stamp: %s, warnings %v", s, w)
	}
	en := filepath.Join(dir, "log-out", "en.md")
	if err := os.WriteFile(en, []byte(strings.Replace(enArticle, "Phones have no log-out button.", "Phones have no log-out button at all.", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	s, w := state()
	if s != Behind || len(w) != 1 || w[0].File != "log-out/es.md" || !strings.Contains(w[0].Message, "English changed") {
		t.Errorf("after English changed: %s, warnings %v", s, w)
	}
}

func TestSourceHashIgnoresLineEnds(t *testing.T) {
	if SourceHash("a\nb\n") != SourceHash("a\r\nb\r\n\n") || SourceHash("a\nb") == SourceHash("a\nc") {
		t.Error("SourceHash")
	}
}
