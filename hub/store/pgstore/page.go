package pgstore

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/hub/store"
)

// Page sizes: 0 means defaultLimit; larger requests are capped at maxLimit.
const (
	defaultLimit = 100
	maxLimit     = 1000
)

// pageLimit applies the default and the cap to a requested page size.
func pageLimit(n int) int {
	switch {
	case n <= 0:
		return defaultLimit
	case n > maxLimit:
		return maxLimit
	default:
		return n
	}
}

// errBadCursor is wrapped by every cursor decoding failure.
var errBadCursor = errors.New("invalid cursor")

// cursor is the position after the last row of a page: the row's sort time
// and id. Sort keys never change once written (creation or update times of
// rows already listed only move them before the cursor of a newest-first
// list), so pages stay stable while rows are inserted.
type cursor struct {
	at time.Time
	id string
}

// encodeCursor makes the opaque next_cursor string.
func encodeCursor(at time.Time, id string) string {
	raw := strconv.FormatInt(at.UnixMicro(), 10) + "|" + id
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// decodeCursor parses a cursor made by encodeCursor; "" is no cursor.
func decodeCursor(s string) (*cursor, error) {
	if s == "" {
		return nil, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("decoding cursor: %w", errBadCursor)
	}
	micros, id, ok := strings.Cut(string(raw), "|")
	if !ok || id == "" {
		return nil, fmt.Errorf("decoding cursor: %w", errBadCursor)
	}
	us, err := strconv.ParseInt(micros, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("decoding cursor: %w", errBadCursor)
	}
	return &cursor{at: time.UnixMicro(us).UTC(), id: id}, nil
}

// query accumulates WHERE conditions and their positional arguments.
type query struct {
	where []string
	args  []any
}

// arg adds a positional argument and returns its placeholder.
func (q *query) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

// and adds a condition; conditions are joined with AND.
func (q *query) and(cond string) { q.where = append(q.where, cond) }

// eq adds "col = value" when value is not empty.
func (q *query) eq(col, value string) {
	if value != "" {
		q.and(col + " = " + q.arg(value))
	}
}

// timeRange adds "col >= since" and "col < until" for non-zero bounds.
func (q *query) timeRange(col string, since, until time.Time) {
	if !since.IsZero() {
		q.and(col + " >= " + q.arg(norm(since)))
	}
	if !until.IsZero() {
		q.and(col + " < " + q.arg(norm(until)))
	}
}

// scope restricts rows to those a partner may see: cond is called with the
// placeholder of the partner id and returns the SQL condition. The operator
// sees everything; a scope with neither operator nor partner sees nothing.
func (q *query) scope(s store.Scope, cond func(p string) string) {
	switch {
	case s.Operator:
	case s.Partner == "":
		q.and("FALSE")
	default:
		q.and("(" + cond(q.arg(s.Partner)) + ")")
	}
}

// after adds the keyset condition for a page: rows strictly after c in the
// order (timeCol, idCol), descending when desc.
func (q *query) after(c *cursor, timeCol, idCol string, desc bool) {
	if c == nil {
		return
	}
	op := ">"
	if desc {
		op = "<"
	}
	q.and(fmt.Sprintf("(%s, %s) %s (%s, %s)", timeCol, idCol, op, q.arg(c.at), q.arg(c.id)))
}

// sql renders the WHERE clause ("" when there are no conditions).
func (q *query) sql() string {
	if len(q.where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(q.where, " AND ")
}

// page renders the ORDER BY and LIMIT of a keyset page; it asks for one row
// more than limit so the caller knows whether there is a next page.
func (q *query) page(timeCol, idCol string, desc bool, limit int) string {
	dir := "ASC"
	if desc {
		dir = "DESC"
	}
	return fmt.Sprintf(" ORDER BY %s %s, %s %s LIMIT %s", timeCol, dir, idCol, dir, q.arg(limit+1))
}

// trimPage cuts the extra row fetched by page and returns the next cursor,
// "" when this is the last page.
func trimPage[T any](rows []T, limit int, key func(T) (time.Time, string)) ([]T, string) {
	if len(rows) <= limit {
		return rows, ""
	}
	rows = rows[:limit]
	at, id := key(rows[limit-1])
	return rows, encodeCursor(at, id)
}
