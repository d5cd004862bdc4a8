package i18n

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"runtime"
	"slices"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/sync/errgroup"
	"golang.org/x/text/message"
)

// SampleCounts reach every CLDR plural category of every locale we serve:
// integers for zero/one/two/few/many, a million for the "many" of French,
// Spanish and Italian, and fractions for the categories (Russian and Polish
// "other", Lithuanian and Czech "many") that only decimals select.
var SampleCounts = []any{0, 1, 2, 3, 4, 5, 6, 7, 11, 12, 21, 22, 100, 101, 102, 1000000, "0.5", "1.5"}

// IdenticalAllowed lists messages that may equal English in any locale:
// platform names are proper nouns.
var IdenticalAllowed = map[string]bool{
	"platform.android": true,
	"platform.iphone":  true,
	"platform.kaios":   true,
}

// Bundle is the loaded set of message files with one Localizer per locale.
// It is immutable once built, so requests share it without locking.
type Bundle struct {
	IDs        []string // every message ID of the English file, sorted
	localizers map[string]*Localizer
}

// Problem is one finding about the message files, tied to a file.
type Problem struct {
	File    string
	Line    int
	Message string
}

func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message)
	}
	return p.File + ": " + p.Message
}

// LoadError carries every problem found while loading, so `helpcenter
// check` can print them all at once.
type LoadError struct{ Problems []Problem }

func (e *LoadError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d problem(s)", len(e.Problems))
	for i, p := range e.Problems {
		if i == 10 {
			fmt.Fprintf(&b, "\n  ... and %d more", len(e.Problems)-10)
			break
		}
		b.WriteString("\n  " + p.String())
	}
	return b.String()
}

// Load parses <code>.toml for every locale in All from fsys and verifies
// that each locale has every message, with every plural form its CLDR rules
// need, and nothing else. Any problem fails the load: a missing form would
// otherwise surface as an error in the middle of a request.
func Load(fsys fs.FS, log *slog.Logger) (*Bundle, error) {
	b, problems := load(fsys, log)
	if len(problems) > 0 {
		return nil, &LoadError{Problems: problems}
	}
	return b, nil
}

// Check is Load for `helpcenter check`: it also reports messages that are
// identical to English, which Load tolerates so that the site still starts.
func Check(fsys fs.FS) []Problem {
	_, problems := load(fsys, slog.New(slog.DiscardHandler))
	problems = append(problems, identical(fsys)...)
	return problems
}

