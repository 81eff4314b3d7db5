package bus_test

import (
	"context"
	"fmt"
	"os"

	"github.com/dealerhub/dealerhub/hub/bus"
)

func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "bus-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)

	// Empty URL: an embedded, in-process server keeps its store in dir.
	b, err := bus.Open(ctx, bus.Config{DataDir: dir, Name: "example"})
	if err != nil {
		panic(err)
	}
	defer b.Close()

	msg := bus.Message{Subject: b.InboundSubject("order", "acme"), ID: "in-42", Data: []byte(`{"message_id":"42"}`)}
	for range 2 { // the second publish is dropped as a duplicate
		if err := b.Publish(ctx, msg); err != nil {
			panic(err)
		}
	}

	ctx, stop := context.WithCancel(ctx)
	err = b.Consume(ctx, bus.ConsumerConfig{Stream: bus.StreamInbound, Durable: "hub-inbound"},
		func(ctx context.Context, m *bus.Msg) error {
			fmt.Printf("%s %s %s delivery %d\n", m.Subject, m.ID, m.Data, m.NumDelivered)
			stop() // one message is enough here; it is still acked
			return nil
		},
		func(ctx context.Context, m *bus.Msg, lastErr error) {
			fmt.Println("dead letter:", m.ID, lastErr)
		})
	fmt.Println("consume returned:", err)
	// Output:
	// dealerhub.inbound.order.acme in-42 {"message_id":"42"} delivery 1
	// consume returned: <nil>
}
