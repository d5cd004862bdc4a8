// Package search is the help center's full-text search: an SQLite FTS5
// index per locale, built in memory from the content catalog at start and
// never changed after.
//
// Text is folded in Go before FTS5 sees it (case, accents, letter variants
// of every script; see fold.go), and FTS5 only splits the result on spaces
// with its ascii tokenizer, so the index, the query and the highlighting
// of snippets agree on what a word is. Scripts written without spaces
// (Chinese, Japanese, Korean, Thai) are indexed as overlapping character
// bigrams plus single characters, the scheme of Lucene's cjk_bigram.
package search

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver, with FTS5
)

// Column weights for bm25: a word in the title or in the keywords (the
// synonyms readers really type) counts for more than one in the body.
const (
	weightTitle    = 10.0
	weightKeywords = 6.0
	weightBody     = 1.0
)

// Page bounds of a Query.
const (
	defaultLimit = 10
	maxLimit     = 100 // each hit costs a snippet
)

// Doc is one article translation to index.
type Doc struct {
	Locale   string // locale code as in locales.tsv: "pt-BR", "zh-TW"
	Slug     string
	Title    string
	Keywords []string
	Body     string // plain text of the body
}

// Index is the search index of every locale. It is immutable and safe for
// concurrent use.
type Index struct {
	write   *sql.DB   // the one connection that built the index
	keep    *sql.Conn // held open: memdb frees a database with its last connection
	read    *sql.DB   // a pool of query-only connections to the same database
	locales map[string]*localeIndex
}

// localeIndex is the logical index of one locale: its own FTS5 table, so
// bm25's word statistics are those of the locale's language.
type localeIndex struct {
	locale string
	docs   []entry          // rowid-1 -> entry
	rowids map[string]int64 // slug -> rowid
	page   *sql.Stmt
	count  *sql.Stmt
}

// entry is what a hit shows of a document: the original text, never the
// folded one.
type entry struct {
	slug, title, body string
	folded            foldedText // of body, for snippets
}

// Query asks for results in one locale.
type Query struct {
	Locale  string
	Text    string   // raw reader input
	Limit   int      // max hits to return (e.g. 10); <=0 means 10; capped at 100
	Offset  int      // hits to skip, for pagination; <0 means 0
	Exclude []string // slugs not to return (used to skip articles already found in the reader's own language)
}

// Hit is one result.
type Hit struct {
	Slug    string
	Locale  string
	Title   string  // original title
	Snippet string  // safe HTML: escaped text with <mark>
	Score   float64 // lower is better (bm25), for tests and merging
}

