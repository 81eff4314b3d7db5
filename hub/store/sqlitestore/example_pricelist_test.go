package sqlitestore_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/hub/store/sqlitestore"
)

// publishExample publishes lines as acme's EUR list PL-2026 from a new
// message; hash stands for the hub's content hash of the list.
func publishExample(ctx context.Context, st *sqlitestore.Store, hash string, lines ...store.PriceLine) store.PriceListResult {
	msg, _, err := st.InsertMessage(ctx, store.NewMessage{Partner: "acme", Doctype: "price_list", Format: "csv",
		Body: []byte(hash)}, nil)
	if err != nil {
		panic(err)
	}
	if _, _, err := st.StartProcessing(ctx, msg.ID); err != nil {
		panic(err)
	}
	res, err := st.PublishPriceList(ctx, store.PriceListPublish{
		MessageID: msg.ID, Supplier: "acme", Today: "2026-03-01",
		// The hub streams the file's lines to put as it reads them.
		Write: func(_ context.Context, put func([]store.PriceLine) error) (store.PriceListHeader, error) {
			if err := put(lines); err != nil {
				return store.PriceListHeader{}, err
			}
			return store.PriceListHeader{ExternalID: "PL-2026", Currency: "EUR", ValidFrom: "2026-01-01",
				Body: []byte(`{"external_id":"PL-2026","currency":"EUR"}`), ContentHash: hash}, nil
		},
	})
	if err != nil {
		panic(err)
	}
	return res
}

func ExampleStore_PublishPriceList() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "dealerhub-example")
	if err != nil {
		panic(err)
	}
	defer func() { _ = os.RemoveAll(dir) }()
	st, err := sqlitestore.Open(ctx, filepath.Join(dir, "dealerhub.db"))
	if err != nil {
		panic(err)
	}
	defer func() { _ = st.Close() }()

	line := func(n int, sku, price string) store.PriceLine {
		return store.PriceLine{LineNo: n, SKU: sku, Unit: "EA", UnitPrice: price,
			Body: []byte(`{"sku":"` + sku + `","unit":"EA","unit_price":"` + price + `"}`)}
	}
	first := publishExample(ctx, st, "v1", line(1, "A-1", "10.00"), line(2, "B-2", "4.00"))
	next := publishExample(ctx, st, "v2", line(1, "A-1", "10.50"), line(2, "C-3", "7.00"))
	fmt.Println(first.PriceList.Diff.First, next.PriceList.Predecessor == first.PriceList.ID, next.PriceList.Status)
	changes, _, err := st.ListPriceListChanges(ctx, store.OperatorScope(), next.PriceList.ID, store.Page{})
	if err != nil {
		panic(err)
	}
	for _, c := range changes {
		fmt.Printf("%d %s %s old=%s new=%s percent=%s\n", c.Seq, c.SKU, c.Kind, c.OldPrice, c.NewPrice, c.Percent)
	}
	// Output:
	// true true current
	// 1 A-1 price_up old=10.00 new=10.50 percent=+5.00
	// 2 B-2 removed old=4.00 new= percent=
	// 3 C-3 added old= new=7.00 percent=
}
