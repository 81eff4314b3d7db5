package store_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

func TestHashNewMessage(t *testing.T) {
	t.Parallel()
	ok := store.NewMessage{Partner: "sup", Doctype: "price_list", Format: "json"}
	tests := []struct {
		name string
		m    func(store.NewMessage) store.NewMessage
		want string
		err  bool
	}{
		{"empty body", func(m store.NewMessage) store.NewMessage { return m },
			"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", false},
		{"body", func(m store.NewMessage) store.NewMessage { m.Body = []byte("abc"); return m },
			"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", false},
		{"the rest is not in the key", func(m store.NewMessage) store.NewMessage {
			m.Body, m.Source, m.Filename, m.Mapping = []byte("abc"), "sftp", "a.csv", "m1"
			return m
		}, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", false},
		{"no partner", func(m store.NewMessage) store.NewMessage { m.Partner = ""; return m }, "", true},
		{"no doctype", func(m store.NewMessage) store.NewMessage { m.Doctype = ""; return m }, "", true},
		{"no format", func(m store.NewMessage) store.NewMessage { m.Format = ""; return m }, "", true},
	}
	for _, tt := range tests {
		got, err := store.HashNewMessage(tt.m(ok))
		if tt.err {
			require.EqualError(t, err, "partner, doctype and format are required", tt.name)
			continue
		}
		require.NoError(t, err, tt.name)
		require.Equal(t, tt.want, got, tt.name)
	}
}

func TestInboundOutbox(t *testing.T) {
	t.Parallel()
	msgs := []store.Message{{ID: "a"}, {ID: "b"}, {ID: "a"}, {ID: "c"}}
	created := []bool{true, false, false, true}
	got := store.InboundOutbox(msgs, created, func(i int, id string) store.NewOutbox {
		return store.NewOutbox{Subject: "in", MsgID: id, Payload: []byte{byte('0' + i)}}
	})
	require.Equal(t, []store.NewOutbox{
		{Subject: "in", MsgID: "a", Payload: []byte("0")},
		{Subject: "in", MsgID: "c", Payload: []byte("3")},
	}, got, "one row per created message, in batch order")
	require.Nil(t, store.InboundOutbox(msgs, created, nil))
	require.Empty(t, store.InboundOutbox(msgs, []bool{false, false, false, false},
		func(int, string) store.NewOutbox { panic("not called") }))
}
