package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

func messageCases() []testCase {
	return []testCase{
		{"InsertFields", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			body := []byte("ISA*00*          *00*...~\n")
			nm := store.NewMessage{Partner: "sup", Doctype: "order", Format: "x12", Source: "sftp", Filename: "po-1.edi", Mapping: "x12-850", Body: body}
			m, created, err := f.st.InsertMessage(f.ctx, nm, inbound)
			require.NoError(t, err)
			require.True(t, created)
			sum := sha256.Sum256(body)
			require.NotEmpty(t, m.ID)
			require.Equal(t, "sup", m.Partner)
			require.Equal(t, "order", m.Doctype)
			require.Equal(t, "x12", m.Format)
			require.Equal(t, "sftp", m.Source)
			require.Equal(t, "po-1.edi", m.Filename)
			require.Equal(t, "x12-850", m.Mapping)
			require.Equal(t, hex.EncodeToString(sum[:]), m.SHA256)
			require.Equal(t, len(body), m.Size)
			require.Nil(t, m.Body, "a stored message comes without its body")
			require.Equal(t, body, f.body(m.ID))
			require.Equal(t, store.StatusReceived, m.Status)
			require.Zero(t, m.Attempts)
			require.Empty(t, m.Errors)
			require.Empty(t, m.DocumentIDs)
			require.Nil(t, m.FinishedAt)
			requireRecent(t, m.ReceivedAt, "received_at")
			requireRecent(t, m.UpdatedAt, "updated_at")

			got, err := f.st.GetMessage(f.ctx, store.OperatorScope(), m.ID)
			require.NoError(t, err)
			require.Equal(t, m.ID, got.ID)
			require.Nil(t, got.Body, "GetMessage does not load the body")
			require.Equal(t, m.SHA256, got.SHA256)
			require.Equal(t, m.Size, got.Size)
			require.Equal(t, "po-1.edi", got.Filename)
			requireSameTime(t, m.ReceivedAt, got.ReceivedAt, "received_at")

			list, _, err := f.st.ListMessages(f.ctx, store.OperatorScope(), store.MessageFilter{})
			require.NoError(t, err)
			require.Len(t, list, 1)
			require.Equal(t, m.ID, list[0].ID)
			require.Nil(t, list[0].Body, "lists carry no body")
			require.Equal(t, m.Size, list[0].Size)

			_, err = f.st.GetMessage(f.ctx, store.OperatorScope(), "0190a5b8-0000-7000-8000-000000000000")
			errorsIsNotFound(t, err)
		}},
		{"IdempotentInsert", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			f.partner("dlr", "dealer")
			nm := newMessage("sup", "price_list", `{"lines":[]}`)
			first, created, err := f.st.InsertMessage(f.ctx, nm, inbound)
			require.NoError(t, err)
			require.True(t, created)
			f.start(first.ID)

			again, created, err := f.st.InsertMessage(f.ctx, nm, inbound)
			require.NoError(t, err)
			require.False(t, created, "same bytes are the same message")
			require.Equal(t, first.ID, again.ID)
			require.Equal(t, store.StatusProcessing, again.Status, "the existing message is returned unchanged")
			require.Equal(t, 1, again.Attempts)

			out := f.drainOutbox()
			require.Len(t, out, 1, "a duplicate adds no outbox row")
			require.Equal(t, "in-"+first.ID, out[0].MsgID)

			// Any part of the key that differs makes a new message.
			other := nm
			other.Format = "csv"
			m2, created, err := f.st.InsertMessage(f.ctx, other, inbound)
			require.NoError(t, err)
			require.True(t, created)
			require.NotEqual(t, first.ID, m2.ID)
			other = nm
			other.Doctype = "product"
			_, created, err = f.st.InsertMessage(f.ctx, other, inbound)
			require.NoError(t, err)
			require.True(t, created)
			other = nm
			other.Partner = "dlr"
			_, created, err = f.st.InsertMessage(f.ctx, other, inbound)
			require.NoError(t, err)
			require.True(t, created)
			other = nm
			other.Body = []byte(`{"lines":[1]}`)
			_, created, err = f.st.InsertMessage(f.ctx, other, inbound)
			require.NoError(t, err)
			require.True(t, created)
			other = nm
			other.Mapping = "lenient"
			_, created, err = f.st.InsertMessage(f.ctx, other, inbound)
			require.NoError(t, err)
			require.True(t, created)
			// Source and filename are not part of the key.
			other = nm
			other.Source = "sftp"
			other.Filename = "again.json"
			dup, created, err := f.st.InsertMessage(f.ctx, other, inbound)
			require.NoError(t, err)
			require.False(t, created)
			require.Equal(t, first.ID, dup.ID)

			require.Len(t, f.drainOutbox(), 5)
		}},
		{"ConcurrentIdenticalInserts", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			nm := newMessage("sup", "order", `{"external_id":"PO-1"}`)
			const n = 8
			type result struct {
				id      string
				created bool
				err     error
			}
			results := make([]result, n)
			var wg sync.WaitGroup
			gate := make(chan struct{})
			for i := range n {
				wg.Go(func() {
					<-gate
					m, created, err := f.st.InsertMessage(f.ctx, nm, inbound)
					results[i] = result{m.ID, created, err}
				})
			}
			close(gate)
			wg.Wait()
			createdCount := 0
			for _, r := range results {
				require.NoError(t, r.err)
				require.Equal(t, results[0].id, r.id, "every caller gets the one message")
				if r.created {
					createdCount++
				}
			}
			require.Equal(t, 1, createdCount, "exactly one caller created it")
			list, _, err := f.st.ListMessages(f.ctx, store.OperatorScope(), store.MessageFilter{})
			require.NoError(t, err)
			require.Len(t, list, 1)
			require.Len(t, f.drainOutbox(), 1)
		}},
		{"MappingIsPartOfTheKey", checkMappingKeySingle},
		{"MappingIsPartOfTheKeyInABatch", checkMappingKeyBatch},
		{"ConcurrentBatchesWithTwoMappings", checkMappingKeyConcurrent},
		{"ListFilters", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			f.partner("dlr", "dealer")
			a := f.message("sup", "price_list")
			b := f.message("sup", "product")
			c := f.message("dlr", "order")
			op := store.OperatorScope()
			ids := func(fl store.MessageFilter) []string {
				t.Helper()
				list, _, err := f.st.ListMessages(f.ctx, op, fl)
				require.NoError(t, err)
				out := make([]string, 0, len(list))
				for _, m := range list {
					out = append(out, m.ID)
				}
				return out
			}
			require.Equal(t, []string{c.ID, b.ID, a.ID}, ids(store.MessageFilter{}), "newest first")
			f.start(b.ID)
			require.Equal(t, []string{b.ID, a.ID}, ids(store.MessageFilter{Partner: "sup"}))
			require.Equal(t, []string{c.ID}, ids(store.MessageFilter{Doctype: "order"}))
			require.Equal(t, []string{b.ID}, ids(store.MessageFilter{Status: store.StatusProcessing}))
			require.Equal(t, []string{c.ID, a.ID}, ids(store.MessageFilter{Status: store.StatusReceived}))
			require.Empty(t, ids(store.MessageFilter{Partner: "sup", Doctype: "order"}))
			require.Equal(t, []string{c.ID}, ids(store.MessageFilter{Since: c.ReceivedAt}), "since is inclusive")
			require.Equal(t, []string{b.ID, a.ID}, ids(store.MessageFilter{Until: c.ReceivedAt}), "until is exclusive")
			require.Empty(t, ids(store.MessageFilter{Since: time.Now().Add(time.Hour)}))
			require.Len(t, ids(store.MessageFilter{Since: a.ReceivedAt, Until: time.Now().Add(time.Hour)}), 3)
		}},
	}
}

