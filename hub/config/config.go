// Package config reads the hub config file: partners, their routes and
// spreadsheet mappings, dealer–supplier relationships and the delivery
// policy. The YAML is checked against the JSON Schema in
// schemas/config/hub.json first, so an unknown or misspelt key is refused
// with its name and place; then cross-field rules are checked by Validate,
// and the mapping files are read and checked (a reload reads them again).
//
//	cfg, err := config.Load("dealerhub.yaml", os.LookupEnv)
//	route := cfg.Route("acme", "order") // inbox when nothing is configured
//	pm, ok := cfg.DefaultMapping("acme", "price_list")
package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/dealerhub/dealerhub/connectors/sftp"
	"github.com/dealerhub/dealerhub/schemas"
)

// Config is the whole hub config file.
type Config struct {
	// Version of the file format; 1 when omitted.
	Version int `json:"version,omitempty"`
	// Partners are upserted into the database at start; the database stays
	// the source of truth for partners not listed here.
	Partners []Partner `json:"partners,omitempty"`
	// Relationships say which dealer buys from which supplier and what it
	// shares with it.
	Relationships []Relationship `json:"relationships,omitempty"`
	// Delivery is the retry policy for outbound deliveries.
	Delivery Delivery `json:"delivery,omitzero"`
	// EDI is the hub's own EDI identities.
	EDI HubEDI `json:"edi,omitzero"`
}

// Partner is one partner and how it wants documents delivered.
type Partner struct {
	// ID is a short lowercase slug: [a-z0-9-]+.
	ID string `json:"id"`
	// Name is shown to people.
	Name string `json:"name"`
	// Roles is a set of supplier, dealer, logistics, operator.
	Roles []string `json:"roles"`
	// Enabled defaults to true.
	Enabled *bool `json:"enabled,omitempty"`
	// Routes say how this partner, as a receiver, wants each document type.
	// A doctype without a route goes to the partner's inbox.
	Routes []Route `json:"routes,omitempty"`
	// Mappings are the partner's spreadsheet mapping files, by name; each
	// file is read and checked when the config loads.
	Mappings []PartnerMapping `json:"mappings,omitempty"`
	// SFTP is the partner's SFTP server: the connection, an optional poll
	// of a folder it drops files into, and the upload folder of its sftp
	// routes.
	SFTP *SFTP `json:"sftp,omitempty"`
	// Inbound says how the partner posts its own JSON to the hub.
	Inbound *Inbound `json:"inbound,omitempty"`
	// ERP is the dealer's ERP: read on a schedule, and where its confirmed
	// orders are pushed.
	ERP *ERP `json:"erp,omitempty"`
	// REST are the partner's REST APIs the hub pulls on a schedule.
	REST []RESTSource `json:"rest,omitempty"`
	// EDI is how the hub exchanges X12 and EDIFACT with the partner.
	EDI *PartnerEDI `json:"edi,omitempty"`
}

// IsEnabled reports the partner's enabled flag, true when omitted.
func (p Partner) IsEnabled() bool { return p.Enabled == nil || *p.Enabled }

// Route is a channel plus a format for one document type ("*" for all).
type Route struct {
	// Doctype is a canonical document type, or "*" for every type without a
	// route of its own.
	Doctype string `json:"doctype"`
	// Channel is the transport: inbox (default), webhook or sftp; later erp.
	Channel string `json:"channel"`
	// Format is the encoding on the wire: json (default).
	Format string `json:"format,omitempty"`
	// Webhook settings, required when Channel is webhook.
	Webhook *Webhook `json:"webhook,omitempty"`
	// SFTP settings of a Channel sftp route, over the partner's sftp.upload
	// (see Config.SFTPSinkConfig).
	SFTP *sftp.SinkConfig `json:"sftp,omitempty"`
}

// Webhook says where and how to POST documents.
type Webhook struct {
	// URL receives a POST per delivery.
	URL string `json:"url"`
	// Secret signs each body (HMAC-SHA256). Write ${ENV_VAR} rather than the
	// secret itself.
	Secret string `json:"secret,omitempty"`
	// SecretFile is a file holding the secret (trailing newline ignored).
	SecretFile string `json:"secret_file,omitempty"`
	// Headers are added to every request.
	Headers map[string]string `json:"headers,omitempty"`
	// Timeout of one attempt; default 10s.
	Timeout Duration `json:"timeout,omitempty"`
}

// Relationship is a dealer buying from a supplier.
type Relationship struct {
	Dealer   string `json:"dealer"`
	Supplier string `json:"supplier"`
	// SharesStock lets the supplier see the dealer's stock of its products.
	SharesStock bool `json:"shares_stock,omitempty"`
	// SharesSales lets the supplier see the dealer's sell-through.
	SharesSales bool `json:"shares_sales,omitempty"`
}

