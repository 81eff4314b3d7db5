package tabular_test

import (
	"context"
	"fmt"
	"strings"
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
	// No hub config: the built-in mappings, which import the valid rows
	// and report the others.
	dec := tabular.Decoders(reg, nil)["csv"].(hub.StreamDecoder)
	msg := store.Message{
		Partner: "dealer-a", Doctype: "stock_level", Format: "csv", Filename: "stock.csv",
		ReceivedAt: time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC),
		Body:       strings.NewReader("Warehouse,SKU,On Hand,Unit\nWH1,A-100,12,EA\nWH1,A-200,x,EA\nWH1,A-300,3,EA\n"),
	}
	rep, err := dec.Stream(context.Background(), msg, func(d hub.Decoded) error {
		fmt.Println(d.Location, d.Doc["external_id"], d.Doc["on_hand"], d.Doc["as_of"])
		return nil
	})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s: %d imported, %d rejected\n", rep.OnError, rep.Imported, rep.RejectedRows)
	for _, e := range rep.Rejected {
		fmt.Printf("%s: %s\n", e.Location, e.Reason)
	}
	// Output:
	// row 2 WH1:A-100 12 2026-11-25T08:00:00Z
	// row 4 WH1:A-300 3 2026-11-25T08:00:00Z
	// import_valid: 2 imported, 1 rejected
	// row 3 column C (On Hand): value "x": not a number: expected digits with an optional decimal point, such as 1234.50
}
