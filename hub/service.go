package hub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/schemas"
)

// Errors the Service returns; the API maps them to HTTP statuses.
var (
	// ErrUnauthorized: missing, unknown, revoked or malformed API key, or a
	// disabled partner.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrForbidden: the caller may see the thing but not do this with it
	// (a document claiming another sender).
	ErrForbidden = errors.New("forbidden")
	// ErrNotFound: no such thing, or not visible to the caller.
	ErrNotFound = store.ErrNotFound
	// ErrConflict: the thing is not in a state that allows the action.
	ErrConflict = store.ErrConflict
	// ErrBadRequest: the request itself is malformed (not a JSON object,
	// empty array).
	ErrBadRequest = errors.New("bad request")
	// ErrUnknownDoctype: the document type is not one of schemas.DocTypes.
	ErrUnknownDoctype = errors.New("unknown document type")
	// ErrUnsupportedFormat: an uploaded file is neither csv nor xlsx.
	ErrUnsupportedFormat = errors.New("unsupported file format")
	// ErrBadSignature: an inbound post's signature is missing, stale or
	// wrong. It is an ErrUnauthorized.
	ErrBadSignature = fmt.Errorf("%w: bad signature", ErrUnauthorized)
	// ErrNoErrorWorkbook: the message is visible but was not read from a
	// spreadsheet, so it has no error workbook. It is an ErrNotFound.
	ErrNoErrorWorkbook = fmt.Errorf("%w: no error workbook", ErrNotFound)
)

// ValidationError lists every schema violation of a submission. Pointers of
// array submissions are prefixed with the element index ("/3/lines/0/sku").
type ValidationError struct {
	Violations []schemas.Violation
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d schema violation(s)", len(e.Violations))
	for i, v := range e.Violations {
		if i == 3 {
			fmt.Fprintf(&b, "; …")
			break
		}
		fmt.Fprintf(&b, "; %s: %s", v.Pointer, v.Reason)
	}
	return b.String()
}

// Principal is who an API call acts for.
type Principal struct {
	KeyID    string
	Partner  string // empty for operators
	Operator bool
}

// Scope is the store scope of the principal.
func (p Principal) Scope() store.Scope {
	if p.Operator {
		return store.OperatorScope()
	}
	return store.PartnerScope(p.Partner)
}

