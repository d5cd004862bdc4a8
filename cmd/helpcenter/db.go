package main

import (
	"context"

	"helpcenter/internal/store"
	"helpcenter/internal/store/postgres"
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
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	return st, nil
}
