package schemas_test

import (
	"fmt"

	"github.com/dealerhub/dealerhub/schemas"
)

func Example() {
	reg, err := schemas.New()
	if err != nil {
		panic(err)
	}
	order := `{
	  "sender": "north-hardware",
	  "receiver": "acme-tools",
	  "external_id": "PO-2025-000418",
	  "status": "sent",
	  "order_date": "2025-04-31",
	  "lines": [
	    {"line_no": 1, "sku": "AT-DRL-18V-01", "quantity": "20", "unit": "SET", "unit_price": 379.00},
	    {"line_no": 2, "sku": "AT-GLV-L", "quantity": "100", "unit": "双"}
	  ]
	}`
	violations, err := reg.ValidateJSON("order", []byte(order))
	if err != nil {
		panic(err)
	}
	for _, v := range violations {
		fmt.Printf("%s: %s\n", v.Pointer, v.Reason)
	}

	code, _ := schemas.NormalizeUnit(" 双 ")
	fmt.Println(code)
	// Output:
	// /lines/0/unit_price: unit_price must be a non-negative decimal string such as "12.50", got the number 379.00 (write it as a JSON string: "379.00")
	// /lines/1/unit: unit must be a UN/ECE Recommendation 20 unit code, got "双" (write the code "PR")
	// /order_date: order_date must be a calendar date written YYYY-MM-DD, got "2025-04-31"
	// PR
}

func ExampleTrackingRank() {
	current, update := "out_for_delivery", "in_transit"
	if schemas.TrackingRank(update) < schemas.TrackingRank(current) {
		fmt.Printf("%s after %s moves backwards; keep %s\n", update, current, current)
	}
	// Output: in_transit after out_for_delivery moves backwards; keep out_for_delivery
}
