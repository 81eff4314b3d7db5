package pgstore_test

import (
	"context"
	"fmt"
	"os"

	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/hub/store/pgstore"
)

// Open a store, register a partner and store a raw message together with
// the bus message that announces it. (Not run: it needs a database.)
func ExampleOpen() {
	ctx := context.Background()
	st, err := pgstore.Open(ctx, os.Getenv("DEALERHUB_DATABASE_URL"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer st.Close()

	if _, err := st.UpsertPartner(ctx, store.Partner{ID: "acme", Name: "Acme", Roles: []string{"supplier"}, Enabled: true}); err != nil {
		fmt.Println(err)
		return
	}
	msg, created, err := st.InsertMessage(ctx, store.NewMessage{
		Partner: "acme", Doctype: "price_list", Format: "csv", Source: "sftp", Filename: "prices.csv",
		Body: []byte("sku,price\nA-1,1.10\n"),
	}, func(id string) store.NewOutbox {
		return store.NewOutbox{Subject: "dealerhub.inbound", MsgID: "in-" + id, Payload: []byte(id)}
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(msg.Status, created)
}
