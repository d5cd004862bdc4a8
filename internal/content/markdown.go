package content

import (
	"bufio"
	"bytes"
	"fmt"
	"html"
	"slices"
	"strings"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// markdown renders article bodies: CommonMark with tables and
// strikethrough, raw HTML dropped (goldmark's default), heading IDs that
// keep every script's letters, and menu paths written [[A > B > C]].
var markdown = goldmark.New(
	goldmark.WithExtensions(extension.Table, extension.Strikethrough),
	goldmark.WithParserOptions(
		parser.WithAutoHeadingID(),
		parser.WithInlineParsers(util.Prioritized(menuPathParser{}, 150)),
	),
	goldmark.WithRendererOptions(
		renderer.WithNodeRenderers(util.Prioritized(menuPathRenderer{}, 100)),
		gmhtml.WithXHTML(),
	),
)

// block is one piece of a body after splitting at ::: fences.
type block struct {
	kind     string // "", "note", "warning" or "platform"
	platform string
	line     int // first line of the content, 1-based within the file
	src      string
	children []block // callouts inside a platform section
}

// splitBlocks cuts a body at its ::: fences. lineOffset is the file line
// of the body's first line, so errors point into the file.
func splitBlocks(body string, lineOffset int) ([]block, []lineError) {
	var (
		out   []block
		errs  []lineError
		stack []*block
		cur   strings.Builder
		start = lineOffset
	)
	flush := func(lineNo int) {
		if cur.Len() == 0 {
			start = lineNo + 1
			return
		}
		b := block{line: start, src: cur.String()}
		if len(stack) > 0 {
			stack[len(stack)-1].children = append(stack[len(stack)-1].children, b)
		} else {
			out = append(out, b)
		}
		cur.Reset()
		start = lineNo + 1
	}
	lines := strings.Split(body, "\n")
	for i, ln := range lines {
		lineNo := lineOffset + i
		trimmed := strings.TrimSpace(ln)
		if !strings.HasPrefix(trimmed, ":::") {
			cur.WriteString(ln)
			cur.WriteByte('\n')
			continue
		}
		flush(lineNo)
		arg := strings.Fields(strings.TrimPrefix(trimmed, ":::"))
		switch {
		case len(arg) == 0: // closing fence
			if len(stack) == 0 {
				errs = append(errs, lineError{lineNo, "closing ::: without an opening fence"})
				continue
			}
			b := *stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if len(stack) > 0 {
				stack[len(stack)-1].children = append(stack[len(stack)-1].children, b)
			} else {
				out = append(out, b)
			}
		case arg[0] == "note" || arg[0] == "warning":
			if len(stack) > 0 && stack[len(stack)-1].kind != "platform" {
				errs = append(errs, lineError{lineNo, "a callout can only be nested in a platform section"})
			}
			stack = append(stack, &block{kind: arg[0], line: lineNo + 1})
		case arg[0] == "platform":
			if len(arg) != 2 {
				errs = append(errs, lineError{lineNo, "write :::platform <name>"})
				arg = append(arg, "")
			}
			if len(stack) > 0 {
				errs = append(errs, lineError{lineNo, "a platform section can't be nested"})
			}
			stack = append(stack, &block{kind: "platform", platform: arg[1], line: lineNo + 1})
		default:
			errs = append(errs, lineError{lineNo, fmt.Sprintf("unknown fence %q (want note, warning or platform)", trimmed)})
		}
	}
	flush(lineOffset + len(lines))
	for _, b := range stack {
		errs = append(errs, lineError{b.line - 1, fmt.Sprintf(":::%s is never closed", b.kind)})
	}
	return out, errs
}

type lineError struct {
	line int
	msg  string
}

// renderer turns one file's blocks into segments.
type bodyRenderer struct {
	ids      *headingIDs
	labels   func(id string) string // localized callout titles
	links    func(slug string) bool // does an article exist
	errs     []lineError
	headings int
	parts    []part // the structure parity compares
	menus    []menuAt

	out bytes.Buffer  // the block being rendered
	w   *bufio.Writer // over out, reused for every block
}

func (r *bodyRenderer) segments(blocks []block) []Segment {
	var segs []Segment
	for _, b := range blocks {
		if b.kind == "platform" {
			r.parts = append(r.parts, part{key: "platform section " + b.platform, line: b.line - 1})
			sec := PlatformSection{Platform: b.platform, HTML: r.blocks(b.children)}
			if n := len(segs); n > 0 && segs[n-1].Platforms != nil {
				segs[n-1].Platforms = append(segs[n-1].Platforms, sec)
			} else {
				segs = append(segs, Segment{Platforms: []PlatformSection{sec}})
			}
			continue
		}
		h := r.blocks([]block{b})
		if strings.TrimSpace(h) == "" {
			continue
		}
		if n := len(segs); n > 0 && segs[n-1].Platforms == nil {
			segs[n-1].HTML += h
		} else {
			segs = append(segs, Segment{HTML: h})
		}
	}
	return segs
}

func (r *bodyRenderer) blocks(bs []block) string {
	var out strings.Builder
	for _, b := range bs {
		switch b.kind {
		case "note", "warning":
			r.parts = append(r.parts, part{key: ":::" + b.kind + " callout", line: b.line - 1})
			fmt.Fprintf(&out, `<div class="callout callout-%s" role="note"><p class="callout-title">%s</p>`,
				b.kind, html.EscapeString(r.labels("article."+b.kind)))
			out.WriteString(r.render(b))
			out.WriteString(r.blocks(b.children))
			out.WriteString(`</div>`)
		default:
			out.WriteString(r.render(b))
			out.WriteString(r.blocks(b.children))
		}
	}
	return out.String()
}

func (r *bodyRenderer) render(b block) string {
	if strings.TrimSpace(b.src) == "" {
		return ""
	}
	src := []byte(b.src)
	ctx := parser.NewContext(parser.WithIDs(r.ids))
	doc := markdown.Parser().Parse(text.NewReader(src), parser.WithContext(ctx))
	r.check(doc, src, b.line)
	// goldmark wraps any writer that is not buffered in a new 4 KB
	// bufio.Writer: one per file instead of one per block.
	r.out.Reset()
	if r.w == nil {
		r.w = bufio.NewWriter(&r.out)
	}
	err := markdown.Renderer().Render(r.w, src, doc)
	if err == nil {
		err = r.w.Flush()
	}
	if err != nil {
		r.errs = append(r.errs, lineError{b.line, "render: " + err.Error()})
		r.w.Reset(&r.out)
	}
	return r.out.String()
}

// LangPlaceholder starts the path of every link between articles in
// rendered HTML: the page replaces it with the reader's language prefix
// (Localize), so one rendering serves every language that falls back to it.
const LangPlaceholder = "/_lang_"

// Localize points the links between articles in rendered HTML at the
// reader's language.
func Localize(html, langSlug string) string {
	return strings.ReplaceAll(html, `href="`+LangPlaceholder+`/`, `href="/`+langSlug+`/`)
}

// check enforces the body conventions of articles/README.md and rewrites
// article: links to LangPlaceholder paths.
func (r *bodyRenderer) check(doc ast.Node, src []byte, firstLine int) {
	lineOf := func(n ast.Node) int {
		for p := n; p != nil; p = p.Parent() {
			if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
				return firstLine + bytes.Count(src[:p.Lines().At(0).Start], []byte("\n"))
			}
		}
		return firstLine
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		r.skeletonOf(n, lineOf)
		switch n := n.(type) {
		case *ast.Heading:
			r.headings++
			if n.Level == 1 {
				r.errs = append(r.errs, lineError{lineOf(n), "the title comes from the front matter: use ## for sections, not #"})
			}
		case *ast.Link:
			dest := string(n.Destination)
			switch {
			case strings.HasPrefix(dest, "article:"):
				slug, frag, _ := strings.Cut(strings.TrimPrefix(dest, "article:"), "#")
				if !r.links(slug) {
					r.errs = append(r.errs, lineError{lineOf(n), fmt.Sprintf("link to unknown article %q", slug)})
				}
				if frag != "" {
					slug += "#" + frag
				}
				n.Destination = []byte(LangPlaceholder + "/articles/" + slug)
			case strings.HasPrefix(dest, "https://"), strings.HasPrefix(dest, "#"):
			default:
				r.errs = append(r.errs, lineError{lineOf(n), fmt.Sprintf("link %q: use article:<slug> or an https:// address", dest)})
			}
		case *ast.Text:
			// CommonMark leaves ** as is when the name ends in punctuation
			// and a letter follows: "**Forgot PIN?**를".
			if bytes.Contains(n.Segment.Value(src), []byte("**")) && !slices.Contains(r.errs, lineError{lineOf(n), unclosedBold}) {
				r.errs = append(r.errs, lineError{lineOf(n), unclosedBold})
			}
		case *ast.Image:
			r.errs = append(r.errs, lineError{lineOf(n), "images are not supported in articles yet"})
		case *ast.RawHTML, *ast.HTMLBlock:
			r.errs = append(r.errs, lineError{lineOf(n), "raw HTML is not rendered: use Markdown"})
		}
		return ast.WalkContinue, nil
	})
}

