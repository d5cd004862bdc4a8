package content

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"golang.org/x/net/html"
	"golang.org/x/sync/errgroup"
	"gopkg.in/yaml.v3"

	"helpcenter/internal/i18n"
)

// Problem is a finding in a content file; see i18n.Problem.
type Problem = i18n.Problem

// LoadError carries every problem found in articles/.
type LoadError = i18n.LoadError

// maxDescription bounds the description shown in results and to search
// engines: 160 characters in English leave room for longer languages.
const maxDescription = 200

var sourceRE = regexp.MustCompile(`^[0-9a-f]{12}$`)

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

type frontMatter struct {
	Title       string   `yaml:"title"`
	Description string   `yaml:"description"`
	Category    string   `yaml:"category"`
	Platforms   []string `yaml:"platforms"`
	Related     []string `yaml:"related"`
	Updated     string   `yaml:"updated"`
	Featured    bool     `yaml:"featured"`
	Keywords    []string `yaml:"keywords"`
	Source      string   `yaml:"source"`
	lines       fmLines  `yaml:"-"`
}

type fmLines map[string]int // field -> file line

// Options tune Load. Labels localizes callout titles ("Note") for a
// locale; Now is the clock for the "updated in the future" check.
type Options struct {
	Labels func(locale, id string) string
	Now    time.Time
	// Checked says the files already passed every check when the binary
	// was built (the embedded library: `helpcenter check` and TestLibrary
	// run in CI). Load then still parses, renders and validates each
	// file, but skips comparing each translation with English (structure,
	// platform sections, identical text, script), which only writers
	// need and which is a fifth of start-up.
	Checked bool
	// Glossary holds locales/glossary/<code>.toml; nil skips the glossary
	// rules (the site does: they are for writers, run by check).
	Glossary fs.FS
}

// Load reads categories.toml and every <slug>/<locale>.md of fsys, renders
// them and checks them against the rules of articles/README.md. Any
// problem fails the load, with every problem listed as file:line.
func Load(fsys fs.FS, opts Options) (*Catalog, error) {
	l := &loader{fsys: fsys, opts: opts.withDefaults()}
	c := l.load()
	if len(l.problems) > 0 {
		sort.SliceStable(l.problems, func(i, j int) bool {
			if l.problems[i].File != l.problems[j].File {
				return l.problems[i].File < l.problems[j].File
			}
			if l.problems[i].Line != l.problems[j].Line {
				return l.problems[i].Line < l.problems[j].Line
			}
			return l.problems[i].Message < l.problems[j].Message
		})
		return nil, &LoadError{Problems: l.problems}
	}
	return c, nil
}

func (opts Options) withDefaults() Options {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.Labels == nil {
		opts.Labels = func(_, id string) string { return id }
	}
	return opts
}

type loader struct {
	mu       sync.Mutex // guards problems: files are parsed and built in parallel
	fsys     fs.FS
	opts     Options
	problems []Problem
	glossary map[string]*glossary
}

func (l *loader) add(file string, line int, format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.problems = append(l.problems, Problem{File: file, Line: line, Message: fmt.Sprintf(format, args...)})
}

type rawFile struct {
	slug, locale, file string
	fm                 frontMatter
	body               string
	bodyLine           int
}