// Delivery is the retry policy of outbound deliveries.
type Delivery struct {
	// MaxAttempts before a delivery is dead-lettered; default 8.
	MaxAttempts int `json:"max_attempts,omitempty"`
	// InitialBackoff before the second attempt, doubling after; default 2s.
	InitialBackoff Duration `json:"initial_backoff,omitempty"`
	// MaxBackoff caps the delay between attempts; default 10m.
	MaxBackoff Duration `json:"max_backoff,omitempty"`
}

// Duration is a time.Duration written as "10s", "2m".
type Duration time.Duration

// UnmarshalJSON reads a Go duration string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration must be a string like \"10s\": %w", err)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// MarshalJSON writes a Go duration string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// Defaults of the delivery policy.
const (
	DefaultMaxAttempts    = 8
	DefaultInitialBackoff = 2 * time.Second
	DefaultMaxBackoff     = 10 * time.Minute
	DefaultWebhookTimeout = 10 * time.Second
)

// Policy returns the delivery policy with defaults filled in.
func (d Delivery) Policy() (maxAttempts int, initial, max time.Duration) {
	maxAttempts, initial, max = d.MaxAttempts, time.Duration(d.InitialBackoff), time.Duration(d.MaxBackoff)
	if maxAttempts <= 0 {
		maxAttempts = DefaultMaxAttempts
	}
	if initial <= 0 {
		initial = DefaultInitialBackoff
	}
	if max <= 0 {
		max = DefaultMaxBackoff
	}
	return maxAttempts, initial, max
}

// Error is a config problem with where it is.
type Error struct {
	File    string
	Pointer string // JSON pointer into the config ("/partners/0/routes/1")
	Reason  string
}

func (e *Error) Error() string {
	where := e.File
	if e.Pointer != "" {
		where += " at " + e.Pointer
	}
	if where == "" {
		return e.Reason
	}
	return where + ": " + e.Reason
}

// Errors is every problem found in one config file.
type Errors []*Error

func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return "invalid config: " + strings.Join(msgs, "; ")
}

// Load reads, expands, checks and decodes a config file. lookupEnv resolves
// ${VAR} references (os.LookupEnv in production); an unset variable is an
// error that names it.
func Load(path string, lookupEnv func(string) (string, bool)) (*Config, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading config: %w", err)
	}
	cfg, err := Parse(raw, path, lookupEnv)
	if err != nil {
		return nil, err
	}
	return cfg, nil
}

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// Parse checks and decodes config bytes; file names the source in errors.
func Parse(raw []byte, file string, lookupEnv func(string) (string, bool)) (*Config, error) {
	var tree any
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&tree); err != nil {
		if errors.Is(err, io.EOF) { // an empty file is an empty config
			tree = map[string]any{}
		} else {
			return nil, Errors{{File: file, Reason: "not valid YAML: " + err.Error()}}
		}
	}
	if tree == nil {
		tree = map[string]any{}
	}
	tree, err := normalise(tree)
	if err != nil {
		return nil, Errors{{File: file, Reason: err.Error()}}
	}
	reg, err := schemas.New()
	if err != nil {
		return nil, fmt.Errorf("loading config schema: %w", err)
	}
	if vs := reg.ValidateConfig(tree); len(vs) > 0 {
		errs := make(Errors, len(vs))
		for i, v := range vs {
			errs[i] = &Error{File: file, Pointer: v.Pointer, Reason: v.Reason}
		}
		return nil, errs
	}
	b, err := json.Marshal(tree)
	if err != nil {
		return nil, fmt.Errorf("re-encoding config: %w", err)
	}
	var cfg Config
	jd := json.NewDecoder(bytes.NewReader(b))
	jd.DisallowUnknownFields()
	if err := jd.Decode(&cfg); err != nil {
		return nil, Errors{{File: file, Reason: err.Error()}}
	}
	if errs := cfg.Validate(); len(errs) > 0 {
		for _, e := range errs {
			e.File = file
		}
		return nil, errs
	}
	if errs := cfg.expandSecrets(file, lookupEnv); len(errs) > 0 {
		return nil, errs
	}
	if errs := cfg.loadMappings(reg, file); len(errs) > 0 {
		return nil, errs
	}
	return &cfg, nil
}

// normalise turns YAML maps into JSON-shaped values for the schema check.
func normalise(v any) (any, error) {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			n, err := normalise(e)
			if err != nil {
				return nil, err
			}
			t[k] = n
		}
		return t, nil
	case map[any]any:
		m := make(map[string]any, len(t))
		for k, e := range t {
			ks, ok := k.(string)
			if !ok {
				return nil, fmt.Errorf("key %v is not a string", k)
			}
			n, err := normalise(e)
			if err != nil {
				return nil, err
			}
			m[ks] = n
		}
		return m, nil
	case []any:
		for i, e := range t {
			n, err := normalise(e)
			if err != nil {
				return nil, err
			}
			t[i] = n
		}
		return t, nil
	case int:
		return json.Number(fmt.Sprint(t)), nil
	case float64:
		return json.Number(fmt.Sprint(t)), nil
	case time.Time:
		return t.Format(time.RFC3339), nil
	default:
		return v, nil
	}
}

