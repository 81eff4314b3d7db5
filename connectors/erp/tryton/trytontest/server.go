package trytontest

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/dealerhub/dealerhub/connectors/erp/tryton"
)

// installHint tells a developer how to get trytond.
const installHint = "install it with: apt-get install -y --no-install-recommends tryton-server tryton-modules-party tryton-modules-product tryton-modules-stock tryton-modules-purchase tryton-modules-sale"

// Server is a running trytond serving its own copy of the seeded database.
type Server struct {
	url     string
	dir     string
	version string
	d       *daemon

	mu     sync.Mutex
	client *tryton.Client
}

// Start runs a private trytond for the test and stops it (and waits for
// it) when the test ends. It skips the test when trytond is missing, or
// fails it when CI=true.
func Start(t testing.TB) *Server {
	t.Helper()
	b, err := findBinaries()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("trytontest: %v; %s", err, installHint)
		}
		t.Skipf("trytontest: %v; %s", err, installHint)
	}
	tmpl, built, err := template(b)
	if err != nil {
		t.Fatalf("trytontest: %v", err)
	}
	if built > 0 {
		t.Logf("trytontest: built the seeded tryton %s database in %s: %s", b.version, built.Round(time.Millisecond), tmpl)
	}
	dir, err := os.MkdirTemp("", "trytontest-")
	if err != nil {
		t.Fatalf("trytontest: creating the server folder: %v", err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if err := copyFile(tmpl, filepath.Join(dir, DatabaseName+".sqlite")); err != nil {
		t.Fatalf("trytontest: %v", err)
	}
	d, err := startDaemon(b.trytond, dir)
	if err != nil {
		t.Fatalf("trytontest: %v", err)
	}
	s := &Server{url: d.url, dir: dir, version: b.version, d: d}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("trytontest: trytond log %s:\n%s", d.logFile, d.logTail())
		}
		if err := d.stop(); err != nil {
			t.Errorf("trytontest: %v", err)
		}
	})
	return s
}

// URL is the server's address, e.g. http://127.0.0.1:40123 (no database).
func (s *Server) URL() string { return s.url }

// Database is the name of the seeded database.
func (s *Server) Database() string { return DatabaseName }

// User is the admin login.
func (s *Server) User() string { return AdminUser }

// Password is the admin password.
func (s *Server) Password() string { return AdminPassword }

// Version is trytond's version ("6.0.29").
func (s *Server) Version() string { return s.version }

// DatabaseFile is the SQLite file the server runs on.
func (s *Server) DatabaseFile() string { return filepath.Join(s.dir, DatabaseName+".sqlite") }

// Config returns a client configuration for the admin user, with a short
// timeout and few retries.
func (s *Server) Config() tryton.Config {
	return tryton.Config{URL: s.url, Database: DatabaseName, User: AdminUser, Password: AdminPassword, Timeout: 20 * time.Second, Retries: 2}
}

// Client returns the admin client the helpers use.
func (s *Server) Client(t testing.TB) *tryton.Client {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.client == nil {
		c, err := tryton.New(s.Config(), tryton.WithBackoff(50*time.Millisecond))
		if err != nil {
			t.Fatalf("trytontest: %v", err)
		}
		s.client = c
	}
	return s.client
}

// exec runs a model method as admin and fails the test on error.
func (s *Server) exec(t testing.TB, model, method string, args []any, result any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := s.Client(t).Execute(ctx, model, method, args, nil, result); err != nil {
		t.Fatalf("trytontest: %s.%s: %v", model, method, err)
	}
}
