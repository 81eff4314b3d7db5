package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/mappings/pricelist"
)

// Publications are read from priceListFrom, the price_lists rows (alias x)
// with cur, the id of their chain's current list on a date: the chain's
// last publication whose valid_from has come and whose valid_to has not
// passed.
const (
	priceListFrom = ` FROM (SELECT pl.*, (SELECT c.id FROM price_lists c
			WHERE c.supplier = pl.supplier AND c.currency = pl.currency
			AND c.valid_from <= ? AND (c.valid_to IS NULL OR c.valid_to >= ?)
			ORDER BY c.seq DESC LIMIT 1) AS cur
		FROM price_lists pl) x`
	priceListCols = `x.seq, x.id, x.document_id, x.version, x.supplier, x.external_id, x.currency,
		x.valid_from, x.valid_to, x.message_id, x.lines, x.predecessor, x.diff, x.notified, x.header,
		x.published_at, x.cur`
	// priceListScope is the SQL condition for publications a partner may
	// see: its own, and those of the suppliers it buys from.
	priceListScope = `x.supplier = ?
		OR EXISTS (SELECT 1 FROM relationships r WHERE r.dealer = ? AND r.supplier = x.supplier)`
	// priceListStatus is store.PriceListStatus in SQL, for filtering (two
	// placeholders, both today).
	priceListStatus = `CASE
		WHEN x.id = x.cur THEN '` + store.PriceListCurrent + `'
		WHEN x.valid_from > ? THEN '` + store.PriceListUpcoming + `'
		WHEN x.valid_to IS NOT NULL AND x.valid_to < ? THEN '` + store.PriceListExpired + `'
		ELSE '` + store.PriceListSuperseded + `' END`
)

// priceListQuery starts a query over priceListFrom on today.
func priceListQuery(today string) query {
	return query{args: []any{today, today}}
}

// priceListRow is a scanned publication with its seq (the list's cursor).
type priceListRow struct {
	seq int64
	pl  store.PriceList
}

// scanPriceList reads a row of priceListCols and decides its status on
// today.
func scanPriceList(row rowScanner, today string) (priceListRow, error) {
	var (
		r                      priceListRow
		validTo, pred, cur     sql.NullString
		diff, notified, header string
		published              int64
	)
	pl := &r.pl
	if err := row.Scan(&r.seq, &pl.ID, &pl.DocumentID, &pl.Version, &pl.Supplier, &pl.ExternalID, &pl.Currency,
		&pl.ValidFrom, &validTo, &pl.MessageID, &pl.Lines, &pred, &diff, &notified, &header, &published,
		&cur); err != nil {
		return r, err
	}
	pl.ValidTo, pl.Predecessor = validTo.String, pred.String
	if err := json.Unmarshal([]byte(diff), &pl.Diff); err != nil {
		return r, fmt.Errorf("decoding the diff of price list %s: %w", pl.ID, err)
	}
	if err := json.Unmarshal([]byte(notified), &pl.Notified); err != nil {
		return r, fmt.Errorf("decoding the notified dealers of price list %s: %w", pl.ID, err)
	}
	if pl.Notified == nil {
		pl.Notified = []string{}
	}
	pl.Header = json.RawMessage(header)
	pl.PublishedAt = fromUS(published)
	pl.Status = store.PriceListStatus(*pl, cur.String, today)
	return r, nil
}

// getPriceList reads one publication the scope sees, by a condition.
func getPriceList(ctx context.Context, q queryer, scope store.Scope, today, cond string, args ...any) (store.PriceList, error) {
	w := priceListQuery(today)
	w.and(cond, args...)
	w.scope(scope, priceListScope)
	r, err := scanPriceList(q.QueryRowContext(ctx, `SELECT `+priceListCols+priceListFrom+w.sql(), w.args...), today)
	return r.pl, err
}