// Service is what the portal and the REST API need from the hub. *Hub
// implements it; every method enforces the principal's visibility.
type Service interface {
	// Authenticate resolves an API key ("dhk_…") to a principal.
	Authenticate(ctx context.Context, apiKey string) (Principal, error)
	// Submit validates documents of one doctype sent by the principal and,
	// only if all are valid, ingests each as its own message. A document
	// without sender gets the principal's partner; one naming another
	// partner fails with ErrForbidden; violations give *ValidationError.
	// Nothing is stored unless every document passes.
	Submit(ctx context.Context, p Principal, doctype string, docs []json.RawMessage) ([]connectors.Receipt, error)

	ListDocuments(ctx context.Context, p Principal, f store.DocumentFilter) ([]store.Document, string, error)
	GetDocument(ctx context.Context, p Principal, id string) (store.Document, error)

	Inbox(ctx context.Context, p Principal, page store.Page) ([]store.InboxItem, string, error)
	// InboxBody returns an inbox delivery in its route's format (JSON, or
	// the X12/EDIFACT interchange).
	InboxBody(ctx context.Context, p Principal, deliveryID string) ([]byte, string, error)
	AckInbox(ctx context.Context, p Principal, deliveryID string) (store.Delivery, error)

	ListDeliveries(ctx context.Context, p Principal, f store.DeliveryFilter) ([]store.Delivery, string, error)
	GetDelivery(ctx context.Context, p Principal, id string) (store.Delivery, error)
	ReplayDelivery(ctx context.Context, p Principal, id string) (store.Delivery, error)
	ListDeadLetters(ctx context.Context, p Principal, f store.DeadLetterFilter) ([]store.DeadLetter, string, error)
	ListNotifications(ctx context.Context, p Principal, f store.NotificationFilter) ([]store.Notification, string, error)

	ListMessages(ctx context.Context, p Principal, f store.MessageFilter) ([]store.Message, string, error)
	// GetMessage returns a visible raw message without its bytes (Size and
	// SHA256 describe them).
	GetMessage(ctx context.Context, p Principal, id string) (store.Message, error)
	// OpenMessageBody opens the bytes of a visible raw message, read in
	// place (ErrNotFound for a message the principal may not see).
	OpenMessageBody(ctx context.Context, p Principal, id string) (*store.BodyReader, error)
	// ReplayMessage re-runs a message from its stored bytes.
	ReplayMessage(ctx context.Context, p Principal, id string) (store.Message, error)

	// Import takes a spreadsheet upload (csv or xlsx). A dry run maps and
	// validates it and stores nothing; otherwise it is ingested and Import
	// waits up to req.Wait (at most MaxImportWait) for its final status.
	Import(ctx context.Context, p Principal, req ImportRequest) (ImportResult, error)
	// ErrorWorkbook writes the error workbook (.xlsx) of a visible message
	// read from a spreadsheet: its rejected rows as they were, with the
	// reasons.
	ErrorWorkbook(ctx context.Context, p Principal, messageID string, w io.Writer) error
	// PreviewErrorWorkbook writes the error workbook of an upload without
	// storing it (a dry run).
	PreviewErrorWorkbook(ctx context.Context, p Principal, req ImportRequest, w io.Writer) error

	// ListPriceLists lists the publications the principal may see: its own
	// and those of the suppliers it buys from. Statuses are decided on the
	// hub's date (UTC).
	ListPriceLists(ctx context.Context, p Principal, f store.PriceListFilter) ([]store.PriceList, string, error)
	GetPriceList(ctx context.Context, p Principal, id string) (store.PriceList, error)
	ListPriceListLines(ctx context.Context, p Principal, id string, page store.Page) ([]store.PriceLine, string, error)
	ListPriceListChanges(ctx context.Context, p Principal, id string, page store.Page) ([]store.PriceChange, string, error)

	// ListStock lists the stock levels the principal may see: a dealer's
	// own; a supplier's products at the dealers that share stock with it
	// (f.Dealer naming a dealer that does not: ErrNotFound). Sold30d is on
	// the hub's date.
	ListStock(ctx context.Context, p Principal, f store.StockFilter) ([]store.StockLevel, string, error)
	// PutStockPolicies sets safety-stock policies of a dealer (the
	// principal itself, or any dealer for an operator) and evaluates their
	// levels at once; it returns the low_stock notifications raised.
	PutStockPolicies(ctx context.Context, p Principal, dealer string, ps []store.StockPolicy) ([]store.Notification, error)
	// ListStockPolicies lists a dealer's policies (its own; operators all).
	ListStockPolicies(ctx context.Context, p Principal, f store.StockPolicyFilter) ([]store.StockPolicy, string, error)

	// Inbound takes a partner's own JSON (an array of records, or the
	// array at its inbound.records path) posted to /inbound/{doctype}: the
	// signature is checked first when the partner has an inbound secret
	// (ErrBadSignature: nothing is stored), then the records are imported
	// through the partner's mapping for the doctype, as Import does.
	Inbound(ctx context.Context, p Principal, req InboundRequest) (ImportResult, error)

	// ListCrossRefs lists a partner's cross-references from its own item
	// codes to supplier SKUs (its own; an operator names the partner).
	ListCrossRefs(ctx context.Context, p Principal, partner string) ([]store.CrossRef, error)
	// PutCrossRefs upserts them, all or nothing (a *ValidationError names
	// each bad row); it returns how many codes were stored.
	PutCrossRefs(ctx context.Context, p Principal, partner string, refs []store.CrossRef) (int, error)

	// ListSyncRuns lists the runs of scheduled sources the principal may
	// see (its own; operators all), newest first.
	ListSyncRuns(ctx context.Context, p Principal, f store.SyncRunFilter) ([]store.SyncRun, string, error)
	// SyncNow runs one of a partner's scheduled sources once, now (the
	// principal itself, or any partner for an operator), and returns the
	// finished run; source ("tryton", "rest:stock") may be empty when the
	// partner has one. ErrNotFound when the partner has no such source,
	// ErrBadRequest when it has several and none is named, ErrConflict when
	// a run of it is in progress.
	SyncNow(ctx context.Context, p Principal, partner, source string) (store.SyncRun, error)

	// ListOrders lists the orders the principal is party to (as dealer or
	// supplier; operators all), newest update first.
	ListOrders(ctx context.Context, p Principal, f OrderFilter) ([]OrderSummary, string, error)
	// GetOrder returns an order with its per-line timeline (ordered,
	// answers, shipments, tracking events, receipts); ErrNotFound unless
	// the principal is party to it.
	GetOrder(ctx context.Context, p Principal, id string) (Order, error)
	// RespondToOrder submits the supplier's per-line answers as an
	// order_response (ErrNotFound for anyone but the order's supplier).
	RespondToOrder(ctx context.Context, p Principal, orderID string, req OrderResponseRequest) (OrderActionResult, error)
	// CreateShipment submits a ship notice for confirmed lines of an order
	// (ErrNotFound for anyone but the order's supplier).
	CreateShipment(ctx context.Context, p Principal, req ShipmentRequest) (OrderActionResult, error)
	// RecordReceipt records the dealer's receipt of a shipment as a new
	// order version (ErrNotFound for anyone but the order's dealer).
	RecordReceipt(ctx context.Context, p Principal, orderID string, req ReceiptRequest) (OrderActionResult, error)
	// PostTrackingEvents submits tracking events for shipments the
	// principal carries or shipped, all or nothing.
	PostTrackingEvents(ctx context.Context, p Principal, events []json.RawMessage) ([]TrackingResult, error)

	// Ready reports whether the store and the bus answer.
	Ready(ctx context.Context) error
}

