package hub

import (
	"context"
	"errors"

	"github.com/dealerhub/dealerhub/hub/store"
)

var errStockPending = errors.New("stock service not built yet")

// ListStock lists the stock levels the principal may see.
func (h *Hub) ListStock(ctx context.Context, p Principal, f store.StockFilter) ([]store.StockLevel, string, error) {
	return nil, "", errStockPending
}

// PutStockPolicies sets a dealer's safety-stock policies.
func (h *Hub) PutStockPolicies(ctx context.Context, p Principal, dealer string, ps []store.StockPolicy) ([]store.Notification, error) {
	return nil, errStockPending
}

// ListStockPolicies lists a dealer's policies.
func (h *Hub) ListStockPolicies(ctx context.Context, p Principal, f store.StockPolicyFilter) ([]store.StockPolicy, string, error) {
	return nil, "", errStockPending
}
