package tryton_test

import (
	"context"
	"fmt"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/erp/tryton"
	"github.com/dealerhub/dealerhub/connectors/erp/tryton/trytonfake"
)

// ExampleClient_ReadStock reads a dealer's stock and one day of sales (here
// from the in-process fake; a real Tryton answers the same calls).
func ExampleClient_ReadStock() {
	srv := trytonfake.New()
	defer srv.Close()
	srv.SetProducts(trytonfake.Product{Code: "SKU-001", Name: "Widget A"})
	srv.SetQuantity("SKU-001", "WH", 40)
	srv.AddSale(trytonfake.Sale{Date: "2026-11-24", Warehouse: "WH", Code: "SKU-001", Quantity: 4})

	c, err := tryton.New(tryton.Config{URL: srv.URL, Database: trytonfake.Database,
		User: trytonfake.User, Password: trytonfake.Password, Warehouses: []string{"WH"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	snap, err := c.ReadStock(context.Background(), connectors.StockQuery{SalesFrom: "2026-11-24", SalesTo: "2026-11-24"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range snap.Levels {
		fmt.Printf("%s %s on hand %s %s, on order %s\n", r.Location, r.Code, r.OnHand, r.Unit, r.OnOrder)
	}
	for _, s := range snap.Sales {
		fmt.Printf("%s %s %s sold %s\n", s.Date, s.Location, s.Code, s.Quantity)
	}
	// Output:
	// WH SKU-001 on hand 40 u, on order 0
	// 2026-11-24 WH SKU-001 sold 4
}
