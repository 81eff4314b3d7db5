package pgstore

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/dealerhub/dealerhub/hub/store"
)

// Lists in key order (stock levels, policies: dealer, location, sku) page
// by key rather than by time. Their cursor is base64url of the JSON array
// of the last row's key parts, as sqlitestore writes it, so a cursor means
// the same thing whichever store made it.

// encodeKeyCursor makes the opaque cursor after the row with key parts.
func encodeKeyCursor(parts ...string) string {
	b, _ := json.Marshal(parts)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeKeyCursor reads a cursor of encodeKeyCursor with n parts; "" is
// no cursor (nil).
func decodeKeyCursor(s string, n int) ([]string, error) {
	if s == "" {
		return nil, nil
	}
	bad := fmt.Errorf("decoding cursor %q: %w", s, store.ErrInvalidCursor)
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	var parts []string
	if err := json.Unmarshal(raw, &parts); err != nil || len(parts) != n {
		return nil, bad
	}
	return parts, nil
}

// afterKey adds the keyset condition "(cols) > (key)" for a page in key
// order; nothing when key is nil.
func (q *query) afterKey(cols string, key []string) {
	if key == nil {
		return
	}
	ph := make([]string, len(key))
	for i, k := range key {
		ph[i] = q.arg(k)
	}
	q.and("(" + cols + ") > (" + strings.Join(ph, ", ") + ")")
}

// trimKeyPage cuts the extra row fetched past limit and returns the next
// cursor, "" on the last page.
func trimKeyPage[T any](rows []T, limit int, key func(T) []string) ([]T, string) {
	if len(rows) <= limit {
		return rows, ""
	}
	rows = rows[:limit]
	return rows, encodeKeyCursor(key(rows[limit-1])...)
}