// expandSecrets resolves ${VAR} in secrets and reads secret files.
func (c *Config) expandSecrets(file string, lookupEnv func(string) (string, bool)) Errors {
	var errs Errors
	for i := range c.Partners {
		errs = append(errs, c.expandSFTP(file, i, lookupEnv)...)
		errs = append(errs, c.expandERP(file, i, lookupEnv)...)
		errs = append(errs, c.expandInbound(file, i, lookupEnv)...)
		errs = append(errs, c.expandREST(file, i, lookupEnv)...)
		for j := range c.Partners[i].Routes {
			w := c.Partners[i].Routes[j].Webhook
			if w == nil {
				continue
			}
			ptr := fmt.Sprintf("/partners/%d/routes/%d/webhook", i, j)
			s, err := expand(w.Secret, lookupEnv)
			if err != nil {
				errs = append(errs, &Error{File: file, Pointer: ptr + "/secret", Reason: err.Error()})
			}
			w.Secret = s
			if w.SecretFile != "" {
				b, err := os.ReadFile(w.SecretFile)
				if err != nil {
					errs = append(errs, &Error{File: file, Pointer: ptr + "/secret_file", Reason: fmt.Sprintf("reading secret file: %v", err)})
				}
				w.Secret = strings.TrimRight(string(b), "\r\n")
			}
			for k, v := range w.Headers {
				s, err := expand(v, lookupEnv)
				if err != nil {
					errs = append(errs, &Error{File: file, Pointer: ptr + "/headers/" + k, Reason: err.Error()})
				}
				w.Headers[k] = s
			}
		}
	}
	return errs
}

func expand(s string, lookupEnv func(string) (string, bool)) (string, error) {
	var missing []string
	out := envRef.ReplaceAllStringFunc(s, func(m string) string {
		name := envRef.FindStringSubmatch(m)[1]
		v, ok := lookupEnv(name)
		if !ok {
			missing = append(missing, name)
		}
		return v
	})
	if len(missing) > 0 {
		return "", fmt.Errorf("environment variable %s is not set", strings.Join(missing, ", "))
	}
	return out, nil
}

// Validate checks the rules a schema cannot: unique partner ids, routes
// per doctype, relationships between declared partners.
func (c *Config) Validate() Errors {
	var errs Errors
	seen := map[string]int{}
	for i, p := range c.Partners {
		if j, dup := seen[p.ID]; dup {
			errs = append(errs, &Error{Pointer: fmt.Sprintf("/partners/%d/id", i), Reason: fmt.Sprintf("partner %q is declared twice (also at /partners/%d)", p.ID, j)})
		}
		seen[p.ID] = i
		routes := map[string]int{}
		for j, r := range p.Routes {
			ptr := fmt.Sprintf("/partners/%d/routes/%d", i, j)
			if k, dup := routes[r.Doctype]; dup {
				errs = append(errs, &Error{Pointer: ptr + "/doctype", Reason: fmt.Sprintf("doctype %q already has a route at /partners/%d/routes/%d", r.Doctype, i, k)})
			}
			routes[r.Doctype] = j
			if r.Channel == "webhook" && r.Webhook == nil {
				errs = append(errs, &Error{Pointer: ptr, Reason: "channel webhook needs a webhook section with a url"})
			}
			if r.Webhook != nil && r.Webhook.Secret != "" && r.Webhook.SecretFile != "" {
				errs = append(errs, &Error{Pointer: ptr + "/webhook", Reason: "give secret or secret_file, not both"})
			}
		}
		names := map[string]int{}
		for j, m := range p.Mappings {
			if k, dup := names[m.Name]; dup {
				errs = append(errs, &Error{Pointer: fmt.Sprintf("/partners/%d/mappings/%d/name", i, j),
					Reason: fmt.Sprintf("partner %q has two mappings named %q (also at /partners/%d/mappings/%d)", p.ID, m.Name, i, k)})
			}
			names[m.Name] = j
		}
		errs = append(errs, c.validateSFTP(i)...)
		errs = append(errs, c.validateERP(i)...)
		errs = append(errs, c.validateREST(i)...)
	}
	errs = append(errs, c.validateEDI()...)
	return errs
}

// Route returns the route partner wants for doctype: its own route for the
// doctype, else its "*" route, else the inbox.
func (c *Config) Route(partner, doctype string) Route {
	if c != nil {
		for _, p := range c.Partners {
			if p.ID != partner {
				continue
			}
			var star *Route
			for i, r := range p.Routes {
				if r.Doctype == doctype {
					return r.withDefaults()
				}
				if r.Doctype == "*" {
					star = &p.Routes[i]
				}
			}
			if star != nil {
				return star.withDefaults()
			}
		}
	}
	return Route{Doctype: doctype, Channel: "inbox", Format: "json"}
}

func (r Route) withDefaults() Route {
	if r.Channel == "" {
		r.Channel = "inbox"
	}
	if r.Format == "" {
		r.Format = "json"
	}
	return r
}