// Build indexes docs. The Index is immutable and safe for concurrent use.
// Locales are told apart by their code, case-insensitively; a locale with
// no docs simply finds nothing.
func Build(docs []Doc) (*Index, error) {
	ctx := context.Background()
	byLocale := map[string]*localeIndex{}
	sources := map[*localeIndex][]Doc{}
	for _, d := range docs {
		if d.Locale == "" || d.Slug == "" {
			return nil, fmt.Errorf("search: build: doc %q/%q: locale and slug are required", d.Locale, d.Slug)
		}
		key := strings.ToLower(d.Locale)
		li := byLocale[key]
		if li == nil {
			li = &localeIndex{locale: d.Locale, rowids: map[string]int64{}}
			byLocale[key] = li
		}
		if _, dup := li.rowids[d.Slug]; dup {
			return nil, fmt.Errorf("search: build: %s/%s given twice", d.Locale, d.Slug)
		}
		li.docs = append(li.docs, entry{
			slug:  d.Slug,
			title: strings.TrimSpace(strings.ToValidUTF8(d.Title, "\uFFFD")),
			// Whitespace is collapsed once here so snippets count characters
			// that show.
			body: strings.Join(strings.Fields(strings.ToValidUTF8(d.Body, "\uFFFD")), " "),
		})
		li.rowids[d.Slug] = int64(len(li.docs))
		sources[li] = append(sources[li], d)
	}
	keys := make([]string, 0, len(byLocale))
	for k := range byLocale {
		keys = append(keys, k)
	}
	slices.Sort(keys)

	var name [8]byte
	if _, err := rand.Read(name[:]); err != nil {
		return nil, fmt.Errorf("search: build: %w", err)
	}
	// A named memdb database lives in this process's memory and is shared
	// by every connection that opens the same name, so a pool of readers
	// can search at once. The random name keeps two indexes apart.
	dsn := "file:/helpcenter-search-" + hex.EncodeToString(name[:]) + "?vfs=memdb"
	ix := &Index{locales: byLocale}
	var err error
	if ix.write, err = sql.Open("sqlite", dsn+"&_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)"); err != nil {
		return nil, fmt.Errorf("search: build: open: %w", err)
	}
	ix.write.SetMaxOpenConns(1)
	ix.write.SetMaxIdleConns(1)
	if ix.keep, err = ix.write.Conn(ctx); err != nil {
		ix.Close()
		return nil, fmt.Errorf("search: build: open: %w", err)
	}
	var tk tokenizer
	for i, k := range keys {
		li := byLocale[k]
		if err := ix.fill(ctx, &tk, table(i), li, sources[li]); err != nil {
			ix.Close()
			return nil, err
		}
	}

	// Each reader's page cache copies pages of a database that is already
	// in memory: a small one (256 KiB, not the default 2 MiB) costs nothing
	// measurable in BenchmarkSearch.
	if ix.read, err = sql.Open("sqlite", dsn+"&_pragma=query_only(1)&_pragma=cache_size(-256)"); err != nil {
		ix.Close()
		return nil, fmt.Errorf("search: build: open reader: %w", err)
	}
	// One connection per CPU: SQLite runs a statement on one thread, so
	// more would only wait for a CPU.
	n := runtime.GOMAXPROCS(0)
	ix.read.SetMaxOpenConns(n)
	ix.read.SetMaxIdleConns(n)
	for i, k := range keys {
		if err := ix.prepare(ctx, table(i), byLocale[k]); err != nil {
			ix.Close()
			return nil, err
		}
	}
	return ix, nil
}

// table names the FTS5 table of the i-th locale: never the locale code
// itself, so no input ever becomes SQL.
func table(i int) string { return "t" + strconv.Itoa(i) }

// fill creates the FTS5 table of one locale and indexes its docs.
func (ix *Index) fill(ctx context.Context, tk *tokenizer, table string, li *localeIndex, docs []Doc) error {
	fail := func(err error) error { return fmt.Errorf("search: build %s: %w", li.locale, err) }
	// content='': the table keeps no copy of the folded text (hits are shown
	// from the original, in memory), only what matching and bm25 need.
	create := "CREATE VIRTUAL TABLE " + table + " USING fts5(title, keywords, body, tokenize='ascii', content='')"
	if _, err := ix.keep.ExecContext(ctx, create); err != nil {
		return fail(err)
	}
	tx, err := ix.keep.BeginTx(ctx, nil)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, "INSERT INTO "+table+"(rowid, title, keywords, body) VALUES (?, ?, ?, ?)")
	if err != nil {
		return fail(err)
	}
	defer stmt.Close()
	for i, d := range docs {
		title := tk.indexText(li.docs[i].title)
		keywords := tk.indexText(strings.Join(d.Keywords, " , "))
		body, folded := tk.indexBody(li.docs[i].body)
		li.docs[i].folded = folded
		if _, err := stmt.ExecContext(ctx, i+1, title, keywords, body); err != nil {
			return fail(err)
		}
	}
	// One b-tree segment instead of many makes every query cheaper.
	if _, err := tx.ExecContext(ctx, "INSERT INTO "+table+"("+table+") VALUES ('optimize')"); err != nil {
		return fail(err)
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	return nil
}

