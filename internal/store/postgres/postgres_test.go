package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"

	"helpcenter/internal/store/storetest"
)

// testDatabase creates an empty database on the server named by
// HELPCENTER_TEST_POSTGRES and returns its URL; it is dropped after the
// test. Without the variable the test is skipped: .ci/run starts a
// throwaway server and sets it.
func testDatabase(t testing.TB) string {
	t.Helper()
	admin := os.Getenv("HELPCENTER_TEST_POSTGRES")
	if admin == "" {
		t.Skip("HELPCENTER_TEST_POSTGRES is not set (see .ci/postgres)")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("connect to the test server: %v", err)
	}
	defer conn.Close(ctx)
	b := make([]byte, 6)
	rand.Read(b)
	name := "hc_test_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), admin)
		if err != nil {
			return
		}
		defer c.Close(context.Background())
		c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) (storetest.Store, func() storetest.Store) {
		dsn := testDatabase(t)
		open := func() storetest.Store {
			s, err := Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}
		return open(), open
	})
}

// TestMigrateOnceConcurrently starts ten stores on one empty database at
// the same moment, as ten instances behind a load balancer would: all
// open, and every migration is recorded exactly once.
func TestMigrateOnceConcurrently(t *testing.T) {
	dsn := testDatabase(t)
	const instances = 10
	errs := make(chan error, instances)
	stores := make(chan *Store, instances)
	for range instances {
		go func() {
			s, err := Open(context.Background(), dsn)
			errs <- err
			stores <- s
		}()
	}
	for range instances {
		if err := <-errs; err != nil {
			t.Error(err)
		}
		if s := <-stores; s != nil {
			defer s.Close()
		}
	}
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var rows, distinct int
	if err := conn.QueryRow(context.Background(), "SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_migrations").Scan(&rows, &distinct); err != nil {
		t.Fatal(err)
	}
	if rows != len(migrations) || distinct != len(migrations) {
		t.Errorf("schema_migrations has %d rows (%d distinct), want %d", rows, distinct, len(migrations))
	}
}

// TestRefusesNewerSchema: a database migrated by a newer binary is not
// touched by an older one.
func TestRefusesNewerSchema(t *testing.T) {
	dsn := testDatabase(t)
	s, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	s.pool.Exec(context.Background(), "INSERT INTO schema_migrations (version) VALUES (999)")
	s.Close()
	if _, err := Open(context.Background(), dsn); err == nil {
		t.Fatal("opened a database of a newer schema")
	}
}

func TestIsURL(t *testing.T) {
	for in, want := range map[string]bool{
		"postgres://u@h/db": true, "postgresql://h/db": true,
		"data/helpcenter.db": false, "/var/lib/hc.db": false, "postgres.db": false,
	} {
		if IsURL(in) != want {
			t.Errorf("IsURL(%q) = %v", in, !want)
		}
	}
}
