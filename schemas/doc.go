// Package schemas holds the canonical JSON Schemas (draft 2020-12) of the
// documents dealerhub moves — party, product, price_list, order,
// order_response, shipment, tracking_event, stock_level, sales_report — and
// the schema of the hub config file, embedded and compiled once into a
// Registry. It also defines the shared vocabularies (order status, line
// response, tracking status, units of measure), Go structs that mirror each
// schema, and NormalizeUnit for the unit words partners write.
//
// Validation reports every violation, not just the first, each with a JSON
// pointer and a readable reason:
//
//	reg, err := schemas.New() // once, at start
//	if err != nil {
//		return err
//	}
//	vs, err := reg.ValidateJSON("order", body)
//	if err != nil {
//		return err // unknown doctype or malformed JSON (with its byte offset)
//	}
//	for _, v := range vs {
//		fmt.Println(v.Pointer, v.Reason) // /lines/0/unit_price must be a non-negative decimal string …
//	}
//
// Money and quantities are decimal strings (Decimal), never JSON numbers;
// calendar dates are YYYY-MM-DD and instants RFC 3339 with an offset.
package schemas
