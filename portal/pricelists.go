package portal

import (
	"fmt"
	"net/http"

	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/store"
)

// listPriceLists handles GET /api/v1/price-lists: the publications the key
// may see (its own, and those of the suppliers its partner buys from),
// latest first, filtered by supplier, currency and status.
func (a *api) listPriceLists(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	q := newQuery(r.URL)
	f := store.PriceListFilter{
		Supplier: q.str("supplier"),
		Currency: q.str("currency"),
		Status:   q.oneOf("status", priceListStatuses()...),
		Page:     q.page(),
	}
	if q.err != nil {
		return q.err
	}
	pls, next, err := a.svc.ListPriceLists(r.Context(), p, f)
	if err != nil {
		return fmt.Errorf("listing price lists: %w", err)
	}
	writeList(w, pls, next)
	return nil
}

// getPriceList handles GET /api/v1/price-lists/{id}.
func (a *api) getPriceList(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	id := r.PathValue("id")
	pl, err := a.svc.GetPriceList(r.Context(), p, id)
	if err != nil {
		return fmt.Errorf("getting price list %q: %w", id, err)
	}
	writeJSON(w, http.StatusOK, pl)
	return nil
}

// listPriceListLines handles GET /api/v1/price-lists/{id}/lines, in the
// order the supplier gave them.
func (a *api) listPriceListLines(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	id := r.PathValue("id")
	q := newQuery(r.URL)
	page := q.page()
	if q.err != nil {
		return q.err
	}
	lines, next, err := a.svc.ListPriceListLines(r.Context(), p, id, page)
	if err != nil {
		return fmt.Errorf("listing the lines of price list %q: %w", id, err)
	}
	writeList(w, lines, next)
	return nil
}

// listPriceListChanges handles GET /api/v1/price-lists/{id}/changes: the
// difference from the previous list, in SKU order.
func (a *api) listPriceListChanges(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	id := r.PathValue("id")
	q := newQuery(r.URL)
	page := q.page()
	if q.err != nil {
		return q.err
	}
	changes, next, err := a.svc.ListPriceListChanges(r.Context(), p, id, page)
	if err != nil {
		return fmt.Errorf("listing the changes of price list %q: %w", id, err)
	}
	writeList(w, changes, next)
	return nil
}
