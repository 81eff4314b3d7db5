package mappings_test

import (
	"context"
	"fmt"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/mappings"
	"github.com/dealerhub/dealerhub/schemas"
)

func Example() {
	reg, err := schemas.New()
	if err != nil {
		panic(err)
	}
	t := func(s string) connectors.Cell { return connectors.Cell{Value: s, Type: connectors.CellText} }
	rows := []connectors.Row{
		{Sheet: "价格表", Number: 1, Cells: []connectors.Cell{t("2026年12月价格表")}},
		{Sheet: "价格表", Number: 2, Cells: []connectors.Cell{t("单价"), t("货号"), t("单位")}},
		{Sheet: "价格表", Number: 3, Cells: []connectors.Cell{t("¥1,234.00"), t("DR-500"), t("台")}},
		{Sheet: "价格表", Number: 4, Cells: []connectors.Cell{t("abc"), t("WR-10"), t("把")}},
		{Sheet: "价格表", Number: 5, Cells: []connectors.Cell{t("合计"), t("1234")}},
	}
	res, err := mappings.NewEngine(reg).MapRows(context.Background(), rows, mappings.DefaultMapping("price_list"),
		mappings.Options{Partner: "acme", File: "PL-12.xlsx"})
	if err != nil {
		panic(err)
	}
	fmt.Println("currency:", res.Header["currency"])
	for _, rec := range res.Records {
		if len(rec.Errors) == 0 {
			fmt.Println("row", rec.Location.Row, rec.Value["sku"], rec.Value["unit_price"], rec.Value["unit"])
		}
	}
	for _, e := range res.Errors() {
		fmt.Println(e)
	}
	// Output:
	// currency: CNY
	// row 3 DR-500 1234.00 PCE
	// sheet "价格表" row 4 column A (单价) "abc": not a number: expected digits with an optional decimal point, such as 1234.50
}
