package pgstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dealerhub/dealerhub/hub/store"
)

// priceListCols are a publication's columns and the id of its chain's
// current list (cur, joined by priceListSelect).
const priceListCols = `p.seq, p.id, p.document_id, p.version, p.supplier, p.external_id, p.currency, p.valid_from,
	coalesce(p.valid_to, ''), p.message_id, p.lines, coalesce(p.predecessor, ''), p.diff, p.notified, p.header,
	p.published_at, coalesce(cur.id, '')`

// priceListSelect starts a query of publications with, for each, its
// chain's current list on the date of placeholder today: the chain's
// latest publication in force that day.
func priceListSelect(today string) string {
	return `SELECT ` + priceListCols + ` FROM price_lists p
		LEFT JOIN LATERAL (
			SELECT c.id FROM price_lists c
			WHERE c.supplier = p.supplier AND c.currency = p.currency
				AND c.valid_from <= ` + today + ` AND (c.valid_to IS NULL OR c.valid_to >= ` + today + `)
			ORDER BY c.seq DESC LIMIT 1
		) cur ON true`
}

// priceListStatusSQL is store.PriceListStatus in SQL, for filtering by
// status inside a page query.
func priceListStatusSQL(today string) string {
	return `CASE WHEN p.id = cur.id THEN '` + store.PriceListCurrent + `'
		WHEN p.valid_from > ` + today + ` THEN '` + store.PriceListUpcoming + `'
		WHEN p.valid_to IS NOT NULL AND p.valid_to < ` + today + ` THEN '` + store.PriceListExpired + `'
		ELSE '` + store.PriceListSuperseded + `' END`
}

// priceListScope is the SQL condition for publications a partner may see:
// its own, and those of the suppliers it buys from.
func priceListScope(p string) string {
	return "p.supplier = " + p +
		" OR EXISTS (SELECT 1 FROM relationships r WHERE r.dealer = " + p + " AND r.supplier = p.supplier)"
}

// scanPriceList reads a row of priceListCols and decides its status on
// today.
func scanPriceList(row pgx.Row, today string) (store.PriceList, error) {
	pl, _, err := scanPriceListSeq(row, today)
	return pl, err
}

// scanPriceListSeq is scanPriceList that also returns the seq.
func scanPriceListSeq(row pgx.Row, today string) (store.PriceList, int64, error) {
	var (
		pl                     store.PriceList
		diff, notified, header []byte
		currentID              string
		seq                    int64
	)
	if err := row.Scan(&seq, &pl.ID, &pl.DocumentID, &pl.Version, &pl.Supplier, &pl.ExternalID, &pl.Currency,
		&pl.ValidFrom, &pl.ValidTo, &pl.MessageID, &pl.Lines, &pl.Predecessor, &diff, &notified, &header,
		&pl.PublishedAt, &currentID); err != nil {
		return store.PriceList{}, 0, err
	}
	if err := json.Unmarshal(diff, &pl.Diff); err != nil {
		return store.PriceList{}, 0, fmt.Errorf("decoding the diff of %s: %w", pl.ID, err)
	}
	if err := json.Unmarshal(notified, &pl.Notified); err != nil {
		return store.PriceList{}, 0, fmt.Errorf("decoding the notified dealers of %s: %w", pl.ID, err)
	}
	pl.Header = header
	pl.PublishedAt = pl.PublishedAt.UTC()
	pl.Status = store.PriceListStatus(pl, currentID, today)
	return pl, seq, nil
}

// getPriceList reads the one publication whose col equals value, if the
// scope may see it.
func getPriceList(ctx context.Context, db querier, scope store.Scope, col string, value any, today string) (store.PriceList, error) {
	return getPriceListWhere(ctx, db, scope, today, func(q *query) { q.and(col + " = " + q.arg(value)) })
}

// getPriceListWhere reads the one publication that where selects.
func getPriceListWhere(ctx context.Context, db querier, scope store.Scope, today string, where func(*query)) (store.PriceList, error) {
	today, err := store.CheckToday(today)
	if err != nil {
		return store.PriceList{}, err
	}
	var q query
	from := priceListSelect(q.arg(today))
	where(&q)
	q.scope(scope, priceListScope)
	return scanPriceList(db.QueryRow(ctx, from+q.sql(), q.args...), today)
}

// GetPriceList returns a publication with its status on today ("" is
// today in UTC). ErrNotFound if absent or outside the scope: a partner sees
// its own lists and those of the suppliers it has a relationship with.
func (s *Store) GetPriceList(ctx context.Context, scope store.Scope, id, today string) (store.PriceList, error) {
	pl, err := getPriceList(ctx, s.pool, scope, "p.id", id, today)
	if err != nil {
		return store.PriceList{}, notFound(err, fmt.Sprintf("getting price list %s", id))
	}
	return pl, nil
}

// PriceListOf returns the publication of version of a price_list document
// (ErrNotFound when that version published nothing, or outside the scope).
func (s *Store) PriceListOf(ctx context.Context, scope store.Scope, documentID string, version int, today string) (store.PriceList, error) {
	pl, err := getPriceListWhere(ctx, s.pool, scope, today, func(q *query) {
		q.and("p.document_id = " + q.arg(documentID))
		q.and("p.version = " + q.arg(version))
	})
	if err != nil {
		return store.PriceList{}, notFound(err, fmt.Sprintf("getting the price list of document %s version %d", documentID, version))
	}
	return pl, nil
}

// ListPriceLists returns the publications the scope may see, latest
// published first, with statuses on f.Today. Pages follow seq (the
// cursor's position), with the status filter in SQL so pages stay full.
func (s *Store) ListPriceLists(ctx context.Context, scope store.Scope, f store.PriceListFilter) ([]store.PriceList, string, error) {
	c, err := store.DecodeCursor(f.Cursor)
	if err != nil {
		return nil, "", fmt.Errorf("listing price lists: %w", err)
	}
	limit := store.PageLimit(f.Limit)
	today, err := store.CheckToday(f.Today)
	if err != nil {
		return nil, "", fmt.Errorf("listing price lists: %w", err)
	}
	var q query
	todayArg := q.arg(today)
	from := priceListSelect(todayArg)
	q.scope(scope, priceListScope)
	q.eq("p.supplier", f.Supplier)
	q.eq("p.currency", f.Currency)
	if f.Status != "" {
		q.and(priceListStatusSQL(todayArg) + " = " + q.arg(f.Status))
	}
	if c != nil {
		q.and("p.seq < " + q.arg(c.At.UnixMicro()))
	}
	rows, err := s.pool.Query(ctx, from+q.sql()+" ORDER BY p.seq DESC LIMIT "+q.arg(limit+1), q.args...)
	if err != nil {
		return nil, "", fmt.Errorf("listing price lists: %w", err)
	}
	type row struct {
		pl  store.PriceList
		seq int64
	}
	got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		pl, seq, err := scanPriceListSeq(r, today)
		return row{pl, seq}, err
	})
	if err != nil {
		return nil, "", fmt.Errorf("listing price lists: %w", err)
	}
	got, next := store.TrimPage(got, limit, func(r row) (time.Time, string) { return positionKey(r.seq), r.pl.ID })
	pls := make([]store.PriceList, len(got))
	for i, r := range got {
		pls[i] = r.pl
	}
	return pls, next, nil
}