func lifecycleCases() []testCase {
	return []testCase{
		{"StartProcessing", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			m := f.message("sup", "product")
			p1 := f.start(m.ID)
			require.Equal(t, store.StatusProcessing, p1.Status)
			require.Equal(t, 1, p1.Attempts)
			p2 := f.start(m.ID)
			require.Equal(t, 2, p2.Attempts, "a redelivered message counts another attempt")
			_, err := f.st.CommitMessage(f.ctx, m.ID, []store.DocumentInput{newDoc("product", "sup", "", "P-1", `{"sku":"P-1"}`)}, noOutbox)
			require.NoError(t, err)
			done, started, err := f.st.StartProcessing(f.ctx, m.ID)
			require.NoError(t, err)
			require.False(t, started)
			require.Equal(t, store.StatusDone, done.Status)
			require.Equal(t, 2, done.Attempts, "a done message is returned unchanged")

			_, _, err = f.st.StartProcessing(f.ctx, "0190a5b8-0000-7000-8000-000000000000")
			errorsIsNotFound(t, err)
		}},
		{"CommitDoneIsConflict", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			m := f.message("sup", "product")
			docs := []store.DocumentInput{newDoc("product", "sup", "", "P-1", `{"sku":"P-1"}`)}
			// A message may be committed straight from received.
			res, err := f.st.CommitMessage(f.ctx, m.ID, docs, noOutbox)
			require.NoError(t, err)
			require.Len(t, res, 1)
			done, err := f.st.GetMessage(f.ctx, store.OperatorScope(), m.ID)
			require.NoError(t, err)
			f.drainOutbox()

			calls := 0
			_, err = f.st.CommitMessage(f.ctx, m.ID, []store.DocumentInput{newDoc("product", "sup", "", "P-2", `{"sku":"P-2"}`)}, func([]store.DocumentResult) []store.NewOutbox {
				calls++
				return []store.NewOutbox{{Subject: "dealerhub.event.product.sup", MsgID: "x"}}
			})
			errorsIsConflict(t, err)
			after, err := f.st.GetMessage(f.ctx, store.OperatorScope(), m.ID)
			require.NoError(t, err)
			require.Equal(t, done.DocumentIDs, after.DocumentIDs)
			requireSameTime(t, done.UpdatedAt, after.UpdatedAt, "updated_at unchanged")
			docsList, _, err := f.st.ListDocuments(f.ctx, store.OperatorScope(), store.DocumentFilter{})
			require.NoError(t, err)
			require.Len(t, docsList, 1, "nothing written")
			require.Empty(t, f.drainOutbox())

			_, err = f.st.CommitMessage(f.ctx, "0190a5b8-0000-7000-8000-000000000000", docs, noOutbox)
			errorsIsNotFound(t, err)
		}},
		{"FailMessage", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			m := f.message("sup", "price_list")
			f.start(m.ID)
			f.drainOutbox()
			errs := dataErrors()
			require.NoError(t, f.st.FailMessage(f.ctx, m.ID, store.StatusFailed, errs))

			got, err := f.st.GetMessage(f.ctx, store.PartnerScope("sup"), m.ID)
			require.NoError(t, err)
			require.Equal(t, store.StatusFailed, got.Status)
			require.Equal(t, errs, got.Errors)
			require.NotNil(t, got.FinishedAt)
			requireRecent(t, *got.FinishedAt, "finished_at")

			dls, _, err := f.st.ListDeadLetters(f.ctx, store.PartnerScope("sup"), store.DeadLetterFilter{})
			require.NoError(t, err)
			require.Len(t, dls, 1)
			dl := dls[0]
			require.NotEmpty(t, dl.ID)
			require.Equal(t, "message", dl.Kind)
			require.Equal(t, m.ID, dl.RefID)
			require.Equal(t, "sup", dl.Partner)
			require.Empty(t, dl.Receiver)
			require.Equal(t, "qty must be a decimal string (and 1 more)", dl.Reason)
			require.Nil(t, dl.ResolvedAt)
			requireRecent(t, dl.CreatedAt, "dead letter created_at")

			ns, _, err := f.st.ListNotifications(f.ctx, store.PartnerScope("sup"), store.NotificationFilter{})
			require.NoError(t, err)
			require.Len(t, ns, 1)
			n := ns[0]
			require.Equal(t, "message_failed", n.Type)
			require.Equal(t, "sup", n.Partner)
			require.Contains(t, n.Title, m.ID)
			require.Contains(t, n.Title, "qty must be a decimal string")
			require.Equal(t, "/api/v1/messages/"+m.ID, n.Link)

			// A failed message cannot be committed.
			_, err = f.st.CommitMessage(f.ctx, m.ID, []store.DocumentInput{newDoc("price_list", "sup", "", "PL-1", `{}`)}, noOutbox)
			errorsIsConflict(t, err)
			require.Empty(t, f.drainOutbox(), "failing adds no outbox row")
		}},
		{"FailMessageDeadOneError", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			m := f.message("sup", "order")
			f.start(m.ID)
			require.NoError(t, f.st.FailMessage(f.ctx, m.ID, store.StatusDead, []store.DataError{{Code: "transient", Reason: "database unavailable"}}))
			got, err := f.st.GetMessage(f.ctx, store.OperatorScope(), m.ID)
			require.NoError(t, err)
			require.Equal(t, store.StatusDead, got.Status)
			dls, _, err := f.st.ListDeadLetters(f.ctx, store.OperatorScope(), store.DeadLetterFilter{Kind: "message"})
			require.NoError(t, err)
			require.Len(t, dls, 1)
			require.Equal(t, "database unavailable", dls[0].Reason)

			m2 := f.message("sup", "order")
			require.Error(t, f.st.FailMessage(f.ctx, m2.ID, store.StatusFailed, nil), "errors must not be empty")
			require.Error(t, f.st.FailMessage(f.ctx, m2.ID, store.StatusDone, dataErrors()), "only failed or dead")
			still, err := f.st.GetMessage(f.ctx, store.OperatorScope(), m2.ID)
			require.NoError(t, err)
			require.Equal(t, store.StatusReceived, still.Status)
			errorsIsNotFound(t, f.st.FailMessage(f.ctx, "0190a5b8-0000-7000-8000-000000000000", store.StatusFailed, dataErrors()))
		}},
		{"ReplayMessage", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			f.partner("dlr", "dealer")
			m := f.message("sup", "price_list")
			f.start(m.ID)
			require.NoError(t, f.st.FailMessage(f.ctx, m.ID, store.StatusFailed, dataErrors()))
			f.drainOutbox()

			replay := store.NewOutbox{Subject: "dealerhub.inbound", MsgID: "replay-1-" + m.ID, Payload: []byte(m.ID)}
			_, err := f.st.ReplayMessage(f.ctx, store.PartnerScope("dlr"), m.ID, replay)
			errorsIsNotFound(t, err, "another partner's message is not found")
			require.Empty(t, f.drainOutbox())

			got, err := f.st.ReplayMessage(f.ctx, store.PartnerScope("sup"), m.ID, replay)
			require.NoError(t, err)
			require.Equal(t, m.ID, got.ID)
			require.Equal(t, store.StatusReceived, got.Status)
			require.Empty(t, got.Errors)
			require.Nil(t, got.FinishedAt)
			read, err := f.st.GetMessage(f.ctx, store.OperatorScope(), m.ID)
			require.NoError(t, err)
			require.Equal(t, store.StatusReceived, read.Status)
			require.Empty(t, read.Errors)
			require.Nil(t, read.FinishedAt)

			open, _, err := f.st.ListDeadLetters(f.ctx, store.OperatorScope(), store.DeadLetterFilter{})
			require.NoError(t, err)
			require.Empty(t, open, "replay resolves the dead letter")
			all, _, err := f.st.ListDeadLetters(f.ctx, store.OperatorScope(), store.DeadLetterFilter{IncludeResolved: true})
			require.NoError(t, err)
			require.Len(t, all, 1)
			require.NotNil(t, all[0].ResolvedAt)
			requireRecent(t, *all[0].ResolvedAt, "resolved_at")

			out := f.drainOutbox()
			require.Len(t, out, 1)
			require.Equal(t, replay.Subject, out[0].Subject)
			require.Equal(t, replay.MsgID, out[0].MsgID)
			require.Equal(t, replay.Payload, out[0].Payload)

			// While processing, replay is a conflict.
			f.start(m.ID)
			_, err = f.st.ReplayMessage(f.ctx, store.OperatorScope(), m.ID, replay)
			errorsIsConflict(t, err)
			require.Empty(t, f.drainOutbox())

			// A done message may be replayed.
			_, err = f.st.CommitMessage(f.ctx, m.ID, []store.DocumentInput{newDoc("price_list", "sup", "", "PL-1", `{"v":1}`)}, noOutbox)
			require.NoError(t, err)
			f.drainOutbox()
			again, err := f.st.ReplayMessage(f.ctx, store.OperatorScope(), m.ID, store.NewOutbox{Subject: "dealerhub.inbound", MsgID: "replay-2-" + m.ID})
			require.NoError(t, err)
			require.Equal(t, store.StatusReceived, again.Status)
			require.Nil(t, again.FinishedAt)
			require.Len(t, f.drainOutbox(), 1)

			_, err = f.st.ReplayMessage(f.ctx, store.OperatorScope(), "0190a5b8-0000-7000-8000-000000000000", replay)
			errorsIsNotFound(t, err)
		}},
		{"PendingMessages", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			before := time.Now().Add(-time.Second)
			a := f.message("sup", "product")
			b := f.message("sup", "product")
			c := f.message("sup", "product")
			d := f.message("sup", "product")
			f.start(b.ID)
			_, err := f.st.CommitMessage(f.ctx, c.ID, []store.DocumentInput{newDoc("product", "sup", "", "P-1", `{}`)}, noOutbox)
			require.NoError(t, err)
			require.NoError(t, f.st.FailMessage(f.ctx, d.ID, store.StatusFailed, dataErrors()))

			ids, err := f.st.PendingMessages(f.ctx, time.Now().Add(time.Second), 10)
			require.NoError(t, err)
			require.Equal(t, []string{a.ID, b.ID}, ids, "received and processing, oldest first")
			ids, err = f.st.PendingMessages(f.ctx, time.Now().Add(time.Second), 1)
			require.NoError(t, err)
			require.Equal(t, []string{a.ID}, ids)
			ids, err = f.st.PendingMessages(f.ctx, before, 10)
			require.NoError(t, err)
			require.Empty(t, ids, "nothing was updated before the test began")
		}},
	}
}
