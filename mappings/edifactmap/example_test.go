package edifactmap_test

import (
	"fmt"
	"strings"

	"github.com/dealerhub/dealerhub/connectors/edifact"
	"github.com/dealerhub/dealerhub/mappings/edifactmap"
)

func Example() {
	const interchange = "UNB+UNOY:3+5400110000009:14+5013546107732:14+260105:1200+42'" +
		"UNH+1+ORDERS:D:96A:UN:EAN008'BGM+220+PO-1+9'DTM+137:20260105:102'" +
		"NAD+BY+5400110000009::9'LIN+1++4006381333931:EN'PIA+5+DR-100:SA'" +
		"IMD+F++:::电钻'QTY+21:12'PRI+AAA:458,50'UNS+S'CNT+2:1'UNT+12+1'UNZ+1+42'"
	f, err := edifact.Read(strings.NewReader(interchange), edifact.Options{})
	if err != nil {
		panic(err)
	}
	msg := f.Interchanges[0].Groups[0].Messages[0]
	docs, err := edifactmap.ToCanonical(msg.EDITransaction, edifactmap.Options{})
	if err != nil {
		panic(err) // every problem, each located to its segment
	}
	order := docs[0].Body
	line := order["lines"].([]any)[0].(map[string]any)
	fmt.Println(docs[0].Doctype, order["external_id"], order["order_date"])
	fmt.Println(line["sku"], line["description"], line["quantity"], line["unit"], line["unit_price"])
	fmt.Println(order["extensions"])

	out, err := edifactmap.FromCanonical("order", order, edifactmap.Options{})
	if err != nil {
		panic(err)
	}
	fmt.Println(out.Type, out.Version+out.Release, out.Association, len(out.Body), "segments")
	// Output:
	// order PO-1 2026-01-05
	// DR-100 电钻 12 PCE 458.50
	// map[edifact.buyer_gln:5400110000009]
	// ORDERS D96A EAN008 10 segments
}