// chainStatus decides a stored publication's status on today.
func chainStatus(ctx context.Context, q queryer, pl store.PriceList, today string) (string, error) {
	got, err := getPriceList(ctx, q, store.OperatorScope(), today, "x.id = ?", pl.ID)
	if err != nil {
		return "", fmt.Errorf("deciding the status of price list %s: %w", pl.ID, err)
	}
	return got.Status, nil
}

// GetPriceList returns a publication with its status on today (""
// is the store's date in UTC). ErrNotFound if absent or outside the scope.
func (s *Store) GetPriceList(ctx context.Context, scope store.Scope, id, today string) (store.PriceList, error) {
	day, err := store.CheckToday(today)
	if err != nil {
		return store.PriceList{}, fmt.Errorf("getting price list %s: %w", id, err)
	}
	pl, err := getPriceList(ctx, s.r, scope, day, "x.id = ?", id)
	if err != nil {
		return store.PriceList{}, notFound(err, fmt.Sprintf("getting price list %s", id))
	}
	return pl, nil
}

// PriceListOf returns the publication of a price_list document version;
// ErrNotFound when that version published nothing or is outside the scope.
func (s *Store) PriceListOf(ctx context.Context, scope store.Scope, documentID string, version int, today string) (store.PriceList, error) {
	doing := fmt.Sprintf("getting the price list of document %s version %d", documentID, version)
	day, err := store.CheckToday(today)
	if err != nil {
		return store.PriceList{}, fmt.Errorf("%s: %w", doing, err)
	}
	pl, err := getPriceList(ctx, s.r, scope, day, "x.document_id = ? AND x.version = ?", documentID, version)
	if err != nil {
		return store.PriceList{}, notFound(err, doing)
	}
	return pl, nil
}

// ListPriceLists returns publications the scope may see, latest published
// first, with their statuses on f.Today. The status filter is applied in
// SQL, so pages stay full and stable.
func (s *Store) ListPriceLists(ctx context.Context, scope store.Scope, f store.PriceListFilter) ([]store.PriceList, string, error) {
	c, err := store.DecodeCursor(f.Cursor)
	if err != nil {
		return nil, "", fmt.Errorf("listing price lists: %w", err)
	}
	today, err := store.CheckToday(f.Today)
	if err != nil {
		return nil, "", fmt.Errorf("listing price lists: %w", err)
	}
	limit := store.PageLimit(f.Limit)
	q := priceListQuery(today)
	q.scope(scope, priceListScope)
	q.eq("x.supplier", f.Supplier)
	q.eq("x.currency", f.Currency)
	if f.Status != "" {
		q.and(priceListStatus+" = ?", today, today, f.Status)
	}
	if c != nil {
		q.and("x.seq < ?", c.At.UnixMicro())
	}
	text := `SELECT ` + priceListCols + priceListFrom + q.sql() + ` ORDER BY x.seq DESC LIMIT ?`
	rows, err := collect(ctx, s.r, text, append(q.args, limit+1), func(r rowScanner) (priceListRow, error) {
		return scanPriceList(r, today)
	})
	if err != nil {
		return nil, "", fmt.Errorf("listing price lists: %w", err)
	}
	rows, next := store.TrimPage(rows, limit, func(r priceListRow) (time.Time, string) { return seqKey(r.seq), r.pl.ID })
	out := make([]store.PriceList, len(rows))
	for i, r := range rows {
		out[i] = r.pl
	}
	return out, next, nil
}

// seqKey carries an integer sort key (a seq or a line number) in a
// cursor's time: store.EncodeCursor writes it as the integer itself.
func seqKey(n int64) time.Time { return time.UnixMicro(n) }

// visiblePriceList returns ErrNotFound unless the scope sees publication id.
func (s *Store) visiblePriceList(ctx context.Context, scope store.Scope, id string) error {
	var q query
	q.and("x.id = ?", id)
	q.scope(scope, priceListScope)
	var one int
	return s.r.QueryRowContext(ctx, `SELECT 1 FROM price_lists x`+q.sql(), q.args...).Scan(&one)
}

