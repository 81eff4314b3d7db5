// Package connectors is the contract between transports and formats on one
// side and the hub on the other.
//
// A source fetches bytes and hands them to an Ingester; it acknowledges
// upstream only after Ingest returned a Receipt:
//
//	rcpt, err := ing.Ingest(ctx, connectors.IngestRequest{
//		Partner: "acme", Doctype: "price_list", Format: "json", Source: "api", Body: b,
//	})
//
// A sink delivers an Outbound document over one channel; it returns an error
// wrapped with Permanent when retrying cannot help, and RetryAfter when the
// remote side asked for a delay.
//
// Sub-packages hold one transport or format each and import only this package
// and their own client libraries.
package connectors
