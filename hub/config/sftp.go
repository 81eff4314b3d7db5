package config

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/dealerhub/dealerhub/connectors/sftp"
)

// SFTP is a partner's SFTP settings (key "sftp" under the partner): the
// connector's own config, plus secrets that the loader reads from files.
// key_file and known_hosts are paths the connector opens at each
// connection, so they are not read here: a rotated key or an updated
// known_hosts file needs no reload, and a missing one is reported by the
// poll or delivery that needs it.
type SFTP struct {
	sftp.Config
	// PasswordFile is a file holding the password (trailing newline
	// ignored), read when the config loads; instead of password.
	PasswordFile string `json:"password_file,omitempty"`
	// KeyPassphraseFile is a file holding the key's passphrase (trailing
	// newline ignored), read when the config loads; instead of
	// key_passphrase.
	KeyPassphraseFile string `json:"key_passphrase_file,omitempty"`
}

// SFTPConnection returns partner's SFTP connection, as the config holds it
// now (secrets expanded); false when the partner has no sftp block.
func (c *Config) SFTPConnection(partner string) (sftp.Connection, bool) {
	if p := c.partner(partner); p != nil && p.SFTP != nil {
		return p.SFTP.Connection, true
	}
	return sftp.Connection{}, false
}

// SFTPSinkConfig returns the settings an sftp route hands to the sftp sink
// (its Outbound.Config): the receiver's sftp.upload, overridden by the
// route's own sftp keys, with the connection defaulting to the receiver.
func (c *Config) SFTPSinkConfig(receiver string, r Route) sftp.SinkConfig {
	var out sftp.SinkConfig
	if p := c.partner(receiver); p != nil && p.SFTP != nil && p.SFTP.Upload != nil {
		out.Upload = *p.SFTP.Upload
	}
	if r.SFTP != nil {
		out.Connection = r.SFTP.Connection
		over := func(dst *string, v string) {
			if v != "" {
				*dst = v
			}
		}
		over(&out.Dir, r.SFTP.Dir)
		over(&out.Name, r.SFTP.Name)
		over(&out.TempPrefix, r.SFTP.TempPrefix)
		over(&out.TempSuffix, r.SFTP.TempSuffix)
	}
	if out.Connection == "" {
		out.Connection = receiver
	}
	return out
}

// SFTPPollers returns the enabled partners that have an sftp.poll block, by
// partner id.
func (c *Config) SFTPPollers() map[string]sftp.Config {
	out := map[string]sftp.Config{}
	if c == nil {
		return out
	}
	for _, p := range c.Partners {
		if p.IsEnabled() && p.SFTP != nil && p.SFTP.Poll != nil {
			out[p.ID] = p.SFTP.Config
		}
	}
	return out
}

func (c *Config) partner(id string) *Partner {
	if c == nil {
		return nil
	}
	for i := range c.Partners {
		if c.Partners[i].ID == id {
			return &c.Partners[i]
		}
	}
	return nil
}