// priceListPage starts a page of a publication's lines or changes (doing
// says which): it decodes the cursor (nil on the first page), checks that
// the scope sees the publication and returns the page's limit.
func (s *Store) priceListPage(ctx context.Context, scope store.Scope, id string, p store.Page, doing string) (*store.Cursor, int, error) {
	c, err := store.DecodeCursor(p.Cursor)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", doing, err)
	}
	if err := s.visiblePriceList(ctx, scope, id); err != nil {
		return nil, 0, notFound(err, doing)
	}
	return c, store.PageLimit(p.Limit), nil
}

// ListPriceListLines returns a publication's lines in line order (then
// SKU order, for lines that share a number).
func (s *Store) ListPriceListLines(ctx context.Context, scope store.Scope, id string, p store.Page) ([]store.PriceLine, string, error) {
	doing := fmt.Sprintf("listing the lines of price list %s", id)
	c, limit, err := s.priceListPage(ctx, scope, id, p, doing)
	if err != nil {
		return nil, "", err
	}
	var q query
	q.and("price_list_id = ?", id)
	if c != nil {
		q.and("(line_no, sku) > (?, ?)", c.At.UnixMicro(), c.ID)
	}
	text := `SELECT line_no, sku, unit, unit_price, min_quantity, tiers, body FROM price_list_lines` + q.sql() +
		` ORDER BY line_no, sku LIMIT ?`
	lines, err := collect(ctx, s.r, text, append(q.args, limit+1), scanPriceLine)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", doing, err)
	}
	lines, next := store.TrimPage(lines, limit, func(l store.PriceLine) (time.Time, string) {
		return seqKey(int64(l.LineNo)), l.SKU
	})
	return lines, next, nil
}

func scanPriceLine(r rowScanner) (store.PriceLine, error) {
	var (
		l     store.PriceLine
		tiers sql.NullString
		body  string
	)
	if err := r.Scan(&l.LineNo, &l.SKU, &l.Unit, &l.UnitPrice, &l.MinQuantity, &tiers, &body); err != nil {
		return l, err
	}
	if tiers.Valid {
		if err := json.Unmarshal([]byte(tiers.String), &l.Tiers); err != nil {
			return l, fmt.Errorf("decoding the tiers of SKU %q: %w", l.SKU, err)
		}
	}
	l.Body = json.RawMessage(body)
	return l, nil
}

// ListPriceListChanges returns a publication's changes in the order they
// were stored: SKU order, then kind order, as pricelist.Walk emitted them.
func (s *Store) ListPriceListChanges(ctx context.Context, scope store.Scope, id string, p store.Page) ([]store.PriceChange, string, error) {
	doing := fmt.Sprintf("listing the changes of price list %s", id)
	c, limit, err := s.priceListPage(ctx, scope, id, p, doing)
	if err != nil {
		return nil, "", err
	}
	var q query
	q.and("price_list_id = ?", id)
	if c != nil {
		q.and("seq > ?", c.At.UnixMicro())
	}
	text := `SELECT seq, body FROM price_list_changes` + q.sql() + ` ORDER BY seq LIMIT ?`
	changes, err := collect(ctx, s.r, text, append(q.args, limit+1), func(r rowScanner) (store.PriceChange, error) {
		var (
			ch   store.PriceChange
			body string
		)
		if err := r.Scan(&ch.Seq, &body); err != nil {
			return ch, err
		}
		var c pricelist.Change
		if err := json.Unmarshal([]byte(body), &c); err != nil {
			return ch, fmt.Errorf("decoding change %d: %w", ch.Seq, err)
		}
		ch.Change = c
		return ch, nil
	})
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", doing, err)
	}
	changes, next := store.TrimPage(changes, limit, func(c store.PriceChange) (time.Time, string) {
		return seqKey(int64(c.Seq)), c.SKU
	})
	return changes, next, nil
}
