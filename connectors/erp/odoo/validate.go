package odoo

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/connectors/erp"
)

// Validate checks the fields a client cannot work without; its messages
// name the field.
func (c Config) Validate() error {
	var errs []error
	if strings.TrimSpace(c.URL) == "" {
		errs = append(errs, errors.New("url: required (the Odoo server, e.g. https://dealer.odoo.example)"))
	} else if u, err := url.Parse(c.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("url: %q is not an http(s) URL", c.URL))
	} else if strings.HasSuffix(strings.TrimRight(u.Path, "/"), "/jsonrpc") {
		errs = append(errs, fmt.Errorf("url: %q should be the server without /jsonrpc", c.URL))
	}
	if strings.TrimSpace(c.Database) == "" {
		errs = append(errs, errors.New("database: required (the Odoo database name)"))
	}
	if strings.TrimSpace(c.User) == "" {
		errs = append(errs, errors.New("user: required (the Odoo login)"))
	}
	if c.Password == "" {
		errs = append(errs, errors.New("password: required (the user's password or API key)"))
	}
	if c.Timeout < 0 {
		errs = append(errs, fmt.Errorf("timeout: %s is negative", c.Timeout))
	}
	if c.SalesDays < 0 {
		errs = append(errs, fmt.Errorf("sales_days: %d is negative", c.SalesDays))
	}
	seen := map[string]bool{}
	for i, w := range c.Warehouses {
		switch {
		case strings.TrimSpace(w) == "":
			errs = append(errs, fmt.Errorf("warehouses[%d]: empty code", i))
		case seen[w]:
			errs = append(errs, fmt.Errorf("warehouses[%d]: %q is listed twice", i, w))
		}
		seen[w] = true
	}
	for id, partner := range c.Parties {
		if partner <= 0 {
			errs = append(errs, fmt.Errorf("parties[%q]: %d is not an Odoo partner id", id, partner))
		}
	}
	return errors.Join(errs...)
}

// timeout returns the per-call timeout, DefaultTimeout when unset.
func (c Config) timeout() time.Duration { return erp.CallTimeout(c.Timeout, DefaultTimeout) }

// retries returns how often a transient failure is retried.
func (c Config) retries() int { return erp.Retries(c.Retries, DefaultRetries) }
