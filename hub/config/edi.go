package config

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dealerhub/dealerhub/mappings/edifactmap"
	"github.com/dealerhub/dealerhub/mappings/edimap"
	"github.com/dealerhub/dealerhub/mappings/x12map"
)

// HubEDI is the hub's own EDI identities (top-level key "edi"): the
// interchange sender of what it sends when the document's sender has no
// identity of its own, and the receiver partners may address.
type HubEDI struct {
	X12     *EDIIdentity `json:"x12,omitempty"`
	EDIFACT *EDIIdentity `json:"edifact,omitempty"`
}

// EDIIdentity is an interchange party: an id and its qualifier.
type EDIIdentity struct {
	// Qualifier is X12's ISA05/ISA07 ("ZZ", "01", "08", "12") or
	// EDIFACT's UNB S002/S003 code ("14" GLN, "ZZZ" mutually defined).
	Qualifier string `json:"qualifier"`
	// ID is ISA06/ISA08 (at most 15 characters) or UNB's id (at most 35).
	ID string `json:"id"`
	// AppID is X12's GS02/GS03; default ID.
	AppID string `json:"app_id,omitempty"`
}

// PartnerEDI is a partner's EDI settings (key "edi" under the partner).
type PartnerEDI struct {
	X12     *X12Partner     `json:"x12,omitempty"`
	EDIFACT *EDIFACTPartner `json:"edifact,omitempty"`
}

// X12Partner is how the hub exchanges X12 with a partner.
type X12Partner struct {
	EDIIdentity
	// Version is the GS08 version written: "004010" (default) or
	// "005010". Inbound interchanges of either version are read.
	Version string `json:"version,omitempty"`
	// Usage is ISA15 of what the hub sends: "P" production (default) or
	// "T" test.
	Usage string `json:"usage,omitempty"`
	// Separators written; defaults "*", ">" (":" is common too), "~"
	// and, for 005010, repetition "^".
	Element    string `json:"element,omitempty"`
	Component  string `json:"component,omitempty"`
	Repetition string `json:"repetition,omitempty"`
	Segment    string `json:"segment,omitempty"`
	// LineBreaks writes a line break after each segment terminator.
	LineBreaks bool `json:"line_breaks,omitempty"`
	// Ack sends the partner a 997 for every interchange it sends (and a
	// TA1 when the envelope itself is bad), over its route for
	// acknowledgment documents.
	Ack bool `json:"ack,omitempty"`
	// AckRequested sets ISA14 on what the hub sends.
	AckRequested bool `json:"ack_requested,omitempty"`
	// Map holds the partner's overrides of the built-in X12 mappings
	// (mappings/x12map Options: product id qualifiers, date qualifiers,
	// unit aliases …).
	Map map[string]any `json:"map,omitempty"`
}

// EDIFACTPartner is how the hub exchanges EDIFACT with a partner.
type EDIFACTPartner struct {
	EDIIdentity
	// Syntax is UNB S001's syntax identifier written: "UNOC" (default,
	// Latin-1), "UNOA", "UNOB" or "UNOY"/"UNOW" (UTF-8, for Chinese text).
	Syntax string `json:"syntax,omitempty"`
	// SyntaxVersion is "3" (default) or "4".
	SyntaxVersion string `json:"syntax_version,omitempty"`
	// Test marks what the hub sends as test interchanges (UNB 0035).
	Test bool `json:"test,omitempty"`
	// LineBreaks writes a line break after each segment.
	LineBreaks bool `json:"line_breaks,omitempty"`
	// Ack sends the partner a CONTRL for every interchange it sends.
	Ack bool `json:"ack,omitempty"`
	// AckRequested sets UNB 0031 on what the hub sends.
	AckRequested bool `json:"ack_requested,omitempty"`
	// Map holds the partner's overrides of the built-in EDIFACT mappings
	// (mappings/edifactmap Options).
	Map map[string]any `json:"map,omitempty"`
}

// EDIFormats are the route formats that need EDI settings.
var EDIFormats = []string{"x12", "edifact"}

// sameID compares interchange ids as EDI writes them: padded with spaces,
// case as sent.
func sameID(a, b string) bool { return strings.TrimSpace(a) == strings.TrimSpace(b) }

