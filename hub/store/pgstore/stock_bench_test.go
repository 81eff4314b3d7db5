package pgstore_test

import (
	"testing"

	"github.com/dealerhub/dealerhub/hub/store"
)

// BenchmarkSyncStock syncs 100k levels of one dealer: every level changed
// (a full sync: 100k new versions), 1% changed, and nothing changed (one
// read of the dealer's stored hashes). 1% of the levels have a policy and
// the snapshot carries 30 days of sales at one location.
func BenchmarkSyncStock(b *testing.B) {
	const n = 100_000
	f := newStockFixture(b)
	even, odd := stockLevels(n, "10"), stockLevels(n, "11")
	onePct := stockLevels(n, "10")
	for i := 0; i < n; i += 100 {
		onePct[i] = stockLevel("WH1", onePct[i].SKU, "3")
	}
	var policies []store.StockPolicy
	for i := 0; i < n; i += 100 {
		policies = append(policies, store.StockPolicy{Location: "WH1", SKU: even[i].SKU, ReorderPoint: "5", CoverDays: 14})
	}
	if _, err := f.st.PutStockPolicies(f.ctx, "dlr", policies, "2026-03-01"); err != nil {
		b.Fatal(err)
	}
	var sales []store.SalesDayInput
	for d := 1; d <= 28; d++ {
		var lines [][2]string
		for i := 0; i < n; i += 50 {
			lines = append(lines, [2]string{even[i].SKU, "1"})
		}
		sales = append(sales, salesDay("WH1", "2026-02-"+two(d), lines...))
	}
	run := func(b *testing.B, levels func(i int) []store.StockLevelInput, want func(i int) int) {
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			ls := levels(i)
			m := f.message("dlr", "stock_snapshot")
			b.StartTimer()
			res, err := f.st.SyncStock(f.ctx, store.StockSync{MessageID: m.ID, Dealer: "dlr", Levels: ls, Sales: sales,
				Today: "2026-03-01", Outbox: func(rs []store.DocumentResult) []store.NewOutbox {
					return []store.NewOutbox{{Subject: "dealerhub.event.stock_level.dlr"}}
				}})
			if err != nil {
				b.Fatal(err)
			}
			if res.LevelsChanged != want(i) {
				b.Fatalf("iteration %d: %d levels changed, want %d", i, res.LevelsChanged, want(i))
			}
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "levels/s")
	}
	b.Run("full-100k", func(b *testing.B) {
		run(b, func(i int) []store.StockLevelInput {
			if i%2 == 0 {
				return odd
			}
			return even
		}, func(int) int { return n })
	})
	// Bring the levels to even, then alternate 1% of them.
	b.Run("1pct-changed", func(b *testing.B) {
		base := true
		if _, err := f.st.SyncStock(f.ctx, store.StockSync{MessageID: f.message("dlr", "stock_snapshot").ID, Dealer: "dlr", Levels: even, Today: "2026-03-01"}); err != nil {
			b.Fatal(err)
		}
		run(b, func(int) []store.StockLevelInput {
			base = !base
			if base {
				return even
			}
			return onePct
		}, func(int) int { return n / 100 })
	})
	b.Run("unchanged", func(b *testing.B) {
		run(b, func(int) []store.StockLevelInput { return onePct }, func(int) int { return 0 })
	})
}

// two writes d with two digits.
func two(d int) string { return string([]byte{byte('0' + d/10), byte('0' + d%10)}) }