// prepare readies the two statements of a locale. The page query ranks the
// matches once, in a materialized CTE, and counts them for pagination in
// the same pass (bm25 cannot be used inside a window function).
func (ix *Index) prepare(ctx context.Context, table string, li *localeIndex) error {
	matches := "SELECT rowid AS id, bm25(" + table + ", " +
		strconv.FormatFloat(weightTitle, 'f', -1, 64) + ", " +
		strconv.FormatFloat(weightKeywords, 'f', -1, 64) + ", " +
		strconv.FormatFloat(weightBody, 'f', -1, 64) + ") AS score FROM " + table +
		" WHERE " + table + " MATCH ?1 AND rowid NOT IN (SELECT value FROM json_each(?2))"
	var err error
	li.page, err = ix.read.PrepareContext(ctx,
		"WITH m AS MATERIALIZED ("+matches+") SELECT id, score, (SELECT count(*) FROM m) FROM m ORDER BY score, id LIMIT ?3 OFFSET ?4")
	if err != nil {
		return fmt.Errorf("search: build %s: %w", li.locale, err)
	}
	li.count, err = ix.read.PrepareContext(ctx,
		"SELECT count(*) FROM "+table+" WHERE "+table+" MATCH ?1 AND rowid NOT IN (SELECT value FROM json_each(?2))")
	if err != nil {
		return fmt.Errorf("search: build %s: %w", li.locale, err)
	}
	return nil
}

// Close frees the index's database.
func (ix *Index) Close() error {
	var errs []error
	for _, li := range ix.locales {
		for _, s := range []*sql.Stmt{li.page, li.count} {
			if s != nil {
				errs = append(errs, s.Close())
			}
		}
	}
	if ix.read != nil {
		errs = append(errs, ix.read.Close())
	}
	if ix.keep != nil {
		errs = append(errs, ix.keep.Close())
	}
	if ix.write != nil {
		errs = append(errs, ix.write.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("search: close: %w", err)
	}
	return nil
}

// Search returns the hits of q ranked best first and the total number of matches (for pagination). An empty or meaningless query returns zero hits and no error.
//
// Every term is needed first; when that finds nothing, any term will do,
// ranked by bm25. Errors come only from the database (a cancelled ctx,
// a closed Index), never from what the reader typed.
func (ix *Index) Search(ctx context.Context, q Query) (hits []Hit, total int, err error) {
	li := ix.locales[strings.ToLower(q.Locale)]
	if li == nil {
		return nil, 0, nil
	}
	var tk tokenizer
	terms := parseQuery(&tk, q.Text)
	if len(terms) == 0 {
		return nil, 0, nil
	}
	limit, offset := q.Limit, max(q.Offset, 0)
	if limit <= 0 {
		limit = defaultLimit
	}
	limit = min(limit, maxLimit)
	exclude := li.excluded(q.Exclude)

	rows, total, err := li.run(ctx, allTerms(terms), exclude, limit, offset)
	if err == nil && total == 0 {
		if alt := anyTerms(terms); len(alt) > 1 {
			terms = alt
			rows, total, err = li.run(ctx, oneTerm(alt), exclude, limit, offset)
		}
	}
	if err != nil {
		return nil, 0, fmt.Errorf("search: %s: %w", li.locale, err)
	}
	hits = make([]Hit, len(rows))
	for i, r := range rows {
		e := &li.docs[r.id-1]
		hits[i] = Hit{Slug: e.slug, Locale: li.locale, Title: e.title, Snippet: snippet(e.body, &e.folded, terms), Score: r.score}
	}
	return hits, total, nil
}

// row is one ranked match.
type row struct {
	id    int64
	score float64
}

// run returns one page of the matches of expr and how many there are.
func (li *localeIndex) run(ctx context.Context, expr, exclude string, limit, offset int) ([]row, int, error) {
	rs, err := li.page.QueryContext(ctx, expr, exclude, limit, offset)
	if err != nil {
		return nil, 0, err
	}
	defer rs.Close()
	var out []row
	total := 0
	for rs.Next() {
		var r row
		if err := rs.Scan(&r.id, &r.score, &total); err != nil {
			return nil, 0, err
		}
		if r.id >= 1 && int(r.id) <= len(li.docs) {
			out = append(out, r)
		}
	}
	if err := rs.Err(); err != nil {
		return nil, 0, err
	}
	if len(out) == 0 && offset > 0 {
		// A page past the end has no row to carry the total.
		if err := li.count.QueryRowContext(ctx, expr, exclude).Scan(&total); err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

// excluded returns the rowids of slugs as a JSON array for json_each.
func (li *localeIndex) excluded(slugs []string) string {
	b := []byte{'['}
	for _, s := range slugs {
		if id, ok := li.rowids[s]; ok {
			if len(b) > 1 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, id, 10)
		}
	}
	return string(append(b, ']'))
}
