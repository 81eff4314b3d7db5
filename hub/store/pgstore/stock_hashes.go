package pgstore

import (
	"context"
	"fmt"

	"github.com/dealerhub/dealerhub/hub/store"
)

// StockHashes returns the content hash of each of dealer's stored levels.
func (s *Store) StockHashes(ctx context.Context, dealer string) (map[string]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT location, sku, content_hash FROM stock_levels WHERE dealer = $1`, dealer)
	if err != nil {
		return nil, fmt.Errorf("reading the stock hashes of %q: %w", dealer, err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var loc, sku, hash string
		if err := rows.Scan(&loc, &sku, &hash); err != nil {
			return nil, fmt.Errorf("reading the stock hashes of %q: %w", dealer, err)
		}
		out[store.StockExternalID(loc, sku)] = hash
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the stock hashes of %q: %w", dealer, err)
	}
	return out, nil
}
