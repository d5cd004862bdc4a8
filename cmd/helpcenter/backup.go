package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"helpcenter/internal/config"
	"helpcenter/internal/store/postgres"
	"helpcenter/internal/store/sqlite"
)

// backup copies the live database to a new file:
//
//	helpcenter backup [-db data/helpcenter.db] <file>
//
// It is safe while the server runs and writes; README.md says how to
// restore.
func backup(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[len(args)-1], "-") {
		return errors.New("backup: want `helpcenter backup <file>`")
	}
	dest := args[len(args)-1]
	cfg, err := config.Parse(args[:len(args)-1], getenv)
	if err != nil {
		return err
	}
	if postgres.IsURL(cfg.DB) {
		return errors.New("backup: the database is PostgreSQL: use pg_dump (see README.md)")
	}
	n, err := sqlite.Backup(ctx, cfg.DB, dest)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s (%d bytes, integrity checked)\n", cfg.DB, dest, n)
	return nil
}
