package schemas

import "slices"

// DocTypes are the canonical document type names, in their conventional
// order. They are also the bus subject tokens. Treat the slice as read-only.
var DocTypes = []string{
	"party", "product", "price_list", "order", "order_response",
	"shipment", "tracking_event", "stock_level", "sales_report", "acknowledgment",
}

// OrderStatuses is the order status vocabulary, as in common.json.
// Treat the slice as read-only.
var OrderStatuses = []string{
	"draft", "sent", "acknowledged", "confirmed", "partially_confirmed", "changed",
	"rejected", "partially_shipped", "shipped", "delivered", "received", "cancelled",
}

// LineResponses is the vocabulary of a supplier's answer to one order line,
// as in common.json. Treat the slice as read-only.
var LineResponses = []string{"accepted", "changed", "rejected", "backordered"}

// TrackingStatuses is the tracking status vocabulary in its forward-only
// order, as in common.json. Treat the slice as read-only.
var TrackingStatuses = []string{
	"info_received", "picked_up", "in_transit", "out_for_delivery",
	"delivered", "exception", "returned",
}

// UnitCodes are the UN/ECE Recommendation 20 unit codes the schemas accept,
// as in common.json. Treat the slice as read-only.
var UnitCodes = []string{
	"EA", "C62", "PCE", "H87", "BX", "CT", "CS", "SET", "PR", "PK", "DZN", "BG", "BO", "ROL", "PL",
	"KGM", "GRM", "TNE", "MTR", "CMT", "MMT", "MTK", "MTQ", "LTR", "MLT",
}

// IsDocType reports whether s is one of DocTypes.
func IsDocType(s string) bool { return slices.Contains(DocTypes, s) }

// TrackingRank returns the 1-based position of status in TrackingStatuses,
// or 0 when status is not a tracking status. A tracking event whose rank is
// lower than the shipment's current rank moves backwards and should not
// replace it; exception and returned rank highest, so once a shipment is in
// exception only a return moves it on.
func TrackingRank(status string) int {
	return slices.Index(TrackingStatuses, status) + 1
}
