// Package bus carries the hub's work and events over NATS JetStream.
//
// By default it starts an embedded nats-server in-process (no TCP listener,
// file store under the data dir); with Config.URL it connects to an external
// server or cluster instead. Open creates or updates three streams:
//
//	INBOUND   dealerhub.inbound.<doctype>.<partner>   work queue
//	EVENTS    dealerhub.event.<doctype>.<partner>     limits, 30 days
//	OUTBOUND  dealerhub.outbound.<channel>.<partner>  work queue
//
// all on file storage with a two-minute Nats-Msg-Id duplicate window, plus
// the KV bucket "dealerhub_leases" for poller leases. A Namespace prefixes
// all of them so several hubs or tests can share one server.
//
// Messages are published with an ID for de-duplication and consumed by
// durable pull consumers with explicit acks: the handler commits to the
// database, returns nil, and only then is the message acked. Failures are
// redelivered with backoff up to MaxDeliver, then handed to an Exhausted
// callback (the dead-letter hook) and terminated.
//
//	b, err := bus.Open(ctx, bus.Config{DataDir: filepath.Join(dataDir, "nats")})
//	if err != nil {
//		return err
//	}
//	defer b.Close()
//	err = b.Publish(ctx, bus.Message{
//		Subject: b.InboundSubject("order", "acme"),
//		ID:      "in-" + messageID,
//		Data:    payload,
//	})
//	err = b.Consume(ctx, bus.ConsumerConfig{Stream: bus.StreamInbound, Durable: "hub-inbound"},
//		func(ctx context.Context, m *bus.Msg) error {
//			return process(ctx, m.Data) // nil → ack; bus.Term(err) → never again
//		},
//		func(ctx context.Context, m *bus.Msg, lastErr error) {
//			deadLetter(ctx, m, lastErr)
//		})
//
// Pollers that must run on one hub instance at a time take a lease:
//
//	ok, err := b.AcquireLease(ctx, "poll.acme", instanceID, time.Minute)
package bus
