// Package tabular plugs spreadsheet formats (csv and xlsx) into the hub
// pipeline: a raw message holding a CSV file or an XLSX workbook becomes
// canonical documents through the mapping engine.
//
// The mapping is the partner's mapping the message names (msg.Mapping, one
// of the partner's `mappings:` in the hub config), else the partner's
// default mapping for the doctype, else the built-in one (header synonyms,
// the header row detected, the valid rows imported and the bad ones
// reported, as on_error: import_valid). The config is read for every
// message, so a reload is seen.
//
// The decoders stream (hub.StreamDecoder): each valid record is put as it
// is read, a price-list line or a whole product or stock_level document,
// located as "sheet S row N"; a price list's header comes in the report.
// Under on_error reject_file any bad row refuses the file with every
// error as hub.DataErrors; under import_valid the rows left out come back
// in the report. A key twice (a price list's SKU, a stock level's location
// and SKU) is a row error of the later row. They also preview a file
// without storing it and write the error workbook of its rejected rows
// (hub.Previewer), sharing RowKeeper with `dealerhub import --dry-run`.
//
//	reg, _ := schemas.New()
//	var h *hub.Hub
//	h, err = hub.New(hub.Options{Store: st, Bus: b, Schemas: reg,
//		Decoders: tabular.Decoders(reg, func() *config.Config { return h.Config() })})
//	rcpt, err := h.Ingest(ctx, connectors.IngestRequest{Partner: "supplier-a", Doctype: "price_list",
//		Format: "xlsx", Filename: "prices.xlsx", Mapping: "supplier-a-prices", Body: fileBytes})
package tabular
