package edifactmap

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/mappings/edimap"
)

// Options are one partner's overrides of the EDIFACT mapping, decoded from
// the partner's YAML or JSON config (edi.edifact.map). The zero value means
// the defaults documented on each field; a list left empty takes its
// default, it does not mean "none". Lists of codes are tried in order when
// reading; FromCanonical writes the first.
type Options struct {
	// SKUQualifiers are the item number type codes (7143, in LIN and PIA)
	// whose number is the supplier's article number, the canonical sku.
	// Default SA (supplier's article number).
	SKUQualifiers []string `json:"sku_qualifiers,omitempty"`
	// BuyerSKUQualifiers are the codes whose number is the buyer's
	// (dealer's) own item code. Default IN (buyer's item number), BP
	// (buyer's part number).
	BuyerSKUQualifiers []string `json:"buyer_sku_qualifiers,omitempty"`
	// GTINQualifiers are the codes whose number is a GTIN. Default EN
	// (EAN/GTIN), SRV (GS1 GTIN in EANCOM 2002), UP (UPC).
	GTINQualifiers []string `json:"gtin_qualifiers,omitempty"`
	// StrictSKU turns off the SKU fallback: a line whose canonical sku is
	// required and that carries no number under SKUQualifiers is an
	// error. By default such a line takes its GTIN as sku, and the
	// document's extension "edifact.sku_from" says "gtin".
	StrictSKU bool `json:"strict_sku,omitempty"`

	// DocumentDateQualifiers are the DTM qualifiers (2005) of an order's
	// order_date and an order response's response_date. Default 137
	// (document date).
	DocumentDateQualifiers []string `json:"document_date_qualifiers,omitempty"`
	// RequestedDateQualifiers are the DTM qualifiers of the order's and
	// a line's requested delivery date. Default 2 (delivery requested),
	// 64 (delivery, earliest).
	RequestedDateQualifiers []string `json:"requested_date_qualifiers,omitempty"`
	// PromisedDateQualifiers are the DTM qualifiers of an ORDRSP line's
	// promised date. Default 2 (delivery date), 67 (current schedule),
	// 69 (promised for).
	PromisedDateQualifiers []string `json:"promised_date_qualifiers,omitempty"`
	// ShipDateQualifiers are the DTM qualifiers of a DESADV's ship date.
	// Default 11 (despatch date).
	ShipDateQualifiers []string `json:"ship_date_qualifiers,omitempty"`
	// DeliveryDateQualifiers are the DTM qualifiers of an estimated
	// delivery date (DESADV, IFTSTA). Default 17 (estimated delivery),
	// 132 (estimated arrival).
	DeliveryDateQualifiers []string `json:"delivery_date_qualifiers,omitempty"`
	// EffectiveDateQualifiers and ExpiryDateQualifiers are the PRICAT's
	// DTM qualifiers of valid_from and valid_to. Defaults 157 (validity
	// start) and 36 (expiry).
	EffectiveDateQualifiers []string `json:"effective_date_qualifiers,omitempty"`
	ExpiryDateQualifiers    []string `json:"expiry_date_qualifiers,omitempty"`
	// AsOfDateQualifiers are the INVRPT's DTM qualifiers of the moment a
	// stock level was taken, in the quantity's group or the header.
	// Default 366 (stock report date), 137 (document date).
	AsOfDateQualifiers []string `json:"as_of_date_qualifiers,omitempty"`
	// EventDateQualifiers are the IFTSTA's DTM qualifiers of the moment a
	// status occurred. Default 334 (status change).
	EventDateQualifiers []string `json:"event_date_qualifiers,omitempty"`

	// TimeZone is the zone of a DTM time that carries no offset (formats
	// 203, 204, …) and the zone instants are written in: a fixed offset
	// ("+08:00", "-05:00", "Z") or an IANA name ("Asia/Shanghai").
	// Default UTC.
	TimeZone string `json:"time_zone,omitempty"`

	// Units maps the partner's unit codes (6411) to canonical UN/ECE Rec
	// 20 codes ("PCS": "PCE"). They are tried before the canonical codes
	// themselves and the built-in table (NAR → PCE, NPR → PR).
	Units map[string]string `json:"units,omitempty"`
	// DefaultUnit is the canonical unit of a quantity sent without a
	// unit code. EANCOM only sends 6411 for variable-measure items and
	// says the default is a piece, so the default is PCE. FromCanonical
	// leaves the unit code out when it is this unit.
	DefaultUnit string `json:"default_unit,omitempty"`

	// DecimalComma writes decimals with a comma ("12,80") for partners
	// that want it. Reading always accepts both marks.
	DecimalComma bool `json:"decimal_comma,omitempty"`
	// NoteQualifier is the FTX text subject code (4451) FromCanonical
	// writes for a document's note. Default AAI (general information).
	// Reading takes every FTX except terms of payment (AAB) as note.
	NoteQualifier string `json:"note_qualifier,omitempty"`
	// TrackingRefQualifiers are the RFF qualifiers (1153) whose number
	// is the carrier's tracking number (DESADV, IFTSTA). Default CN
	// (carrier's reference), BM (bill of lading).
	TrackingRefQualifiers []string `json:"tracking_ref_qualifiers,omitempty"`

	// LineResponseCodes adds to or overrides the ORDRSP LIN 1229 table
	// (code → accepted, changed, rejected or backordered).
	LineResponseCodes map[string]string `json:"line_response_codes,omitempty"`
	// StatusCodes adds to or overrides the IFTSTA STS status table
	// (4405 code → a tracking status); FromCanonical writes a status as
	// the smallest code mapped to it here, else the built-in code. A
	// code in neither table is an error.
	StatusCodes map[string]string `json:"status_codes,omitempty"`
	// StockQuantities adds to or overrides the INVRPT QTY 6063 table
	// (code → on_hand, available, reserved, on_order or safety_stock).
	StockQuantities map[string]string `json:"stock_quantities,omitempty"`
	// CatalogDocs says what a PRICAT maps to: "price_list", "product"
	// (one product per LIN), or both. Default price_list.
	CatalogDocs []string `json:"catalog_docs,omitempty"`
	// Associations overrides the association assigned code (UNH S009
	// 0057) FromCanonical reports per message type ("ORDERS": "EAN010").
	// Defaults: ORDERS EAN008, ORDRSP EAN005, DESADV EAN005, INVRPT
	// EAN004, PRICAT EAN006, IFTSTA EAN002.
	Associations map[string]string `json:"associations,omitempty"`
}

