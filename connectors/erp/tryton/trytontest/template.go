package trytontest

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/dealerhub/dealerhub/connectors/erp/tryton"
)

// Fixed facts of every seeded database.
const (
	// DatabaseName is the Tryton database each server serves.
	DatabaseName = "hubtest"
	// AdminUser and AdminPassword log in as Tryton's admin user.
	AdminUser     = "admin"
	AdminPassword = "admin"
	// CompanyName is the seeded company; CustomerName the customer Sell sells to.
	CompanyName  = "Hub Test Co"
	CustomerName = "Hub Customer"
)

// binaries are the paths of trytond and trytond-admin and the version.
type binaries struct {
	trytond, admin, version string
}

var (
	findOnce  sync.Once
	found     binaries
	errFind   error
	tmplMu    sync.Mutex
	tmplPath  string // set once the template exists
	tmplBuilt time.Duration
)

// findBinaries locates trytond and trytond-admin and reads the version.
func findBinaries() (binaries, error) {
	findOnce.Do(func() {
		var b binaries
		if b.trytond, errFind = exec.LookPath("trytond"); errFind != nil {
			errFind = fmt.Errorf("trytond is not installed (not on PATH)")
			return
		}
		if b.admin, errFind = exec.LookPath("trytond-admin"); errFind != nil {
			errFind = fmt.Errorf("trytond-admin is not installed (not on PATH)")
			return
		}
		out, err := exec.Command(b.trytond, "--version").Output()
		if err != nil {
			errFind = fmt.Errorf("running trytond --version: %w", err)
			return
		}
		f := strings.Fields(string(out)) // "trytond 6.0.29"
		if len(f) == 0 {
			errFind = fmt.Errorf("trytond --version printed nothing")
			return
		}
		b.version = f[len(f)-1]
		found = b
	})
	return found, errFind
}

// template returns the path of the seeded database file, building it the
// first time on this machine. The build happens under a file lock in a
// temporary folder, and the file is renamed into place when complete.
func template(b binaries) (string, time.Duration, error) {
	tmplMu.Lock()
	defer tmplMu.Unlock()
	if tmplPath != "" {
		return tmplPath, tmplBuilt, nil
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "dealerhub", "tryton-"+b.version)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", 0, fmt.Errorf("creating the template folder: %w", err)
	}
	path := filepath.Join(dir, DatabaseName+".sqlite")
	if _, err := os.Stat(path); err == nil {
		tmplPath = path
		return path, 0, nil
	}
	unlock, err := lockFile(filepath.Join(dir, "build.lock"))
	if err != nil {
		return "", 0, err
	}
	defer unlock()
	if _, err := os.Stat(path); err == nil { // another process built it meanwhile
		tmplPath = path
		return path, 0, nil
	}
	start := time.Now()
	if err := buildTemplate(b, dir, path); err != nil {
		return "", 0, fmt.Errorf("building the seeded tryton database: %w", err)
	}
	tmplPath, tmplBuilt = path, time.Since(start)
	return path, tmplBuilt, nil
}

// buildTemplate initialises a database in a temporary folder, seeds it
// through a running trytond, and renames the file to path.
func buildTemplate(b binaries, dir, path string) error {
	work, err := os.MkdirTemp(dir, "build-")
	if err != nil {
		return fmt.Errorf("creating the build folder: %w", err)
	}
	defer os.RemoveAll(work)
	pass := filepath.Join(work, "admin-password")
	if err := os.WriteFile(pass, []byte(AdminPassword), 0o600); err != nil {
		return fmt.Errorf("writing the admin password file: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if err := runAdmin(ctx, b.admin, work, DatabaseName, pass); err != nil {
		return err
	}
	d, err := startDaemon(b.trytond, work)
	if err != nil {
		return err
	}
	seedErr := seed(ctx, d.url)
	if err := d.stop(); err != nil && seedErr == nil {
		seedErr = err
	}
	if seedErr != nil {
		return fmt.Errorf("seeding: %w\n%s", seedErr, d.logTail())
	}
	tmp := path + ".tmp"
	if err := copyFile(filepath.Join(work, DatabaseName+".sqlite"), tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("renaming the template into place: %w", err)
	}
	return nil
}

// seed creates the currency, the company (and wires the admin user to it)
// and a customer with an address.
func seed(ctx context.Context, url string) error {
	c, err := tryton.New(tryton.Config{URL: url, Database: DatabaseName, User: AdminUser, Password: AdminPassword}, tryton.WithBackoff(50*time.Millisecond))
	if err != nil {
		return err
	}
	var ids []int
	cur := map[string]any{"name": "US Dollar", "code": "USD", "symbol": "$", "digits": 2, "rounding": tryton.Decimal("0.01")}
	if err := c.Execute(ctx, "currency.currency", "create", []any{[]any{cur}}, nil, &ids); err != nil {
		return fmt.Errorf("creating USD: %w", err)
	}
	currency := ids[0]
	if err := c.Execute(ctx, "party.party", "create", []any{[]any{map[string]any{"name": CompanyName}}}, nil, &ids); err != nil {
		return fmt.Errorf("creating the company party: %w", err)
	}
	if err := c.Execute(ctx, "company.company", "create", []any{[]any{map[string]any{"party": ids[0], "currency": currency}}}, nil, &ids); err != nil {
		return fmt.Errorf("creating the company: %w", err)
	}
	company := ids[0]
	var users []int
	if err := c.Execute(ctx, "res.user", "search", []any{[]any{[]any{"login", "=", AdminUser}}, 0, 1, nil}, nil, &users); err != nil || len(users) != 1 {
		return fmt.Errorf("finding the admin user: %v (found %d)", err, len(users))
	}
	wire := map[string]any{"companies": []any{[]any{"add", []int{company}}}, "company": company}
	if err := c.Execute(ctx, "res.user", "write", []any{users, wire}, nil, nil); err != nil {
		return fmt.Errorf("wiring the admin user to the company: %w", err)
	}
	customer := map[string]any{"name": CustomerName, "addresses": []any{[]any{"create", []any{map[string]any{"street": "2 Buyer Ave", "city": "Springfield"}}}}}
	if err := c.Execute(ctx, "party.party", "create", []any{[]any{customer}}, nil, &ids); err != nil {
		return fmt.Errorf("creating the customer: %w", err)
	}
	return nil
}

// copyFile copies src to dst (created or truncated).
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("opening %s: %w", src, err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("creating %s: %w", dst, err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copying %s to %s: %w", src, dst, err)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", dst, err)
	}
	return nil
}