// MaxImportWait bounds how long Import waits for a message's final status.
const MaxImportWait = 60 * time.Second

// ImportRequest is a spreadsheet handed to Import.
type ImportRequest struct {
	// Partner sends the file: an operator must name it; a partner's key
	// imports as itself (naming another partner is ErrForbidden).
	Partner string
	Doctype string
	// Filename is the uploaded file's name; its extension names the format
	// (.xlsx .xlsm; .csv .tsv .txt), else the first bytes do ("PK": xlsx).
	Filename string
	// Mapping names a partner mapping; empty reads the built-in headers.
	Mapping string
	// Format, when set, names the decoder (json-records for a partner's
	// own JSON) instead of the file name and first bytes.
	Format string
	// Body is the file, read in place (a spooled upload, an open file):
	// Import streams it into the store and never holds it whole.
	Body store.Body
	// DryRun maps and validates without storing anything.
	DryRun bool
	// Wait is how long to wait for the final status (capped at
	// MaxImportWait; zero returns at once).
	Wait time.Duration
}

// ImportResult is what Import did.
type ImportResult struct {
	// Preview is a dry run's report (nil otherwise).
	Preview *ImportPreview
	// Message is the stored message as it stood when Import returned: its
	// status, and its errors (rows left out, or why it failed).
	Message store.Message
	// Duplicate: the same bytes, with the same mapping, were imported
	// before as Message.
	Duplicate bool
	// Final: Message is done, failed or dead.
	Final bool
	// PriceList is the publication of a done price list: the one this
	// message published, or, when Unchanged, the current one it equals.
	PriceList *store.PriceList
	// Unchanged: the price list equals the current version; nothing new
	// was published.
	Unchanged bool
}
