package hub

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/schemas"
)

// carrierStatuses maps carriers' own status codes and words to tracking
// statuses. It is the built-in table for codes common enough to guess
// safely; a per-partner table is not there yet. Keys are upper case.
var carrierStatuses = map[string]string{
	// Generic English words and the canonical names themselves.
	"INFO_RECEIVED": "info_received", "MANIFEST": "info_received", "LABEL_CREATED": "info_received",
	"PICKED_UP": "picked_up", "PICKUP": "picked_up", "COLLECTED": "picked_up",
	"IN_TRANSIT": "in_transit", "TRANSIT": "in_transit",
	"OUT_FOR_DELIVERY": "out_for_delivery", "OFD": "out_for_delivery",
	"DELIVERED": "delivered", "EXCEPTION": "exception", "RETURNED": "returned",
	// UPS-style status types.
	"M": "info_received", "P": "picked_up", "I": "in_transit", "D": "delivered", "X": "exception", "RS": "returned",
	// X12 214 AT701 codes a carrier also uses in its own API.
	"XB": "info_received", "AF": "picked_up", "X6": "in_transit", "X1": "out_for_delivery",
	"D1": "delivered", "A9": "exception", "A3": "returned",
	// Chinese courier words (快递 tracking texts).
	"已揽收": "picked_up", "揽收": "picked_up", "运输中": "in_transit", "在途": "in_transit",
	"派送中": "out_for_delivery", "派件": "out_for_delivery", "已签收": "delivered", "签收": "delivered",
	"疑难": "exception", "退回": "returned", "退签": "returned",
}

// CarrierStatus maps a carrier's own status code or word to a tracking
// status; ok is false for a code the built-in table does not know.
func CarrierStatus(code string) (status string, ok bool) {
	status, ok = carrierStatuses[strings.ToUpper(strings.TrimSpace(code))]
	return status, ok
}

// TrackingResult is what became of one posted tracking event.
type TrackingResult struct {
	Message            store.Message `json:"message"`
	ShipmentID         string        `json:"shipment_id"`
	ShipmentExternalID string        `json:"shipment_external_id"`
	Status             string        `json:"status"`
	// ShipmentStatus is the shipment's tracking status after the event;
	// Applied is false when the event ranked below it and was recorded
	// without moving it back.
	ShipmentStatus string `json:"shipment_status"`
	Applied        bool   `json:"applied"`
}

// ShipmentNotFoundError is an ErrNotFound naming the events (by JSON
// pointer) whose shipment does not exist or is not the caller's.
type ShipmentNotFoundError struct {
	Pointers []string
}

func (e *ShipmentNotFoundError) Error() string {
	return fmt.Sprintf("no shipment you carry or shipped at %s", strings.Join(e.Pointers, ", "))
}

// Unwrap makes it an ErrNotFound.
func (e *ShipmentNotFoundError) Unwrap() error { return ErrNotFound }

// PostTrackingEvents takes tracking events (canonical tracking_event
// fields; status may be left out when carrier_status_code maps through
// CarrierStatus) and submits them, all or nothing, through the pipeline.
// Each event names its shipment by shipment_external_id (and supplier when
// several suppliers use the number); the caller must be the shipment's
// carrier (shipment.carrier is its partner id) or its supplier, else the
// whole post fails with a *ShipmentNotFoundError. The hub fills dealer,
// supplier, tracking_number and, when absent, external_id
// ("<ASN>-<status>-<occurred_at>"). It waits up to ActionWait for the
// events to be processed and returns each with the shipment's status.
func (h *Hub) PostTrackingEvents(ctx context.Context, p Principal, events []json.RawMessage) ([]TrackingResult, error) {
	if len(events) == 0 {
		return nil, fmt.Errorf("%w: no events", ErrBadRequest)
	}
	prefix := func(i int) string {
		if len(events) > 1 {
			return "/" + strconv.Itoa(i)
		}
		return ""
	}
	var (
		vs        []schemas.Violation
		notFound  []string
		docs      = make([]json.RawMessage, len(events))
		shipments = make([]store.Document, len(events))
	)
	for i, raw := range events {
		ev, err := decodeObject(raw)
		if err != nil {
			return nil, fmt.Errorf("%w: event %d: %v", ErrBadRequest, i, err)
		}
		status, _ := ev["status"].(string)
		if code, _ := ev["carrier_status_code"].(string); status == "" && code != "" {
			if s, ok := CarrierStatus(code); ok {
				ev["status"] = s
			} else {
				vs = append(vs, schemas.Violation{Pointer: prefix(i) + "/carrier_status_code",
					Reason: fmt.Sprintf("carrier status code %q is not one the hub knows; send status", code)})
			}
		}
		asn, _ := ev["shipment_external_id"].(string)
		if asn == "" {
			vs = append(vs, schemas.Violation{Pointer: prefix(i) + "/shipment_external_id", Reason: "name the shipment's ASN number"})
			continue
		}
		sd, v, err := h.carriedShipment(ctx, p, ev, asn)
		switch {
		case err != nil:
			return nil, err
		case v != "":
			vs = append(vs, schemas.Violation{Pointer: prefix(i) + "/supplier", Reason: v})
			continue
		case sd.ID == "":
			notFound = append(notFound, prefix(i)+"/shipment_external_id")
			continue
		}
		shipments[i] = sd
		fillEvent(ev, sd, p)
		if docs[i], err = json.Marshal(ev); err != nil {
			return nil, fmt.Errorf("encoding event %d: %w", i, err)
		}
	}
	if len(notFound) > 0 {
		return nil, &ShipmentNotFoundError{Pointers: notFound}
	}
	if len(vs) > 0 {
		return nil, &ValidationError{Violations: vs}
	}
	rs, err := h.Submit(ctx, p, "tracking_event", docs)
	if err != nil {
		return nil, err
	}
	return h.trackingResults(ctx, rs, shipments)
}

