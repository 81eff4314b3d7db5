package odoo_test

import (
	"context"
	"fmt"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/erp/odoo"
	"github.com/dealerhub/dealerhub/connectors/erp/odoo/odoofake"
)

// ExampleClient_ReadStock reads a dealer's stock and one day of sales (here
// from the in-process stand-in; a real Odoo answers the same calls).
func ExampleClient_ReadStock() {
	srv := odoofake.New()
	defer srv.Close()
	id := srv.AddProduct(odoofake.Product{Code: "SKU-001", Name: "Widget A"})
	srv.AddQuant(odoofake.Quant{Product: id, Location: "WH/Stock", Quantity: "40", Reserved: "5"})
	srv.AddSale(odoofake.Sale{Date: "2026-11-24", Warehouse: "WH", Product: id, Quantity: "4"})

	c, err := odoo.New(odoo.Config{URL: srv.URL, Database: odoofake.Database,
		User: odoofake.User, Password: odoofake.Password, Warehouses: []string{"WH"}})
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
		fmt.Printf("%s %s on hand %s %s, available %s, on order %s\n", r.Location, r.Code, r.OnHand, r.Unit, r.Available, r.OnOrder)
	}
	for _, s := range snap.Sales {
		fmt.Printf("%s %s %s sold %s\n", s.Date, s.Location, s.Code, s.Quantity)
	}
	// Output:
	// WH SKU-001 on hand 40 Units, available 35, on order 0
	// 2026-11-24 WH SKU-001 sold 4
}
