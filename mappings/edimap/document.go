package edimap

// Doc is one canonical document mapped from an EDI unit (an X12
// transaction set or an EDIFACT message). Most units map to one document;
// some map to one per item, location or status.
type Doc struct {
	// Doctype is the canonical document type: "order", "shipment", …
	Doctype string
	// Body is the canonical document without sender, receiver and
	// source, which the hub fills from the envelope. Values are strings,
	// ints (line numbers), []any and map[string]any, as encoding/json
	// would decode them (ints aside).
	Body map[string]any
	// Pos is the position of the segment the document starts at (the
	// unit's ST or UNH, or the segment that starts one of several
	// documents), for errors.
	Pos int
}

// Pair is an EDI unit type (an X12 set type such as "850", an EDIFACT
// message type such as "ORDERS") and the canonical doctype it maps to and
// from.
type Pair struct {
	Type    string
	Doctype string
}