// carriedShipment finds the shipment an event names among those the
// principal carries or shipped. It returns a zero document when there is
// none, and a reason when the number is ambiguous.
func (h *Hub) carriedShipment(ctx context.Context, p Principal, ev map[string]any, asn string) (store.Document, string, error) {
	supplier, _ := ev["supplier"].(string)
	docs, err := h.allDocuments(ctx, store.DocumentFilter{Doctype: "shipment", ExternalID: asn, Sender: supplier})
	if err != nil {
		return store.Document{}, "", err
	}
	var mine []store.Document
	for _, d := range docs {
		var sb shipmentBody
		if json.Unmarshal(d.Body, &sb) != nil {
			continue
		}
		if p.Operator || d.Sender == p.Partner || (sb.Carrier != "" && sb.Carrier == p.Partner) {
			mine = append(mine, d)
		}
	}
	switch len(mine) {
	case 0:
		return store.Document{}, "", nil
	case 1:
		return mine[0], "", nil
	}
	return store.Document{}, fmt.Sprintf("several suppliers have a shipment %q; name the supplier", asn), nil
}

// fillEvent completes an event from its shipment.
func fillEvent(ev map[string]any, sd store.Document, p Principal) {
	var sb shipmentBody
	_ = json.Unmarshal(sd.Body, &sb)
	ev["dealer"], ev["supplier"] = sd.Receiver, sd.Sender
	if _, ok := ev["tracking_number"]; !ok && sb.TrackingNumber != "" {
		ev["tracking_number"] = sb.TrackingNumber
	}
	if p.Operator {
		if s, _ := ev["sender"].(string); s == "" {
			ev["sender"] = sd.Sender
			if sb.Carrier != "" && partnerIDLike(sb.Carrier) {
				ev["sender"] = sb.Carrier
			}
		}
	}
	if id, _ := ev["external_id"].(string); id == "" {
		status, _ := ev["status"].(string)
		at, _ := ev["occurred_at"].(string)
		ev["external_id"] = sd.ExternalID + "-" + status + "-" + strings.NewReplacer(":", "", "-", "", "+", "", ".", "").Replace(at)
	}
}

// trackingResults waits for the events' messages and reads each shipment's
// status afterwards.
func (h *Hub) trackingResults(ctx context.Context, rs []connectors.Receipt, shipments []store.Document) ([]TrackingResult, error) {
	deadline := time.Now().Add(ActionWait)
	out := make([]TrackingResult, len(rs))
	for i, r := range rs {
		m, err := AwaitMessage(ctx, h.st, r.MessageID, deadline, 100*time.Millisecond)
		if err != nil {
			return nil, err
		}
		sd := shipments[i]
		var sb shipmentBody
		_ = json.Unmarshal(sd.Body, &sb)
		entries, status, err := h.shipmentEvents(ctx, sd, sb.Carrier)
		if err != nil {
			return nil, err
		}
		res := TrackingResult{Message: m, ShipmentID: sd.ID, ShipmentExternalID: sd.ExternalID, ShipmentStatus: status}
		for _, e := range entries {
			if len(m.DocumentIDs) > 0 && e.DocumentID == m.DocumentIDs[0] {
				res.Status, res.Applied = e.Status, *e.Applied
			}
		}
		out[i] = res
	}
	return out, nil
}
