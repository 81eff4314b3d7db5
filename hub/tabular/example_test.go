package tabular_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/hub/tabular"
	"github.com/dealerhub/dealerhub/schemas"
)

func ExampleDecoders() {
	reg, err := schemas.New()
	if err != nil {
		panic(err)
	}
	dec := tabular.Decoders(reg, nil)["csv"] // no hub config: the built-in mappings
	msg := store.Message{
		Partner: "dealer-a", Doctype: "stock_level", Format: "csv", Filename: "stock.csv",
		ReceivedAt: time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC),
		Body:       []byte("Warehouse,SKU,On Hand,Unit\nWH1,A-100,12,EA\nWH1,A-200,x,EA\n"),
	}
	_, err = dec.Decode(context.Background(), msg)
	var derrs hub.DataErrors
	if errors.As(err, &derrs) {
		for _, e := range derrs {
			fmt.Printf("%s: %s\n", e.Location, e.Reason)
		}
	}

	msg.Body = []byte("Warehouse,SKU,On Hand,Unit\nWH1,A-100,12,EA\nWH1,A-200,3,EA\n")
	docs, err := dec.Decode(context.Background(), msg)
	if err != nil {
		panic(err)
	}
	for _, d := range docs {
		fmt.Println(d.Location, d.Doc["external_id"], d.Doc["on_hand"], d.Doc["as_of"])
	}
	// Output:
	// row 3 column C (On Hand): value "x": not a number: expected digits with an optional decimal point, such as 1234.50
	// row 2 WH1:A-100 12 2026-11-25T08:00:00Z
	// row 3 WH1:A-200 3 2026-11-25T08:00:00Z
}