const unclosedBold = "** is shown as is: after bold text that ends in punctuation put a space or punctuation, not a letter"

// headingIDs generates heading anchors that keep letters of every script
// (goldmark's default drops all non-ASCII), unique within one article.
type headingIDs struct{ seen map[string]int }

func newHeadingIDs() *headingIDs { return &headingIDs{seen: map[string]int{}} }

func (h *headingIDs) Generate(value []byte, _ ast.NodeKind) []byte {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(string(value)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r):
			b.WriteRune(r)
			dash = false
		case (unicode.IsSpace(r) || r == '-' || r == '_') && b.Len() > 0 && !dash:
			b.WriteByte('-')
			dash = true
		}
	}
	id := strings.TrimRight(b.String(), "-")
	if id == "" {
		id = "section"
	}
	return []byte(h.unique(id))
}

func (h *headingIDs) Put(value []byte) { h.unique(string(value)) }

func (h *headingIDs) unique(id string) string {
	n := h.seen[id]
	h.seen[id] = n + 1
	if n > 0 {
		id = fmt.Sprintf("%s-%d", id, n)
	}
	return id
}

// menuPath is an inline node for [[Settings > Account > Request account info]].
type menuPath struct {
	ast.BaseInline
	items []string
}

var kindMenuPath = ast.NewNodeKind("MenuPath")

