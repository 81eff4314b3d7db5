package config

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/dealerhub/dealerhub/connectors/rest"
)

// RESTSource is one REST API the hub pulls for a partner (an element of
// the partner's "rest" list): a name, a schedule, and the connectors/rest
// keys (url, auth, pagination, records, watermark, doctype, mapping …)
// inline. Each page pulled is stored as one raw message (format
// json-records, source "rest:NAME") and mapped like a posted record.
type RESTSource struct {
	// Name identifies the source within the partner: [a-z0-9_-]+. Sync
	// runs and raw messages name it "rest:NAME".
	Name string `json:"name"`
	// Schedule says when the API is pulled.
	Schedule Schedule `json:"schedule"`
	rest.Config
}

// SourceKind is the source's name in sync runs and messages: "rest:NAME".
func (r RESTSource) SourceKind() string { return "rest:" + r.Name }

var restNameRE = regexp.MustCompile(`^[a-z0-9_-]{1,40}$`)

// RESTSources returns the REST sources of enabled partners, by partner
// id; a partner without any is absent.
func (c *Config) RESTSources() map[string][]RESTSource {
	out := map[string][]RESTSource{}
	if c == nil {
		return out
	}
	for _, p := range c.Partners {
		if p.IsEnabled() && len(p.REST) > 0 {
			out[p.ID] = slices.Clone(p.REST)
		}
	}
	return out
}

// REST returns partner's REST source called name.
func (c *Config) REST(partner, name string) (RESTSource, bool) {
	if p := c.partner(partner); p != nil {
		for _, r := range p.REST {
			if r.Name == name {
				return r, true
			}
		}
	}
	return RESTSource{}, false
}

// restDoctypes are the document types a REST source may pull.
var restDoctypes = []string{"party", "product", "order", "order_response", "shipment", "tracking_event", "stock_level", "sales_report"}

// validateREST checks partner i's rest sources, naming each field by its
// JSON pointer.
func (c *Config) validateREST(i int) Errors {
	p := c.Partners[i]
	var errs Errors
	names := map[string]int{}
	for j, r := range p.REST {
		ptr := fmt.Sprintf("/partners/%d/rest/%d", i, j)
		add := func(at, format string, a ...any) {
			errs = append(errs, &Error{Pointer: ptr + at, Reason: fmt.Sprintf(format, a...)})
		}
		if !restNameRE.MatchString(r.Name) {
			add("/name", "%q is not a source name: 1 to 40 of a-z, 0-9, - and _", r.Name)
		} else if k, dup := names[r.Name]; dup {
			add("/name", "partner %q has two rest sources named %q (also at /partners/%d/rest/%d)", p.ID, r.Name, i, k)
		}
		names[r.Name] = j
		validateSchedule(r.Schedule, add)
		if err := r.Config.Validate(); err != nil {
			var fes []error
			if j, ok := err.(interface{ Unwrap() []error }); ok {
				fes = j.Unwrap()
			} else {
				fes = []error{err}
			}
			for _, fe := range fes {
				var f *rest.FieldError
				if errors.As(fe, &f) {
					add("/"+strings.ReplaceAll(f.Field, ".", "/"), "%s", f.Message)
				} else {
					add("", "%v", fe)
				}
			}
		}
		if r.Doctype != "" && !slices.Contains(restDoctypes, r.Doctype) {
			add("/doctype", "%q is not a document type a REST source pulls (one of %s)", r.Doctype, strings.Join(restDoctypes, ", "))
		}
		if r.Doctype == "stock_level" && !slices.Contains(p.Roles, "dealer") {
			add("/doctype", "partner %q is not a dealer: stock levels pulled from an API are a dealer's stock (add the dealer role)", p.ID)
		}
		if r.Mapping != "" {
			found := false
			for _, m := range p.Mappings {
				found = found || m.Name == r.Mapping
			}
			if !found {
				add("/mapping", "partner %q has no mapping named %q (its mappings: %s)", p.ID, r.Mapping, mappingList(p))
			}
		}
	}
	return errs
}

func mappingList(p Partner) string {
	if len(p.Mappings) == 0 {
		return "none"
	}
	var names []string
	for _, m := range p.Mappings {
		names = append(names, m.Name)
	}
	return strings.Join(names, ", ")
}

// expandREST resolves ${VAR} in partner i's rest credentials and headers.
func (c *Config) expandREST(file string, i int, lookupEnv func(string) (string, bool)) Errors {
	var errs Errors
	for j := range c.Partners[i].REST {
		r := &c.Partners[i].REST[j]
		ptr := fmt.Sprintf("/partners/%d/rest/%d", i, j)
		field := func(at string, v *string) {
			s, err := expand(*v, lookupEnv)
			if err != nil {
				errs = append(errs, &Error{File: file, Pointer: ptr + at, Reason: err.Error()})
			}
			*v = s
		}
		if a := r.Auth; a != nil {
			field("/auth/key", &a.Key)
			field("/auth/user", &a.User)
			field("/auth/password", &a.Password)
			field("/auth/token", &a.Token)
			field("/auth/client_id", &a.ClientID)
			field("/auth/client_secret", &a.ClientSecret)
		}
		for k, v := range r.Headers {
			field("/headers/"+k, &v)
			r.Headers[k] = v
		}
	}
	return errs
}
