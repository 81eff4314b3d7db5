// Package tabular plugs spreadsheet formats (csv and xlsx) into the hub
// pipeline: a raw message holding a CSV file or an XLSX workbook becomes
// canonical documents through the mapping engine's built-in mapping for the
// message's doctype (header synonyms, the header row detected).
//
// A file is all or nothing (the reject_file policy): when any row is bad,
// or no header row is found, the decoder returns hub.DataErrors listing
// every problem, each located as "sheet S row N column C (header)", and the
// hub fails the message without storing anything. Otherwise a price_list
// file becomes one document (header and every line), and a product or
// stock_level file one document per row.
//
//	reg, _ := schemas.New()
//	h, err := hub.New(hub.Options{Store: st, Bus: b, Schemas: reg, Decoders: tabular.Decoders(reg)})
//	rcpt, err := h.Ingest(ctx, connectors.IngestRequest{Partner: "supplier-a", Doctype: "price_list",
//		Format: "xlsx", Filename: "prices.xlsx", Body: fileBytes})
package tabular
