package sqlitestore

import (
	"context"
	"fmt"

	"github.com/dealerhub/dealerhub/hub/store"
)

// ListCrossRefs returns all of a partner's cross-reference rows, in code
// order (the primary key's).
func (s *Store) ListCrossRefs(ctx context.Context, partner string) ([]store.CrossRef, error) {
	refs, err := collect(ctx, s.r, `SELECT partner, code, supplier, supplier_sku FROM cross_refs
		WHERE partner = ? ORDER BY code`, []any{partner}, func(r rowScanner) (store.CrossRef, error) {
		var c store.CrossRef
		return c, r.Scan(&c.Partner, &c.Code, &c.Supplier, &c.SupplierSKU)
	})
	if err != nil {
		return nil, fmt.Errorf("listing cross-refs of %q: %w", partner, err)
	}
	return refs, nil
}
