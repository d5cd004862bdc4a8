package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"helpcenter/internal/store/postgres"
	"helpcenter/internal/store/sqlite"
)

// migrateData moves a deployment from its SQLite file to PostgreSQL:
// `helpcenter migrate-data --from data/helpcenter.db --to postgres://…`.
// Stop the instance that writes the file first. Running it again copies
// only rows that are missing, and it prints both sides' counts per table.
func migrateData(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("helpcenter migrate-data", flag.ContinueOnError)
	from := fs.String("from", "", "the SQLite database file to copy")
	to := fs.String("to", "", "the PostgreSQL URL to copy into (postgres://…)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" || !postgres.IsURL(*to) {
		return errors.New("migrate-data: want --from <sqlite file> --to <postgres://… URL>")
	}
	if _, err := os.Stat(*from); err != nil {
		return fmt.Errorf("migrate-data: %w", err)
	}
	// Opening the file migrates its schema to this binary's, so that both
	// sides have the same tables.
	src, err := sqlite.Open(ctx, *from)
	if err != nil {
		return err
	}
	if err := src.Close(); err != nil {
		return err
	}
	dst, err := postgres.Open(ctx, *to)
	if err != nil {
		return err
	}
	defer dst.Close()
	counts, err := dst.ImportSQLite(ctx, *from)
	fmt.Fprintf(stdout, "%-24s %12s %12s\n", "table", "sqlite", "postgres")
	for _, c := range counts {
		fmt.Fprintf(stdout, "%-24s %12d %12d\n", c.Table, c.Source, c.Imported)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "ok: every row of the SQLite file is in PostgreSQL")
	return nil
}
