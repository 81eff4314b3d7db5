package storetest

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

// mappedMessage is a raw spreadsheet of partner read with mapping.
func mappedMessage(partner, mapping, body string) store.NewMessage {
	return store.NewMessage{Partner: partner, Doctype: "price_list", Format: "csv", Source: "api:import",
		Filename: "prices.csv", Mapping: mapping, Body: []byte(body)}
}

// outboxMsgIDs returns the MsgID of each outbox row, drained.
func (f *fixture) outboxMsgIDs() []string {
	f.t.Helper()
	var ids []string
	for _, it := range f.drainOutbox() {
		ids = append(ids, it.MsgID)
	}
	return ids
}

// checkMappingKeySingle: the mapping is part of a message's identity. The
// same bytes with the same mapping are a duplicate; with another mapping
// (or none) they are a new message with its own outbox row.
func checkMappingKeySingle(t *testing.T, f *fixture) {
	f.partner("sup", "supplier")
	const body = "SKU,Price\nA-1,9.50\n"
	insert := func(nm store.NewMessage) (store.Message, bool) {
		t.Helper()
		m, created, err := f.st.InsertMessage(f.ctx, nm, inbound)
		require.NoError(t, err)
		return m, created
	}
	lenient, created := insert(mappedMessage("sup", "lenient", body))
	require.True(t, created)
	require.Equal(t, "lenient", lenient.Mapping)
	require.Equal(t, []string{"in-" + lenient.ID}, f.outboxMsgIDs())

	again := mappedMessage("sup", "lenient", body)
	again.Filename, again.Source = "prices-again.csv", "sftp"
	dup, created := insert(again)
	require.False(t, created, "same bytes, same mapping: a duplicate")
	require.Equal(t, lenient.ID, dup.ID)
	require.Equal(t, "prices.csv", dup.Filename, "the stored message is returned unchanged")

	strict, created := insert(mappedMessage("sup", "strict", body))
	require.True(t, created, "same bytes, another mapping: a new message")
	require.NotEqual(t, lenient.ID, strict.ID)
	require.Equal(t, "strict", strict.Mapping)
	require.Equal(t, lenient.SHA256, strict.SHA256)
	require.Equal(t, []byte(body), f.body(strict.ID))
	require.Equal(t, []string{"in-" + strict.ID}, f.outboxMsgIDs(), "the new message has its own outbox row")

	none, created := insert(mappedMessage("sup", "", body))
	require.True(t, created, "no mapping is a mapping of its own")
	require.Empty(t, none.Mapping)
	require.NotContains(t, []string{lenient.ID, strict.ID}, none.ID)

	dup, created = insert(mappedMessage("sup", "strict", body))
	require.False(t, created)
	require.Equal(t, strict.ID, dup.ID)
	require.Equal(t, "strict", dup.Mapping)
	require.Equal(t, []string{"in-" + none.ID}, f.outboxMsgIDs(), "duplicates add no outbox row")

	for _, m := range []store.Message{lenient, strict, none} {
		got, err := f.st.GetMessage(f.ctx, store.OperatorScope(), m.ID)
		require.NoError(t, err)
		require.Equal(t, m.Mapping, got.Mapping)
		require.Equal(t, []byte(body), f.body(got.ID))
	}
	require.Len(t, f.allMessages(), 3)
}

// checkMappingKeyBatch: within one InsertMessages batch the same bytes
// with two mappings are two messages, a repeat with the same mapping is one,
// and a stored message is found by its mapping.
func checkMappingKeyBatch(t *testing.T, f *fixture) {
	f.partner("sup", "supplier")
	const stored, other = "SKU,Price\nA-1,9.50\n", "SKU,Price\nB-2,3.10\n"
	before, created, err := f.st.InsertMessage(f.ctx, mappedMessage("sup", "lenient", stored), inbound)
	require.NoError(t, err)
	require.True(t, created)
	f.drainOutbox()

	ms := []store.NewMessage{
		mappedMessage("sup", "strict", other),
		mappedMessage("sup", "lenient", other),
		mappedMessage("sup", "strict", other),
		mappedMessage("sup", "lenient", stored),
		mappedMessage("sup", "strict", stored),
		mappedMessage("sup", "", other),
	}
	var called []int
	msgs, fresh, err := f.st.InsertMessages(f.ctx, ms, func(i int, id string) store.NewOutbox {
		called = append(called, i)
		return inbound(id)
	})
	require.NoError(t, err)
	require.Equal(t, []bool{true, true, false, false, true, true}, fresh)
	require.Equal(t, []int{0, 1, 4, 5}, called, "inbound is called for the new messages only")
	for i, m := range msgs {
		require.Equal(t, ms[i].Mapping, m.Mapping, "message %d keeps its mapping", i)
		require.Equal(t, ms[i].Body, f.body(m.ID), "message %d", i)
	}
	require.Equal(t, msgs[0].ID, msgs[2].ID, "a repeat with the same mapping is one message")
	require.Equal(t, before.ID, msgs[3].ID, "the stored message, found by its mapping")
	ids := map[string]bool{before.ID: true}
	for _, i := range []int{0, 1, 4, 5} {
		require.False(t, ids[msgs[i].ID], "message %d is a message of its own", i)
		ids[msgs[i].ID] = true
	}
	require.ElementsMatch(t, []string{"in-" + msgs[0].ID, "in-" + msgs[1].ID, "in-" + msgs[4].ID, "in-" + msgs[5].ID},
		f.outboxMsgIDs(), "one outbox row per new message")
	require.Len(t, f.allMessages(), 5)
}

// checkMappingKeyConcurrent: batches that hold the same bytes with two
// mappings, in either order, create each message exactly once and do not
// deadlock.
func checkMappingKeyConcurrent(t *testing.T, f *fixture) {
	f.partner("sup", "supplier")
	const body = "SKU,Price\nA-1,9.50\n"
	a, b := mappedMessage("sup", "a", body), mappedMessage("sup", "b", body)
	const n = 8
	type result struct {
		ids     map[string]string // by mapping
		created int
		err     error
	}
	results := make([]result, n)
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for i := range n {
		batch := []store.NewMessage{a, b}
		if i%2 == 1 {
			batch = []store.NewMessage{b, a}
		}
		wg.Go(func() {
			<-gate
			msgs, created, err := f.st.InsertMessages(f.ctx, batch, inboundAt)
			r := result{ids: map[string]string{}, err: err}
			for j, m := range msgs {
				r.ids[m.Mapping] = m.ID
				if created[j] {
					r.created++
				}
			}
			results[i] = r
		})
	}
	close(gate)
	wg.Wait()
	total := 0
	for i, r := range results {
		require.NoError(t, r.err, "batch %d", i)
		require.Len(t, r.ids, 2, "batch %d", i)
		require.Equal(t, results[0].ids, r.ids, "every batch gets the same two messages")
		total += r.created
	}
	require.NotEqual(t, results[0].ids["a"], results[0].ids["b"])
	require.Equal(t, 2, total, "each message is created by exactly one batch")
	require.Len(t, f.allMessages(), 2)
	require.Len(t, f.drainOutbox(), 2)
}
