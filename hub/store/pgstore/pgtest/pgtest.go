package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultURL is the test database used when TEST_DATABASE_URL is unset.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// startHint tells a developer how to start the local cluster.
const startHint = "start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start " +
	"(or point TEST_DATABASE_URL at a reachable server)"

// URL returns the test database URL (TEST_DATABASE_URL, or DefaultURL)
// after checking that the server answers. When it does not, the test fails
// if CI=true and is skipped otherwise.
func URL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("TEST_DATABASE_URL")
	if u == "" {
		u = DefaultURL
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, u)
	if err == nil {
		err = conn.Ping(ctx)
		_ = conn.Close(ctx)
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("test database %s is unreachable: %v; %s", redact(u), err, startHint)
		}
		t.Skipf("test database %s is unreachable: %v; %s", redact(u), err, startHint)
	}
	return u
}

// NewSchemaURL creates a fresh schema (dh_test_<random>) in the test
// database, drops it (CASCADE) when the test ends, and returns the database
// URL with search_path set to it, so everything a store creates through
// that URL lives in the schema.
func NewSchemaURL(t testing.TB) string {
	t.Helper()
	base := URL(t)
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatalf("generating schema name: %v", err)
	}
	schema := "dh_test_" + hex.EncodeToString(b[:])

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connecting to test database: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("creating schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("connecting to drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+schema+" CASCADE"); err != nil {
			t.Errorf("dropping schema %s: %v", schema, err)
		}
	})
	withPath, err := WithSearchPath(base, schema)
	if err != nil {
		t.Fatalf("setting search_path: %v", err)
	}
	return withPath
}

// WithSearchPath returns databaseURL with the search_path runtime parameter
// set to schema. It accepts URLs (postgres://…) and key=value connection
// strings.
func WithSearchPath(databaseURL, schema string) (string, error) {
	if strings.HasPrefix(databaseURL, "postgres://") || strings.HasPrefix(databaseURL, "postgresql://") {
		u, err := url.Parse(databaseURL)
		if err != nil {
			return "", err
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String(), nil
	}
	return strings.TrimSpace(databaseURL) + " search_path=" + schema, nil
}

// redact hides a password in a URL for messages.
func redact(databaseURL string) string {
	u, err := url.Parse(databaseURL)
	if err != nil || u.User == nil {
		return databaseURL
	}
	return u.Redacted()
}
