package schemas

// The structs below mirror the canonical JSON Schemas field for field: the
// json tags are the schema's property names, optional properties carry
// omitempty, money and quantities are Decimal, calendar dates are
// "YYYY-MM-DD" strings and instants RFC 3339 strings (kept as written, so a
// document survives a round trip byte for byte in meaning). A struct does not
// validate itself: run Registry.Validate on the decoded JSON.

// Address is a postal address (ship-to, bill-to, a party's addresses).
type Address struct {
	Type         string   `json:"type,omitempty"` // billing, shipping, registered, warehouse, store, other
	Name         string   `json:"name,omitempty"`
	AddressLines []string `json:"address_lines,omitempty"`
	City         string   `json:"city,omitempty"`
	District     string   `json:"district,omitempty"`
	Region       string   `json:"region,omitempty"`
	PostalCode   string   `json:"postal_code,omitempty"`
	Country      string   `json:"country,omitempty"` // ISO 3166-1 alpha-2
	Contact      string   `json:"contact,omitempty"`
	Phone        string   `json:"phone,omitempty"`
}

// Contact is a person at a party.
type Contact struct {
	Name   string `json:"name,omitempty"`
	Role   string `json:"role,omitempty"`
	Email  string `json:"email,omitempty"`
	Phone  string `json:"phone,omitempty"`
	Mobile string `json:"mobile,omitempty"`
}

// Party is a trading party as its sender knows it (doctype "party").
type Party struct {
	Sender     string            `json:"sender"`
	Receiver   string            `json:"receiver,omitempty"`
	ExternalID string            `json:"external_id"`
	Source     string            `json:"source,omitempty"`
	Name       string            `json:"name"`
	LegalName  string            `json:"legal_name,omitempty"`
	PartnerID  string            `json:"partner_id,omitempty"`
	Roles      []string          `json:"roles,omitempty"`
	TaxID      string            `json:"tax_id,omitempty"`
	GLN        string            `json:"gln,omitempty"`
	Addresses  []Address         `json:"addresses,omitempty"`
	Contacts   []Contact         `json:"contacts,omitempty"`
	Extensions map[string]string `json:"extensions,omitempty"`
}

// Product is a supplier's catalog item (doctype "product").
type Product struct {
	Sender           string            `json:"sender"`
	Receiver         string            `json:"receiver,omitempty"`
	ExternalID       string            `json:"external_id"`
	Source           string            `json:"source,omitempty"`
	SKU              string            `json:"sku"`
	GTIN             string            `json:"gtin,omitempty"`
	Name             string            `json:"name"`
	Description      string            `json:"description,omitempty"`
	Brand            string            `json:"brand,omitempty"`
	Model            string            `json:"model,omitempty"`
	Category         string            `json:"category,omitempty"`
	Unit             string            `json:"unit"`
	PackQuantity     Decimal           `json:"pack_quantity,omitempty"`
	MinOrderQuantity Decimal           `json:"min_order_quantity,omitempty"`
	OriginCountry    string            `json:"origin_country,omitempty"`
	Status           string            `json:"status,omitempty"` // active, discontinued
	Attributes       map[string]string `json:"attributes,omitempty"`
	Extensions       map[string]string `json:"extensions,omitempty"`
}

// PriceList is a supplier's price list (doctype "price_list").
type PriceList struct {
	Sender     string `json:"sender"`
	Receiver   string `json:"receiver,omitempty"`
	ExternalID string `json:"external_id"`
	Source     string `json:"source,omitempty"`
	Name       string `json:"name,omitempty"`
	Currency   string `json:"currency"`
	ValidFrom  string `json:"valid_from"`
	ValidTo    string `json:"valid_to,omitempty"`
	// TaxIncluded says whether the prices include tax (VAT); nil when the
	// supplier does not say. A line's own TaxIncluded overrides it.
	TaxIncluded *bool `json:"tax_included,omitempty"`
	// TaxRate is the tax rate in percent ("13" is 13%); a line's own
	// TaxRate overrides it.
	TaxRate    Decimal           `json:"tax_rate,omitempty"`
	Note       string            `json:"note,omitempty"`
	Lines      []PriceListLine   `json:"lines"`
	Extensions map[string]string `json:"extensions,omitempty"`
}

