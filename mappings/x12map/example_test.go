package x12map_test

import (
	"fmt"
	"strings"

	"github.com/dealerhub/dealerhub/connectors/x12"
	"github.com/dealerhub/dealerhub/mappings/x12map"
)

func ExampleToCanonical() {
	edi := strings.Join([]string{
		"ISA*00*          *00*          *ZZ*DEALER         *ZZ*SUPPLIER       *260105*0930*U*00401*000000001*0*P*>",
		"GS*PO*DEALER*SUPPLIER*20260105*0930*1*X*004010",
		"ST*850*0001",
		"BEG*00*SA*PO-4711**20260105",
		"CUR*BY*USD",
		"DTM*002*20260120",
		"N1*ST*Acme Dealer*92*0001",
		"PO1*1*120*EA*9.25*PE*VN*DRILL-18V*UP*012345678905",
		"PID*F****Cordless drill",
		"PO1*2*2*CA*13.79*PE*VN*BIT-SET",
		"CTT*2",
		"SE*10*0001",
		"GE*1*1",
		"IEA*1*000000001",
	}, "~\n") + "~\n"
	f, err := x12.ReadString(edi, x12.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	docs, err := x12map.ToCanonical(f.Transactions()[0], x12map.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	o := docs[0].Body
	fmt.Println(docs[0].Doctype, o["external_id"], o["status"], o["order_date"], o["requested_date"], o["currency"])
	for _, l := range o["lines"].([]any) {
		l := l.(map[string]any)
		fmt.Println(l["line_no"], l["sku"], l["quantity"], l["unit"], l["unit_price"])
	}

	out, err := x12map.FromCanonical("order", o, x12map.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(out.Type, out.Version, len(out.Body), "segments")
	// Output:
	// order PO-4711 sent 2026-01-05 2026-01-20 USD
	// 1 DRILL-18V 120 EA 9.25
	// 2 BIT-SET 2 CS 13.79
	// 850 004010 8 segments
}