func (n *menuPath) Kind() ast.NodeKind { return kindMenuPath }

func (n *menuPath) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

type menuPathParser struct{}

func (menuPathParser) Trigger() []byte { return []byte{'['} }

func (menuPathParser) Parse(_ ast.Node, block text.Reader, _ parser.Context) ast.Node {
	line, _ := block.PeekLine()
	if !bytes.HasPrefix(line, []byte("[[")) {
		return nil
	}
	end := bytes.Index(line, []byte("]]"))
	if end < 0 {
		return nil
	}
	var items []string
	for _, it := range strings.Split(string(line[2:end]), ">") {
		if it = strings.TrimSpace(it); it != "" {
			items = append(items, it)
		}
	}
	if len(items) == 0 {
		return nil
	}
	block.Advance(end + 2)
	return &menuPath{items: items}
}

type menuPathRenderer struct{}

func (menuPathRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindMenuPath, func(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		// The separator is drawn by CSS so that it points the way the
		// text reads; screen readers hear "Settings, Account, ...".
		w.WriteString(`<span class="menu-path">`)
		for i, it := range node.(*menuPath).items {
			if i > 0 {
				w.WriteString(`<span class="menu-sep" aria-hidden="true"></span><span class="visually-hidden">, </span>`)
			}
			w.WriteString(`<b class="menu-item">` + html.EscapeString(it) + `</b>`)
		}
		w.WriteString(`</span>`)
		return ast.WalkSkipChildren, nil
	})
}