// PriceListLine is one priced SKU of a price list.
type PriceListLine struct {
	SKU         string      `json:"sku"`
	GTIN        string      `json:"gtin,omitempty"`
	Description string      `json:"description,omitempty"`
	Unit        string      `json:"unit"`
	UnitPrice   Decimal     `json:"unit_price"`
	MinQuantity Decimal     `json:"min_quantity,omitempty"`
	Tiers       []PriceTier `json:"tiers,omitempty"`
	// TaxIncluded and TaxRate override the list's for this line; they
	// apply to UnitPrice and the tiers' prices.
	TaxIncluded *bool             `json:"tax_included,omitempty"`
	TaxRate     Decimal           `json:"tax_rate,omitempty"`
	ValidFrom   string            `json:"valid_from,omitempty"`
	ValidTo     string            `json:"valid_to,omitempty"`
	Attributes  map[string]string `json:"attributes,omitempty"`
}

// PriceTier is a quantity break: UnitPrice applies from MinQuantity up.
type PriceTier struct {
	MinQuantity Decimal `json:"min_quantity"`
	UnitPrice   Decimal `json:"unit_price"`
}

// Order is a dealer's purchase order to a supplier (doctype "order").
type Order struct {
	Sender        string            `json:"sender"`
	Receiver      string            `json:"receiver"`
	ExternalID    string            `json:"external_id"`
	Source        string            `json:"source,omitempty"`
	Status        string            `json:"status"`
	OrderDate     string            `json:"order_date"`
	RequestedDate string            `json:"requested_date,omitempty"`
	Currency      string            `json:"currency,omitempty"`
	BuyerContact  string            `json:"buyer_contact,omitempty"`
	PaymentTerms  string            `json:"payment_terms,omitempty"`
	ShipTo        *Address          `json:"ship_to,omitempty"`
	BillTo        *Address          `json:"bill_to,omitempty"`
	Note          string            `json:"note,omitempty"`
	Lines         []OrderLine       `json:"lines"`
	Extensions    map[string]string `json:"extensions,omitempty"`
}

// OrderLine is one ordered item.
type OrderLine struct {
	LineNo        int     `json:"line_no"`
	SKU           string  `json:"sku"`
	BuyerSKU      string  `json:"buyer_sku,omitempty"`
	GTIN          string  `json:"gtin,omitempty"`
	Description   string  `json:"description,omitempty"`
	Quantity      Decimal `json:"quantity"`
	Unit          string  `json:"unit"`
	UnitPrice     Decimal `json:"unit_price,omitempty"`
	RequestedDate string  `json:"requested_date,omitempty"`
	Note          string  `json:"note,omitempty"`
}

// OrderResponse is a supplier's answer to a purchase order (doctype
// "order_response"). Lines are matched to order lines by LineNo, else by SKU.
type OrderResponse struct {
	Sender          string              `json:"sender"`
	Receiver        string              `json:"receiver"`
	ExternalID      string              `json:"external_id"`
	Source          string              `json:"source,omitempty"`
	OrderExternalID string              `json:"order_external_id"`
	Status          string              `json:"status,omitempty"`
	ResponseDate    string              `json:"response_date,omitempty"`
	Currency        string              `json:"currency,omitempty"`
	Note            string              `json:"note,omitempty"`
	Lines           []OrderResponseLine `json:"lines,omitempty"`
	Extensions      map[string]string   `json:"extensions,omitempty"`
}

// OrderResponseLine is the answer to one order line.
type OrderResponseLine struct {
	LineNo       int     `json:"line_no,omitempty"`
	SKU          string  `json:"sku,omitempty"`
	Response     string  `json:"response"`
	Quantity     Decimal `json:"quantity,omitempty"`
	Unit         string  `json:"unit,omitempty"`
	UnitPrice    Decimal `json:"unit_price,omitempty"`
	PromisedDate string  `json:"promised_date,omitempty"`
	Reason       string  `json:"reason,omitempty"`
}