func (l *loader) load() *Catalog {
	c := &Catalog{articles: map[string]*Article{}, categories: map[string]*Category{}}
	l.loadCategories(c)
	l.glossary = l.loadGlossaries()

	entries, err := fs.ReadDir(l.fsys, ".")
	if err != nil {
		l.add(".", 0, "read articles: %v", err)
		return c
	}
	type source struct{ file, slug, locale string }
	var sources []source
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		slug := e.Name()
		if !slugRE.MatchString(slug) {
			l.add(slug, 0, "folder name is not a valid slug (lower-case letters, digits and hyphens)")
			continue
		}
		mds, _ := fs.Glob(l.fsys, slug+"/*")
		for _, f := range mds {
			code := strings.TrimSuffix(path.Base(f), ".md")
			loc, ok := i18n.Lookup(code)
			if !strings.HasSuffix(f, ".md") || !ok || loc.Code != code {
				l.add(f, 0, "file name must be a locale code from locales.tsv with .md, like pt-BR.md")
				continue
			}
			sources = append(sources, source{f, slug, code})
		}
	}
	// Parsing and rendering a few hundred files is most of start-up:
	// both run on every CPU.
	parsed := make([]rawFile, len(sources))
	ok := make([]bool, len(sources))
	parallel(len(sources), func(i int) {
		parsed[i], ok[i] = l.parseFile(sources[i].file, sources[i].slug, sources[i].locale)
	})
	var files []rawFile
	for i := range parsed {
		if ok[i] {
			files = append(files, parsed[i])
		}
	}
	// Articles are created from their English file, which decides the
	// category, platforms, related articles and featured flag.
	for _, rf := range files {
		if rf.locale != "en" {
			continue
		}
		c.articles[rf.slug] = &Article{
			Slug: rf.slug, Category: rf.fm.Category, Featured: rf.fm.Featured,
			Platforms: rf.fm.Platforms, Related: rf.fm.Related,
			Translations: map[string]*Translation{},
			sourceHash:   SourceHash(rf.body),
		}
	}
	exists := func(slug string) bool { _, ok := c.articles[slug]; return ok }
	built := make([]*Translation, len(files))
	parallel(len(files), func(i int) {
		if a, ok := c.articles[files[i].slug]; ok {
			built[i] = l.build(files[i], a, exists)
		}
	})
	for i, rf := range files {
		a, ok := c.articles[rf.slug]
		if !ok {
			if rf.locale != "en" {
				l.add(rf.file, 0, "no English version (%s/en.md): every article starts in English", rf.slug)
			}
			continue
		}
		a.Translations[rf.locale] = built[i]
	}
	for _, a := range c.articles {
		c.Articles = append(c.Articles, a)
	}
	sort.Slice(c.Articles, func(i, j int) bool { return c.Articles[i].Slug < c.Articles[j].Slug })
	parallel(len(c.Articles), func(i int) { l.checkArticle(c, c.Articles[i]) })
	for _, a := range c.Articles {
		if cat, ok := c.categories[a.Category]; ok {
			cat.Articles = append(cat.Articles, a)
		}
	}
	for _, cat := range c.Categories {
		sort.SliceStable(cat.Articles, func(i, j int) bool {
			return cat.Articles[i].Featured && !cat.Articles[j].Featured
		})
	}
	return c
}

func (l *loader) loadCategories(c *Catalog) {
	var doc struct {
		Category []struct {
			Slug string `toml:"slug"`
		} `toml:"category"`
	}
	data, err := fs.ReadFile(l.fsys, "categories.toml")
	if err != nil {
		l.add("categories.toml", 0, "%v", err)
		return
	}
	if _, err := toml.Decode(string(data), &doc); err != nil {
		line := 0
		if pe, ok := err.(toml.ParseError); ok {
			line = pe.Position.Line
		}
		l.add("categories.toml", line, "%v", err)
		return
	}
	for _, cat := range doc.Category {
		if !slugRE.MatchString(cat.Slug) || c.categories[cat.Slug] != nil {
			l.add("categories.toml", 0, "category %q: invalid or repeated slug", cat.Slug)
			continue
		}
		x := &Category{Slug: cat.Slug}
		c.Categories = append(c.Categories, x)
		c.categories[cat.Slug] = x
	}
}