// defaultAssociations are the EANCOM subset versions written for D96A.
var defaultAssociations = map[string]string{
	"ORDERS": "EAN008", "ORDRSP": "EAN005", "DESADV": "EAN005",
	"INVRPT": "EAN004", "PRICAT": "EAN006", "IFTSTA": "EAN002",
}

// DecodeOptions decodes a partner's edi.edifact.map (as the config
// decoder gives it) into Options, strictly: an unknown key is an error
// that names it. The result is validated.
func DecodeOptions(m map[string]any) (Options, error) {
	var o Options
	if err := edimap.DecodeStrict(m, &o); err != nil {
		return o, fmt.Errorf("edifact options: %w", err)
	}
	return o, o.Validate()
}

// Validate checks the options and names the field of every problem.
func (o Options) Validate() error {
	e := edimap.OptionErrors{Prefix: "edifact options"}
	if o.TimeZone != "" {
		if _, err := parseZone(o.TimeZone); err != nil {
			e.Add("time_zone", "%v", err)
		}
	}
	e.Units("units", o.Units)
	e.UnitCode("default_unit", o.DefaultUnit)
	e.LineResponses("line_response_codes", o.LineResponseCodes)
	e.TrackingStatuses("status_codes", o.StatusCodes)
	e.StockQuantities("stock_quantities", o.StockQuantities)
	e.CatalogDocs("catalog_docs", o.CatalogDocs)
	for typ := range o.Associations {
		if !slices.ContainsFunc(pairs, func(p Pair) bool { return p.Type == typ }) {
			e.Add("associations."+typ, "%q is not a message type this package writes", typ)
		}
	}
	return e.Err()
}

// config is Options with every default filled in and the zone loaded.
type config struct {
	Options
	zone *time.Location
}

// resolve validates o and fills in its defaults.
func (o Options) resolve() (*config, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	edimap.DefaultList(&o.SKUQualifiers, "SA")
	edimap.DefaultList(&o.BuyerSKUQualifiers, "IN", "BP")
	edimap.DefaultList(&o.GTINQualifiers, "EN", "SRV", "UP")
	edimap.DefaultList(&o.DocumentDateQualifiers, "137")
	edimap.DefaultList(&o.RequestedDateQualifiers, "2", "64")
	edimap.DefaultList(&o.PromisedDateQualifiers, "2", "67", "69")
	edimap.DefaultList(&o.ShipDateQualifiers, "11")
	edimap.DefaultList(&o.DeliveryDateQualifiers, "17", "132")
	edimap.DefaultList(&o.EffectiveDateQualifiers, "157")
	edimap.DefaultList(&o.ExpiryDateQualifiers, "36")
	edimap.DefaultList(&o.AsOfDateQualifiers, "366", "137")
	edimap.DefaultList(&o.EventDateQualifiers, "334")
	edimap.DefaultList(&o.TrackingRefQualifiers, "CN", "BM")
	edimap.DefaultList(&o.CatalogDocs, "price_list")
	if o.DefaultUnit == "" {
		o.DefaultUnit = "PCE"
	}
	if o.NoteQualifier == "" {
		o.NoteQualifier = "AAI"
	}
	zone := time.UTC
	if o.TimeZone != "" {
		zone, _ = parseZone(o.TimeZone) // checked by Validate
	}
	return &config{Options: o, zone: zone}, nil
}

// wants reports whether a PRICAT is to be mapped to doctype.
func (c *config) wants(doctype string) bool { return slices.Contains(c.CatalogDocs, doctype) }

// association is the UNH association code written for a message type.
func (c *config) association(typ string) string {
	if a, ok := c.Associations[typ]; ok {
		return a
	}
	return defaultAssociations[typ]
}

// parseZone reads a fixed offset ("+08:00", "-0500", "Z", "UTC") or an
// IANA zone name.
func parseZone(s string) (*time.Location, error) {
	switch strings.ToUpper(s) {
	case "Z", "UTC", "GMT":
		return time.UTC, nil
	}
	if s[0] == '+' || s[0] == '-' {
		for _, layout := range []string{"-07:00", "-0700", "-07"} {
			if t, err := time.Parse(layout, s); err == nil {
				_, off := t.Zone()
				return time.FixedZone(s, off), nil
			}
		}
		return nil, fmt.Errorf("%q is not an offset such as +08:00", s)
	}
	loc, err := time.LoadLocation(s)
	if err != nil {
		return nil, fmt.Errorf("%q is neither an offset such as +08:00 nor a known zone name", s)
	}
	return loc, nil
}
