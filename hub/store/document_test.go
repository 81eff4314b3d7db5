package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

func TestNextVersion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		current     int
		currentHash string
		hash        string
		wantVersion int
		wantChanged bool
	}{
		{"a new document is version 1", 0, "", "aa", 1, true},
		{"a new document with an empty hash is still version 1", 0, "", "", 1, true},
		{"equal content changes nothing", 3, "aa", "aa", 3, false},
		{"other content is the next version", 3, "aa", "bb", 4, true},
		{"older content re-sent is a new version too", 4, "bb", "aa", 5, true},
	}
	for _, tt := range tests {
		v, changed := store.NextVersion(tt.current, tt.currentHash, tt.hash)
		require.Equal(t, tt.wantVersion, v, tt.name)
		require.Equal(t, tt.wantChanged, changed, tt.name)
	}
}

func TestPendingDeliveries(t *testing.T) {
	t.Parallel()
	at := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	n := 0
	newID := func() string { n++; return fmt.Sprintf("id-%d", n) }
	in := store.DocumentInput{Doctype: "order", Sender: "dlr", Receiver: "sup", ExternalID: "PO-1",
		Deliveries: []store.NewDelivery{
			{Receiver: "sup", Channel: "inbox", Format: "json"},
			{Receiver: "sup", Channel: "webhook", Format: "json", Config: []byte(`{"url":"http://127.0.0.1/x"}`)},
		}}
	got := store.PendingDeliveries("doc-1", 2, "msg-1", in, at, newID)
	base := store.Delivery{DocumentID: "doc-1", Version: 2, MessageID: "msg-1", Doctype: "order",
		Sender: "dlr", Receiver: "sup", Format: "json", Status: store.DeliveryPending,
		NextAttemptAt: at, CreatedAt: at, UpdatedAt: at}
	first, second := base, base
	first.ID, first.Channel = "id-1", "inbox"
	second.ID, second.Channel, second.Config = "id-2", "webhook", []byte(`{"url":"http://127.0.0.1/x"}`)
	require.Equal(t, []store.Delivery{first, second}, got)

	require.Nil(t, store.PendingDeliveries("doc-1", 1, "msg-1", store.DocumentInput{}, at, newID))
}

func TestJSONBody(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"": "null", `{}`: `{}`, `{"a":1}`: `{"a":1}`} {
		require.Equal(t, want, store.JSONBody([]byte(in)))
	}
	require.Equal(t, "null", store.JSONBody(nil))
}
