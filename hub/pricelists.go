package hub

import (
	"context"

	"github.com/dealerhub/dealerhub/hub/store"
)

// today is the hub's date (UTC), against which price-list statuses are
// decided.
func (h *Hub) today() string { return store.Today(h.now()) }

// ListPriceLists lists the publications the principal may see, latest
// published first, with their status on the hub's date.
func (h *Hub) ListPriceLists(ctx context.Context, p Principal, f store.PriceListFilter) ([]store.PriceList, string, error) {
	f.Today = h.today()
	return h.st.ListPriceLists(ctx, p.Scope(), f)
}

// GetPriceList returns one visible publication with its status on the
// hub's date.
func (h *Hub) GetPriceList(ctx context.Context, p Principal, id string) (store.PriceList, error) {
	return h.st.GetPriceList(ctx, p.Scope(), id, h.today())
}

// ListPriceListLines lists a visible publication's lines in line order;
// an invisible one is ErrNotFound, not an empty list.
func (h *Hub) ListPriceListLines(ctx context.Context, p Principal, id string, page store.Page) ([]store.PriceLine, string, error) {
	if _, err := h.st.GetPriceList(ctx, p.Scope(), id, h.today()); err != nil {
		return nil, "", err
	}
	return h.st.ListPriceListLines(ctx, p.Scope(), id, page)
}

// ListPriceListChanges lists a visible publication's changes from its
// predecessor in SKU order; an invisible one is ErrNotFound.
func (h *Hub) ListPriceListChanges(ctx context.Context, p Principal, id string, page store.Page) ([]store.PriceChange, string, error) {
	if _, err := h.st.GetPriceList(ctx, p.Scope(), id, h.today()); err != nil {
		return nil, "", err
	}
	return h.st.ListPriceListChanges(ctx, p.Scope(), id, page)
}
