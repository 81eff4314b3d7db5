package x12map

import (
	"slices"

	"github.com/dealerhub/dealerhub/mappings/edimap"
)

// Options are one partner's overrides of the X12 mapping, decoded from
// the partner's YAML or JSON config. The zero value means the defaults
// documented on each field; a list field left empty takes its default, it
// does not mean "none".
type Options struct {
	// Version is the X12 version written in GS08 by the hub for what
	// FromCanonical builds: "004010" (the default) or "005010". Reading
	// accepts any version: the segments mapped here did not change
	// between 003010 and 005010.
	Version string `json:"version,omitempty"`

	// SKUQualifiers are the product id qualifiers (X12 element 235, in
	// PO1, LIN, ACK) whose id is the supplier's SKU, most preferred
	// first; FromCanonical writes the first. Default VN (vendor's item
	// number), VP (vendor's part number), SK (stock keeping unit).
	SKUQualifiers []string `json:"sku_qualifiers,omitempty"`
	// BuyerSKUQualifiers are the qualifiers whose id is the buyer's
	// (dealer's) own item code. Default BP (buyer's part number), IN
	// (buyer's item number), CB (buyer's catalog number).
	BuyerSKUQualifiers []string `json:"buyer_sku_qualifiers,omitempty"`
	// GTINQualifiers are the qualifiers whose id is a GTIN. Default UP
	// (UPC, 12 digits), EN (EAN, 13), UK (GTIN-14). FromCanonical picks
	// the qualifier by the GTIN's length (12 UP, 13 and 8 EN, 14 UK)
	// when that qualifier is in the list, else the list's first.
	GTINQualifiers []string `json:"gtin_qualifiers,omitempty"`
	// StrictSKU turns off the SKU fallback: a line (of an order,
	// shipment, price list, product or stock level, where the canonical
	// sku is required) that carries no id under SKUQualifiers is an
	// error. By default such a line takes the first id among the GTIN
	// qualifiers and then the buyer's qualifiers as its sku, and the
	// document's extension "x12.sku_from" lists the qualifiers used.
	StrictSKU bool `json:"strict_sku,omitempty"`

	// RequestedDateQualifiers are the DTM qualifiers (element 374) of the
	// order's and a line's requested delivery date. Default 002
	// (delivery requested).
	RequestedDateQualifiers []string `json:"requested_date_qualifiers,omitempty"`
	// ShipDateQualifiers are the DTM qualifiers of an 856's ship date.
	// Default 011 (shipped).
	ShipDateQualifiers []string `json:"ship_date_qualifiers,omitempty"`
	// DeliveryDateQualifiers are the DTM qualifiers of an 856's estimated
	// delivery date. Default 017 (estimated delivery).
	DeliveryDateQualifiers []string `json:"delivery_date_qualifiers,omitempty"`
	// PromisedDateQualifiers are the ACK04 (or line DTM) qualifiers of an
	// 855 line's promised date. Default 068 (current schedule ship), 067
	// (current schedule delivery).
	PromisedDateQualifiers []string `json:"promised_date_qualifiers,omitempty"`
	// EffectiveDateQualifiers and ExpiryDateQualifiers are the 832's
	// DTM qualifiers of valid_from and valid_to. Defaults 007
	// (effective) and 036 (expiration).
	EffectiveDateQualifiers []string `json:"effective_date_qualifiers,omitempty"`
	ExpiryDateQualifiers    []string `json:"expiry_date_qualifiers,omitempty"`
	// AsOfDateQualifiers are the 846's DTM qualifiers of the moment a
	// stock level was read, in the LIN loop or the heading; BIA04/BIA05
	// when none is present. Default 405 (production), 007 (effective).
	AsOfDateQualifiers []string `json:"as_of_date_qualifiers,omitempty"`

	// TimeZone is the zone of a time that carries no X12 time code, or
	// the code LT (local time): an X12 time code ("ET", "UT", "13") or a
	// fixed offset ("+08:00", "-05:00", "Z"). Default UT (UTC).
	TimeZone string `json:"time_zone,omitempty"`

	// Units maps the partner's unit codes to canonical UN/ECE Rec 20
	// codes ("CA": "CT" for a partner whose cases are cartons). They are
	// tried before the built-in X12 table; FromCanonical writes a
	// canonical unit as the smallest partner code mapped to it.
	Units map[string]string `json:"units,omitempty"`

	// TrackingRefQualifiers are the 856 shipment-level REF qualifiers
	// whose value is the tracking number, most preferred first. Default
	// CN (carrier's PRO number), BM (bill of lading).
	TrackingRefQualifiers []string `json:"tracking_ref_qualifiers,omitempty"`
	// SSCCPlain writes an 856's MAN*GM as the bare 18-digit SSCC. By
	// default it is written with the GS1 application identifier "00" in
	// front (20 digits), as most retailers' 856 guides ask. Reading
	// accepts both.
	SSCCPlain bool `json:"sscc_plain,omitempty"`

	// AckCodes adds to or overrides the 855 ACK01 line status table
	// (code → accepted, changed, rejected or backordered).
	AckCodes map[string]string `json:"ack_codes,omitempty"`
	// StatusCodes adds to or overrides the 214 AT701/AT703 status table
	// (code → a tracking status). An AT7 code in neither table is an
	// error.
	StatusCodes map[string]string `json:"status_codes,omitempty"`
	// ShipmentRefQualifier names the 214 L11 qualifier whose value is
	// the shipment's ASN number, for carriers that do not put it in
	// B1002. Default: B1002.
	ShipmentRefQualifier string `json:"shipment_ref_qualifier,omitempty"`

	// StockQuantities adds to or overrides the 846 QTY01 table (code →
	// on_hand, available, reserved, on_order or safety_stock).
	StockQuantities map[string]string `json:"stock_quantities,omitempty"`
	// LocationEntities are the 846 N1 entity codes whose party is the
	// stock's location (its N104 id, else its N102 name). Default WH
	// (warehouse), SN (store), RL (reporting location), ST (ship to).
	LocationEntities []string `json:"location_entities,omitempty"`

	// PriceCodes are the 832 CTP02 price identifiers that are the
	// dealer's buying price (unit_price and tiers). Default UCP (unit
	// cost price), CON (contract), NET, WHL (wholesale), DIS
	// (distributor), and a CTP without CTP02. Other price types go into
	// the line's attributes as "x12.price.<code>".
	PriceCodes []string `json:"price_codes,omitempty"`
	// CatalogDocs says what an 832 maps to: "price_list", "product" (one
	// product per LIN), or both. Default price_list.
	CatalogDocs []string `json:"catalog_docs,omitempty"`
}