// Shipment is an advance ship notice (doctype "shipment").
type Shipment struct {
	Sender            string            `json:"sender"`
	Receiver          string            `json:"receiver"`
	ExternalID        string            `json:"external_id"`
	Source            string            `json:"source,omitempty"`
	OrderExternalIDs  []string          `json:"order_external_ids,omitempty"`
	ShipDate          string            `json:"ship_date"`
	Carrier           string            `json:"carrier,omitempty"`
	CarrierService    string            `json:"carrier_service,omitempty"`
	TrackingNumber    string            `json:"tracking_number,omitempty"`
	EstimatedDelivery string            `json:"estimated_delivery,omitempty"`
	ShipFrom          *Address          `json:"ship_from,omitempty"`
	ShipTo            *Address          `json:"ship_to,omitempty"`
	Note              string            `json:"note,omitempty"`
	Packages          []Package         `json:"packages"`
	Extensions        map[string]string `json:"extensions,omitempty"`
}

// Package is one carton or pallet of a shipment.
type Package struct {
	SSCC        string         `json:"sscc,omitempty"`
	PackageType string         `json:"package_type,omitempty"`
	GrossWeight Decimal        `json:"gross_weight,omitempty"`
	WeightUnit  string         `json:"weight_unit,omitempty"`
	Lines       []ShipmentLine `json:"lines"`
}

// ShipmentLine is the goods of one SKU in a package.
type ShipmentLine struct {
	SKU             string   `json:"sku"`
	GTIN            string   `json:"gtin,omitempty"`
	Description     string   `json:"description,omitempty"`
	Quantity        Decimal  `json:"quantity"`
	Unit            string   `json:"unit"`
	OrderExternalID string   `json:"order_external_id,omitempty"`
	LineNo          int      `json:"line_no,omitempty"`
	Batch           string   `json:"batch,omitempty"`
	SerialNumbers   []string `json:"serial_numbers,omitempty"`
}

// TrackingEvent is a carrier's status update for a shipment (doctype
// "tracking_event").
type TrackingEvent struct {
	Sender             string            `json:"sender"`
	Receiver           string            `json:"receiver,omitempty"`
	ExternalID         string            `json:"external_id"`
	Source             string            `json:"source,omitempty"`
	ShipmentExternalID string            `json:"shipment_external_id"`
	TrackingNumber     string            `json:"tracking_number,omitempty"`
	Status             string            `json:"status"`
	CarrierStatusCode  string            `json:"carrier_status_code,omitempty"`
	Description        string            `json:"description,omitempty"`
	OccurredAt         string            `json:"occurred_at"`
	EstimatedDelivery  string            `json:"estimated_delivery,omitempty"`
	Location           *EventLocation    `json:"location,omitempty"`
	SignedBy           string            `json:"signed_by,omitempty"`
	Dealer             string            `json:"dealer,omitempty"`
	Supplier           string            `json:"supplier,omitempty"`
	Extensions         map[string]string `json:"extensions,omitempty"`
}

// EventLocation is where a tracking event happened.
type EventLocation struct {
	City        string `json:"city,omitempty"`
	Region      string `json:"region,omitempty"`
	PostalCode  string `json:"postal_code,omitempty"`
	Country     string `json:"country,omitempty"`
	Description string `json:"description,omitempty"`
}

// StockLevel is a dealer's stock of one SKU at one location (doctype
// "stock_level"). OnHand and Available may be negative when an ERP oversells.
type StockLevel struct {
	Sender      string            `json:"sender"`
	Receiver    string            `json:"receiver,omitempty"`
	ExternalID  string            `json:"external_id"`
	Source      string            `json:"source,omitempty"`
	Location    string            `json:"location"`
	SKU         string            `json:"sku"`
	GTIN        string            `json:"gtin,omitempty"`
	Description string            `json:"description,omitempty"`
	Supplier    string            `json:"supplier,omitempty"`
	SupplierSKU string            `json:"supplier_sku,omitempty"`
	OnHand      Decimal           `json:"on_hand"`
	Available   Decimal           `json:"available,omitempty"`
	Reserved    Decimal           `json:"reserved,omitempty"`
	OnOrder     Decimal           `json:"on_order,omitempty"`
	SafetyStock Decimal           `json:"safety_stock,omitempty"`
	Unit        string            `json:"unit"`
	AsOf        string            `json:"as_of"`
	Extensions  map[string]string `json:"extensions,omitempty"`
}

