package edifactmap

import (
	"fmt"
	"strings"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/mappings/edimap"
)

// Doc is one canonical document mapped from a message; its Pos is the
// position of the message's UNH, or of the LIN or STS of one of several
// documents. It is edimap's, the same type as x12map.Doc.
type Doc = edimap.Doc

// Out is the body of one EDIFACT message built from a canonical document,
// and what the UNH S009 of its envelope says.
type Out struct {
	// Type is the message type: "ORDERS", "DESADV", …
	Type string
	// Version, Release, Agency and Association are S009's 0052, 0054,
	// 0051 and 0057: "D", "96A", "UN", "EAN008".
	Version, Release, Agency, Association string
	// Body are the segments between UNH and UNT.
	Body []connectors.EDISegment
}

// Pair is a message type and the canonical document type it maps to and
// from. It is edimap's, the same type as x12map.Pair.
type Pair = edimap.Pair

// pairs are the supported message types, both directions. A PRICAT also
// maps to products (Options.CatalogDocs), one way only.
var pairs = []Pair{
	{Type: "ORDERS", Doctype: "order"},
	{Type: "ORDRSP", Doctype: "order_response"},
	{Type: "DESADV", Doctype: "shipment"},
	{Type: "INVRPT", Doctype: "stock_level"},
	{Type: "PRICAT", Doctype: "price_list"},
	{Type: "IFTSTA", Doctype: "tracking_event"},
}

// Supported lists the message types and canonical document types mapped,
// both directions. A PRICAT also maps to product documents when
// Options.CatalogDocs asks for them; that one is not written back.
func Supported() []Pair { return append([]Pair(nil), pairs...) }

// ToCanonical maps one EDIFACT message to canonical documents: one for
// most messages, one per line and location for INVRPT, one per status for
// IFTSTA, a price list and products for PRICAT. Directories D96A and
// later are read (D96B, D01B, …: the segments mapped here are the same).
//
// An unsupported message type or an older directory returns an
// *connectors.EDIError with Code "unsupported_set". Data problems are
// returned as errors joined from *connectors.EDIError values, each
// located (segment Pos, Tag, Element, Component): every problem, not just
// the first. Documents are returned only when there is no problem.
func ToCanonical(tx connectors.EDITransaction, o Options) ([]Doc, error) {
	c, err := o.resolve()
	if err != nil {
		return nil, err
	}
	var unh seg
	if len(tx.Segments) > 0 {
		unh = tx.Segments[0]
	}
	if err := checkVersion(tx, unh); err != nil {
		return nil, err
	}
	r := &reader{c: c, unh: unh}
	body := tx.Body()
	var docs []Doc
	switch tx.Type {
	case "ORDERS":
		docs = r.orders(body)
	case "ORDRSP":
		docs = r.ordrsp(body)
	case "DESADV":
		docs = r.desadv(body)
	case "INVRPT":
		docs = r.invrpt(body)
	case "PRICAT":
		docs = r.pricat(body)
	case "IFTSTA":
		docs = r.iftsta(body)
	default:
		return nil, &connectors.EDIError{
			Pos: unh.Pos, Offset: unh.Offset, Tag: "UNH", Element: 2, Component: 1, Code: CodeUnsupportedSet,
			Message: fmt.Sprintf("message type %q is not mapped (mapped: ORDERS, ORDRSP, DESADV, INVRPT, PRICAT, IFTSTA)", tx.Type),
		}
	}
	if err := r.p.Err(); err != nil {
		return nil, err
	}
	return docs, nil
}

// checkVersion refuses a directory older than D96A; an unknown or empty
// version is read.
func checkVersion(tx connectors.EDITransaction, unh seg) error {
	v := strings.ToUpper(strings.NewReplacer(":", "", ".", "").Replace(tx.Version))
	if len(v) != 4 || v[0] != 'D' || !edimap.Digits(v[1:3]) {
		return nil
	}
	year := v[1:3]
	if edimap.Century(year)+year+v[3:] < "1996A" {
		return &connectors.EDIError{
			Pos: unh.Pos, Offset: unh.Offset, Tag: "UNH", Element: 2, Component: 3, Code: CodeUnsupportedSet,
			Message: fmt.Sprintf("directory %s is older than D96A, the oldest read", tx.Version),
		}
	}
	return nil
}

// FromCanonical builds the body segments (between UNH and UNT) of the
// EANCOM D96A message for a canonical document, and says which message
// type it is. The document's sender, receiver and source are not used.
// Problems with the document are returned joined, each a *BodyError with
// the JSON pointer of the value.
func FromCanonical(doctype string, body map[string]any, o Options) (Out, error) {
	c, err := o.resolve()
	if err != nil {
		return Out{}, err
	}
	w := &writer{c: c}
	var typ string
	switch doctype {
	case "order":
		typ = "ORDERS"
		w.orders(body)
	case "order_response":
		typ = "ORDRSP"
		w.ordrsp(body)
	case "shipment":
		typ = "DESADV"
		w.desadv(body)
	case "stock_level":
		typ = "INVRPT"
		w.invrpt(body)
	case "price_list":
		typ = "PRICAT"
		w.pricat(body)
	case "tracking_event":
		typ = "IFTSTA"
		w.iftsta(body)
	default:
		return Out{}, &BodyError{Message: fmt.Sprintf("document type %q has no EDIFACT message (written: order, order_response, shipment, stock_level, price_list, tracking_event)", doctype)}
	}
	if err := w.p.Err(); err != nil {
		return Out{}, err
	}
	return Out{Type: typ, Version: "D", Release: "96A", Agency: "UN", Association: c.association(typ), Body: w.segs}, nil
}
