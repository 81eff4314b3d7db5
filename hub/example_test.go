package hub_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/bus"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/hub/store/sqlitestore"
	"github.com/dealerhub/dealerhub/schemas"
)

// A dealer's order goes in through Ingest and waits in the supplier's inbox.
func ExampleHub_Ingest() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "dealerhub-example-")
	defer os.RemoveAll(dir)

	st, _ := sqlitestore.Open(ctx, filepath.Join(dir, "dealerhub.db"))
	defer st.Close()
	b, _ := bus.Open(ctx, bus.Config{DataDir: filepath.Join(dir, "nats")})
	defer b.Close()
	reg, _ := schemas.New()
	st.UpsertPartner(ctx, store.Partner{ID: "north", Name: "North", Roles: []string{"dealer"}, Enabled: true})
	st.UpsertPartner(ctx, store.Partner{ID: "acme", Name: "ACME", Roles: []string{"supplier"}, Enabled: true})

	h, _ := hub.New(hub.Options{Store: st, Bus: b, Schemas: reg})
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error)
	go func() { done <- h.Run(runCtx) }()
	defer func() { stop(); <-done }()

	rcpt, err := h.Ingest(ctx, connectors.IngestRequest{
		Partner: "north", Doctype: "order", Format: "json", Source: "example",
		Body: []byte(`{"external_id":"PO-1","receiver":"acme","status":"sent","order_date":"2026-11-25",
			"lines":[{"line_no":1,"sku":"DR-500","quantity":"5","unit":"EA"}]}`),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("stored:", rcpt.Status)

	var items []store.InboxItem
	for deadline := time.Now().Add(10 * time.Second); len(items) == 0 && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		items, _, _ = h.Inbox(ctx, hub.Principal{Partner: "acme"}, store.Page{})
	}
	fmt.Println("acme's inbox:", items[0].Doctype, items[0].ExternalID, "from", items[0].Sender)
	// Output:
	// stored: received
	// acme's inbox: order PO-1 from north
}
