package sqlitestore_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/hub/store/sqlitestore"
)

// benchLevels is the number of levels of one benchmark snapshot.
const benchLevels = 100_000

// benchLevel is level i of a snapshot, with available qty; a level's
// content hash covers its body.
func benchLevel(i, qty int) store.StockLevelInput {
	loc, sku := fmt.Sprintf("W%d", i%4), fmt.Sprintf("SKU-%07d", i)
	body := fmt.Appendf(nil, `{"location":%q,"sku":%q,"supplier":"sup","supplier_sku":"S-%07d","on_hand":"%d","available":"%d","on_order":"0","unit":"EA"}`,
		loc, sku, i, qty, qty)
	sum := sha256.Sum256(body)
	return store.StockLevelInput{
		Location: loc, SKU: sku, Supplier: "sup", SupplierSKU: fmt.Sprintf("S-%07d", i),
		OnHand: fmt.Sprint(qty), Available: fmt.Sprint(qty), OnOrder: "0", Unit: "EA",
		AsOf: time.Now(), Body: body, ContentHash: hex.EncodeToString(sum[:]),
	}
}

// benchSnapshot is a snapshot of benchLevels levels; every step-th level
// (0: none) gets quantity shift.
func benchSnapshot(step, shift int) []store.StockLevelInput {
	ls := make([]store.StockLevelInput, benchLevels)
	for i := range ls {
		qty := 50 + i%100
		if step > 0 && i%step == 0 {
			qty += shift
		}
		ls[i] = benchLevel(i, qty)
	}
	return ls
}

// benchEvents is the hub's usual Outbox: one event per changed document.
func benchEvents(results []store.DocumentResult) []store.NewOutbox {
	out := make([]store.NewOutbox, len(results))
	for i, r := range results {
		out[i] = store.NewOutbox{Subject: "dealerhub.event.stock_level.dlr", MsgID: fmt.Sprintf("%s-v%d", r.DocumentID, r.Version)}
	}
	return out
}

// syncOnce stores ls as a new message of dlr and checks how many levels
// changed.
func syncOnce(b *testing.B, st *sqlitestore.Store, n int, ls []store.StockLevelInput, wantChanged int) {
	b.Helper()
	m, _, err := st.InsertMessage(b.Context(), store.NewMessage{
		Partner: "dlr", Doctype: "stock_level", Format: "stock_snapshot", Body: fmt.Appendf(nil, "snapshot %d", n),
	}, inboundRow)
	if err != nil {
		b.Fatal(err)
	}
	res, err := st.SyncStock(b.Context(), store.StockSync{
		MessageID: m.ID, Dealer: "dlr", Levels: ls, Today: "2026-03-31", Outbox: benchEvents,
	})
	if err != nil {
		b.Fatal(err)
	}
	if res.LevelsChanged != wantChanged {
		b.Fatalf("%d levels changed, want %d", res.LevelsChanged, wantChanged)
	}
}

// benchPolicies gives every 10th level a policy; half of them (reorder
// point 100 over quantities 50…149) are low.
func benchPolicies(b *testing.B, st *sqlitestore.Store) {
	b.Helper()
	var ps []store.StockPolicy
	for i := 0; i < benchLevels; i += 10 {
		l := benchLevel(i, 0)
		ps = append(ps, store.StockPolicy{Location: l.Location, SKU: l.SKU, ReorderPoint: "100", MaxLevel: "200", PackSize: "12"})
	}
	if _, err := st.PutStockPolicies(b.Context(), "dlr", ps, "2026-03-31"); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkSyncStock measures one snapshot of 100,000 levels (10% with a
// policy) in its one transaction:
//
//	full:      every level new (a fresh store each time);
//	changed1%: 1,000 levels changed, 99,000 equal to the stored ones;
//	unchanged: nothing changed (nothing written but the message).
func BenchmarkSyncStock(b *testing.B) {
	b.Run("full", func(b *testing.B) {
		ls := benchSnapshot(0, 0)
		for n := 0; n < b.N; n++ {
			b.StopTimer()
			st := benchStore(b)
			benchPolicies(b, st)
			b.StartTimer()
			syncOnce(b, st, n, ls, benchLevels)
		}
		b.ReportMetric(float64(b.N*benchLevels)/b.Elapsed().Seconds(), "levels/s")
	})
	b.Run("changed1%", func(b *testing.B) {
		st := benchStore(b)
		benchPolicies(b, st)
		syncOnce(b, st, -1, benchSnapshot(0, 0), benchLevels)
		// Alternate two variants so that every round changes 1% again.
		variants := [][]store.StockLevelInput{benchSnapshot(100, 1), benchSnapshot(0, 0)}
		b.ResetTimer()
		for n := 0; n < b.N; n++ {
			syncOnce(b, st, n, variants[n%2], benchLevels/100)
		}
		b.ReportMetric(float64(b.N*benchLevels)/b.Elapsed().Seconds(), "levels/s")
	})
	b.Run("unchanged", func(b *testing.B) {
		st := benchStore(b)
		benchPolicies(b, st)
		ls := benchSnapshot(0, 0)
		syncOnce(b, st, -1, ls, benchLevels)
		b.ResetTimer()
		for n := 0; n < b.N; n++ {
			syncOnce(b, st, n, ls, 0)
		}
		b.ReportMetric(float64(b.N*benchLevels)/b.Elapsed().Seconds(), "levels/s")
	})
}

// BenchmarkListStock reads pages of 1,000 levels from a dealer with
// 100,000, walking them with the cursor, as the dealer (whose scope is
// its own rows or those of its products that others share) and as the
// operator.
func BenchmarkListStock(b *testing.B) {
	st := benchStore(b)
	benchPolicies(b, st)
	syncOnce(b, st, -1, benchSnapshot(0, 0), benchLevels)
	for _, c := range []struct {
		name  string
		scope store.Scope
	}{{"dealer", store.PartnerScope("dlr")}, {"operator", store.OperatorScope()}} {
		b.Run(c.name, func(b *testing.B) {
			cursor := ""
			for b.Loop() {
				ls, next, err := st.ListStock(b.Context(), c.scope, store.StockFilter{Today: "2026-03-31", Page: store.Page{Cursor: cursor, Limit: 1000}})
				if err != nil {
					b.Fatal(err)
				}
				if len(ls) == 0 || ls[0].Sold30d == nil {
					b.Fatal("a page of levels with their sales")
				}
				cursor = next
			}
		})
	}
}
