package store

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ErrInvalidCursor: a cursor that no list returned (the API answers 400).
var ErrInvalidCursor = errors.New("invalid cursor")

// Page sizes: 0 means DefaultPageLimit; larger requests are capped.
const (
	DefaultPageLimit = 100
	MaxPageLimit     = 1000
)

// PageLimit applies the default and the cap to a requested page size.
func PageLimit(n int) int {
	switch {
	case n <= 0:
		return DefaultPageLimit
	case n > MaxPageLimit:
		return MaxPageLimit
	default:
		return n
	}
}

// Cursor is the position after the last row of a page: the row's sort time
// and id. Sort keys never change once written (creation or update times of
// rows already listed only move them before the cursor of a newest-first
// list), so pages stay stable while rows are inserted. Both stores encode it
// the same way, so a cursor means the same thing whichever store made it.
type Cursor struct {
	At time.Time
	ID string
}

// EncodeCursor makes the opaque next_cursor string: base64url of
// "<unix micros>|<id>".
func EncodeCursor(at time.Time, id string) string {
	raw := strconv.FormatInt(at.UnixMicro(), 10) + "|" + id
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// DecodeCursor parses a cursor made by EncodeCursor; "" is no cursor (nil).
func DecodeCursor(s string) (*Cursor, error) {
	if s == "" {
		return nil, nil
	}
	bad := fmt.Errorf("decoding cursor %q: %w", s, ErrInvalidCursor)
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	micros, id, ok := strings.Cut(string(raw), "|")
	if !ok || id == "" {
		return nil, bad
	}
	us, err := strconv.ParseInt(micros, 10, 64)
	if err != nil {
		return nil, bad
	}
	return &Cursor{At: time.UnixMicro(us).UTC(), ID: id}, nil
}

// TrimPage cuts the extra row a store fetched past limit and returns the
// next cursor, "" when this is the last page.
func TrimPage[T any](rows []T, limit int, key func(T) (time.Time, string)) ([]T, string) {
	if len(rows) <= limit {
		return rows, ""
	}
	rows = rows[:limit]
	at, id := key(rows[limit-1])
	return rows, EncodeCursor(at, id)
}
