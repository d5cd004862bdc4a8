package main

import (
	"context"

	"helpcenter/internal/admin"
	"helpcenter/internal/store"
	"helpcenter/internal/store/postgres"
	"helpcenter/internal/store/sqlite"
)

// Both engines carry the whole site: the contact flow and the back office
// (the server finds them by type assertion, so say it at compile time).
var (
	_ store.Contact = (*sqlite.Store)(nil)
	_ store.Contact = (*postgres.Store)(nil)
	_ admin.Store   = (*sqlite.Store)(nil)
	_ admin.Store   = (*postgres.Store)(nil)
)

// openDB opens the database that dsn names: a postgres:// or
// postgresql:// URL selects PostgreSQL, anything else is a SQLite file.
func openDB(ctx context.Context, dsn string) (store.DB, error) {
	// A failed open returns a nil interface, never a typed nil pointer
	// that the caller would take for an open database.
	if postgres.IsURL(dsn) {
		if st, err := postgres.Open(ctx, dsn); err == nil {
			return st, nil
		} else {
			return nil, err
		}
	}
	st, err := sqlite.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	return st, nil
}
