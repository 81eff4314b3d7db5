package portal

import (
	"fmt"
	"net/http"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/schemas"
)

// SubmitResponse is the 202 answer to POST /api/v1/documents/{doctype}: one
// receipt per submitted document, in order.
type SubmitResponse struct {
	Messages []connectors.Receipt `json:"messages"`
}

// ListResponse is the shape of every list: a page of items and the cursor of
// the next page ("" on the last page).
type ListResponse[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
}

// writeList answers 200 with a page; items is never null.
func writeList[T any](w http.ResponseWriter, items []T, next string) {
	if items == nil {
		items = []T{}
	}
	writeJSON(w, http.StatusOK, ListResponse[T]{Items: items, NextCursor: next})
}

// doctypeOf returns the {doctype} path value, or ErrUnknownDoctype.
func doctypeOf(r *http.Request) (string, error) {
	doctype := r.PathValue("doctype")
	if !schemas.IsDocType(doctype) {
		return "", fmt.Errorf("%w: %q", hub.ErrUnknownDoctype, doctype)
	}
	return doctype, nil
}

// submitDocuments handles POST /api/v1/documents/{doctype}.
func (a *api) submitDocuments(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	doctype, err := doctypeOf(r)
	if err != nil {
		return err
	}
	if err := checkJSONContentType(r.Header.Get("Content-Type")); err != nil {
		return err
	}
	body, err := a.readBody(r)
	if err != nil {
		return err
	}
	docs, err := splitDocuments(body)
	if err != nil {
		return err
	}
	receipts, err := a.svc.Submit(r.Context(), p, doctype, docs)
	if err != nil {
		return fmt.Errorf("submitting %d %s document(s): %w", len(docs), doctype, err)
	}
	writeJSON(w, http.StatusAccepted, SubmitResponse{Messages: receipts})
	return nil
}

// listDocuments handles GET /api/v1/documents/{doctype}.
func (a *api) listDocuments(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	doctype, err := doctypeOf(r)
	if err != nil {
		return err
	}
	q := newQuery(r.URL)
	f := store.DocumentFilter{
		Doctype:    doctype,
		ExternalID: q.str("external_id"),
		Sender:     q.str("sender"),
		Receiver:   q.str("receiver"),
		Status:     q.str("status"),
		Page:       q.page(),
	}
	f.Since, f.Until = q.timeRange()
	if q.err != nil {
		return q.err
	}
	docs, next, err := a.svc.ListDocuments(r.Context(), p, f)
	if err != nil {
		return fmt.Errorf("listing %s documents: %w", doctype, err)
	}
	writeList(w, docs, next)
	return nil
}

// getDocument handles GET /api/v1/documents/{doctype}/{id}. A document of
// another doctype is not found here, like an invisible one.
func (a *api) getDocument(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	doctype, err := doctypeOf(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	doc, err := a.svc.GetDocument(r.Context(), p, id)
	if err != nil {
		return fmt.Errorf("getting document %q: %w", id, err)
	}
	if doc.Doctype != doctype {
		return fmt.Errorf("document %q is a %s, not a %s: %w", id, doc.Doctype, doctype, hub.ErrNotFound)
	}
	writeJSON(w, http.StatusOK, doc)
	return nil
}
