package main

import (
	"context"

	"helpcenter/internal/store"
	"helpcenter/internal/store/postgres"
)

// openDB opens the database that dsn names: a postgres:// or
// postgresql:// URL selects PostgreSQL, anything else is a SQLite file.
func openDB(ctx context.Context, dsn string) (store.DB, error) {
	if postgres.IsURL(dsn) {
		return postgres.Open(ctx, dsn)
	}
	return store.Open(ctx, dsn)
}
