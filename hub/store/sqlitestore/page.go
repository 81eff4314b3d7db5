package sqlitestore

import (
	"fmt"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/hub/store"
)

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

// scope restricts rows to those the scope sees (store.Scope.Visibility):
// for a partner, cond is the SQL condition with n placeholders, each bound
// to the partner id; anything else but the operator sees nothing.
func (q *query) scope(s store.Scope, cond string) {
	switch s.Visibility() {
	case store.VisibleAll:
	case store.VisiblePartner:
		n := strings.Count(cond, "?")
		args := make([]any, n)
		for i := range args {
			args[i] = s.Partner
		}
		q.and("("+cond+")", args...)
	default:
		q.and("0")
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
	q.and(fmt.Sprintf("(%s, %s) %s (?, ?)", timeCol, idCol, op), c.At.UnixMicro(), c.ID)
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
