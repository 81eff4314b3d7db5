package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"

	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/schemas"
)

// Orders is what the order pages need from the hub; *hub.Hub implements
// it. Every call is made as the signed-in user's partner, so the hub's
// own rules decide who sees and changes what.
type Orders interface {
	ListOrders(ctx context.Context, p hub.Principal, f hub.OrderFilter) ([]hub.OrderSummary, string, error)
	GetOrder(ctx context.Context, p hub.Principal, id string) (hub.Order, error)
	RespondToOrder(ctx context.Context, p hub.Principal, orderID string, req hub.OrderResponseRequest) (hub.OrderActionResult, error)
	CreateShipment(ctx context.Context, p hub.Principal, req hub.ShipmentRequest) (hub.OrderActionResult, error)
	RecordReceipt(ctx context.Context, p hub.Principal, orderID string, req hub.ReceiptRequest) (hub.OrderActionResult, error)
}

var _ Orders = (*hub.Hub)(nil)

// orderStatuses are the order statuses the list filter offers (the order
// document's own status, as the dealer last sent it).
var orderStatuses = []string{"draft", "sent", "acknowledged", "confirmed", "partially_confirmed", "changed",
	"rejected", "partially_shipped", "shipped", "delivered", "received", "cancelled"}

// lineResponses are the answers a supplier may give a line.
var lineResponses = []string{"accepted", "changed", "rejected", "backordered"}

// orderRoutes mounts the order pages when the portal has an Orders
// service; without one they are not found.
func (p *Portal) orderRoutes() {
	if p.orders == nil {
		return
	}
	p.Handle("GET /dashboard", RequireLogin(http.HandlerFunc(p.dashboardPage)))
	p.Handle("GET /orders", RequireLogin(http.HandlerFunc(p.ordersPage)))
	p.Handle("GET /orders/{id}", RequireLogin(http.HandlerFunc(p.orderPage)))
	p.Handle("POST /orders/{id}/response", RequireLogin(http.HandlerFunc(p.respond)))
	p.Handle("POST /orders/{id}/shipments", RequireLogin(http.HandlerFunc(p.createShipment)))
	p.Handle("POST /orders/{id}/receipt", RequireLogin(http.HandlerFunc(p.recordReceipt)))
}

// ordersData is the order list with its filter.
type ordersData struct {
	Status   string
	Partner  string
	Statuses []string
	Orders   []hub.OrderSummary
	// Next is the query of the next page, "" on the last.
	Next string
}

func (p *Portal) ordersPage(w http.ResponseWriter, r *http.Request) {
	acc, _ := AccountFrom(r.Context())
	q := r.URL.Query()
	d := ordersData{Status: q.Get("status"), Partner: q.Get("partner"), Statuses: orderStatuses}
	if d.Status != "" && !slices.Contains(orderStatuses, d.Status) {
		d.Status = ""
	}
	list, next, err := p.orders.ListOrders(r.Context(), acc.Principal, hub.OrderFilter{Status: d.Status,
		Partner: d.Partner, Page: pageOf(q.Get("cursor"))})
	if err != nil {
		p.orderError(w, r, err)
		return
	}
	d.Orders = list
	if next != "" {
		d.Next = url.Values{"status": {d.Status}, "partner": {d.Partner}, "cursor": {next}}.Encode()
	}
	p.render(w, r, http.StatusOK, "orders", view{Data: d})
}

// orderData is one order with the forms its viewer may use.
type orderData struct {
	Order hub.Order
	// Lines are the order's lines with their steps made ready to show.
	Lines []lineView
	// Supplier and Dealer tell which side the viewer is on.
	Supplier, Dealer bool
	Responses        []string
	// Shippable are the lines the supplier confirmed (accepted or
	// changed), the ones a ship notice may carry.
	Shippable []hub.OrderLine
	// Violations are the hub's objections to the last form.
	Violations []schemas.Violation
	// Done is the form that just succeeded: response, shipment, receipt.
	Done string
}