func load(fsys fs.FS, log *slog.Logger) (*Bundle, []Problem) {
	// The 59 files are parsed, and later verified, in parallel: start-up
	// waits for this. Each locale's problems are kept apart and joined in
	// table order, so the report does not depend on scheduling.
	parsed := make([]parsedFile, len(All))
	parallel(len(All), func(i int) { parsed[i] = parseFile(fsys, All[i]) })

	var problems []Problem
	bundle := goi18n.NewBundle(Default.Tag)
	keys := make(map[string]map[string]bool, len(All))
	plural := map[string]bool{} // IDs whose English value is a table of plural forms
	for i, l := range All {
		pf := parsed[i]
		problems = append(problems, pf.problems...)
		if pf.file == nil {
			continue
		}
		keys[l.Code] = pf.keys
		if l == Default {
			plural = pf.plural
		}
		if err := bundle.AddMessages(pf.file.Tag, pf.file.Messages...); err != nil {
			problems = append(problems, Problem{File: l.Code + ".toml", Message: err.Error()})
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}

	var ids []string
	for id := range keys[Default.Code] {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	b := &Bundle{IDs: ids, localizers: make(map[string]*Localizer, len(All))}
	english := goi18n.NewLocalizer(bundle, Default.Code)
	locs := make([]*Localizer, len(All))
	found := make([][]Problem, len(All))
	parallel(len(All), func(i int) {
		l := All[i]
		locs[i] = &Localizer{
			Locale:  l,
			loc:     goi18n.NewLocalizer(bundle, l.Code),
			english: english,
			printer: message.NewPrinter(l.Tag),
			dates:   newDateFormatter(l),
			log:     log,
		}
		found[i] = verify(locs[i], ids, keys, plural)
	})
	for i, l := range All {
		b.localizers[l.Code] = locs[i]
		problems = append(problems, found[i]...)
	}
	return b, problems
}

// parsedFile is one message file, read and parsed.
type parsedFile struct {
	file     *goi18n.MessageFile
	keys     map[string]bool // every top-level message ID
	plural   map[string]bool // IDs whose value is a table of plural forms
	problems []Problem
}

var unmarshalers = map[string]goi18n.UnmarshalFunc{"toml": toml.Unmarshal}

func parseFile(fsys fs.FS, l Locale) parsedFile {
	name := l.Code + ".toml"
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return parsedFile{problems: []Problem{{File: name, Message: "missing message file"}}}
	}
	var raw map[string]any
	md, err := toml.Decode(string(data), &raw)
	if err != nil {
		var pe toml.ParseError
		line := 0
		if errors.As(err, &pe) {
			line = pe.Position.Line
		}
		return parsedFile{problems: []Problem{{File: name, Line: line, Message: err.Error()}}}
	}
	pf := parsedFile{keys: make(map[string]bool, len(raw)), plural: map[string]bool{}}
	for _, k := range md.Keys() {
		if len(k) == 1 {
			pf.keys[k[0]] = true
		}
	}
	for id, v := range raw {
		if _, ok := v.(map[string]any); ok {
			pf.plural[id] = true
		}
	}
	if pf.file, err = goi18n.ParseMessageFileBytes(data, name, unmarshalers); err != nil {
		return parsedFile{problems: []Problem{{File: name, Message: err.Error()}}}
	}
	return pf
}

// verify localizes every message of a locale with counts that reach every
// plural category, so that a missing form fails here and not in the
// middle of a request.
func verify(loc *Localizer, ids []string, keys map[string]map[string]bool, plural map[string]bool) []Problem {
	l := loc.Locale
	name := l.Code + ".toml"
	var problems []Problem
	for id := range keys[l.Code] {
		if !keys[Default.Code][id] {
			problems = append(problems, Problem{File: name, Message: fmt.Sprintf("extra message %q (not in en.toml)", id)})
		}
	}
	sort.Slice(problems, func(i, j int) bool { return problems[i].Message < problems[j].Message })
	for _, id := range ids {
		if !keys[l.Code][id] {
			problems = append(problems, Problem{File: name, Message: fmt.Sprintf("missing message %q", id)})
			continue
		}
		counts := []any{nil}
		if plural[id] {
			counts = SampleCounts
		}
		for _, n := range counts {
			_, tag, err := loc.loc.LocalizeWithTag(&goi18n.LocalizeConfig{MessageID: id, PluralCount: n})
			if err != nil {
				problems = append(problems, Problem{File: name, Message: fmt.Sprintf("message %q with count %v: %v", id, n, err)})
				break
			}
			if tag != l.Tag {
				problems = append(problems, Problem{File: name, Message: fmt.Sprintf("message %q resolves to %s, not %s", id, tag, l.Code)})
				break
			}
		}
	}
	return problems
}

// parallel runs fn(0) … fn(n-1), as many at a time as there are CPUs.
func parallel(n int, fn func(i int)) {
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i := range n {
		g.Go(func() error { fn(i); return nil })
	}
	g.Wait()
}

// identical reports messages whose text is the same as English: a sign of
// an untranslated string. The checks run on the raw TOML values.
func identical(fsys fs.FS) []Problem {
	var en map[string]any
	data, err := fs.ReadFile(fsys, Default.Code+".toml")
	if err != nil || toml.Unmarshal(data, &en) != nil {
		return nil
	}
	var problems []Problem
	for _, l := range All {
		if l == Default {
			continue
		}
		var m map[string]any
		data, err := fs.ReadFile(fsys, l.Code+".toml")
		if err != nil || toml.Unmarshal(data, &m) != nil {
			continue
		}
		var same []string
		for id, v := range m {
			if !IdenticalAllowed[id] && fmt.Sprint(v) == fmt.Sprint(en[id]) {
				same = append(same, id)
			}
		}
		slices.Sort(same)
		for _, id := range same {
			problems = append(problems, Problem{File: l.Code + ".toml", Message: fmt.Sprintf("message %q is identical to English (untranslated?)", id)})
		}
	}
	return problems
}

// For returns the Localizer of a locale code; unknown codes get English.
func (b *Bundle) For(code string) *Localizer {
	if l, ok := b.localizers[code]; ok {
		return l
	}
	return b.localizers[Default.Code]
}
