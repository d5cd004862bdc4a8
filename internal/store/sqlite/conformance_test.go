package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"helpcenter/internal/store/sqlite"
	"helpcenter/internal/store/storetest"
)

// TestConformance runs the engine-independent suite against SQLite; the
// PostgreSQL store runs the same suite in its own package.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) (storetest.Store, func() storetest.Store) {
		path := filepath.Join(t.TempDir(), "hc.db")
		open := func() storetest.Store {
			s, err := sqlite.Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}
		return open(), open
	})
}
