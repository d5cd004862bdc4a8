package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"helpcenter/internal/config"
	"helpcenter/internal/content"
	"helpcenter/internal/i18n"
	"helpcenter/internal/store"
	"helpcenter/internal/store/postgres"
	"helpcenter/locales/glossary"
)

// check validates the message files and the articles and prints every
// problem as file:line: message. It exits non-zero if there is any.
func check(args []string, getenv func(string) string, stdout io.Writer) error {
	fset := flag.NewFlagSet("helpcenter check", flag.ContinueOnError)
	dir := fset.String("content-dir", getenv("HELPCENTER_CONTENT_DIR"), "folder holding articles/ and locales/ (default: the embedded copy)")
	if err := fset.Parse(args); err != nil {
		return err
	}
	lfs, afs := contentFS(*dir)
	gfs := glossaryFS(*dir)
	var problems []string
	for _, p := range i18n.Check(lfs) {
		p.File = "locales/" + p.File
		problems = append(problems, p.String())
	}
	labels := func(string, string) string { return "" }
	if b, err := i18n.Load(lfs, slog.New(slog.DiscardHandler)); err == nil {
		labels = func(locale, id string) string { return b.For(locale).T(id) }
	}
	c, err := content.Load(afs, content.Options{Labels: labels, Now: time.Now(), Glossary: gfs})
	var le *content.LoadError
	if errors.As(err, &le) {
		for _, p := range le.Problems {
			p.File = "articles/" + p.File
			problems = append(problems, p.String())
		}
	} else if err != nil {
		return err
	}
	for _, p := range problems {
		fmt.Fprintln(stdout, p)
	}
	if len(problems) > 0 {
		return fmt.Errorf("check: %d problem(s)", len(problems))
	}
	// Stale or unstamped translations are warnings: readers still get them.
	for _, w := range c.Warnings() {
		w.File = "articles/" + w.File
		fmt.Fprintln(stdout, "warning:", w.String())
	}
	fmt.Fprintf(stdout, "ok: %d locales, articles and messages valid\n", len(i18n.All))
	return nil
}

// glossaryFS returns locales/glossary: embedded, or under dir.
func glossaryFS(dir string) fs.FS {
	if dir == "" {
		return glossary.FS
	}
	return os.DirFS(filepath.Join(dir, "locales", "glossary"))
}

// healthcheck asks the local server's /healthz, for the container's
// HEALTHCHECK: the image has no shell or curl.
func healthcheck(ctx context.Context, args []string, getenv func(string) string) error {
	cfg, err := config.Parse(args, getenv)
	if err != nil {
		return err
	}
	_, port, _ := net.SplitHostPort(cfg.Addr)
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://127.0.0.1:"+port+"/healthz", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: status %d", resp.StatusCode)
	}
	return nil
}

// export prints data for the content team. Only "votes" exists.
func export(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "votes" {
		return errors.New("export: want `helpcenter export votes`")
	}
	cfg, err := config.Parse(args[1:], getenv)
	if err != nil {
		return err
	}
	if !postgres.IsURL(cfg.DB) {
		if _, err := os.Stat(cfg.DB); err != nil {
			return fmt.Errorf("export: database %s: %w", cfg.DB, err)
		}
	}
	st, err := openDB(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer st.Close()
	w := csv.NewWriter(stdout)
	w.Write([]string{"article", "locale", "helpful", "reason", "comment", "created_at", "updated_at"})
	err = st.EachVote(ctx, func(v store.ExportedVote) error {
		helpful := "no"
		if v.Helpful {
			helpful = "yes"
		}
		return w.Write([]string{v.Article, v.Locale, helpful, v.Reason, csvSafe(v.Comment), v.CreatedAt, v.UpdatedAt})
	})
	w.Flush()
	if err != nil {
		return err
	}
	return w.Error()
}

// csvSafe defuses comments that a spreadsheet would run as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