// matches reports whether an interchange party is this identity: the same
// id, and the same qualifier unless either is empty.
func (i EDIIdentity) matches(qualifier, id string) bool {
	q := strings.TrimSpace(qualifier)
	return sameID(i.ID, id) && (i.Qualifier == "" || q == "" || i.Qualifier == q)
}

// App is the X12 application id (GS02/GS03): AppID, else ID.
func (i EDIIdentity) App() string {
	if i.AppID != "" {
		return i.AppID
	}
	return i.ID
}

// X12Partner returns the enabled partner whose X12 identity is
// (qualifier, id), with its settings.
func (c *Config) X12Partner(qualifier, id string) (string, X12Partner, bool) {
	for _, p := range c.Partners {
		if p.IsEnabled() && p.EDI != nil && p.EDI.X12 != nil && p.EDI.X12.matches(qualifier, id) {
			return p.ID, *p.EDI.X12, true
		}
	}
	return "", X12Partner{}, false
}

// X12PartnerByApp returns the enabled partner whose X12 application id
// (GS02/GS03) is app.
func (c *Config) X12PartnerByApp(app string) (string, X12Partner, bool) {
	for _, p := range c.Partners {
		if p.IsEnabled() && p.EDI != nil && p.EDI.X12 != nil && sameID(p.EDI.X12.App(), app) {
			return p.ID, *p.EDI.X12, true
		}
	}
	return "", X12Partner{}, false
}

// EDIFACTPartner returns the enabled partner whose EDIFACT identity is
// (qualifier, id).
func (c *Config) EDIFACTPartner(qualifier, id string) (string, EDIFACTPartner, bool) {
	for _, p := range c.Partners {
		if p.IsEnabled() && p.EDI != nil && p.EDI.EDIFACT != nil && p.EDI.EDIFACT.matches(qualifier, id) {
			return p.ID, *p.EDI.EDIFACT, true
		}
	}
	return "", EDIFACTPartner{}, false
}

// PartnerEDI returns partner's EDI settings (zero when it has none).
func (c *Config) PartnerEDI(partner string) PartnerEDI {
	if p := c.partner(partner); p != nil && p.EDI != nil {
		return *p.EDI
	}
	return PartnerEDI{}
}

// IsHubX12 reports whether an interchange party is the hub's own X12
// identity.
func (c *Config) IsHubX12(qualifier, id string) bool {
	return c.EDI.X12 != nil && c.EDI.X12.matches(qualifier, id)
}

// IsHubEDIFACT reports whether an interchange party is the hub's own
// EDIFACT identity.
func (c *Config) IsHubEDIFACT(qualifier, id string) bool {
	return c.EDI.EDIFACT != nil && c.EDI.EDIFACT.matches(qualifier, id)
}

// KnownX12IDs lists the configured X12 identities ("ZZ:ACME (acme)"),
// for errors that say which exist.
func (c *Config) KnownX12IDs() []string {
	return c.knownIDs(c.EDI.X12, func(e *PartnerEDI) *EDIIdentity {
		if e.X12 == nil {
			return nil
		}
		return &e.X12.EDIIdentity
	})
}

// KnownEDIFACTIDs lists the configured EDIFACT identities.
func (c *Config) KnownEDIFACTIDs() []string {
	return c.knownIDs(c.EDI.EDIFACT, func(e *PartnerEDI) *EDIIdentity {
		if e.EDIFACT == nil {
			return nil
		}
		return &e.EDIFACT.EDIIdentity
	})
}

// knownIDs lists the hub's identity and each partner's for a standard.
func (c *Config) knownIDs(hub *EDIIdentity, of func(*PartnerEDI) *EDIIdentity) []string {
	var out []string
	if hub != nil {
		out = append(out, hub.Qualifier+":"+hub.ID+" (the hub)")
	}
	for _, p := range c.Partners {
		if p.EDI == nil {
			continue
		}
		if id := of(p.EDI); id != nil {
			out = append(out, fmt.Sprintf("%s:%s (%s)", id.Qualifier, id.ID, p.ID))
		}
	}
	return out
}