// parseFile splits the front matter from the body and decodes it, with
// errors at the file's own line numbers.
func (l *loader) parseFile(file, slug, locale string) (rawFile, bool) {
	data, err := fs.ReadFile(l.fsys, file)
	if err != nil {
		l.add(file, 0, "%v", err)
		return rawFile{}, false
	}
	if !utf8.Valid(data) {
		l.add(file, 0, "not valid UTF-8")
		return rawFile{}, false
	}
	src := strings.ReplaceAll(string(data), "\r\n", "\n")
	src = strings.TrimPrefix(src, "\ufeff")
	if !strings.HasPrefix(src, "---\n") {
		l.add(file, 1, "front matter must start the file with a line of ---")
		return rawFile{}, false
	}
	end := strings.Index(src[4:], "\n---\n")
	if end < 0 {
		l.add(file, 1, "front matter is not closed with a line of ---")
		return rawFile{}, false
	}
	fmSrc := src[4 : 4+end+1]
	body := src[4+end+5:]
	bodyLine := strings.Count(src[:4+end+5], "\n") + 1

	rf := rawFile{slug: slug, locale: locale, file: file, body: body, bodyLine: bodyLine}
	dec := yaml.NewDecoder(strings.NewReader(fmSrc))
	dec.KnownFields(true)
	if err := dec.Decode(&rf.fm); err != nil {
		l.add(file, yamlLine(err)+1, "front matter: %s", yamlMessage(err))
		return rawFile{}, false
	}
	var node yaml.Node
	_ = yaml.Unmarshal([]byte(fmSrc), &node)
	rf.fm.lines = fmLines{}
	if len(node.Content) == 1 {
		m := node.Content[0]
		for i := 0; i+1 < len(m.Content); i += 2 {
			rf.fm.lines[m.Content[i].Value] = m.Content[i].Line + 1
		}
	}
	return rf, true
}

var yamlLineRE = regexp.MustCompile(`line (\d+)`)

func yamlLine(err error) int {
	m := yamlLineRE.FindStringSubmatch(err.Error())
	if m == nil {
		return 0
	}
	var n int
	fmt.Sscan(m[1], &n)
	return n
}

func yamlMessage(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	s = strings.TrimPrefix(s, "unmarshal errors:\n")
	s = yamlLineRE.ReplaceAllString(strings.TrimSpace(s), "")
	s = strings.ReplaceAll(s, " in type content.frontMatter", "")
	return strings.TrimLeft(s, ": ")
}

// build checks one file's front matter and renders its body.
func (l *loader) build(rf rawFile, a *Article, exists func(string) bool) *Translation {
	fm := rf.fm
	line := func(field string) int {
		if n, ok := fm.lines[field]; ok {
			return n
		}
		return 1
	}
	for field, v := range map[string]string{"title": fm.Title, "description": fm.Description, "updated": fm.Updated} {
		if strings.TrimSpace(v) == "" {
			l.add(rf.file, line(field), "%s is required", field)
		}
	}
	if n := utf8.RuneCountInString(fm.Description); n > maxDescription {
		l.add(rf.file, line("description"), "description is %d characters; keep it under %d", n, maxDescription)
	}
	updated, err := time.Parse(time.DateOnly, fm.Updated)
	if fm.Updated != "" && err != nil {
		l.add(rf.file, line("updated"), "updated %q: write YYYY-MM-DD", fm.Updated)
	} else if updated.After(l.opts.Now.Add(24 * time.Hour)) {
		l.add(rf.file, line("updated"), "updated %s is in the future", fm.Updated)
	}
	if rf.locale == "en" {
		if fm.Source != "" {
			l.add(rf.file, line("source"), "source is for translations: English is the source")
		}
		if fm.Category == "" {
			l.add(rf.file, line("category"), "category is required")
		}
		for _, p := range fm.Platforms {
			if !slices.Contains(Platforms, p) {
				l.add(rf.file, line("platforms"), "unknown platform %q (want one of %s)", p, strings.Join(Platforms, ", "))
			}
		}
		for _, r := range fm.Related {
			if !exists(r) || r == rf.slug {
				l.add(rf.file, line("related"), "related article %q does not exist", r)
			}
		}
	} else {
		if fm.Category != "" && fm.Category != a.Category {
			l.add(rf.file, line("category"), "category %q differs from English %q: only en.md decides it", fm.Category, a.Category)
		}
		if fm.Source != "" && !sourceRE.MatchString(fm.Source) {
			l.add(rf.file, line("source"), "source %q is not a hash written by helpcenter translations stamp", fm.Source)
		}
		for field, set := range map[string]bool{"platforms": fm.Platforms != nil, "related": fm.Related != nil, "featured": fm.Featured} {
			if set {
				l.add(rf.file, line(field), "%s is decided by en.md only; leave it out of translations", field)
			}
		}
	}

	blocks, errs := splitBlocks(rf.body, rf.bodyLine)
	r := &bodyRenderer{
		ids:    newHeadingIDs(),
		labels: func(id string) string { return l.opts.Labels(rf.locale, id) },
		links:  exists,
		errs:   errs,
	}
	t := &Translation{
		Locale: rf.locale, Title: strings.TrimSpace(fm.Title), Description: strings.TrimSpace(fm.Description),
		Keywords: fm.Keywords, Updated: updated, File: rf.file, Source: fm.Source,
	}
	t.Body = r.segments(blocks)
	t.parts, t.menus, t.endLine = r.parts, r.menus, rf.bodyLine+strings.Count(rf.body, "\n")
	if g, ok := l.glossary[rf.locale]; ok {
		l.checkWords(g, rf)
	}
	for _, e := range r.errs {
		l.add(rf.file, e.line, "%s", e.msg)
	}
	return t
}

