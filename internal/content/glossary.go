package content

import (
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"unicode"

	"github.com/BurntSushi/toml"
)

// glossary is one locale's locales/glossary/<code>.toml: how its articles
// write the app's menu names and key terms, and which digits they use.
type glossary struct {
	file   string
	Digits string `toml:"digits"` // "latn", or the numbering system of running text
	Terms  []struct {
		En      string   `toml:"en"`
		Use     string   `toml:"use"`
		Avoid   []string `toml:"avoid"`
		Message string   `toml:"message"` // a UI message whose text holds Use
	} `toml:"term"`
	Menus []struct {
		En  string `toml:"en"`
		Use string `toml:"use"`
	} `toml:"menu"`
	menu map[string]string // English menu item -> this locale's
}

// digitZero is the zero of each numbering system a glossary may name.
var digitZero = map[string]rune{"arab": '٠', "arabext": '۰', "beng": '০', "deva": '०'}

// loadGlossaries reads every <code>.toml of fsys; a locale without one has
// no glossary rules.
func (l *loader) loadGlossaries() map[string]*glossary {
	out := map[string]*glossary{}
	if l.opts.Glossary == nil {
		return out
	}
	files, _ := fs.Glob(l.opts.Glossary, "*.toml")
	for _, f := range files {
		code := strings.TrimSuffix(f, ".toml")
		g := &glossary{file: "glossary/" + f, menu: map[string]string{}}
		data, err := fs.ReadFile(l.opts.Glossary, f)
		if err == nil {
			_, err = toml.Decode(string(data), g)
		}
		if err != nil {
			l.add(g.file, 0, "%v", err)
			continue
		}
		if _, ok := digitZero[g.Digits]; !ok && g.Digits != "latn" {
			l.add(g.file, 0, "digits %q: want latn, arab, arabext, beng or deva", g.Digits)
		}
		for _, t := range g.Terms {
			if t.Message == "" {
				continue
			}
			if ui := l.opts.Labels(code, t.Message); !strings.Contains(strings.ToLower(ui), strings.ToLower(t.Use)) {
				l.add(g.file, 0, "term %q: the UI message %s reads %q, without %q", t.En, t.Message, ui, t.Use)
			}
		}
		for _, m := range g.Menus {
			g.menu[m.En] = m.Use
		}
		out[code] = g
	}
	return out
}

var (
	listMarkerRE = regexp.MustCompile(`^\s*(\d+\.|[-*])\s`)
	linkDestRE   = regexp.MustCompile(`\]\([^)]*\)`)
)

// checkWords holds one file's body and title to its locale's glossary:
// no avoided form of a term, and running text in the locale's digits.
func (l *loader) checkWords(g *glossary, rf rawFile) {
	lines := strings.Split(rf.body, "\n")
	at := func(i int) int { return rf.bodyLine + i }
	check := func(line int, s string) {
		lower := strings.ToLower(s)
		for _, t := range g.Terms {
			for _, a := range t.Avoid {
				if strings.Contains(lower, strings.ToLower(a)) {
					l.add(rf.file, line, "%q: the glossary (%s) writes %q as %q", a, g.file, t.En, t.Use)
				}
			}
		}
		if g.Digits == "latn" {
			return
		}
		s = linkDestRE.ReplaceAllString(listMarkerRE.ReplaceAllString(s, ""), "]")
		if i := strings.IndexFunc(s, func(r rune) bool { return r >= '0' && r <= '9' }); i >= 0 {
			zero := digitZero[g.Digits]
			native := strings.Map(func(r rune) rune {
				if r >= '0' && r <= '9' {
					return zero + r - '0'
				}
				return r
			}, numberAt(s, i))
			l.add(rf.file, line, "%q: write numbers with %s digits in running text (%s), like %q", numberAt(s, i), g.Digits, g.file, native)
		}
	}
	for field, v := range map[string]string{"title": rf.fm.Title, "description": rf.fm.Description} {
		n := 1
		if x, ok := rf.fm.lines[field]; ok {
			n = x
		}
		check(n, v)
	}
	for i, ln := range lines {
		check(at(i), ln)
	}
}

// numberAt returns the run of digits starting at s[i].
func numberAt(s string, i int) string {
	j := strings.IndexFunc(s[i:], func(r rune) bool { return !unicode.IsDigit(r) })
	if j < 0 {
		return s[i:]
	}
	return s[i : i+j]
}

// checkMenus compares the levels of a translation's menu paths with the
// glossary's form of each English level, when the paths line up.
func (l *loader) checkMenus(g *glossary, en, t *Translation) {
	if len(en.menus) != len(t.menus) {
		return // parity reports it
	}
	for i, m := range t.menus {
		e := en.menus[i]
		if len(e.items) != len(m.items) {
			continue
		}
		for k, item := range m.items {
			if want, ok := g.menu[e.items[k]]; ok && want != item {
				l.add(t.File, m.line, "menu level %q: the glossary (%s) writes %q as %q", item, g.file, e.items[k], want)
			}
		}
	}
}

// menuAt is one menu path of a file and its line.
type menuAt struct {
	items []string
	line  int
}

func (m menuAt) String() string { return fmt.Sprintf("%d:%s", m.line, strings.Join(m.items, " > ")) }
