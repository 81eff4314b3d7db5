package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/hub"
)

// Form fields of the order page. Per-line fields end in "_<line_no>"; the
// hidden field "line" lists the line numbers a form carries.
const (
	fieldLine = "line"
)

// formLines returns the line numbers a posted form lists, skipping
// anything that is not a positive number.
func formLines(r *http.Request) []int {
	var out []int
	for _, s := range r.PostForm[fieldLine] {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	return out
}

// lineValue is the trimmed value of a per-line field.
func lineValue(r *http.Request, field string, line int) string {
	return strings.TrimSpace(r.PostFormValue(field + "_" + strconv.Itoa(line)))
}

// respond sends the supplier's answers: every line with a chosen response
// becomes a LineAnswer; the hub checks the rest.
func (p *Portal) respond(w http.ResponseWriter, r *http.Request) {
	acc, _ := AccountFrom(r.Context())
	if err := r.ParseForm(); err != nil {
		p.renderError(w, r, http.StatusBadRequest, "error.invalid")
		return
	}
	req := hub.OrderResponseRequest{Note: strings.TrimSpace(r.PostFormValue("note"))}
	for _, n := range formLines(r) {
		resp := lineValue(r, "response", n)
		if resp == "" {
			continue
		}
		req.Lines = append(req.Lines, hub.LineAnswer{LineNo: n, Response: resp,
			Quantity: lineValue(r, "quantity", n), UnitPrice: lineValue(r, "unit_price", n),
			PromisedDate: lineValue(r, "promised_date", n), Reason: lineValue(r, "reason", n)})
	}
	if len(req.Lines) == 0 {
		p.showOrder(w, r, http.StatusUnprocessableEntity, "orders.respond.none", "", nil, "")
		return
	}
	if _, err := p.orders.RespondToOrder(r.Context(), acc.Principal, r.PathValue("id"), req); err != nil {
		p.actionError(w, r, err)
		return
	}
	http.Redirect(w, r, orderPath(r, "response"), http.StatusSeeOther)
}

// createShipment sends a ship notice of one package with the quantities
// filled in.
func (p *Portal) createShipment(w http.ResponseWriter, r *http.Request) {
	acc, _ := AccountFrom(r.Context())
	if err := r.ParseForm(); err != nil {
		p.renderError(w, r, http.StatusBadRequest, "error.invalid")
		return
	}
	pkg := hub.PackageRequest{SSCC: strings.TrimSpace(r.PostFormValue("sscc"))}
	for _, n := range formLines(r) {
		q := lineValue(r, "ship", n)
		if q == "" || isZero(q) {
			continue
		}
		pkg.Lines = append(pkg.Lines, hub.PackageLine{LineNo: n, Quantity: q})
	}
	if len(pkg.Lines) == 0 {
		p.showOrder(w, r, http.StatusUnprocessableEntity, "orders.ship.none", "", nil, "")
		return
	}
	req := hub.ShipmentRequest{
		OrderID:        r.PathValue("id"),
		ExternalID:     strings.TrimSpace(r.PostFormValue("external_id")),
		ShipDate:       strings.TrimSpace(r.PostFormValue("ship_date")),
		Carrier:        strings.TrimSpace(r.PostFormValue("carrier")),
		TrackingNumber: strings.TrimSpace(r.PostFormValue("tracking_number")),
		Note:           strings.TrimSpace(r.PostFormValue("note")),
		Packages:       []hub.PackageRequest{pkg},
	}
	if _, err := p.orders.CreateShipment(r.Context(), acc.Principal, req); err != nil {
		p.actionError(w, r, err)
		return
	}
	http.Redirect(w, r, orderPath(r, "shipment"), http.StatusSeeOther)
}

// recordReceipt records the dealer's receipt of a shipment; no quantities
// means everything the shipment carried.
func (p *Portal) recordReceipt(w http.ResponseWriter, r *http.Request) {
	acc, _ := AccountFrom(r.Context())
	if err := r.ParseForm(); err != nil {
		p.renderError(w, r, http.StatusBadRequest, "error.invalid")
		return
	}
	req := hub.ReceiptRequest{Shipment: strings.TrimSpace(r.PostFormValue("shipment"))}
	if s := strings.TrimSpace(r.PostFormValue("received_on")); s != "" {
		at, err := time.Parse(time.DateOnly, s)
		if err != nil {
			p.showOrder(w, r, http.StatusUnprocessableEntity, "orders.receive.bad_date", "", nil, "")
			return
		}
		req.ReceivedAt = &at
	}
	for _, n := range formLines(r) {
		if q := lineValue(r, "received", n); q != "" {
			req.Lines = append(req.Lines, hub.ReceiptLine{LineNo: n, Quantity: q})
		}
	}
	if _, err := p.orders.RecordReceipt(r.Context(), acc.Principal, r.PathValue("id"), req); err != nil {
		p.actionError(w, r, err)
		return
	}
	http.Redirect(w, r, orderPath(r, "receipt"), http.StatusSeeOther)
}

// orderPath is the order page after a form succeeded.
func orderPath(r *http.Request, done string) string {
	return "/orders/" + url.PathEscape(r.PathValue("id")) + "?done=" + done
}

// isZero reports a decimal string that is zero ("0", "0.00").
func isZero(s string) bool {
	return strings.Trim(strings.TrimPrefix(s, "+"), "0.") == "" && strings.ContainsAny(s, "0")
}
