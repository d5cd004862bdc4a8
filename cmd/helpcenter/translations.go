package main

import (
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"helpcenter/internal/content"
	"helpcenter/internal/i18n"
)

// translations prints the article × locale table of translation states,
// or with "stamp" records the English source of checked translations.
func translations(args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) > 0 && args[0] == "stamp" {
		return stamp(args[1:], getenv, stdout)
	}
	fset := flag.NewFlagSet("helpcenter translations", flag.ContinueOnError)
	dir := fset.String("content-dir", getenv("HELPCENTER_CONTENT_DIR"), "folder holding articles/ and locales/ (default: the embedded copy)")
	format := fset.String("format", "text", "text or csv")
	if err := fset.Parse(args); err != nil {
		return err
	}
	if *format != "text" && *format != "csv" {
		return fmt.Errorf("translations: -format %q: want text or csv", *format)
	}
	lfs, afs := contentFS(*dir)
	b, err := i18n.Load(lfs, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	c, err := content.Load(afs, content.Options{Labels: func(locale, id string) string { return b.For(locale).T(id) }, Now: time.Now()})
	if err != nil {
		return fmt.Errorf("translations: the articles do not pass helpcenter check: %w", err)
	}
	rows := c.Status()
	if *format == "csv" {
		return writeStatusCSV(stdout, rows)
	}
	return writeStatusText(stdout, rows)
}

// writeStatusCSV writes one row per article and one column per locale.
func writeStatusCSV(w io.Writer, rows [][]content.Cell) error {
	cw := csv.NewWriter(w)
	header := []string{"article"}
	if len(rows) > 0 {
		for _, cell := range rows[0] {
			header = append(header, cell.Locale)
		}
	}
	_ = cw.Write(header)
	for _, row := range rows {
		rec := []string{row[0].Slug}
		for _, cell := range row {
			rec = append(rec, string(cell.State))
		}
		_ = cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// writeStatusText writes per article the count of each state and the
// locales that are not current.
func writeStatusText(w io.Writer, rows [][]content.Cell) error {
	states := []content.State{content.Current, content.Behind, content.Unstamped, content.Missing}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "article\tcurrent\tbehind English\tunstamped\tmissing\t")
	total := map[content.State]int{}
	var details []string
	for _, row := range rows {
		n := map[content.State]int{}
		byState := map[content.State][]string{}
		for _, cell := range row {
			n[cell.State]++
			total[cell.State]++
			byState[cell.State] = append(byState[cell.State], cell.Locale)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t\n", row[0].Slug, n[content.Current], n[content.Behind], n[content.Unstamped], n[content.Missing])
		for _, s := range states[1:] {
			if len(byState[s]) > 0 {
				details = append(details, fmt.Sprintf("%s %s: %s", row[0].Slug, s, strings.Join(byState[s], " ")))
			}
		}
	}
	fmt.Fprintf(tw, "all\t%d\t%d\t%d\t%d\t\n", total[content.Current], total[content.Behind], total[content.Unstamped], total[content.Missing])
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, d := range details {
		fmt.Fprintln(w, d)
	}
	return nil
}

// stamp writes source: into every translation that passes the checks and
// has none. Run it after a translation is written or updated and checked.
func stamp(args []string, getenv func(string) string, stdout io.Writer) error {
	fset := flag.NewFlagSet("helpcenter translations stamp", flag.ContinueOnError)
	dir := fset.String("content-dir", or(getenv("HELPCENTER_CONTENT_DIR"), "."), "folder holding articles/ and locales/")
	if err := fset.Parse(args); err != nil {
		return err
	}
	lfs, _ := contentFS(*dir)
	labels := func(string, string) string { return "" }
	if b, err := i18n.Load(lfs, slog.New(slog.DiscardHandler)); err == nil {
		labels = func(locale, id string) string { return b.For(locale).T(id) }
	}
	written, problems, err := content.Stamp(filepath.Join(*dir, "articles"), content.Options{Labels: labels, Now: time.Now(), Glossary: glossaryFS(*dir)})
	for _, f := range written {
		fmt.Fprintln(stdout, "stamped articles/"+f)
	}
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		for _, p := range problems {
			p.File = "articles/" + p.File
			fmt.Fprintln(stdout, p.String())
		}
		return errors.New("stamp: files with problems were left unstamped; fix them and run it again")
	}
	fmt.Fprintf(stdout, "ok: %d file(s) stamped\n", len(written))
	return nil
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
