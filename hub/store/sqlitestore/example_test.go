package sqlitestore_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/hub/store/sqlitestore"
)

func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "dealerhub-example")
	if err != nil {
		panic(err)
	}
	defer func() { _ = os.RemoveAll(dir) }()

	st, err := sqlitestore.Open(ctx, filepath.Join(dir, "data", "dealerhub.db"))
	if err != nil {
		panic(err)
	}
	defer func() { _ = st.Close() }()

	body := []byte(`{"external_id":"PO-1"}`)
	inbound := func(id string) store.NewOutbox {
		return store.NewOutbox{Subject: "dealerhub.inbound", MsgID: id}
	}
	msg, created, err := st.InsertMessage(ctx, store.NewMessage{Partner: "acme", Doctype: "order", Format: "json", Body: body}, inbound)
	if err != nil {
		panic(err)
	}
	again, createdAgain, err := st.InsertMessage(ctx, store.NewMessage{Partner: "acme", Doctype: "order", Format: "json", Body: body}, inbound)
	if err != nil {
		panic(err)
	}
	fmt.Println(created, createdAgain, again.ID == msg.ID, again.Status)
	// Output: true false true received
}