// checkArticle checks an article's category and platforms and, unless
// the library was checked at build time, compares each translation with
// English and with its locale's script.
func (l *loader) checkArticle(c *Catalog, a *Article) {
	en := a.Translations["en"]
	if _, ok := c.categories[a.Category]; !ok && a.Category != "" {
		l.add(en.File, 0, "unknown category %q (see categories.toml)", a.Category)
	}
	var used []string
	for _, g := range en.PlatformSections() {
		for _, p := range g {
			if !slices.Contains(used, p) {
				used = append(used, p)
			}
		}
	}
	for _, p := range used {
		if !slices.Contains(a.Platforms, p) {
			l.add(en.File, 0, "platform section %q is not listed in platforms", p)
		}
	}
	for _, p := range a.Platforms {
		if !slices.Contains(used, p) {
			l.add(en.File, 0, "platforms lists %q but the body has no section for it", p)
		}
	}
	if l.opts.Checked {
		return
	}
	want := fmt.Sprint(en.PlatformSections())
	enText := en.Text()
	for code, t := range a.Translations {
		if code == "en" {
			continue
		}
		if got := fmt.Sprint(t.PlatformSections()); got != want {
			l.add(t.File, 0, "platform sections %s differ from English %s", got, want)
		}
		for _, e := range parityProblems(en.parts, t.parts, en.File, t.endLine) {
			l.add(t.File, e.line, "%s", e.msg)
		}
		if g, ok := l.glossary[code]; ok {
			l.checkMenus(g, en, t)
		}
		text := t.Text()
		if text == enText || t.Title == en.Title {
			l.add(t.File, 0, "identical to English: translate it or delete the file")
		}
		loc, _ := i18n.Lookup(code)
		if share, letters := scriptShare(t.Title+" "+text, loc.Script); letters >= 40 && share < 0.5 {
			l.add(t.File, 0, "only %.0f%% of the letters are in the %s script of %s", share*100, loc.Script, code)
		}
	}
	if share, letters := scriptShare(en.Title+" "+enText, "Latn"); letters >= 40 && share < 0.5 {
		l.add(en.File, 0, "only %.0f%% of the letters are Latin", share*100)
	}
}

// plainText extracts the text of rendered HTML, a space between blocks.
func plainText(h string) string {
	var b bytes.Buffer
	z := html.NewTokenizer(strings.NewReader(h))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			b.Write(z.Text())
		case html.StartTagToken, html.EndTagToken:
			if name, _ := z.TagName(); len(name) != 1 || name[0] == 'p' {
				b.WriteByte(' ')
			}
		}
	}
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
