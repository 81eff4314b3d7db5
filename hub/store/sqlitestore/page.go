package sqlitestore

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
// (microseconds) and id. The same encoding as pgstore, so a cursor means
// the same thing whichever store made it.
type cursor struct {
	at int64
	id string
}

// encodeCursor makes the opaque next_cursor string: base64url of
// "<unix micros>|<id>".
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
	v, err := strconv.ParseInt(micros, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("decoding cursor: %w", errBadCursor)
	}
	return &cursor{at: v, id: id}, nil
}

// query accumulates WHERE conditions and their arguments (positional "?",
// so conditions must be added in the order their arguments appear).
type query struct {
	where []string
	args  []any
}

// and adds a condition with its arguments; conditions are joined with AND.
func (q *query) and(cond string, args ...any) {
	q.where = append(q.where, cond)
	q.args = append(q.args, args...)
}

// eq adds "col = value" when value is not empty.
func (q *query) eq(col, value string) {
	if value != "" {
		q.and(col+" = ?", value)
	}
}

// timeRange adds "col >= since" and "col < until" for non-zero bounds.
func (q *query) timeRange(col string, since, until time.Time) {
	if !since.IsZero() {
		q.and(col+" >= ?", us(since))
	}
	if !until.IsZero() {
		q.and(col+" < ?", us(until))
	}
}

// scope restricts rows to those a partner may see: cond is the SQL
// condition with n placeholders, each bound to the partner id. The operator
// sees everything; a scope with neither operator nor partner sees nothing.
func (q *query) scope(s store.Scope, cond string) {
	switch {
	case s.Operator:
	case s.Partner == "":
		q.and("0")
	default:
		n := strings.Count(cond, "?")
		args := make([]any, n)
		for i := range args {
			args[i] = s.Partner
		}
		q.and("("+cond+")", args...)
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
	q.and(fmt.Sprintf("(%s, %s) %s (?, ?)", timeCol, idCol, op), c.at, c.id)
}

// sql renders the WHERE clause ("" when there are no conditions).
func (q *query) sql() string {
	if len(q.where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(q.where, " AND ")
}

// page renders the ORDER BY and LIMIT of a keyset page, asking for one row
// more than limit so the caller knows whether there is a next page. It
// must be the last part of the statement (its argument comes last).
func (q *query) page(timeCol, idCol string, desc bool, limit int) string {
	dir := "ASC"
	if desc {
		dir = "DESC"
	}
	q.args = append(q.args, limit+1)
	return fmt.Sprintf(" ORDER BY %s %s, %s %s LIMIT ?", timeCol, dir, idCol, dir)
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
