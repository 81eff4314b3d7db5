package tryton

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
		errs = append(errs, errors.New("url: required (the Tryton server, e.g. http://127.0.0.1:8000)"))
	} else if u, err := url.Parse(c.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("url: %q is not an http(s) URL", c.URL))
	}
	if strings.TrimSpace(c.Database) == "" {
		errs = append(errs, errors.New("database: required (the Tryton database name)"))
	} else if strings.ContainsAny(c.Database, "/?#") {
		errs = append(errs, fmt.Errorf("database: %q may not hold '/', '?' or '#'", c.Database))
	}
	if strings.TrimSpace(c.User) == "" {
		errs = append(errs, errors.New("user: required (the Tryton login)"))
	}
	if c.Timeout < 0 {
		errs = append(errs, fmt.Errorf("timeout: %s is negative", c.Timeout))
	}
	if c.SalesDays < 0 {
		errs = append(errs, fmt.Errorf("sales_days: %d is negative", c.SalesDays))
	}
	for i, w := range c.Warehouses {
		if strings.TrimSpace(w) == "" {
			errs = append(errs, fmt.Errorf("warehouses[%d]: empty code", i))
		}
	}
	for id, party := range c.Parties {
		if party <= 0 {
			errs = append(errs, fmt.Errorf("parties[%q]: %d is not a Tryton party id", id, party))
		}
	}
	return errors.Join(errs...)
}

// timeout returns the per-call timeout, DefaultTimeout when unset.
func (c Config) timeout() time.Duration { return erp.CallTimeout(c.Timeout, DefaultTimeout) }

// retries returns how often a transient failure is retried.
func (c Config) retries() int { return erp.Retries(c.Retries, DefaultRetries) }
