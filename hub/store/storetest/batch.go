package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

// inboundAt builds the INBOUND outbox row of a new message of a batch.
func inboundAt(_ int, id string) store.NewOutbox { return inbound(id) }

// batchOf returns n distinct raw messages of partner, tagged so that two
// batches with different tags do not overlap.
func batchOf(partner, tag string, n int) []store.NewMessage {
	ms := make([]store.NewMessage, n)
	for i := range ms {
		ms[i] = newMessage(partner, "order", fmt.Sprintf(`{"external_id":"%s-%04d"}`, tag, i))
	}
	return ms
}

// allMessages lists every stored message (at most one page of 1000).
func (f *fixture) allMessages() []store.Message {
	f.t.Helper()
	list, next, err := f.st.ListMessages(f.ctx, store.OperatorScope(), store.MessageFilter{Page: store.Page{Limit: 1000}})
	require.NoError(f.t, err)
	require.Empty(f.t, next, "more than one page of messages")
	return list
}

// requireOnlyMessages checks that the store holds exactly the messages
// want (by id) and no outbox row.
func requireOnlyMessages(t *testing.T, f *fixture, want ...string) {
	t.Helper()
	var got []string
	for _, m := range f.allMessages() {
		got = append(got, m.ID)
	}
	require.ElementsMatch(t, want, got)
	require.Empty(t, f.drainOutbox(), "a failed batch stores no outbox row")
}

