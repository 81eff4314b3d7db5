package hub

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/dealerhub/dealerhub/schemas"
)

// ShipmentRequest is a supplier's ship notice for confirmed lines of one
// order.
type ShipmentRequest struct {
	// OrderID is the hub's id of the order (GET /api/v1/orders).
	OrderID string `json:"order_id"`
	// ExternalID is the ASN number; empty gives "<order number>-S<n>".
	ExternalID string `json:"external_id,omitempty"`
	// ShipDate defaults to the hub's date (UTC).
	ShipDate string `json:"ship_date,omitempty"`
	// Carrier is the logistics partner's id when the carrier is a hub
	// partner: only that partner (and the supplier) may post tracking
	// events for the shipment. Any other text is kept as the carrier's
	// name.
	Carrier           string           `json:"carrier,omitempty"`
	CarrierService    string           `json:"carrier_service,omitempty"`
	TrackingNumber    string           `json:"tracking_number,omitempty"`
	EstimatedDelivery string           `json:"estimated_delivery,omitempty"`
	Note              string           `json:"note,omitempty"`
	Packages          []PackageRequest `json:"packages"`
}

// PackageRequest is one package of a ship notice.
type PackageRequest struct {
	SSCC        string        `json:"sscc,omitempty"`
	PackageType string        `json:"package_type,omitempty"`
	GrossWeight string        `json:"gross_weight,omitempty"`
	WeightUnit  string        `json:"weight_unit,omitempty"`
	Lines       []PackageLine `json:"lines"`
}

// PackageLine is a quantity of one order line in a package.
type PackageLine struct {
	LineNo   int    `json:"line_no"`
	Quantity string `json:"quantity"`
	Batch    string `json:"batch,omitempty"`
}

// CreateShipment builds a shipment (ASN) from confirmed lines of an order
// and submits it through the pipeline. Only the order's supplier (or an
// operator) may: others get ErrNotFound. A line may not ship more than the
// supplier confirmed, counting what earlier shipments carried; violations
// name the package line.
func (h *Hub) CreateShipment(ctx context.Context, p Principal, req ShipmentRequest) (OrderActionResult, error) {
	d, b, err := h.visibleOrder(ctx, p, req.OrderID)
	if err != nil {
		return OrderActionResult{}, err
	}
	if !p.Operator && p.Partner != d.Receiver {
		return OrderActionResult{}, fmt.Errorf("order %q: only its supplier may ship it: %w", req.OrderID, ErrNotFound)
	}
	view, err := h.orderView(ctx, d, b)
	if err != nil {
		return OrderActionResult{}, err
	}
	var vs []schemas.Violation
	bad := func(ptr, format string, args ...any) {
		vs = append(vs, schemas.Violation{Pointer: ptr, Reason: fmt.Sprintf(format, args...)})
	}
	if len(req.Packages) == 0 {
		bad("/packages", "a shipment has at least one package")
	}
	adding := map[int]string{}   // order line index → quantity in this notice
	firstPtr := map[int]string{} // where the line first appears
	packages := make([]map[string]any, 0, len(req.Packages))
	for i, pk := range req.Packages {
		ptr := "/packages/" + strconv.Itoa(i)
		if len(pk.Lines) == 0 {
			bad(ptr+"/lines", "a package holds at least one line")
		}
		var lines []map[string]any
		for j, pl := range pk.Lines {
			lp := ptr + "/lines/" + strconv.Itoa(j)
			k := lineIndex(view.Lines, pl.LineNo, "")
			switch {
			case k < 0 || pl.LineNo == 0:
				bad(lp+"/line_no", "order %s has no line %d", d.ExternalID, pl.LineNo)
				continue
			case !schemas.Decimal(pl.Quantity).Valid() || compareDecimal(pl.Quantity, "0") <= 0:
				bad(lp+"/quantity", "line %d: quantity %q is not a positive decimal", pl.LineNo, pl.Quantity)
				continue
			}
			adding[k] = addDecimal(cmp.Or(adding[k], "0"), pl.Quantity)
			if _, ok := firstPtr[k]; !ok {
				firstPtr[k] = lp + "/quantity"
			}
			ol := view.Lines[k]
			l := map[string]any{"sku": ol.SKU, "quantity": pl.Quantity, "unit": ol.Unit, "order_external_id": d.ExternalID, "line_no": ol.LineNo}
			setIf(l, "batch", pl.Batch)
			lines = append(lines, l)
		}
		pm := map[string]any{"lines": lines}
		setIf(pm, "sscc", pk.SSCC)
		setIf(pm, "package_type", pk.PackageType)
		setIf(pm, "gross_weight", pk.GrossWeight)
		setIf(pm, "weight_unit", pk.WeightUnit)
		packages = append(packages, pm)
	}
	for _, k := range slices.Sorted(maps.Keys(adding)) {
		l := view.Lines[k]
		confirmed := cmp.Or(l.ConfirmedQuantity, "0")
		if total := addDecimal(l.ShippedQuantity, adding[k]); compareDecimal(total, confirmed) > 0 {
			bad(firstPtr[k], "line %d: shipping %s would exceed the confirmed quantity %s (%s already shipped)",
				l.LineNo, adding[k], confirmed, l.ShippedQuantity)
		}
	}
	if len(vs) > 0 {
		return OrderActionResult{}, &ValidationError{Violations: vs}
	}
	doc := map[string]any{
		"sender": d.Receiver, "receiver": d.Sender,
		"external_id":        cmp.Or(req.ExternalID, fmt.Sprintf("%s-S%d", d.ExternalID, len(view.Shipments)+1)),
		"order_external_ids": []string{d.ExternalID},
		"ship_date":          cmp.Or(req.ShipDate, h.now().UTC().Format(time.DateOnly)),
		"packages":           packages,
	}
	setIf(doc, "carrier", req.Carrier)
	setIf(doc, "carrier_service", req.CarrierService)
	setIf(doc, "tracking_number", req.TrackingNumber)
	setIf(doc, "estimated_delivery", req.EstimatedDelivery)
	setIf(doc, "note", req.Note)
	return h.submitForOrder(ctx, p, "shipment", doc, d.ID)
}

