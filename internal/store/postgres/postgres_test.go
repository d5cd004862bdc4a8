package postgres

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"helpcenter/internal/store/storetest"
)

func testDatabase(t testing.TB) string { return storetest.PostgresDatabase(t) }

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

// TestExclusive: while one instance runs a job, another skips it; once it
// is done, the job can run again.
func TestExclusive(t *testing.T) {
	dsn := testDatabase(t)
	a, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx := context.Background()
	ran, err := a.Exclusive(ctx, "purge", func(ctx context.Context) error {
		inner, err := b.Exclusive(ctx, "purge", func(context.Context) error { return nil })
		if err != nil || inner {
			t.Errorf("second instance ran the job while the first held it (%v, %v)", inner, err)
		}
		other, err := b.Exclusive(ctx, "rollup", func(context.Context) error { return nil })
		if err != nil || !other {
			t.Errorf("a different job was blocked (%v, %v)", other, err)
		}
		return nil
	})
	if err != nil || !ran {
		t.Fatalf("first run: %v, %v", ran, err)
	}
	if ran, err := b.Exclusive(ctx, "purge", func(context.Context) error { return nil }); err != nil || !ran {
		t.Errorf("after release: %v, %v", ran, err)
	}
}
