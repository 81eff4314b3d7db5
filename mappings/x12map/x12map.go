package x12map

import (
	"fmt"
	"slices"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/mappings/edimap"
)

// Doc is one canonical document mapped from a transaction set; its Pos
// is the position of the set's ST, or of the LIN or AT7 of a document per
// item or event. It is edimap's, the same type as edifactmap.Doc.
type Doc = edimap.Doc

// Out is a transaction set built from a canonical document.
type Out struct {
	// Type is the set's ST01: "850", "855", "856", "846", "832", "214".
	Type string
	// Version is the GS08 version the set is written for (Options.Version).
	Version string
	// Body holds the segments between ST and SE.
	Body []connectors.EDISegment
}

// Pair is a set type and the canonical doctype it maps to and from. It is
// edimap's, the same type as edifactmap.Pair.
type Pair = edimap.Pair

// pairs lists the supported mappings; both directions work for each.
var pairs = []Pair{
	{Type: "850", Doctype: "order"},
	{Type: "855", Doctype: "order_response"},
	{Type: "856", Doctype: "shipment"},
	{Type: "846", Doctype: "stock_level"},
	{Type: "832", Doctype: "price_list"},
	{Type: "832", Doctype: "product"},
	{Type: "214", Doctype: "tracking_event"},
}

// Supported lists the set types and doctypes mapped, both directions.
func Supported() []Pair { return slices.Clone(pairs) }

// ToCanonical maps one transaction set to canonical documents: one order,
// order response, shipment or price list per set; one stock level per
// item and location of an 846; one product per LIN of an 832 when
// Options.CatalogDocs asks for products; one tracking event per AT7 of a
// 214. A set type not in Supported returns an EDIError with Code
// "unsupported_set". Data problems are returned as one error joined from
// located *connectors.EDIError values, every problem found, and no
// documents.
func ToCanonical(tx connectors.EDITransaction, o Options) ([]Doc, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	o = o.defaulted()
	st := connectors.EDISegment{Tag: "ST"}
	if len(tx.Segments) > 0 {
		st = tx.Segments[0]
	}
	read, ok := readers[tx.Type]
	if !ok {
		return nil, &connectors.EDIError{
			Pos: st.Pos, Offset: st.Offset, Tag: st.Tag, Element: 1, Code: CodeUnsupportedSet,
			Message: fmt.Sprintf("transaction set %q is not mapped to a canonical document (supported: 850, 855, 856, 846, 832, 214)", tx.Type),
		}
	}
	z, _ := parseZone(o.TimeZone)
	r := &reader{o: o, zone: z, st: st, segs: tx.Body()}
	docs := read(r)
	if err := r.p.Err(); err != nil {
		return nil, err
	}
	return docs, nil
}

var readers = map[string]func(*reader) []Doc{
	"850": (*reader).order,
	"855": (*reader).orderResponse,
	"856": (*reader).shipment,
	"846": (*reader).stockLevels,
	"832": (*reader).catalog,
	"214": (*reader).trackingEvents,
}

// FromCanonical builds the body segments (between ST and SE) of the
// transaction set for a canonical document, and says which set type it
// is. Problems with the document are returned as one error joined from
// *BodyError values, each naming the JSON pointer of the value.
func FromCanonical(doctype string, body map[string]any, o Options) (Out, error) {
	if err := o.Validate(); err != nil {
		return Out{}, err
	}
	o = o.defaulted()
	w := &writer{o: o, doc: body}
	var typ string
	switch doctype {
	case "order":
		typ = "850"
		w.order()
	case "order_response":
		typ = "855"
		w.orderResponse()
	case "shipment":
		typ = "856"
		w.shipment()
	case "stock_level":
		typ = "846"
		w.stockLevel()
	case "price_list":
		typ = "832"
		w.priceList()
	case "product":
		typ = "832"
		w.product()
	case "tracking_event":
		typ = "214"
		w.trackingEvent()
	default:
		return Out{}, &BodyError{Message: fmt.Sprintf("doctype %q has no X12 mapping", doctype)}
	}
	if err := w.p.Err(); err != nil {
		return Out{}, err
	}
	return Out{Type: typ, Version: o.Version, Body: w.segs}, nil
}
