package hub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

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
	AckInbox(ctx context.Context, p Principal, deliveryID string) (store.Delivery, error)

	ListDeliveries(ctx context.Context, p Principal, f store.DeliveryFilter) ([]store.Delivery, string, error)
	GetDelivery(ctx context.Context, p Principal, id string) (store.Delivery, error)
	ReplayDelivery(ctx context.Context, p Principal, id string) (store.Delivery, error)
	ListDeadLetters(ctx context.Context, p Principal, f store.DeadLetterFilter) ([]store.DeadLetter, string, error)
	ListNotifications(ctx context.Context, p Principal, f store.NotificationFilter) ([]store.Notification, string, error)

	ListMessages(ctx context.Context, p Principal, f store.MessageFilter) ([]store.Message, string, error)
	GetMessage(ctx context.Context, p Principal, id string) (store.Message, error)
	// ReplayMessage re-runs a message from its stored bytes.
	ReplayMessage(ctx context.Context, p Principal, id string) (store.Message, error)

	// Ready reports whether the store and the bus answer.
	Ready(ctx context.Context) error
}
