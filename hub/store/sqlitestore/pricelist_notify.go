package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/mappings/pricelist"
)

// dealerChanges selects a publication's changes (?1) to the SKUs of a
// dealer (?2) from a supplier (?3), in the order they were stored. The
// dealer's SKUs are those it stocks (its current stock_level documents
// naming the supplier: the supplier's SKU when the level gives one, else
// its sku), those it has ordered (the lines of its current orders to the
// supplier) and those it cross-references to the supplier.
const dealerChanges = `
	SELECT body FROM price_list_changes
	WHERE price_list_id = ?1 AND sku IN (
		SELECT coalesce(nullif(json_extract(d.body, '$.supplier_sku'), ''), json_extract(d.body, '$.sku'))
		FROM documents d
		WHERE d.sender = ?2 AND d.doctype = 'stock_level' AND json_extract(d.body, '$.supplier') = ?3
		UNION
		SELECT json_extract(l.value, '$.sku')
		FROM documents d, json_each(d.body, '$.lines') l
		WHERE d.sender = ?2 AND d.doctype = 'order' AND d.receiver = ?3
		UNION
		SELECT supplier_sku FROM cross_refs WHERE partner = ?2 AND supplier = ?3)
	ORDER BY seq`

// notifyDealers stores a price_change notification for each dealer with a
// relationship to the publication's supplier whose SKUs changed, and
// returns them in dealer order.
func notifyDealers(ctx context.Context, tx *sql.Tx, t time.Time, pl store.PriceList) ([]store.Notification, error) {
	dealers, err := collect(ctx, tx, `SELECT dealer FROM relationships WHERE supplier = ? ORDER BY dealer`,
		[]any{pl.Supplier}, func(r rowScanner) (string, error) {
			var d string
			return d, r.Scan(&d)
		})
	if err != nil {
		return nil, fmt.Errorf("listing the dealers of %q: %w", pl.Supplier, err)
	}
	var out []store.Notification
	for _, dealer := range dealers {
		changes, err := collect(ctx, tx, dealerChanges, []any{pl.ID, dealer, pl.Supplier},
			func(r rowScanner) (pricelist.Change, error) {
				var (
					c    pricelist.Change
					body string
				)
				if err := r.Scan(&body); err != nil {
					return c, err
				}
				return c, json.Unmarshal([]byte(body), &c)
			})
		if err != nil {
			return nil, fmt.Errorf("selecting the changes for dealer %q: %w", dealer, err)
		}
		if len(changes) == 0 {
			continue
		}
		n, err := insertNotification(ctx, tx, t, store.PriceNotification(dealer, pl, changes))
		if err != nil {
			return nil, fmt.Errorf("notifying dealer %q: %w", dealer, err)
		}
		out = append(out, n)
	}
	return out, nil
}
