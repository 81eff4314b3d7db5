package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/dealerhub/dealerhub/mappings"
	"github.com/dealerhub/dealerhub/schemas"
)

// PartnerMapping is one of a partner's spreadsheet mapping files, named so
// that a message can ask for it.
type PartnerMapping struct {
	// Name is what a message (or `dealerhub import --mapping NAME`) gives:
	// [a-z0-9_-]+, unique per partner.
	Name string `json:"name"`
	// File is the mapping YAML (schemas/config/mapping.json), relative to
	// the config file's folder.
	File string `json:"file"`
	// Default makes this the mapping for its doctype when a message names
	// none; at most one per partner and doctype.
	Default bool `json:"default,omitempty"`
	// Mapping is the file as read and checked when the config loaded.
	// Treat it as read-only: it is shared by every message that uses it.
	Mapping *mappings.Mapping `json:"-"`
}

// Doctype is the document type the mapping builds.
func (pm PartnerMapping) Doctype() string {
	if pm.Mapping == nil {
		return ""
	}
	return pm.Mapping.DocType
}

// loadMappings reads and checks every partner's mapping files, relative to
// the config file's folder, and then the one-default-per-doctype rule
// (which needs each file's doctype).
func (c *Config) loadMappings(reg *schemas.Registry, file string) Errors {
	dir := filepath.Dir(file)
	var errs Errors
	for i := range c.Partners {
		p := &c.Partners[i]
		defaults := map[string]int{}
		for j := range p.Mappings {
			pm := &p.Mappings[j]
			ptr := fmt.Sprintf("/partners/%d/mappings/%d", i, j)
			m, merrs := readMapping(reg, dir, p.ID, *pm)
			for _, e := range merrs {
				e.File, e.Pointer = file, ptr+"/file"
			}
			errs = append(errs, merrs...)
			if m == nil {
				continue
			}
			pm.Mapping = m
			if !pm.Default {
				continue
			}
			if k, dup := defaults[m.DocType]; dup {
				errs = append(errs, &Error{File: file, Pointer: ptr + "/default", Reason: fmt.Sprintf(
					"partner %q has two default %s mappings: %q and %q (at /partners/%d/mappings/%d); mark one default",
					p.ID, m.DocType, p.Mappings[k].Name, pm.Name, i, k)})
				continue
			}
			defaults[m.DocType] = j
		}
	}
	return errs
}

// readMapping reads one mapping file. Each problem names the partner, the
// mapping, the file and, for a file that breaks the mapping schema, the
// key and its line.
func readMapping(reg *schemas.Registry, dir, partner string, pm PartnerMapping) (*mappings.Mapping, Errors) {
	path := pm.File
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	what := fmt.Sprintf("partner %q mapping %q (%s)", partner, pm.Name, path)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, Errors{{Reason: fmt.Sprintf("%s: reading the mapping file: %v", what, err)}}
	}
	m, err := mappings.ParseMapping(reg, b)
	var me *mappings.MappingError
	if errors.As(err, &me) {
		errs := make(Errors, len(me.Violations))
		for i, v := range me.Violations {
			where := path
			if v.Line > 0 {
				where += ":" + strconv.Itoa(v.Line)
			}
			key := v.Pointer
			if key == "" {
				key = "/"
			}
			errs[i] = &Error{Reason: fmt.Sprintf("partner %q mapping %q: %s: %s: %s", partner, pm.Name, where, key, v.Reason)}
		}
		return nil, errs
	}
	if err != nil {
		return nil, Errors{{Reason: fmt.Sprintf("%s: %v", what, err)}}
	}
	return m, nil
}

// Mapping returns the partner's mapping called name.
func (c *Config) Mapping(partner, name string) (PartnerMapping, bool) {
	for _, pm := range c.partnerMappings(partner) {
		if pm.Name == name {
			return pm, true
		}
	}
	return PartnerMapping{}, false
}

// DefaultMapping returns the partner's default mapping for doctype, used
// when a message names none.
func (c *Config) DefaultMapping(partner, doctype string) (PartnerMapping, bool) {
	for _, pm := range c.partnerMappings(partner) {
		if pm.Default && pm.Doctype() == doctype {
			return pm, true
		}
	}
	return PartnerMapping{}, false
}

// MappingNames lists the names of the partner's mappings, sorted, for
// messages that say which ones exist.
func (c *Config) MappingNames(partner string) []string {
	var names []string
	for _, pm := range c.partnerMappings(partner) {
		names = append(names, pm.Name)
	}
	slices.Sort(names)
	return names
}

func (c *Config) partnerMappings(partner string) []PartnerMapping {
	if c == nil {
		return nil
	}
	for _, p := range c.Partners {
		if p.ID == partner {
			return p.Mappings
		}
	}
	return nil
}
