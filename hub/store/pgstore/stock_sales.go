package pgstore

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dealerhub/dealerhub/hub/store"
)

// salesLineColumns are the columns of sales_lines a changed day writes.
var salesLineColumns = []string{"dealer", "location", "sku", "day", "supplier", "supplier_sku", "quantity", "unit", "document_id"}

// commitSales versions the sales_report documents of the sync (a day
// whose content equals its current version is not written) and replaces
// the stored lines of each day that changed. The results follow
// in.Sales.
func commitSales(ctx context.Context, tx pgx.Tx, t time.Time, in store.StockSync) ([]store.DocumentResult, error) {
	if len(in.Sales) == 0 {
		return nil, nil
	}
	stored, err := storedHashes(ctx, tx, doctypeSalesReport, in.Dealer, in.Sales)
	if err != nil {
		return nil, err
	}
	results := make([]store.DocumentResult, len(in.Sales))
	var (
		docs []store.DocumentInput
		at   []int
	)
	for i, d := range in.Sales {
		doc := store.DocumentInput{
			Doctype: doctypeSalesReport, Sender: in.Dealer, ExternalID: d.ExternalID,
			Body: d.Body, ContentHash: d.ContentHash, Deliveries: d.Deliveries,
		}
		results[i] = store.DocumentResult{Input: doc}
		if h, ok := stored[d.ExternalID]; ok && h == d.ContentHash {
			continue
		}
		docs, at = append(docs, doc), append(at, i)
	}
	written, err := commitDocuments(ctx, tx, t, in.MessageID, doctypeSalesReport, in.Dealer, docs)
	if err != nil {
		return nil, err
	}
	var (
		ids  []string
		rows [][]any
	)
	for k, r := range written {
		i := at[k]
		results[i] = r
		if !r.Changed {
			continue
		}
		ids = append(ids, r.DocumentID)
		d := in.Sales[i]
		seen := make(map[string]bool, len(d.Lines))
		for _, l := range d.Lines {
			if seen[l.SKU] {
				return nil, fmt.Errorf("sales of %q at %q on %s: item %q is listed twice", in.Dealer, d.Location, d.Date, l.SKU)
			}
			seen[l.SKU] = true
			rows = append(rows, []any{in.Dealer, d.Location, l.SKU, d.Date, l.Supplier, l.SupplierSKU, l.Quantity, l.Unit, r.DocumentID})
		}
	}
	if len(ids) == 0 {
		return results, nil
	}
	if _, err := tx.Exec(ctx, `DELETE FROM sales_lines WHERE document_id = ANY($1::text[])`, ids); err != nil {
		return nil, fmt.Errorf("removing the replaced sales lines: %w", err)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"sales_lines"}, salesLineColumns, pgx.CopyFromRows(rows)); err != nil {
		return nil, fmt.Errorf("copying %d sales lines: %w", len(rows), err)
	}
	return results, nil
}

// storedHashes returns the content hash of each stored document of sender
// and doctype among the days' external ids, in one query.
func storedHashes(ctx context.Context, tx pgx.Tx, doctype, sender string, days []store.SalesDayInput) (map[string]string, error) {
	ext := make([]string, len(days))
	for i, d := range days {
		ext[i] = d.ExternalID
	}
	rows, err := tx.Query(ctx, `SELECT external_id, content_hash FROM documents
		WHERE sender = $1 AND doctype = $2 AND external_id = ANY($3::text[])`, sender, doctype, ext)
	if err != nil {
		return nil, fmt.Errorf("reading stored %s hashes: %w", doctype, err)
	}
	out := make(map[string]string, len(days))
	var e, h string
	if _, err := pgx.ForEachRow(rows, []any{&e, &h}, func() error { out[e] = h; return nil }); err != nil {
		return nil, fmt.Errorf("reading stored %s hashes: %w", doctype, err)
	}
	return out, nil
}
