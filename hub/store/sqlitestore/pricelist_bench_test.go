package sqlitestore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/hub/store/sqlitestore"
)

// benchLines builds n price lines in file order (a permutation of SKU
// order, as a supplier's file sorted by category would be); every tenth
// SKU's price is raised when changed.
func benchLines(n int, changed bool) []store.PriceLine {
	lines := make([]store.PriceLine, n)
	for i := range n {
		k := (i * 7919) % n // 7919 is prime and does not divide n: a permutation
		price := fmt.Sprintf("%d.%02d", 10+k%500, k%100)
		if changed && k%10 == 0 {
			price = fmt.Sprintf("%d.%02d", 11+k%500, k%100)
		}
		sku := fmt.Sprintf("SKU-%07d", k)
		lines[i] = store.PriceLine{
			LineNo: i + 1, SKU: sku, Unit: "EA", UnitPrice: price, MinQuantity: "1",
			Body: fmt.Appendf(nil, `{"sku":%q,"description":"Item %d","unit":"EA","unit_price":%q,"min_quantity":"1"}`, sku, k, price),
		}
	}
	return lines
}

// benchPublish publishes lines as one price list from a new message.
func benchPublish(b *testing.B, st *sqlitestore.Store, seq int, lines []store.PriceLine, externalID, currency, hash string) store.PriceListResult {
	b.Helper()
	ctx := b.Context()
	m, _, err := st.InsertMessage(ctx, store.NewMessage{Partner: "sup", Doctype: "price_list", Format: "csv",
		Body: fmt.Appendf(nil, "file %d", seq)}, nil)
	require.NoError(b, err)
	_, _, err = st.StartProcessing(ctx, m.ID)
	require.NoError(b, err)
	res, err := st.PublishPriceList(ctx, store.PriceListPublish{
		MessageID: m.ID, Supplier: "sup", Today: "2026-03-01",
		Write: func(_ context.Context, put func([]store.PriceLine) error) (store.PriceListHeader, error) {
			for start := 0; start < len(lines); start += 1000 {
				if err := put(lines[start:min(start+1000, len(lines))]); err != nil {
					return store.PriceListHeader{}, err
				}
			}
			return store.PriceListHeader{
				ExternalID: externalID, Currency: currency, ValidFrom: "2026-01-01", ContentHash: hash,
				Body:       fmt.Appendf(nil, `{"external_id":%q,"currency":%q,"valid_from":"2026-01-01"}`, externalID, currency),
				Deliveries: []store.NewDelivery{{Receiver: "dlr", Channel: "inbox", Format: "json"}},
			}, nil
		},
		Outbox: func(r store.PriceListResult) []store.NewOutbox {
			return []store.NewOutbox{{Subject: "dealerhub.event.price_list.sup", MsgID: r.PriceList.ID}}
		},
	})
	require.NoError(b, err)
	return res
}

// BenchmarkPublishPriceList100k publishes a 100,000-line list: "first" is
// a new chain (lines only, nothing to compare), "republish10pct" a new
// version of a list with 10% of its prices changed (lines, a diff of
// 10,000 changes, and a dealer who cross-references 1,000 of the SKUs).
func BenchmarkPublishPriceList100k(b *testing.B) {
	const n = 100_000
	base, changed := benchLines(n, false), benchLines(n, true)
	b.Run("first", func(b *testing.B) {
		st := benchStore(b)
		i := 0
		for b.Loop() {
			i++
			res := benchPublish(b, st, i, base, fmt.Sprintf("PL-%d", i), fmt.Sprintf("C%02d", i), fmt.Sprint("first-", i))
			if !res.PriceList.Diff.First || res.PriceList.Lines != n {
				b.Fatalf("publication %d: %+v", i, res.PriceList.Diff)
			}
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
	})
	b.Run("republish10pct", func(b *testing.B) {
		st := benchStore(b)
		ctx := b.Context()
		require.NoError(b, st.UpsertRelationship(ctx, store.Relationship{Dealer: "dlr", Supplier: "sup"}))
		refs := make([]store.CrossRef, 0, 1000)
		for k := range 1000 {
			refs = append(refs, store.CrossRef{Code: fmt.Sprint("D-", k), Supplier: "sup", SupplierSKU: fmt.Sprintf("SKU-%07d", k*7)})
		}
		require.NoError(b, st.PutCrossRefs(ctx, "dlr", refs))
		benchPublish(b, st, 0, base, "PL", "EUR", "base")
		i := 0
		for b.Loop() {
			i++
			lines, hash := changed, "changed"
			if i%2 == 0 {
				lines, hash = base, "base"
			}
			res := benchPublish(b, st, i, lines, "PL", "EUR", hash)
			if got := res.PriceList.Diff.Changes(); got != n/10 || len(res.Notifications) != 1 {
				b.Fatalf("publication %d: %d changes, %d notifications", i, got, len(res.Notifications))
			}
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
	})
}
