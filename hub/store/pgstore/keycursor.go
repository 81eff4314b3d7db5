package pgstore

import (
	"fmt"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/hub/store"
)

// Lists in key order (stock levels, policies: dealer, location, sku) page
// by key rather than by time. Their cursor is store.EncodeCursor with a
// zero time and the key's parts joined by NUL, which no PostgreSQL text
// holds, so the parts split back unambiguously.

// encodeKeyCursor makes the opaque cursor after the row with key parts.
func encodeKeyCursor(parts ...string) string {
	return store.EncodeCursor(time.UnixMicro(0), strings.Join(parts, "\x00"))
}

// decodeKeyCursor reads a cursor of encodeKeyCursor with n parts; "" is
// no cursor (nil).
func decodeKeyCursor(s string, n int) ([]string, error) {
	c, err := store.DecodeCursor(s)
	if err != nil || c == nil {
		return nil, err
	}
	parts := strings.Split(c.ID, "\x00")
	if len(parts) != n || !c.At.Equal(time.UnixMicro(0)) {
		return nil, fmt.Errorf("decoding cursor %q: %w", s, store.ErrInvalidCursor)
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
