package sqlitestore

import (
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/dealerhub/dealerhub/hub/store"
)

// keyCursor is the position after the last row of a page of a list in
// (dealer, location, sku) order: stock levels and policies.
type keyCursor struct {
	Dealer, Location, SKU string
}

// encodeKeyCursor makes the opaque next_cursor: base64url of the JSON
// array [dealer, location, sku].
func encodeKeyCursor(dealer, location, sku string) string {
	b, _ := json.Marshal([]string{dealer, location, sku})
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeKeyCursor parses a cursor made by encodeKeyCursor; "" is none.
func decodeKeyCursor(s string) (*keyCursor, error) {
	if s == "" {
		return nil, nil
	}
	bad := fmt.Errorf("decoding cursor %q: %w", s, store.ErrInvalidCursor)
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	var k []string
	if err := json.Unmarshal(raw, &k); err != nil || len(k) != 3 {
		return nil, bad
	}
	return &keyCursor{Dealer: k[0], Location: k[1], SKU: k[2]}, nil
}

// afterKey adds the keyset condition of a (dealer, location, sku) page on
// the table alias a.
func (q *query) afterKey(c *keyCursor, a string) {
	if c != nil {
		q.and(fmt.Sprintf("(%[1]s.dealer, %[1]s.location, %[1]s.sku) > (?, ?, ?)", a), c.Dealer, c.Location, c.SKU)
	}
}

// pageKey renders the ORDER BY and LIMIT of a (dealer, location, sku)
// page on alias a, asking for one row more than limit.
func (q *query) pageKey(a string, limit int) string {
	q.args = append(q.args, limit+1)
	return fmt.Sprintf(" ORDER BY %[1]s.dealer, %[1]s.location, %[1]s.sku LIMIT ?", a)
}

// trimKeyPage cuts the extra row past limit and returns the next cursor,
// "" on the last page.
func trimKeyPage[T any](rows []T, limit int, key func(T) (string, string, string)) ([]T, string) {
	if len(rows) <= limit {
		return rows, ""
	}
	rows = rows[:limit]
	return rows, encodeKeyCursor(key(rows[limit-1]))
}
