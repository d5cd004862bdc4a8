package content

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"helpcenter/internal/i18n"
)

// SourceHash identifies a version of an English body: the first 12 hex
// digits of the SHA-256 of the body with line ends and the spaces around
// it normalized. A translation records it in its front matter as
// `source:` (written by `helpcenter translations stamp`, never by hand).
func SourceHash(body string) string {
	body = strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n"))
	sum := sha256.Sum256([]byte(body))
	return hex.EncodeToString(sum[:])[:12]
}

// State says how a translation stands against its English source.
type State string

const (
	Current   State = "current"   // made from the English body as it is
	Behind    State = "behind"    // English changed after it was made
	Unstamped State = "unstamped" // no source: yet; run translations stamp
	Missing   State = "missing"   // no file: readers get a fallback
)

// Cell is one article in one locale.
type Cell struct {
	Slug   string
	Locale string
	State  State
	File   string // path within articles/; empty when Missing
}

// Status is the article × locale table: one row per article (by slug),
// one cell per locale of i18n.All, English left out. The back office and
// `helpcenter translations` show it.
func (c *Catalog) Status() [][]Cell {
	var rows [][]Cell
	for _, a := range c.Articles {
		row := make([]Cell, 0, len(i18n.All)-1)
		for _, loc := range i18n.All {
			if loc.Code == "en" {
				continue
			}
			cell := Cell{Slug: a.Slug, Locale: loc.Code, State: Missing}
			if t, ok := a.Translations[loc.Code]; ok {
				cell.File, cell.State = t.File, t.state(a.sourceHash)
			}
			row = append(row, cell)
		}
		rows = append(rows, row)
	}
	return rows
}

func (t *Translation) state(english string) State {
	switch t.Source {
	case "":
		return Unstamped
	case english:
		return Current
	}
	return Behind
}

// Warnings are the findings that do not fail `helpcenter check`:
// translations made from an older English body, and translations not yet
// stamped with their source.
func (c *Catalog) Warnings() []Problem {
	var out []Problem
	for _, row := range c.Status() {
		for _, cell := range row {
			switch cell.State {
			case Behind:
				out = append(out, Problem{File: cell.File, Line: 1, Message: "English changed after this translation was made: update it, then run helpcenter translations stamp"})
			case Unstamped:
				out = append(out, Problem{File: cell.File, Line: 1, Message: "no source: run helpcenter translations stamp once it is checked"})
			}
		}
	}
	return out
}

// Stamp writes `source:` with the current English hash into every
// translation under dir (the articles/ folder) that has none and whose
// file passes every check. Files with problems are left alone and their
// problems returned; it returns the files it wrote.
func Stamp(dir string, opts Options) (written []string, problems []Problem, err error) {
	l := &loader{fsys: os.DirFS(dir), opts: opts.withDefaults()}
	c := l.load()
	bad := map[string]bool{}
	for _, p := range l.problems {
		bad[p.File] = true
	}
	for _, a := range c.Articles {
		if a.Translations["en"] == nil || bad[a.Translations["en"].File] {
			continue
		}
		for _, code := range a.Locales() {
			t := a.Translations[code]
			if code == "en" || t.Source != "" || bad[t.File] {
				continue
			}
			if err := insertSource(filepath.Join(dir, filepath.FromSlash(t.File)), a.sourceHash); err != nil {
				return written, l.problems, err
			}
			written = append(written, t.File)
		}
	}
	slices.Sort(written)
	return written, l.problems, nil
}

// insertSource adds the source: line at the end of a file's front matter.
func insertSource(path, hash string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	src := string(data)
	end := strings.Index(src[4:], "\n---\n")
	if !strings.HasPrefix(src, "---\n") || end < 0 {
		return fmt.Errorf("%s: no front matter", path)
	}
	at := 4 + end + 1
	return os.WriteFile(path, []byte(src[:at]+"source: "+hash+"\n"+src[at:]), 0o644)
}
