package pgstore

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/hub/store"
)

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

// scope restricts rows to those the scope sees (store.Scope.Visibility):
// for a partner, cond is called with the placeholder of the partner id and
// returns the SQL condition; anything else but the operator sees nothing.
func (q *query) scope(s store.Scope, cond func(p string) string) {
	switch s.Visibility() {
	case store.VisibleAll:
	case store.VisiblePartner:
		q.and("(" + cond(q.arg(s.Partner)) + ")")
	default:
		q.and("FALSE")
	}
}

// after adds the keyset condition for a page: rows strictly after c in the
// order (timeCol, idCol), descending when desc.
func (q *query) after(c *store.Cursor, timeCol, idCol string, desc bool) {
	if c == nil {
		return
	}
	op := ">"
	if desc {
		op = "<"
	}
	q.and(fmt.Sprintf("(%s, %s) %s (%s, %s)", timeCol, idCol, op, q.arg(c.At), q.arg(c.ID)))
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