func batchCases() []testCase {
	return []testCase{
		{"AllNew", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			const n = 500
			ms := batchOf("sup", "new", n)
			var called []int
			msgs, created, err := f.st.InsertMessages(f.ctx, ms, func(i int, id string) store.NewOutbox {
				called = append(called, i)
				return inbound(id)
			})
			require.NoError(t, err)
			require.Len(t, msgs, n)
			require.Len(t, created, n)
			ids := map[string]bool{}
			for i, m := range msgs {
				require.True(t, created[i], "message %d is new", i)
				require.NotEmpty(t, m.ID)
				require.False(t, ids[m.ID], "message %d has its own id", i)
				ids[m.ID] = true
				sum := sha256.Sum256(ms[i].Body)
				require.Equal(t, hex.EncodeToString(sum[:]), m.SHA256, "results follow the order of the batch")
				require.Equal(t, ms[i].Body, f.body(m.ID))
				require.Equal(t, len(ms[i].Body), m.Size)
				require.Equal(t, "sup", m.Partner)
				require.Equal(t, "order", m.Doctype)
				require.Equal(t, "json", m.Format)
				require.Equal(t, "api", m.Source)
				require.Equal(t, "upload.json", m.Filename)
				require.Equal(t, store.StatusReceived, m.Status)
				require.Zero(t, m.Attempts)
				requireRecent(t, m.ReceivedAt, "received_at")
			}
			require.Len(t, called, n, "inbound is called once per new message")
			require.True(t, slices.IsSorted(called))

			require.Len(t, f.allMessages(), n)
			got, err := f.st.GetMessage(f.ctx, store.OperatorScope(), msgs[n-1].ID)
			require.NoError(t, err)
			require.Equal(t, ms[n-1].Body, f.body(got.ID))
			requireSameTime(t, msgs[n-1].ReceivedAt, got.ReceivedAt, "received_at")

			out := f.drainOutbox()
			require.Len(t, out, n, "one outbox row per new message")
			for i, o := range out {
				require.Equal(t, "in-"+msgs[i].ID, o.MsgID, "outbox rows are queued in batch order")
			}
		}},
		{"MixedExistingAndNew", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			f.partner("dlr", "dealer")
			old := batchOf("sup", "old", 3)
			var oldIDs []string
			for _, nm := range old {
				m, created, err := f.st.InsertMessage(f.ctx, nm, inbound)
				require.NoError(t, err)
				require.True(t, created)
				oldIDs = append(oldIDs, m.ID)
			}
			f.start(oldIDs[2])
			f.drainOutbox()

			fresh := batchOf("sup", "fresh", 3)
			otherPartner := old[1]
			otherPartner.Partner = "dlr" // same bytes, another key
			resent := old[2]
			resent.Source, resent.Filename = "sftp", "again.json" // not part of the key
			batch := []store.NewMessage{fresh[0], old[0], fresh[1], resent, otherPartner, fresh[2]}
			var called []int
			msgs, created, err := f.st.InsertMessages(f.ctx, batch, func(i int, id string) store.NewOutbox {
				called = append(called, i)
				return inbound(id)
			})
			require.NoError(t, err)
			require.Equal(t, []bool{true, false, true, false, true, true}, created)
			require.Equal(t, []int{0, 2, 4, 5}, called, "inbound is called for new messages only")
			require.Equal(t, oldIDs[0], msgs[1].ID)
			require.Equal(t, oldIDs[2], msgs[3].ID)
			require.Equal(t, store.StatusProcessing, msgs[3].Status, "an existing message is returned unchanged")
			require.Equal(t, 1, msgs[3].Attempts)
			require.Equal(t, "api", msgs[3].Source, "an existing message keeps its source")
			require.Equal(t, old[2].Body, f.body(msgs[3].ID))
			require.Equal(t, "dlr", msgs[4].Partner)
			require.NotContains(t, oldIDs, msgs[4].ID)

			require.Len(t, f.allMessages(), 7)
			out := f.drainOutbox()
			require.Len(t, out, 4, "duplicates add no outbox row")
			for k, i := range []int{0, 2, 4, 5} {
				require.Equal(t, "in-"+msgs[i].ID, out[k].MsgID)
			}
		}},
		{"DuplicatesWithinBatch", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			ms := batchOf("sup", "dup", 3)
			again := ms[0]
			again.Filename = "other-name.json"
			batch := []store.NewMessage{ms[0], ms[1], again, ms[0], ms[2], ms[1]}
			var called []int
			msgs, created, err := f.st.InsertMessages(f.ctx, batch, func(i int, id string) store.NewOutbox {
				called = append(called, i)
				return inbound(id)
			})
			require.NoError(t, err)
			require.Equal(t, []bool{true, true, false, false, true, false}, created)
			require.Equal(t, []int{0, 1, 4}, called)
			require.Equal(t, msgs[0].ID, msgs[2].ID, "the same bytes twice are one message")
			require.Equal(t, msgs[0].ID, msgs[3].ID)
			require.Equal(t, msgs[1].ID, msgs[5].ID)
			require.Equal(t, "upload.json", msgs[2].Filename, "the repeat returns the first one's row")
			require.Equal(t, ms[0].Body, f.body(msgs[2].ID))
			require.Len(t, f.allMessages(), 3)
			require.Len(t, f.drainOutbox(), 3)
		}},
		{"NilInboundAndEmptyBatch", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			msgs, created, err := f.st.InsertMessages(f.ctx, nil, inboundAt)
			require.NoError(t, err)
			require.Empty(t, msgs)
			require.Empty(t, created)

			msgs, created, err = f.st.InsertMessages(f.ctx, batchOf("sup", "quiet", 4), nil)
			require.NoError(t, err)
			require.Equal(t, []bool{true, true, true, true}, created)
			require.Len(t, msgs, 4)
			require.Len(t, f.allMessages(), 4)
			require.Empty(t, f.drainOutbox(), "a nil inbound stores no outbox row")
		}},
		{"ConcurrentOverlappingBatches", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			const (
				workers = 8
				pool    = 200
				size    = 100 // each batch takes a window of the pool
			)
			all := batchOf("sup", "shared", pool)
			batches := make([][]int, workers) // indices into all
			for w := range batches {
				for k := range size {
					batches[w] = append(batches[w], (w*pool/workers+k)%pool)
				}
				if w%2 == 1 {
					slices.Reverse(batches[w]) // opposite order: a lock-order trap
				}
			}
			type result struct {
				msgs    []store.Message
				created []bool
				err     error
			}
			results := make([]result, workers)
			var wg sync.WaitGroup
			gate := make(chan struct{})
			for w := range workers {
				wg.Go(func() {
					ms := make([]store.NewMessage, len(batches[w]))
					for k, i := range batches[w] {
						ms[k] = all[i]
					}
					<-gate
					msgs, created, err := f.st.InsertMessages(f.ctx, ms, inboundAt)
					results[w] = result{msgs, created, err}
				})
			}
			close(gate)
			wg.Wait()

			ids := make([]string, pool)
			createdCount := make([]int, pool)
			for w, r := range results {
				require.NoError(t, r.err, "batch %d", w)
				require.Len(t, r.msgs, size)
				for k, i := range batches[w] {
					if ids[i] == "" {
						ids[i] = r.msgs[k].ID
					}
					require.Equal(t, ids[i], r.msgs[k].ID, "message %d is one row for every batch", i)
					if r.created[k] {
						createdCount[i]++
					}
				}
			}
			for i, c := range createdCount {
				require.Equal(t, 1, c, "message %d is reported created exactly once", i)
			}
			require.Len(t, f.allMessages(), pool)
			out := f.drainOutbox()
			require.Len(t, out, pool, "one outbox row per message")
			seen := map[string]bool{}
			for _, o := range out {
				require.False(t, seen[o.MsgID])
				seen[o.MsgID] = true
			}
		}},
		{"FailingOutboxStoresNothing", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			ms := batchOf("sup", "fail", 20)
			before, isNew, err := f.st.InsertMessage(f.ctx, ms[3], inbound)
			require.NoError(t, err)
			require.True(t, isNew)
			f.drainOutbox()

			// The 16th row is refused after fifteen messages went in.
			_, _, err = f.st.InsertMessages(f.ctx, ms, func(i int, id string) store.NewOutbox {
				o := inbound(id)
				if i == 15 {
					o.Subject = ""
				}
				return o
			})
			require.Error(t, err)
			requireOnlyMessages(t, f, before.ID)

			// The same batch, well formed, goes in whole.
			msgs, created, err := f.st.InsertMessages(f.ctx, ms, inboundAt)
			require.NoError(t, err)
			require.Equal(t, before.ID, msgs[3].ID)
			require.False(t, created[3])
			require.Len(t, f.allMessages(), 20)
			require.Len(t, f.drainOutbox(), 19)
		}},
		{"InvalidMessageStoresNothing", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			for _, field := range []string{"partner", "doctype", "format"} {
				ms := batchOf("sup", "bad-"+field, 10)
				switch field {
				case "partner":
					ms[7].Partner = ""
				case "doctype":
					ms[7].Doctype = ""
				case "format":
					ms[7].Format = ""
				}
				_, _, err := f.st.InsertMessages(f.ctx, ms, inboundAt)
				require.Error(t, err, "a message without %s", field)
				requireOnlyMessages(t, f)
			}
		}},
		{"CancelledMidwayStoresNothing", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			ms := batchOf("sup", "cancel", 50)
			ctx, cancel := context.WithCancel(f.ctx)
			defer cancel()
			_, _, err := f.st.InsertMessages(ctx, ms, func(i int, id string) store.NewOutbox {
				if i == 10 {
					cancel() // the client went away while the batch was being written
				}
				return inbound(id)
			})
			require.Error(t, err)
			require.True(t, errors.Is(err, context.Canceled), "error: %v", err)
			requireOnlyMessages(t, f)

			// The store is still usable.
			msgs, created, err := f.st.InsertMessages(f.ctx, ms, inboundAt)
			require.NoError(t, err)
			require.Len(t, msgs, 50)
			require.NotContains(t, created, false)
			require.Len(t, f.drainOutbox(), 50)
		}},
	}
}