// defaulted returns o with every empty field set to its default.
func (o Options) defaulted() Options {
	if o.Version == "" {
		o.Version = "004010"
	}
	edimap.DefaultList(&o.SKUQualifiers, "VN", "VP", "SK")
	edimap.DefaultList(&o.BuyerSKUQualifiers, "BP", "IN", "CB")
	edimap.DefaultList(&o.GTINQualifiers, "UP", "EN", "UK")
	edimap.DefaultList(&o.RequestedDateQualifiers, "002")
	edimap.DefaultList(&o.ShipDateQualifiers, "011")
	edimap.DefaultList(&o.DeliveryDateQualifiers, "017")
	edimap.DefaultList(&o.PromisedDateQualifiers, "068", "067")
	edimap.DefaultList(&o.EffectiveDateQualifiers, "007")
	edimap.DefaultList(&o.ExpiryDateQualifiers, "036")
	edimap.DefaultList(&o.AsOfDateQualifiers, "405", "007")
	edimap.DefaultList(&o.TrackingRefQualifiers, "CN", "BM")
	edimap.DefaultList(&o.LocationEntities, "WH", "SN", "RL", "ST")
	edimap.DefaultList(&o.PriceCodes, "UCP", "CON", "NET", "WHL", "DIS", "")
	edimap.DefaultList(&o.CatalogDocs, "price_list")
	if o.TimeZone == "" {
		o.TimeZone = "UT"
	}
	return o
}

// Validate checks the options and names the field of every problem.
func (o Options) Validate() error {
	e := edimap.OptionErrors{Prefix: "x12 options"}
	if o.Version != "" && o.Version != "004010" && o.Version != "005010" {
		e.Add("version", "%q is neither 004010 nor 005010", o.Version)
	}
	if o.TimeZone != "" {
		if _, err := parseZone(o.TimeZone); err != nil {
			e.Add("time_zone", "%v", err)
		}
	}
	e.Units("units", o.Units)
	e.LineResponses("ack_codes", o.AckCodes)
	e.TrackingStatuses("status_codes", o.StatusCodes)
	e.StockQuantities("stock_quantities", o.StockQuantities)
	e.CatalogDocs("catalog_docs", o.CatalogDocs)
	return e.Err()
}

// wants reports whether an 832 is to be mapped to doctype.
func (o Options) wants(doctype string) bool { return slices.Contains(o.CatalogDocs, doctype) }