// validateEDI checks the EDI settings: ids unique across partners and the
// hub, X12 ids within 15 characters, and that a route with format x12 or
// edifact goes to a partner with those settings.
func (c *Config) validateEDI() Errors {
	var errs Errors
	add := func(ptr, format string, a ...any) {
		errs = append(errs, &Error{Pointer: ptr, Reason: fmt.Sprintf(format, a...)})
	}
	seen := map[string]string{}
	claim := func(ptr, std string, id EDIIdentity) {
		key := std + "\x00" + id.Qualifier + "\x00" + strings.TrimSpace(id.ID)
		if other, dup := seen[key]; dup {
			add(ptr+"/id", "%s id %s:%s is also given at %s: an inbound interchange must name one partner", std, id.Qualifier, id.ID, other)
		}
		seen[key] = ptr
		if std == "x12" && len(id.ID) > 15 {
			add(ptr+"/id", "%q is longer than the 15 characters of ISA06/ISA08", id.ID)
		}
		if std == "x12" && len(id.Qualifier) != 2 {
			add(ptr+"/qualifier", "%q is not a 2-character ISA05/ISA07 qualifier", id.Qualifier)
		}
	}
	if c.EDI.X12 != nil {
		claim("/edi/x12", "x12", *c.EDI.X12)
	}
	if c.EDI.EDIFACT != nil {
		claim("/edi/edifact", "edifact", *c.EDI.EDIFACT)
	}
	for i, p := range c.Partners {
		ptr := fmt.Sprintf("/partners/%d/edi", i)
		if p.EDI != nil && p.EDI.X12 != nil {
			claim(ptr+"/x12", "x12", p.EDI.X12.EDIIdentity)
			if _, err := p.EDI.X12.MapOptions(); err != nil {
				add(ptr+"/x12/map", "%v", err)
			}
		}
		if p.EDI != nil && p.EDI.EDIFACT != nil {
			claim(ptr+"/edifact", "edifact", p.EDI.EDIFACT.EDIIdentity)
			if _, err := p.EDI.EDIFACT.MapOptions(); err != nil {
				add(ptr+"/edifact/map", "%v", err)
			}
		}
		for j, r := range p.Routes {
			if !slices.Contains(EDIFormats, r.Format) {
				continue
			}
			rptr := fmt.Sprintf("/partners/%d/routes/%d/format", i, j)
			switch {
			case r.Format == "x12" && (p.EDI == nil || p.EDI.X12 == nil):
				add(rptr, "partner %q has no edi.x12 settings (its ISA qualifier and id) for an x12 route", p.ID)
			case r.Format == "edifact" && (p.EDI == nil || p.EDI.EDIFACT == nil):
				add(rptr, "partner %q has no edi.edifact settings (its UNB id) for an edifact route", p.ID)
			case r.Format == "x12" && c.EDI.X12 == nil:
				add(rptr, "an x12 route needs the hub's own X12 identity: top-level edi.x12 {qualifier, id}")
			case r.Format == "edifact" && c.EDI.EDIFACT == nil:
				add(rptr, "an edifact route needs the hub's own EDIFACT identity: top-level edi.edifact {qualifier, id}")
			}
		}
	}
	return errs
}

// MapOptions decodes the partner's X12 mapping overrides (map) into the
// mapping's options, strictly: an unknown key is an error naming it. The
// version written is the partner's.
func (p X12Partner) MapOptions() (x12map.Options, error) {
	var o x12map.Options
	if err := edimap.DecodeStrict(p.Map, &o); err != nil {
		return o, fmt.Errorf("x12 mapping overrides: %w", err)
	}
	if o.Version == "" {
		o.Version = p.Version
	}
	if err := o.Validate(); err != nil {
		return o, fmt.Errorf("x12 mapping overrides: %w", err)
	}
	return o, nil
}

// MapOptions decodes the partner's EDIFACT mapping overrides strictly.
func (p EDIFACTPartner) MapOptions() (edifactmap.Options, error) {
	o, err := edifactmap.DecodeOptions(p.Map)
	if err != nil {
		return o, err
	}
	if err := o.Validate(); err != nil {
		return o, fmt.Errorf("edifact mapping overrides: %w", err)
	}
	return o, nil
}
