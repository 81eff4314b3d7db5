package config

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/dealerhub/dealerhub/connectors/erp/odoo"
	"github.com/dealerhub/dealerhub/connectors/erp/tryton"
)

// MinScheduleEvery is the shortest schedule.every the config accepts: an
// ERP is read no more often than this.
const MinScheduleEvery = 10 * time.Second

// DefaultSalesDays is how many days of sales a sync reads when sales_days
// is not set.
const DefaultSalesDays = tryton.DefaultSalesDays

// ERP is a dealer's ERP (key "erp" under the partner): which system to
// read, when, and what else the hub does with it.
type ERP struct {
	// Tryton is a Tryton server read over JSON-RPC.
	Tryton *TrytonERP `json:"tryton,omitempty"`
	// Odoo is an Odoo server read over its external JSON-RPC API, with the
	// same keys (password: an API key of the user). Exactly one of Tryton
	// and Odoo is given.
	Odoo *TrytonERP `json:"odoo,omitempty"`
	// Schedule says when the hub reads the ERP.
	Schedule Schedule `json:"schedule"`
	// SalesDays of confirmed sales read per sync, ending today; default
	// DefaultSalesDays (0 means the default).
	SalesDays int `json:"sales_days,omitempty"`
	// PushOrders: this dealer's confirmed orders become confirmed purchases
	// in its ERP.
	PushOrders bool `json:"push_orders,omitempty"`
}

// TrytonERP is the erp.tryton (or erp.odoo) block: how to reach the
// dealer's ERP.
type TrytonERP struct {
	// URL of the Tryton server, without the database.
	URL string `json:"url"`
	// Database is the Tryton database name.
	Database string `json:"database"`
	// User logs in with Password.
	User string `json:"user"`
	// Password; write ${ENV_VAR}, never the password itself.
	Password string `json:"password,omitempty"`
	// PasswordFile is a file holding the password (trailing newline
	// ignored), read when the config loads; instead of password. A
	// relative path is under the config file's folder, like mapping files.
	PasswordFile string `json:"password_file,omitempty"`
	// Warehouses are the warehouse codes read; empty reads all.
	Warehouses []string `json:"warehouses,omitempty"`
	// Timeout of one JSON-RPC call; default tryton.DefaultTimeout.
	Timeout Duration `json:"timeout,omitempty"`
	// Retries of a call that failed transiently; default
	// tryton.DefaultRetries, -1 for none.
	Retries int `json:"retries,omitempty"`
	// Parties maps supplier partner ids to Tryton party ids.
	Parties map[string]int `json:"parties,omitempty"`
}

// Schedule is when a source runs: Every (an interval) or Cron (a 5-field
// cron expression, UTC unless it starts with CRON_TZ=Zone), exactly one.
type Schedule struct {
	// Every is the time between runs.
	Every Duration `json:"every,omitempty"`
	// Cron is a standard cron expression ("*/5 * * * *", "@hourly").
	Cron string `json:"cron,omitempty"`
}

// SourceKind names the ERP the block reads ("tryton"), as sync runs and
// raw messages name their source.
func (e ERP) SourceKind() string {
	switch {
	case e.Tryton != nil:
		return "tryton"
	case e.Odoo != nil:
		return "odoo"
	}
	return ""
}

// conn returns the block of the ERP given and its key.
func (e ERP) conn() (*TrytonERP, string) {
	if e.Tryton != nil {
		return e.Tryton, "tryton"
	}
	if e.Odoo != nil {
		return e.Odoo, "odoo"
	}
	return nil, ""
}

// OdooConfig returns the Odoo client's config, secrets resolved.
func (e ERP) OdooConfig() odoo.Config {
	if e.Odoo == nil {
		return odoo.Config{}
	}
	t := e.Odoo
	return odoo.Config{
		URL: t.URL, Database: t.Database, User: t.User, Password: t.Password,
		Warehouses: slices.Clone(t.Warehouses), SalesDays: e.SalesDaysOrDefault(),
		Timeout: time.Duration(t.Timeout), Retries: t.Retries, Parties: maps.Clone(t.Parties),
	}
}

// SalesDaysOrDefault returns sales_days, or DefaultSalesDays when unset.
func (e ERP) SalesDaysOrDefault() int {
	if e.SalesDays <= 0 {
		return DefaultSalesDays
	}
	return e.SalesDays
}

// TrytonConfig returns the Tryton client's config, secrets resolved (the
// password from ${ENV} or password_file, read when the config loaded).
func (e ERP) TrytonConfig() tryton.Config {
	t := e.Tryton
	if t == nil {
		return tryton.Config{}
	}
	var parties map[string]int
	if len(t.Parties) > 0 {
		parties = make(map[string]int, len(t.Parties))
		for k, v := range t.Parties {
			parties[k] = v
		}
	}
	return tryton.Config{
		URL:        t.URL,
		Database:   t.Database,
		User:       t.User,
		Password:   t.Password,
		Warehouses: slices.Clone(t.Warehouses),
		SalesDays:  e.SalesDaysOrDefault(),
		Timeout:    time.Duration(t.Timeout),
		Retries:    t.Retries,
		Parties:    parties,
	}
}

