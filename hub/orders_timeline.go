package hub

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/schemas"
)

// Timeline steps of an order line, in the order they happen.
const (
	StepOrdered     = "ordered"
	StepConfirmed   = "confirmed" // the supplier accepted the line
	StepChanged     = "changed"
	StepRejected    = "rejected"
	StepBackordered = "backordered"
	StepShipped     = "shipped"
	StepTracking    = "tracking"
	StepReceived    = "received"
)

// Order is one order with what happened to each of its lines.
type Order struct {
	OrderSummary
	// Progress is where the order stands taking every document into
	// account: received, delivered, shipped, partially_shipped, the
	// status of the supplier's latest response, else the order's own.
	Progress      string          `json:"progress"`
	Currency      string          `json:"currency,omitempty"`
	RequestedDate string          `json:"requested_date,omitempty"`
	Lines         []OrderLine     `json:"lines"`
	Responses     []OrderDocument `json:"responses"`
	Shipments     []OrderShipment `json:"shipments"`
}

// OrderDocument names a document that belongs to an order.
type OrderDocument struct {
	ID         string    `json:"id"`
	ExternalID string    `json:"external_id"`
	Version    int       `json:"version"`
	Status     string    `json:"status,omitempty"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// OrderShipment is a shipment notice carrying goods of an order, with the
// tracking status its events reached (forward only; "" before any event).
type OrderShipment struct {
	OrderDocument
	Carrier        string `json:"carrier,omitempty"`
	TrackingNumber string `json:"tracking_number,omitempty"`
	ShipDate       string `json:"ship_date,omitempty"`
	TrackingStatus string `json:"tracking_status,omitempty"`
	Events         int    `json:"events"`
}

// OrderLine is one order line: what was ordered, where it stands now and
// every step that brought it there.
type OrderLine struct {
	LineNo        int    `json:"line_no"`
	SKU           string `json:"sku"`
	Unit          string `json:"unit"`
	Quantity      string `json:"quantity"`
	UnitPrice     string `json:"unit_price,omitempty"`
	RequestedDate string `json:"requested_date,omitempty"`
	// Response is the supplier's latest answer (accepted, changed,
	// rejected, backordered), ConfirmedQuantity, ConfirmedPrice and
	// PromisedDate what it stands at.
	Response          string `json:"response,omitempty"`
	ConfirmedQuantity string `json:"confirmed_quantity,omitempty"`
	ConfirmedPrice    string `json:"confirmed_price,omitempty"`
	PromisedDate      string `json:"promised_date,omitempty"`
	ShippedQuantity   string `json:"shipped_quantity"`
	ReceivedQuantity  string `json:"received_quantity"`
	// Timeline lists the steps in the order they happen: ordered, the
	// answers (by when the hub stored them), each shipment followed by its
	// tracking events (by occurred_at), then the receipts.
	Timeline []TimelineEntry `json:"timeline"`
}

// TimelineEntry is one step of an order line.
type TimelineEntry struct {
	// Step is one of the Step constants.
	Step string `json:"step"`
	// At is when it happened: when the hub stored the document, an
	// event's occurred_at, a receipt's time.
	At time.Time `json:"at"`
	// DocumentID and ExternalID name the document of the step (the order,
	// the order response, the shipment notice, the tracking event).
	DocumentID string `json:"document_id,omitempty"`
	ExternalID string `json:"external_id,omitempty"`
	Quantity   string `json:"quantity,omitempty"`
	UnitPrice  string `json:"unit_price,omitempty"`
	// Date is the requested date (ordered), the promised date (answers)
	// or the ship date (shipped).
	Date   string `json:"date,omitempty"`
	Reason string `json:"reason,omitempty"`
	// Shipment is the ASN number of shipped, tracking and received steps;
	// Package the package's SSCC, else its 1-based position.
	Shipment string `json:"shipment,omitempty"`
	Package  string `json:"package,omitempty"`
	// Status is a tracking event's status; Applied is false when it
	// ranked below the shipment's status and did not move it back.
	Status  string `json:"status,omitempty"`
	Applied *bool  `json:"applied,omitempty"`
}

type responseBody struct {
	OrderExternalID string `json:"order_external_id"`
	Status          string `json:"status"`
	Lines           []struct {
		LineNo       int    `json:"line_no"`
		SKU          string `json:"sku"`
		Response     string `json:"response"`
		Quantity     string `json:"quantity"`
		UnitPrice    string `json:"unit_price"`
		PromisedDate string `json:"promised_date"`
		Reason       string `json:"reason"`
	} `json:"lines"`
}

type shipmentBody struct {
	ExternalID       string   `json:"external_id"`
	OrderExternalIDs []string `json:"order_external_ids"`
	ShipDate         string   `json:"ship_date"`
	Carrier          string   `json:"carrier"`
	TrackingNumber   string   `json:"tracking_number"`
	Packages         []struct {
		SSCC  string `json:"sscc"`
		Lines []struct {
			SKU             string `json:"sku"`
			Quantity        string `json:"quantity"`
			OrderExternalID string `json:"order_external_id"`
			LineNo          int    `json:"line_no"`
		} `json:"lines"`
	} `json:"packages"`
}

type trackingBody struct {
	ShipmentExternalID string    `json:"shipment_external_id"`
	Status             string    `json:"status"`
	OccurredAt         time.Time `json:"occurred_at"`
	Supplier           string    `json:"supplier"`
}

// lineIndex finds an order line by number, else by SKU; -1 when none.
func lineIndex(lines []OrderLine, lineNo int, sku string) int {
	for i, l := range lines {
		if lineNo != 0 && l.LineNo == lineNo {
			return i
		}
	}
	if lineNo == 0 && sku != "" {
		for i, l := range lines {
			if l.SKU == sku {
				return i
			}
		}
	}
	return -1
}

// orderView builds the order and its timeline from the stored documents.
func (h *Hub) orderView(ctx context.Context, d store.Document, b orderBody) (Order, error) {
	o := Order{
		OrderSummary: summaryOf(d), Currency: b.Currency, RequestedDate: b.RequestedDate,
		Responses: []OrderDocument{}, Shipments: []OrderShipment{},
	}
	for _, l := range b.Lines {
		date := cmp.Or(l.RequestedDate, b.RequestedDate)
		o.Lines = append(o.Lines, OrderLine{
			LineNo: l.LineNo, SKU: l.SKU, Unit: l.Unit, Quantity: l.Quantity, UnitPrice: l.UnitPrice,
			RequestedDate: date, ShippedQuantity: "0", ReceivedQuantity: "0",
			Timeline: []TimelineEntry{{Step: StepOrdered, At: d.CreatedAt, DocumentID: d.ID, ExternalID: d.ExternalID,
				Quantity: l.Quantity, UnitPrice: l.UnitPrice, Date: date}},
		})
	}
	latest, err := h.applyResponses(ctx, d, &o)
	if err != nil {
		return Order{}, err
	}
	if err := h.applyShipments(ctx, d, &o); err != nil {
		return Order{}, err
	}
	received := applyReceipts(b.Extensions, &o)
	o.Progress = progress(o, latest, received)
	return o, nil
}

// applyResponses adds the supplier's answers, oldest first, and returns
// the latest one's status.
func (h *Hub) applyResponses(ctx context.Context, d store.Document, o *Order) (string, error) {
	docs, err := h.allDocuments(ctx, store.DocumentFilter{Doctype: "order_response", Sender: d.Receiver, Receiver: d.Sender})
	if err != nil {
		return "", err
	}
	slices.SortStableFunc(docs, func(a, b store.Document) int { return a.UpdatedAt.Compare(b.UpdatedAt) })
	latest := ""
	for _, rd := range docs {
		var rb responseBody
		if json.Unmarshal(rd.Body, &rb) != nil || rb.OrderExternalID != d.ExternalID {
			continue
		}
		o.Responses = append(o.Responses, OrderDocument{ID: rd.ID, ExternalID: rd.ExternalID, Version: rd.Version, Status: rd.Status, UpdatedAt: rd.UpdatedAt})
		latest = cmp.Or(rb.Status, latest)
		for _, rl := range rb.Lines {
			i := lineIndex(o.Lines, rl.LineNo, rl.SKU)
			if i < 0 {
				continue
			}
			l := &o.Lines[i]
			q := rl.Quantity
			switch rl.Response {
			case "accepted":
				q = cmp.Or(q, l.Quantity)
			case "changed":
				q = cmp.Or(q, l.ConfirmedQuantity, l.Quantity)
			case "rejected":
				q = "0"
			default:
				q = cmp.Or(q, "0")
			}
			l.Response, l.ConfirmedQuantity = rl.Response, q
			l.ConfirmedPrice = cmp.Or(rl.UnitPrice, l.ConfirmedPrice, l.UnitPrice)
			l.PromisedDate = cmp.Or(rl.PromisedDate, l.PromisedDate)
			step := rl.Response
			if step == "accepted" {
				step = StepConfirmed
			}
			l.Timeline = append(l.Timeline, TimelineEntry{Step: step, At: rd.UpdatedAt, DocumentID: rd.ID, ExternalID: rd.ExternalID,
				Quantity: q, UnitPrice: rl.UnitPrice, Date: rl.PromisedDate, Reason: rl.Reason})
		}
	}
	return latest, nil
}

// shipmentLinesOf returns, for each package line of a shipment that
// carries goods of order orderID, the order line index (-1 for others).
func shipmentLinesOf(sb shipmentBody, orderID string, lines []OrderLine) [][]int {
	onlyThis := len(sb.OrderExternalIDs) == 1 && sb.OrderExternalIDs[0] == orderID
	out := make([][]int, len(sb.Packages))
	for i, pk := range sb.Packages {
		out[i] = make([]int, len(pk.Lines))
		for j, pl := range pk.Lines {
			out[i][j] = -1
			if pl.OrderExternalID == orderID || (pl.OrderExternalID == "" && onlyThis) {
				out[i][j] = lineIndex(lines, pl.LineNo, pl.SKU)
			}
		}
	}
	return out
}

// applyShipments adds each shipment of the order's goods with its tracking
// events.
func (h *Hub) applyShipments(ctx context.Context, d store.Document, o *Order) error {
	docs, err := h.allDocuments(ctx, store.DocumentFilter{Doctype: "shipment", Sender: d.Receiver, Receiver: d.Sender})
	if err != nil {
		return err
	}
	slices.SortStableFunc(docs, func(a, b store.Document) int { return a.CreatedAt.Compare(b.CreatedAt) })
	for _, sd := range docs {
		var sb shipmentBody
		if json.Unmarshal(sd.Body, &sb) != nil {
			continue
		}
		idx := shipmentLinesOf(sb, d.ExternalID, o.Lines)
		touched := map[int]bool{}
		for i, pk := range sb.Packages {
			pkg := cmp.Or(pk.SSCC, strconv.Itoa(i+1))
			for j, pl := range pk.Lines {
				k := idx[i][j]
				if k < 0 {
					continue
				}
				touched[k] = true
				l := &o.Lines[k]
				l.ShippedQuantity = addDecimal(l.ShippedQuantity, pl.Quantity)
				l.Timeline = append(l.Timeline, TimelineEntry{Step: StepShipped, At: sd.CreatedAt, DocumentID: sd.ID, ExternalID: sd.ExternalID,
					Quantity: pl.Quantity, Date: sb.ShipDate, Shipment: sd.ExternalID, Package: pkg})
			}
		}
		if len(touched) == 0 {
			continue
		}
		events, status, err := h.shipmentEvents(ctx, sd, sb.Carrier)
		if err != nil {
			return err
		}
		o.Shipments = append(o.Shipments, OrderShipment{
			OrderDocument: OrderDocument{ID: sd.ID, ExternalID: sd.ExternalID, Version: sd.Version, UpdatedAt: sd.UpdatedAt},
			Carrier:       sb.Carrier, TrackingNumber: sb.TrackingNumber, ShipDate: sb.ShipDate, TrackingStatus: status, Events: len(events),
		})
		for k := range o.Lines {
			if touched[k] {
				o.Lines[k].Timeline = append(o.Lines[k].Timeline, events...)
			}
		}
	}
	return nil
}

// shipmentEvents returns the tracking steps of a shipment, by occurred_at,
// and the status they reached. Events come from the shipment's carrier
// (when the carrier is a partner id) or its supplier.
func (h *Hub) shipmentEvents(ctx context.Context, sd store.Document, carrier string) ([]TimelineEntry, string, error) {
	senders := []string{sd.Sender}
	if carrier != "" && carrier != sd.Sender && partnerIDLike(carrier) {
		senders = append(senders, carrier)
	}
	type ev struct {
		doc store.Document
		tb  trackingBody
	}
	var evs []ev
	for _, s := range senders {
		docs, err := h.allDocuments(ctx, store.DocumentFilter{Doctype: "tracking_event", Sender: s})
		if err != nil {
			return nil, "", err
		}
		for _, td := range docs {
			var tb trackingBody
			if json.Unmarshal(td.Body, &tb) != nil || tb.ShipmentExternalID != sd.ExternalID || (tb.Supplier != "" && tb.Supplier != sd.Sender) {
				continue
			}
			evs = append(evs, ev{td, tb})
		}
	}
	slices.SortStableFunc(evs, func(a, b ev) int {
		return cmp.Or(a.tb.OccurredAt.Compare(b.tb.OccurredAt), a.doc.CreatedAt.Compare(b.doc.CreatedAt))
	})
	status, out := "", make([]TimelineEntry, 0, len(evs))
	for _, e := range evs {
		applied := schemas.TrackingRank(e.tb.Status) >= schemas.TrackingRank(status)
		if applied {
			status = e.tb.Status
		}
		out = append(out, TimelineEntry{Step: StepTracking, At: e.tb.OccurredAt, DocumentID: e.doc.ID, ExternalID: e.doc.ExternalID,
			Shipment: sd.ExternalID, Status: e.tb.Status, Applied: &applied})
	}
	return out, status, nil
}

// partnerIDLike reports whether s has the shape of a partner id.
func partnerIDLike(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return s != ""
}

// Receipt keys in an order's extensions (see RecordReceipt).
const (
	receivedPrefix   = "received."
	receivedAtPrefix = "received_at."
)

// applyReceipts adds the receipts recorded in the order's extensions and
// reports whether there is any.
func applyReceipts(ext map[string]string, o *Order) bool {
	keys := make([]string, 0, len(ext))
	for k := range ext {
		if strings.HasPrefix(k, receivedPrefix) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	any := false
	for _, k := range keys {
		rest := strings.TrimPrefix(k, receivedPrefix)
		dot := strings.LastIndexByte(rest, '.')
		if dot <= 0 {
			continue
		}
		asn := rest[:dot]
		n, err := strconv.Atoi(rest[dot+1:])
		if err != nil {
			continue
		}
		i := lineIndex(o.Lines, n, "")
		if i < 0 {
			continue
		}
		at, _ := time.Parse(time.RFC3339Nano, ext[receivedAtPrefix+asn])
		l := &o.Lines[i]
		l.ReceivedQuantity = addDecimal(l.ReceivedQuantity, ext[k])
		l.Timeline = append(l.Timeline, TimelineEntry{Step: StepReceived, At: at, DocumentID: o.ID, ExternalID: o.ExternalID,
			Quantity: ext[k], Shipment: asn})
		any = true
	}
	return any
}

// progress works out where the order stands.
func progress(o Order, latestResponse string, received bool) string {
	if received {
		return "received"
	}
	shippedAll, shippedAny := true, false
	for _, l := range o.Lines {
		if compareDecimal(l.ShippedQuantity, "0") > 0 {
			shippedAny = true
		}
		if l.Response != "rejected" && compareDecimal(l.ShippedQuantity, cmp.Or(l.ConfirmedQuantity, l.Quantity)) < 0 {
			shippedAll = false
		}
	}
	if shippedAny {
		delivered := len(o.Shipments) > 0
		for _, s := range o.Shipments {
			delivered = delivered && s.TrackingStatus == "delivered"
		}
		switch {
		case shippedAll && delivered:
			return "delivered"
		case shippedAll:
			return "shipped"
		}
		return "partially_shipped"
	}
	return cmp.Or(latestResponse, o.Status)
}
