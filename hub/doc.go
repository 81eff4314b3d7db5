// Package hub is the pipeline at the centre of dealerhub: it stores raw
// messages (Ingest), turns them into canonical documents (decode → validate →
// persist, with versioning), publishes document events, routes each document
// to its receivers and delivers it over their channels, with retries, dead
// letters and replay. It implements connectors.Ingester for sources and
// Service for the API and portal.
//
// Only cmd/dealerhub wires concrete parts together:
//
//	h, err := hub.New(hub.Options{Store: st, Bus: b, Schemas: reg, Config: cfg,
//		Sinks: map[string]connectors.Sink{"webhook": webhook.New(nil)}})
//	go h.Run(ctx)
//	rcpt, err := h.Ingest(ctx, connectors.IngestRequest{Partner: "north", Doctype: "order", Format: "json", Source: "api", Body: b})
package hub