func (p *Portal) orderPage(w http.ResponseWriter, r *http.Request) {
	done := r.URL.Query().Get("done")
	if !slices.Contains([]string{"response", "shipment", "receipt"}, done) {
		done = ""
	}
	p.showOrder(w, r, http.StatusOK, "", "", nil, done)
}

// showOrder renders the order page with status, an error key and the
// hub's violations of the form that was sent.
func (p *Portal) showOrder(w http.ResponseWriter, r *http.Request, status int, errKey, detail string, vs []schemas.Violation, done string) {
	acc, _ := AccountFrom(r.Context())
	o, err := p.orders.GetOrder(r.Context(), acc.Principal, r.PathValue("id"))
	if err != nil {
		p.orderError(w, r, err)
		return
	}
	d := orderData{Order: o, Responses: lineResponses, Violations: vs, Done: done,
		Supplier: acc.Principal.Partner == o.Supplier, Dealer: acc.Principal.Partner == o.Dealer}
	for _, l := range o.Lines {
		lv := lineView{OrderLine: l}
		for _, e := range l.Timeline {
			lv.Steps = append(lv.Steps, stepView{TimelineEntry: e, NotApplied: e.Applied != nil && !*e.Applied})
		}
		d.Lines = append(d.Lines, lv)
		if l.Response == "accepted" || l.Response == "changed" {
			d.Shippable = append(d.Shippable, l)
		}
	}
	p.render(w, r, status, "orders_detail", view{Error: errKey, Detail: detail, Data: d})
}

// lineView is an order line as the page shows it.
type lineView struct {
	hub.OrderLine
	Steps []stepView
}

// stepView is a timeline step; NotApplied marks a tracking event that
// came late and did not move the shipment's status back.
type stepView struct {
	hub.TimelineEntry
	NotApplied bool
}

// dashboardData is the signed-in partner's overview.
type dashboardData struct {
	// Open are orders not yet received, cancelled or rejected.
	Open []hub.OrderSummary
	// Recent are the latest updated orders, whatever their status.
	Recent []hub.OrderSummary
}

// dashboardRecent is how many orders the dashboard reads.
const dashboardRecent = 50

func (p *Portal) dashboardPage(w http.ResponseWriter, r *http.Request) {
	acc, _ := AccountFrom(r.Context())
	list, _, err := p.orders.ListOrders(r.Context(), acc.Principal, hub.OrderFilter{Page: pageOf("")})
	if err != nil {
		p.orderError(w, r, err)
		return
	}
	var d dashboardData
	for i, o := range list {
		if i < 10 {
			d.Recent = append(d.Recent, o)
		}
		if !slices.Contains([]string{"received", "cancelled", "rejected"}, o.Status) {
			d.Open = append(d.Open, o)
		}
	}
	p.render(w, r, http.StatusOK, "dashboard", view{Data: d})
}

// pageOf is a page of the order list from cursor.
func pageOf(cursor string) store.Page { return store.Page{Cursor: cursor, Limit: dashboardRecent} }

// orderError shows a hub error of an order page: another partner's order
// and an unknown one are both 404.
func (p *Portal) orderError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, hub.ErrNotFound) {
		p.renderError(w, r, http.StatusNotFound, "error.notfound")
		return
	}
	status, key, detail := p.failure(r, err)
	p.render(w, r, status, "error", view{Error: key, Detail: detail})
}

// actionError answers a form the hub refused: its violations are shown on
// the order page (422), anything else as an error page.
func (p *Portal) actionError(w http.ResponseWriter, r *http.Request, err error) {
	var verr *hub.ValidationError
	if errors.As(err, &verr) {
		p.showOrder(w, r, http.StatusUnprocessableEntity, "error.invalid", "", verr.Violations, "")
		return
	}
	if errors.Is(err, hub.ErrBadRequest) {
		p.showOrder(w, r, http.StatusBadRequest, "error.invalid", err.Error(), nil, "")
		return
	}
	p.orderError(w, r, err)
}