// cronSchedule parses a cron expression; without a CRON_TZ= or TZ= prefix
// it is read in UTC.
func cronSchedule(expr string) (cron.Schedule, error) {
	expr = strings.TrimSpace(expr)
	if strings.HasPrefix(expr, "TZ=") || strings.HasPrefix(expr, "CRON_TZ=") {
		if !strings.Contains(expr, " ") {
			return nil, errors.New("a time zone prefix must be followed by a schedule")
		}
	} else {
		expr = "CRON_TZ=UTC " + expr
	}
	return cron.ParseStandard(expr)
}

// Next returns the first time the schedule fires after after: after +
// every, or the cron expression's next time. The zero time when the
// schedule is empty or invalid (Validate refuses both).
func (s Schedule) Next(after time.Time) time.Time {
	if s.Cron != "" {
		c, err := cronSchedule(s.Cron)
		if err != nil {
			return time.Time{}
		}
		return c.Next(after)
	}
	if s.Every <= 0 {
		return time.Time{}
	}
	return after.Add(time.Duration(s.Every))
}

// Interval is the schedule's period: every, or for cron the gap between
// its next two firings after now. The stale-feed rule counts in it.
func (s Schedule) Interval() time.Duration {
	if s.Cron == "" {
		return time.Duration(s.Every)
	}
	first := s.Next(time.Now())
	if first.IsZero() {
		return 0
	}
	return s.Next(first).Sub(first)
}

// ERP returns partner's erp block; false when it has none.
func (c *Config) ERP(partner string) (ERP, bool) {
	if p := c.partner(partner); p != nil && p.ERP != nil {
		return *p.ERP, true
	}
	return ERP{}, false
}

// ERPSources returns the enabled partners that have an erp block, by
// partner id.
func (c *Config) ERPSources() map[string]ERP {
	out := map[string]ERP{}
	if c == nil {
		return out
	}
	for _, p := range c.Partners {
		if p.IsEnabled() && p.ERP != nil {
			out[p.ID] = *p.ERP
		}
	}
	return out
}

// validateERP checks partner i's erp block, naming each field by its JSON
// pointer.
func (c *Config) validateERP(i int) Errors {
	p := c.Partners[i]
	e := p.ERP
	if e == nil {
		return nil
	}
	ptr := fmt.Sprintf("/partners/%d/erp", i)
	var errs Errors
	add := func(at, format string, a ...any) {
		errs = append(errs, &Error{Pointer: ptr + at, Reason: fmt.Sprintf(format, a...)})
	}
	if !slices.Contains(p.Roles, "dealer") {
		add("", "partner %q is not a dealer: an erp block reads a dealer's stock (add the dealer role)", p.ID)
	}
	if t, kind := e.conn(); t == nil {
		add("", "give the ERP to read: tryton or odoo")
	} else {
		if e.Tryton != nil && e.Odoo != nil {
			add("", "give one ERP to read: tryton or odoo, not both")
		}
		switch {
		case t.Password != "" && t.PasswordFile != "":
			add("/"+kind+"/password_file", "give password or password_file, not both")
		case t.Password == "" && t.PasswordFile == "":
			add("/"+kind, "give password (as ${ENV_VAR}) or password_file")
		}
		if t.Retries < -1 {
			add("/"+kind+"/retries", "must be -1 (no retries), 0 (the default %d) or more", tryton.DefaultRetries)
		}
	}
	validateSchedule(e.Schedule, add)
	if e.SalesDays < 0 {
		add("/sales_days", "must be 0 (the default %d) or more", DefaultSalesDays)
	}
	return errs
}

// validateSchedule checks a schedule block; add reports an error at a
// pointer relative to the block's parent ("/schedule/cron").
func validateSchedule(s Schedule, add func(at, format string, a ...any)) {
	switch {
	case s.Every != 0 && s.Cron != "":
		add("/schedule", "give every or cron, not both")
	case s.Every == 0 && s.Cron == "":
		add("/schedule", "give every (an interval such as 5m) or cron (such as \"*/5 * * * *\")")
	case s.Cron != "":
		if _, err := cronSchedule(s.Cron); err != nil {
			add("/schedule/cron", "%q is not a cron expression (minute hour day-of-month month day-of-week): %v", s.Cron, err)
		}
	case time.Duration(s.Every) < MinScheduleEvery:
		add("/schedule/every", "%s is too often: at least %s", time.Duration(s.Every), MinScheduleEvery)
	}
}

// expandERP resolves ${VAR} in partner i's erp secrets and reads its
// password file.
func (c *Config) expandERP(file string, i int, lookupEnv func(string) (string, bool)) Errors {
	e := c.Partners[i].ERP
	if e == nil {
		return nil
	}
	t, kind := e.conn()
	if t == nil {
		return nil
	}
	ptr := fmt.Sprintf("/partners/%d/erp/%s", i, kind)
	var errs Errors
	v, err := expand(t.Password, lookupEnv)
	if err != nil {
		errs = append(errs, &Error{File: file, Pointer: ptr + "/password", Reason: err.Error()})
	}
	t.Password = v
	if t.PasswordFile != "" {
		path := t.PasswordFile
		if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(file), path)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			errs = append(errs, &Error{File: file, Pointer: ptr + "/password_file", Reason: fmt.Sprintf("reading secret file: %v", err)})
		}
		t.Password = strings.TrimRight(string(b), "\r\n")
	}
	return errs
}
