package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

// PostgresDatabase creates an empty database on the server named by
// HELPCENTER_TEST_POSTGRES and returns its URL; it is dropped after the
// test. Without the variable the test is skipped: .ci/run starts a
// throwaway server (.ci/postgres) and sets it.
func PostgresDatabase(t testing.TB) string {
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
