package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/dealerhub/dealerhub/hub/store"
)

// lineChunk is how many lines one INSERT stores: a statement per line
// costs more in binding and stepping than the b-tree work itself.
const lineChunk = 100

// lineInsert is the INSERT of rows lines.
func lineInsert(rows int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO price_list_lines
		(price_list_id, line_no, sku, unit, unit_price, min_quantity, tiers, body) VALUES `)
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?)")
	}
	return b.String()
}

// writeLines runs write with a put that stores each batch of lines under
// the publication id plID, and returns the header and the number of lines.
// An error from put is kept: it fails the publication even when write does
// not pass it on.
func writeLines(ctx context.Context, tx *sql.Tx, plID string, write func(context.Context, func([]store.PriceLine) error) (store.PriceListHeader, error)) (store.PriceListHeader, int, error) {
	one, err := tx.PrepareContext(ctx, lineInsert(1))
	if err != nil {
		return store.PriceListHeader{}, 0, fmt.Errorf("preparing the line insert: %w", err)
	}
	defer func() { _ = one.Close() }()
	many, err := tx.PrepareContext(ctx, lineInsert(lineChunk))
	if err != nil {
		return store.PriceListHeader{}, 0, fmt.Errorf("preparing the line insert: %w", err)
	}
	defer func() { _ = many.Close() }()
	w := &lineWriter{ctx: ctx, one: one, many: many, id: plID}
	header, err := write(ctx, w.put)
	switch {
	case err != nil && w.err != nil && !errors.Is(err, w.err):
		return header, 0, fmt.Errorf("writing lines: %w (storing them: %w)", err, w.err)
	case err != nil:
		return header, 0, fmt.Errorf("writing lines: %w", err)
	case w.err != nil:
		return header, 0, w.err
	}
	return header, w.n, nil
}

// lineWriter stores lines lineChunk at a time, the rest of a batch one
// by one.
type lineWriter struct {
	ctx       context.Context
	one, many *sql.Stmt
	id        string
	args      []any
	n         int
	err       error // the first failure; every later put returns it
}

// put stores a batch. A SKU already stored in this list fails with
// ErrDuplicateLine naming it.
func (w *lineWriter) put(lines []store.PriceLine) error {
	if w.err != nil {
		return w.err
	}
	for len(lines) > 0 {
		k, stmt := 1, w.one
		if len(lines) >= lineChunk {
			k, stmt = lineChunk, w.many
		}
		if err := w.insert(stmt, lines[:k]); err != nil {
			w.err = err
			return err
		}
		lines = lines[k:]
	}
	return nil
}

// insert stores lines with stmt, made for len(lines) rows. When a
// chunk holds a duplicate SKU, nothing of it is stored (a statement is
// atomic) and its lines are stored again one by one to name the SKU.
func (w *lineWriter) insert(stmt *sql.Stmt, lines []store.PriceLine) error {
	w.args = w.args[:0]
	for i := range lines {
		l := &lines[i]
		if l.SKU == "" {
			return fmt.Errorf("storing line %d: empty SKU", l.LineNo)
		}
		var tiers any
		if len(l.Tiers) > 0 {
			b, err := json.Marshal(l.Tiers)
			if err != nil {
				return fmt.Errorf("storing line %d (SKU %q): encoding tiers: %w", l.LineNo, l.SKU, err)
			}
			tiers = string(b)
		}
		w.args = append(w.args, w.id, l.LineNo, l.SKU, l.Unit, l.UnitPrice, l.MinQuantity, tiers, store.JSONBody(l.Body))
	}
	_, err := stmt.ExecContext(w.ctx, w.args...)
	switch {
	case err == nil:
		w.n += len(lines)
		return nil
	case isUniqueViolation(err) && len(lines) > 1:
		for i := range lines {
			if err := w.insert(w.one, lines[i:i+1]); err != nil {
				return err
			}
		}
		return fmt.Errorf("storing lines %d to %d: %w", lines[0].LineNo, lines[len(lines)-1].LineNo, err)
	case isUniqueViolation(err):
		return fmt.Errorf("line %d: SKU %q: %w", lines[0].LineNo, lines[0].SKU, store.ErrDuplicateLine)
	default:
		return fmt.Errorf("storing lines %d to %d: %w", lines[0].LineNo, lines[len(lines)-1].LineNo, err)
	}
}
