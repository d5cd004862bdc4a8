package content

import (
	"fmt"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// part is one structural element of a body: what a translation must keep
// exactly as English has it, however its sentences are worded. Plain
// paragraphs are not parts: a translation may split or join them.
type part struct {
	key  string // "heading level 2", "numbered list of 3 steps", ...
	line int    // file line
}

// skeletonOf records the parts of a parsed Markdown block.
func (r *bodyRenderer) skeletonOf(n ast.Node, lineOf func(ast.Node) int) {
	// Lists and their items hold no lines of their own: take their first
	// block's.
	first := func(n ast.Node) ast.Node {
		for n.Lines().Len() == 0 && n.FirstChild() != nil && n.FirstChild().Type() == ast.TypeBlock {
			n = n.FirstChild()
		}
		return n
	}
	add := func(line int, format string, args ...any) {
		r.parts = append(r.parts, part{key: fmt.Sprintf(format, args...), line: line})
	}
	switch n := n.(type) {
	case *ast.Heading:
		add(lineOf(n), "heading level %d", n.Level)
	case *ast.List:
		if n.IsOrdered() {
			add(lineOf(first(n)), "numbered list of %d steps", n.ChildCount())
		} else {
			add(lineOf(first(n)), "bulleted list of %d items", n.ChildCount())
		}
	case *ast.ListItem:
		if l, ok := n.Parent().(*ast.List); ok && l.IsOrdered() {
			add(lineOf(first(n)), "step with %d bold screen names", boldNames(n))
		}
	case *ast.Link:
		if dest := string(n.Destination); strings.HasPrefix(dest, "article:") {
			add(lineOf(n), "link to %s", dest)
		}
	case *menuPath:
		add(lineOf(n), "menu path of %d levels", len(n.items))
		r.menus = append(r.menus, menuAt{items: n.items, line: lineOf(n)})
	}
}

// boldNames counts the **bold** names of one step, leaving out the steps
// of lists nested in it.
func boldNames(item ast.Node) int {
	n := 0
	var walk func(ast.Node)
	walk = func(p ast.Node) {
		for c := p.FirstChild(); c != nil; c = c.NextSibling() {
			if _, ok := c.(*ast.List); ok {
				continue
			}
			if e, ok := c.(*ast.Emphasis); ok && e.Level == 2 {
				n++
			}
			walk(c)
		}
	}
	walk(item)
	return n
}

// parityProblems compares a translation's parts with English and describes
// each difference at the translation's line, with English's line.
func parityProblems(en, tr []part, enFile string, endLine int) []lineError {
	// Longest common subsequence of the keys; the rest are differences.
	m, n := len(en), len(tr)
	lcs := make([][]int, m+1)
	for i := range lcs {
		lcs[i] = make([]int, n+1)
	}
	for i := m - 1; i >= 0; i-- {
		for j := n - 1; j >= 0; j-- {
			if en[i].key == tr[j].key {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	lineAt := func(j int) int {
		if j < n {
			return tr[j].line
		}
		return endLine
	}
	var errs []lineError
	i, j := 0, 0
	for i < m || j < n {
		switch {
		case i < m && j < n && en[i].key == tr[j].key:
			i++
			j++
		case i < m && j < n && lcs[i+1][j+1] == lcs[i][j]:
			errs = append(errs, lineError{tr[j].line, fmt.Sprintf("%s where English has %s (%s:%d)", tr[j].key, en[i].key, enFile, en[i].line)})
			i++
			j++
		case j >= n || (i < m && lcs[i+1][j] >= lcs[i][j+1]):
			errs = append(errs, lineError{lineAt(j), fmt.Sprintf("missing %s that English has (%s:%d)", en[i].key, enFile, en[i].line)})
			i++
		default:
			errs = append(errs, lineError{tr[j].line, fmt.Sprintf("%s that English does not have", tr[j].key)})
			j++
		}
	}
	return errs
}