// validateSFTP checks partner i's sftp block and its sftp routes, naming
// each field by its JSON pointer.
func (c *Config) validateSFTP(i int) Errors {
	p := c.Partners[i]
	ptr := fmt.Sprintf("/partners/%d/sftp", i)
	var errs Errors
	if s := p.SFTP; s != nil {
		// Secrets read from files count as given for the connector's rules.
		check := s.Config
		if s.PasswordFile != "" {
			if check.Password != "" {
				errs = append(errs, &Error{Pointer: ptr + "/password_file", Reason: "give password or password_file, not both"})
			}
			check.Password = "(from password_file)"
		}
		if s.KeyPassphraseFile != "" {
			if check.KeyPassphrase != "" {
				errs = append(errs, &Error{Pointer: ptr + "/key_passphrase_file", Reason: "give key_passphrase or key_passphrase_file, not both"})
			}
			check.KeyPassphrase = "(from key_passphrase_file)"
		}
		errs = append(errs, fieldErrors(ptr, check.Validate(""))...)
		if s.Poll != nil && s.Poll.Mapping != "" && !slices.ContainsFunc(p.Mappings, func(m PartnerMapping) bool { return m.Name == s.Poll.Mapping }) {
			errs = append(errs, &Error{Pointer: ptr + "/poll/mapping",
				Reason: fmt.Sprintf("partner %q has no mapping named %q: add it under the partner's mappings", p.ID, s.Poll.Mapping)})
		}
	}
	for j, r := range p.Routes {
		rptr := fmt.Sprintf("/partners/%d/routes/%d", i, j)
		if r.Channel != "sftp" {
			if r.SFTP != nil {
				errs = append(errs, &Error{Pointer: rptr + "/sftp", Reason: fmt.Sprintf("sftp settings on a route whose channel is %q", r.Channel)})
			}
			continue
		}
		sc := c.SFTPSinkConfig(p.ID, r)
		if conn := c.partner(sc.Connection); conn == nil || conn.SFTP == nil {
			where, reason := rptr, fmt.Sprintf("channel sftp needs an sftp block under partner %q (its connection)", sc.Connection)
			if r.SFTP != nil && r.SFTP.Connection != "" {
				where = rptr + "/sftp/connection"
				reason = fmt.Sprintf("partner %q is not in this file or has no sftp block", sc.Connection)
			}
			errs = append(errs, &Error{Pointer: where, Reason: reason})
		}
		if sc.Dir == "" {
			errs = append(errs, &Error{Pointer: rptr, Reason: fmt.Sprintf("channel sftp needs an upload folder: set sftp.dir on the route or sftp.upload.dir under partner %q", p.ID)})
			continue
		}
		errs = append(errs, fieldErrors(rptr+"/sftp", sc.Upload.Validate(""))...)
	}
	return errs
}

// fieldErrors turns the connector's field errors (".poll.dir") into
// config errors at JSON pointers under ptr ("/partners/0/sftp/poll/dir").
func fieldErrors(ptr string, err error) Errors {
	switch e := err.(type) {
	case nil:
		return nil
	case *sftp.FieldError:
		return Errors{{Pointer: ptr + strings.ReplaceAll(e.Field, ".", "/"), Reason: e.Message}}
	case interface{ Unwrap() []error }:
		var out Errors
		for _, c := range e.Unwrap() {
			out = append(out, fieldErrors(ptr, c)...)
		}
		return out
	default:
		return Errors{{Pointer: ptr, Reason: err.Error()}}
	}
}

// expandSFTP resolves ${VAR} in partner i's sftp secrets and reads its
// secret files.
func (c *Config) expandSFTP(file string, i int, lookupEnv func(string) (string, bool)) Errors {
	s := c.Partners[i].SFTP
	if s == nil {
		return nil
	}
	ptr := fmt.Sprintf("/partners/%d/sftp", i)
	var errs Errors
	for _, f := range []struct {
		key string
		v   *string
	}{{"key", &s.Key}, {"key_passphrase", &s.KeyPassphrase}, {"password", &s.Password}} {
		v, err := expand(*f.v, lookupEnv)
		if err != nil {
			errs = append(errs, &Error{File: file, Pointer: ptr + "/" + f.key, Reason: err.Error()})
		}
		*f.v = v
	}
	for _, f := range []struct {
		key, path string
		v         *string
	}{{"password_file", s.PasswordFile, &s.Password}, {"key_passphrase_file", s.KeyPassphraseFile, &s.KeyPassphrase}} {
		if f.path == "" {
			continue
		}
		b, err := os.ReadFile(f.path)
		if err != nil {
			errs = append(errs, &Error{File: file, Pointer: ptr + "/" + f.key, Reason: fmt.Sprintf("reading secret file: %v", err)})
		}
		*f.v = strings.TrimRight(string(b), "\r\n")
	}
	return errs
}
