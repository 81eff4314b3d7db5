package config

import (
	"fmt"
	"os"
	"strings"
)

// Inbound is a partner's settings for posting its own JSON to
// POST /api/v1/inbound/{doctype} (key "inbound" under the partner). The
// records are mapped by the partner's mapping for the doctype (its
// default, or ?mapping=NAME), the way spreadsheet rows are.
type Inbound struct {
	// Secret, when set, makes a signature required: the partner sends
	// X-Dealerhub-Timestamp (Unix seconds) and X-Dealerhub-Signature
	// (sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>), as the
	// hub signs its own webhooks. Write ${ENV_VAR}, never the secret.
	Secret string `json:"secret,omitempty"`
	// SecretFile is a file holding the secret (trailing newline ignored),
	// read when the config loads; instead of secret.
	SecretFile string `json:"secret_file,omitempty"`
	// Records is the dotted path of the array of records in the posted
	// JSON ("data.items"); empty: the body itself is the array (or one
	// record).
	Records string `json:"records,omitempty"`
}

// Inbound returns partner's inbound settings; false when it has none
// (it may still post, unsigned, with its records at the top level).
func (c *Config) Inbound(partner string) (Inbound, bool) {
	if p := c.partner(partner); p != nil && p.Inbound != nil {
		return *p.Inbound, true
	}
	return Inbound{}, false
}

// expandInbound resolves the inbound secret of partner i.
func (c *Config) expandInbound(file string, i int, lookupEnv func(string) (string, bool)) Errors {
	in := c.Partners[i].Inbound
	if in == nil {
		return nil
	}
	ptr := fmt.Sprintf("/partners/%d/inbound", i)
	var errs Errors
	if in.Secret != "" && in.SecretFile != "" {
		return Errors{{File: file, Pointer: ptr, Reason: "give secret or secret_file, not both"}}
	}
	s, err := expand(in.Secret, lookupEnv)
	if err != nil {
		errs = append(errs, &Error{File: file, Pointer: ptr + "/secret", Reason: err.Error()})
	}
	in.Secret = s
	if in.SecretFile != "" {
		b, err := os.ReadFile(in.SecretFile)
		if err != nil {
			errs = append(errs, &Error{File: file, Pointer: ptr + "/secret_file", Reason: fmt.Sprintf("reading secret file: %v", err)})
		}
		in.Secret = strings.TrimRight(string(b), "\r\n")
	}
	return errs
}