// ReceiptRequest records that the dealer received (part of) a shipment.
type ReceiptRequest struct {
	// Shipment is the ASN number of a shipment of the order.
	Shipment string `json:"shipment"`
	// ReceivedAt defaults to now.
	ReceivedAt *time.Time `json:"received_at,omitempty"`
	// Lines received; none means every line as the shipment carried it.
	Lines []ReceiptLine `json:"lines,omitempty"`
}

// ReceiptLine is the quantity of an order line received from the shipment.
type ReceiptLine struct {
	LineNo   int    `json:"line_no"`
	Quantity string `json:"quantity"`
}

// RecordReceipt records a receipt as a new version of the order, sent by
// its dealer through the pipeline: status "received" and, in its
// extensions, "received.<ASN>.<line_no>" (the quantity received of that
// line from that shipment) and "received_at.<ASN>" (RFC 3339). Recording a
// shipment again replaces its quantities. The new version goes to the
// supplier like any order version. Only the order's dealer (or an
// operator) may: others get ErrNotFound.
func (h *Hub) RecordReceipt(ctx context.Context, p Principal, orderID string, req ReceiptRequest) (OrderActionResult, error) {
	d, b, err := h.visibleOrder(ctx, p, orderID)
	if err != nil {
		return OrderActionResult{}, err
	}
	if !p.Operator && p.Partner != d.Sender {
		return OrderActionResult{}, fmt.Errorf("order %q: only its dealer may record a receipt: %w", orderID, ErrNotFound)
	}
	view, err := h.orderView(ctx, d, b)
	if err != nil {
		return OrderActionResult{}, err
	}
	shipped := map[int]string{} // line_no → quantity the shipment carried
	for _, l := range view.Lines {
		for _, e := range l.Timeline {
			if e.Step == StepShipped && e.Shipment == req.Shipment {
				shipped[l.LineNo] = addDecimal(cmp.Or(shipped[l.LineNo], "0"), e.Quantity)
			}
		}
	}
	if len(shipped) == 0 {
		return OrderActionResult{}, &ValidationError{Violations: []schemas.Violation{{Pointer: "/shipment",
			Reason: fmt.Sprintf("no shipment %q carries goods of order %s", req.Shipment, d.ExternalID)}}}
	}
	got := map[int]string{}
	if len(req.Lines) == 0 {
		got = shipped
	}
	var vs []schemas.Violation
	for i, rl := range req.Lines {
		ptr := "/lines/" + strconv.Itoa(i)
		switch s, ok := shipped[rl.LineNo]; {
		case !ok:
			vs = append(vs, schemas.Violation{Pointer: ptr + "/line_no", Reason: fmt.Sprintf("shipment %s carries nothing of line %d", req.Shipment, rl.LineNo)})
		case !schemas.Decimal(rl.Quantity).Valid() || compareDecimal(rl.Quantity, "0") < 0:
			vs = append(vs, schemas.Violation{Pointer: ptr + "/quantity", Reason: fmt.Sprintf("line %d: quantity %q is not a decimal of zero or more", rl.LineNo, rl.Quantity)})
		case compareDecimal(rl.Quantity, s) > 0:
			vs = append(vs, schemas.Violation{Pointer: ptr + "/quantity", Reason: fmt.Sprintf("line %d: received %s is more than the %s shipment %s carried", rl.LineNo, rl.Quantity, s, req.Shipment)})
		default:
			got[rl.LineNo] = rl.Quantity
		}
	}
	if len(vs) > 0 {
		return OrderActionResult{}, &ValidationError{Violations: vs}
	}
	doc, err := decodeObject(d.Body)
	if err != nil {
		return OrderActionResult{}, fmt.Errorf("reading order %q: %w", orderID, err)
	}
	ext, _ := doc["extensions"].(map[string]any)
	if ext == nil {
		ext = map[string]any{}
	}
	at := h.now()
	if req.ReceivedAt != nil {
		at = *req.ReceivedAt
	}
	ext[receivedAtPrefix+req.Shipment] = at.UTC().Format(time.RFC3339Nano)
	for n, q := range got {
		ext[receivedPrefix+req.Shipment+"."+strconv.Itoa(n)] = q
	}
	doc["extensions"] = ext
	doc["status"] = "received"
	delete(doc, "source")
	return h.submitForOrder(ctx, p, "order", doc, d.ID)
}