// SalesReport is a dealer's sell-through for one day (doctype
// "sales_report").
type SalesReport struct {
	Sender     string            `json:"sender"`
	Receiver   string            `json:"receiver,omitempty"`
	ExternalID string            `json:"external_id"`
	Source     string            `json:"source,omitempty"`
	Date       string            `json:"date"`
	Location   string            `json:"location,omitempty"`
	Lines      []SalesLine       `json:"lines"`
	Extensions map[string]string `json:"extensions,omitempty"`
}

// SalesLine is the sales of one SKU; negative quantities are returns.
type SalesLine struct {
	SKU         string  `json:"sku"`
	GTIN        string  `json:"gtin,omitempty"`
	Description string  `json:"description,omitempty"`
	Supplier    string  `json:"supplier,omitempty"`
	SupplierSKU string  `json:"supplier_sku,omitempty"`
	Quantity    Decimal `json:"quantity"`
	Unit        string  `json:"unit"`
	Revenue     Decimal `json:"revenue,omitempty"`
	Currency    string  `json:"currency,omitempty"`
}

// Acknowledgment is the answer to an EDI interchange: an X12 997/TA1 or
// an EDIFACT CONTRL as a document (doctype "acknowledgment").
type Acknowledgment struct {
	Sender      string            `json:"sender"`
	Receiver    string            `json:"receiver"`
	ExternalID  string            `json:"external_id"`
	Source      string            `json:"source,omitempty"`
	Standard    string            `json:"standard"`
	MessageID   string            `json:"message_id,omitempty"`
	Interchange AckInterchange    `json:"interchange"`
	Status      string            `json:"status"`
	NoteCode    string            `json:"note_code,omitempty"`
	Errors      []AckError        `json:"errors,omitempty"`
	Groups      []AckGroup        `json:"groups,omitempty"`
	Extensions  map[string]string `json:"extensions,omitempty"`
}

// AckInterchange is the envelope an acknowledgment answers.
type AckInterchange struct {
	Control  string   `json:"control"`
	Sender   AckParty `json:"sender"`
	Receiver AckParty `json:"receiver"`
	Date     string   `json:"date,omitempty"`
	Time     string   `json:"time,omitempty"`
	Version  string   `json:"version,omitempty"`
}

// AckParty is an interchange party: qualifier and id.
type AckParty struct {
	Qualifier string `json:"qualifier,omitempty"`
	ID        string `json:"id"`
}

// AckGroup is the answer for one functional group.
type AckGroup struct {
	FunctionalID string     `json:"functional_id,omitempty"`
	Control      string     `json:"control"`
	Version      string     `json:"version,omitempty"`
	Status       string     `json:"status"`
	SetsReceived int        `json:"sets_received"`
	SetsAccepted int        `json:"sets_accepted"`
	Errors       []AckError `json:"errors,omitempty"`
	Sets         []AckSet   `json:"sets,omitempty"`
}

// AckSet is the answer for one transaction set or message.
type AckSet struct {
	Type    string     `json:"type"`
	Control string     `json:"control"`
	Version string     `json:"version,omitempty"`
	Status  string     `json:"status"`
	Errors  []AckError `json:"errors,omitempty"`
}

// AckError is one problem an acknowledgment reports.
type AckError struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	EDICode   string `json:"edi_code,omitempty"`
	Position  int    `json:"position,omitempty"`
	Tag       string `json:"tag,omitempty"`
	Element   int    `json:"element,omitempty"`
	Component int    `json:"component,omitempty"`
	Value     string `json:"value,omitempty"`
}
