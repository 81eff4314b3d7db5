package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

func versioningCases() []testCase {
	return []testCase{
		{"Versions", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			f.partner("dlr", "dealer")
			op := store.OperatorScope()
			body1 := `{"external_id":"PL-1","lines":[{"sku":"A","price":"1.10"}]}`
			body2 := `{"external_id":"PL-1","lines":[{"sku":"A","price":"1.20"}]}`

			m1, r1 := f.commit("sup", newDoc("price_list", "sup", "dlr", "PL-1", body1, inboxTo("dlr")))
			require.True(t, r1[0].Changed)
			require.Equal(t, 1, r1[0].Version, "a new document is version 1")
			require.Zero(t, r1[0].Previous)
			require.NotEmpty(t, r1[0].DocumentID)
			require.Len(t, r1[0].Deliveries, 1)
			id := r1[0].DocumentID

			doc, err := f.st.GetDocument(f.ctx, op, id)
			require.NoError(t, err)
			require.Equal(t, 1, doc.Version)
			require.Equal(t, m1.ID, doc.MessageID)
			require.Equal(t, "price_list", doc.Doctype)
			require.Equal(t, "sup", doc.Sender)
			require.Equal(t, "dlr", doc.Receiver)
			require.Equal(t, "PL-1", doc.ExternalID)
			require.Equal(t, "sent", doc.Status)
			require.JSONEq(t, body1, string(doc.Body))
			requireRecent(t, doc.CreatedAt, "created_at")
			requireRecent(t, doc.UpdatedAt, "updated_at")
			created := doc.CreatedAt

			// Same content: nothing written, not even for the deliveries.
			m2, r2 := f.commit("sup", newDoc("price_list", "sup", "dlr", "PL-1", body1, inboxTo("dlr")))
			require.False(t, r2[0].Changed)
			require.Equal(t, id, r2[0].DocumentID)
			require.Equal(t, 1, r2[0].Version)
			require.Empty(t, r2[0].Deliveries)
			doc, err = f.st.GetDocument(f.ctx, op, id)
			require.NoError(t, err)
			require.Equal(t, 1, doc.Version)
			require.Equal(t, m1.ID, doc.MessageID, "an unchanged document keeps its message")
			_, err = f.st.GetDocumentVersion(f.ctx, op, id, 2)
			errorsIsNotFound(t, err)
			msg2, err := f.st.GetMessage(f.ctx, op, m2.ID)
			require.NoError(t, err)
			require.Equal(t, store.StatusDone, msg2.Status)
			require.Equal(t, []string{id}, msg2.DocumentIDs, "an unchanged document is still the message's")

			// Changed content: version 2, with its own status.
			v2 := newDoc("price_list", "sup", "dlr", "PL-1", body2, inboxTo("dlr"))
			v2.Status = "confirmed"
			m3, r3 := f.commit("sup", v2)
			require.True(t, r3[0].Changed)
			require.Equal(t, id, r3[0].DocumentID)
			require.Equal(t, 2, r3[0].Version)
			require.Equal(t, 1, r3[0].Previous)
			require.Len(t, r3[0].Deliveries, 1)
			require.Equal(t, 2, r3[0].Deliveries[0].Version)

			// Older content re-sent on purpose: a new version, version 3.
			m4, r4 := f.commit("sup", newDoc("price_list", "sup", "dlr", "PL-1", body1, inboxTo("dlr")))
			require.True(t, r4[0].Changed)
			require.Equal(t, 3, r4[0].Version)
			require.Equal(t, 2, r4[0].Previous)

			doc, err = f.st.GetDocument(f.ctx, op, id)
			require.NoError(t, err)
			require.Equal(t, 3, doc.Version)
			require.Equal(t, m4.ID, doc.MessageID)
			require.JSONEq(t, body1, string(doc.Body))
			requireSameTime(t, created, doc.CreatedAt, "created_at kept across versions")
			require.False(t, doc.UpdatedAt.Before(created))

			for _, v := range []struct {
				version int
				body    string
				message string
				status  string
			}{{1, body1, m1.ID, "sent"}, {2, body2, m3.ID, "confirmed"}, {3, body1, m4.ID, "sent"}} {
				got, err := f.st.GetDocumentVersion(f.ctx, op, id, v.version)
				require.NoError(t, err, "version %d", v.version)
				require.Equal(t, id, got.ID)
				require.Equal(t, v.version, got.Version)
				require.Equal(t, v.message, got.MessageID, "version %d", v.version)
				require.JSONEq(t, v.body, string(got.Body), "version %d", v.version)
				require.Equal(t, "PL-1", got.ExternalID)
				require.Equal(t, "sup", got.Sender)
				require.Equal(t, v.status, got.Status, "version %d keeps its own status", v.version)
			}
			_, err = f.st.GetDocumentVersion(f.ctx, op, id, 4)
			errorsIsNotFound(t, err)
			_, err = f.st.GetDocumentVersion(f.ctx, op, id, 0)
			errorsIsNotFound(t, err)

			dels, _, err := f.st.ListDeliveries(f.ctx, op, store.DeliveryFilter{DocumentID: id})
			require.NoError(t, err)
			require.Len(t, dels, 3, "one delivery per new version")

			list, _, err := f.st.ListDocuments(f.ctx, op, store.DocumentFilter{})
			require.NoError(t, err)
			require.Len(t, list, 1, "one document, however many versions")
		}},
		{"KeyIsSenderDoctypeExternalID", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			f.partner("sup2", "supplier")
			body := `{"n":1}`
			_, r := f.commit("sup",
				newDoc("order_response", "sup", "", "X-1", body),
				newDoc("shipment", "sup", "", "X-1", body),
				newDoc("order_response", "sup", "", "X-2", body),
			)
			_, r2 := f.commit("sup2", newDoc("order_response", "sup2", "", "X-1", body))
			ids := map[string]bool{}
			for _, res := range append(r, r2...) {
				require.True(t, res.Changed)
				require.Equal(t, 1, res.Version)
				ids[res.DocumentID] = true
			}
			require.Len(t, ids, 4, "four distinct keys, four documents")
		}},
		{"ConcurrentCommitsSameKey", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			f.partner("dlr", "dealer")
			const n = 6
			msgs := make([]store.Message, n)
			for i := range msgs {
				msgs[i] = f.message("sup", "order")
				f.start(msgs[i].ID)
			}
			results := make([][]store.DocumentResult, n)
			errs := make([]error, n)
			gate := make(chan struct{})
			done := make(chan int)
			for i := range n {
				go func() {
					<-gate
					body := fmt.Sprintf(`{"external_id":"PO-9","rev":%d}`, i)
					results[i], errs[i] = f.st.CommitMessage(f.ctx, msgs[i].ID,
						[]store.DocumentInput{newDoc("order", "sup", "dlr", "PO-9", body, inboxTo("dlr"))}, noOutbox)
					done <- i
				}()
			}
			close(gate)
			for range n {
				<-done
			}
			versions := map[int]bool{}
			var docID string
			for i := range n {
				require.NoError(t, errs[i], "commit %d", i)
				require.Len(t, results[i], 1)
				r := results[i][0]
				require.True(t, r.Changed, "every content differs from every other")
				if docID == "" {
					docID = r.DocumentID
				}
				require.Equal(t, docID, r.DocumentID, "one key, one document")
				require.False(t, versions[r.Version], "version %d handed out twice", r.Version)
				versions[r.Version] = true
				require.Equal(t, r.Version-1, r.Previous)
			}
			for v := 1; v <= n; v++ {
				require.True(t, versions[v], "version %d missing", v)
				_, err := f.st.GetDocumentVersion(f.ctx, store.OperatorScope(), docID, v)
				require.NoError(t, err, "version %d", v)
			}
			list, _, err := f.st.ListDocuments(f.ctx, store.OperatorScope(), store.DocumentFilter{})
			require.NoError(t, err)
			require.Len(t, list, 1)
			require.Equal(t, n, list[0].Version)
			dels, _, err := f.st.ListDeliveries(f.ctx, store.OperatorScope(), store.DeliveryFilter{DocumentID: docID})
			require.NoError(t, err)
			require.Len(t, dels, n)
		}},
		{"ListFilters", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			f.partner("dlr", "dealer")
			f.partner("dlr2", "dealer")
			_, r := f.commit("sup",
				newDoc("order_response", "sup", "dlr", "OR-1", `{"a":1}`),
				newDoc("shipment", "sup", "dlr2", "SH-1", `{"a":2}`),
			)
			confirmed := newDoc("order_response", "sup", "dlr2", "OR-2", `{"a":3}`)
			confirmed.Status = "confirmed"
			_, r2 := f.commit("sup", confirmed)
			_, r3 := f.commit("dlr", newDoc("order", "dlr", "sup", "PO-1", `{"a":4}`))
			op := store.OperatorScope()
			ids := func(fl store.DocumentFilter) []string {
				t.Helper()
				list, _, err := f.st.ListDocuments(f.ctx, op, fl)
				require.NoError(t, err)
				out := make([]string, 0, len(list))
				for _, d := range list {
					out = append(out, d.ID)
				}
				return out
			}
			or1, sh1, or2, po1 := r[0].DocumentID, r[1].DocumentID, r2[0].DocumentID, r3[0].DocumentID
			require.Len(t, ids(store.DocumentFilter{}), 4)
			require.Equal(t, po1, ids(store.DocumentFilter{})[0], "newest update first")
			require.ElementsMatch(t, []string{or1, or2}, ids(store.DocumentFilter{Doctype: "order_response"}))
			require.Equal(t, []string{sh1}, ids(store.DocumentFilter{ExternalID: "SH-1"}))
			require.ElementsMatch(t, []string{or1, sh1, or2}, ids(store.DocumentFilter{Sender: "sup"}))
			require.ElementsMatch(t, []string{sh1, or2}, ids(store.DocumentFilter{Receiver: "dlr2"}))
			require.Equal(t, []string{or2}, ids(store.DocumentFilter{Status: "confirmed"}))
			require.Equal(t, []string{or1}, ids(store.DocumentFilter{Doctype: "order_response", Receiver: "dlr"}))
			require.Empty(t, ids(store.DocumentFilter{Since: time.Now().Add(time.Hour)}))
			require.Empty(t, ids(store.DocumentFilter{Until: time.Now().Add(-time.Hour)}))
			require.Len(t, ids(store.DocumentFilter{Since: time.Now().Add(-time.Hour), Until: time.Now().Add(time.Hour)}), 4)

			list, _, err := f.st.ListDocuments(f.ctx, op, store.DocumentFilter{ExternalID: "OR-2"})
			require.NoError(t, err)
			require.Len(t, list, 1)
			require.JSONEq(t, `{"a":3}`, string(list[0].Body))
			require.Equal(t, "confirmed", list[0].Status)

			_, err = f.st.GetDocument(f.ctx, op, "0190a5b8-0000-7000-8000-000000000000")
			errorsIsNotFound(t, err)
		}},
	}
}

func commitCases() []testCase {
	return []testCase{
		{"ResultsDeliveriesAndOutbox", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			f.partner("dlr", "dealer")
			f.partner("dlr2", "dealer")
			m := f.message("sup", "price_list")
			f.start(m.ID)
			f.drainOutbox()
			docs := []store.DocumentInput{
				newDoc("price_list", "sup", "", "PL-1", `{"n":1}`, inboxTo("dlr"), webhookTo("dlr2")),
				newDoc("price_list", "sup", "", "PL-2", `{"n":2}`),
			}
			var seen []store.DocumentResult
			res, err := f.st.CommitMessage(f.ctx, m.ID, docs, func(results []store.DocumentResult) []store.NewOutbox {
				seen = results
				out := make([]store.NewOutbox, 0, len(results))
				for _, r := range results {
					out = append(out, store.NewOutbox{
						Subject: "dealerhub.event.price_list.sup",
						MsgID:   fmt.Sprintf("%s-v%d", r.DocumentID, r.Version),
						Payload: []byte(`{"document_id":"` + r.DocumentID + `"}`),
					})
				}
				return out
			})
			require.NoError(t, err)
			require.Len(t, res, 2)
			require.Len(t, seen, 2, "the outbox func sees every result")
			for i, r := range res {
				require.Equal(t, docs[i].ExternalID, r.Input.ExternalID, "results keep input order")
				require.Equal(t, r.DocumentID, seen[i].DocumentID)
				require.True(t, r.Changed)
				require.Equal(t, 1, r.Version)
			}
			require.Len(t, res[0].Deliveries, 2)
			require.Empty(t, res[1].Deliveries)
			for _, d := range res[0].Deliveries {
				require.NotEmpty(t, d.ID)
				require.Equal(t, res[0].DocumentID, d.DocumentID)
				require.Equal(t, 1, d.Version)
				require.Equal(t, m.ID, d.MessageID)
				require.Equal(t, "price_list", d.Doctype)
				require.Equal(t, "sup", d.Sender)
				require.Equal(t, store.DeliveryPending, d.Status)
				require.Zero(t, d.Attempts)
				require.Equal(t, "json", d.Format)
				requireRecent(t, d.NextAttemptAt, "next_attempt_at")
				requireRecent(t, d.CreatedAt, "created_at")
				require.Nil(t, d.DeliveredAt)
			}
			inbox := deliveryOn(t, res[0], "inbox")
			require.Equal(t, "dlr", inbox.Receiver)
			hook := deliveryOn(t, res[0], "webhook")
			require.Equal(t, "dlr2", hook.Receiver)
			got, err := f.st.GetDelivery(f.ctx, store.OperatorScope(), hook.ID)
			require.NoError(t, err)
			require.JSONEq(t, `{"url":"http://127.0.0.1:9/hook"}`, string(got.Config))
			require.Equal(t, store.DeliveryPending, got.Status)
			requireSameTime(t, hook.NextAttemptAt, got.NextAttemptAt, "next_attempt_at")

			msg, err := f.st.GetMessage(f.ctx, store.OperatorScope(), m.ID)
			require.NoError(t, err)
			require.Equal(t, store.StatusDone, msg.Status)
			require.Equal(t, []string{res[0].DocumentID, res[1].DocumentID}, msg.DocumentIDs)
			require.Empty(t, msg.Errors)
			require.NotNil(t, msg.FinishedAt)
			requireRecent(t, *msg.FinishedAt, "finished_at")

			out := f.drainOutbox()
			require.Len(t, out, 2)
			require.Equal(t, "dealerhub.event.price_list.sup", out[0].Subject)
			require.ElementsMatch(t, []string{res[0].DocumentID + "-v1", res[1].DocumentID + "-v1"}, []string{out[0].MsgID, out[1].MsgID})
		}},
		{"CommitClearsErrorsOfEarlierAttempt", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			m := f.message("sup", "product")
			f.start(m.ID)
			require.NoError(t, f.st.FailMessage(f.ctx, m.ID, store.StatusFailed, dataErrors()))
			_, err := f.st.ReplayMessage(f.ctx, store.OperatorScope(), m.ID, inbound(m.ID))
			require.NoError(t, err)
			f.start(m.ID)
			_, err = f.st.CommitMessage(f.ctx, m.ID, []store.DocumentInput{newDoc("product", "sup", "", "P-1", `{}`)}, noOutbox)
			require.NoError(t, err)
			got, err := f.st.GetMessage(f.ctx, store.OperatorScope(), m.ID)
			require.NoError(t, err)
			require.Equal(t, store.StatusDone, got.Status)
			require.Empty(t, got.Errors)
		}},
		{"RollbackOnPanic", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			f.partner("dlr", "dealer")
			m := f.message("sup", "order")
			f.start(m.ID)
			f.drainOutbox()
			docs := []store.DocumentInput{newDoc("order", "sup", "dlr", "PO-1", `{"n":1}`, inboxTo("dlr"))}
			func() {
				defer func() { _ = recover() }()
				_, err := f.st.CommitMessage(f.ctx, m.ID, docs, func([]store.DocumentResult) []store.NewOutbox {
					panic("outbox builder exploded")
				})
				require.Error(t, err, "a panicking outbox func is either re-panicked or returned as an error")
			}()
			requireNothingCommitted(t, f, m.ID)
			requireCommitWorks(t, f, m.ID, docs)
		}},
		{"RollbackOnUnknownDeliveryReceiver", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			f.partner("dlr", "dealer")
			m := f.message("sup", "order")
			f.start(m.ID)
			f.drainOutbox()
			bad := []store.DocumentInput{
				newDoc("order", "sup", "dlr", "PO-1", `{"n":1}`, inboxTo("dlr")),
				// The second document's delivery goes to a partner that does
				// not exist: a foreign key violation, after the first
				// document was written.
				newDoc("order", "sup", "dlr", "PO-2", `{"n":2}`, inboxTo("dlr"), inboxTo("ghost")),
			}
			_, err := f.st.CommitMessage(f.ctx, m.ID, bad, outboxPerResult)
			require.Error(t, err)
			requireNothingCommitted(t, f, m.ID)
			requireCommitWorks(t, f, m.ID, bad[:1])
		}},
		{"RollbackOnInvalidBody", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			f.partner("dlr", "dealer")
			m := f.message("sup", "order")
			f.start(m.ID)
			f.drainOutbox()
			bad := []store.DocumentInput{
				newDoc("order", "sup", "dlr", "PO-1", `{"n":1}`, inboxTo("dlr")),
				newDoc("order", "sup", "dlr", "PO-2", `{"n":`, inboxTo("dlr")), // not JSON
			}
			_, err := f.st.CommitMessage(f.ctx, m.ID, bad, outboxPerResult)
			require.Error(t, err)
			requireNothingCommitted(t, f, m.ID)
			requireCommitWorks(t, f, m.ID, bad[:1])
		}},
	}
}

// outboxPerResult emits one event per changed document.
func outboxPerResult(results []store.DocumentResult) []store.NewOutbox {
	var out []store.NewOutbox
	for _, r := range results {
		if r.Changed {
			out = append(out, store.NewOutbox{Subject: "dealerhub.event." + r.Input.Doctype + "." + r.Input.Sender, MsgID: r.DocumentID})
		}
	}
	return out
}

// requireNothingCommitted checks that a failed commit left no trace.
func requireNothingCommitted(t *testing.T, f *fixture, messageID string) {
	t.Helper()
	op := store.OperatorScope()
	docs, _, err := f.st.ListDocuments(f.ctx, op, store.DocumentFilter{})
	require.NoError(t, err)
	require.Empty(t, docs, "no document")
	dels, _, err := f.st.ListDeliveries(f.ctx, op, store.DeliveryFilter{})
	require.NoError(t, err)
	require.Empty(t, dels, "no delivery")
	inbox, _, err := f.st.ListInbox(f.ctx, "dlr", store.Page{})
	require.NoError(t, err)
	require.Empty(t, inbox, "nothing in the inbox")
	require.Empty(t, f.drainOutbox(), "no outbox row")
	m, err := f.st.GetMessage(f.ctx, op, messageID)
	require.NoError(t, err)
	require.Equal(t, store.StatusProcessing, m.Status, "message status untouched")
	require.Empty(t, m.DocumentIDs)
	require.Nil(t, m.FinishedAt)
}

// requireCommitWorks checks that the store is usable after a failed commit
// (no transaction or write lock left behind) and the message can commit.
func requireCommitWorks(t *testing.T, f *fixture, messageID string, docs []store.DocumentInput) {
	t.Helper()
	res, err := f.st.CommitMessage(f.ctx, messageID, docs, outboxPerResult)
	require.NoError(t, err)
	require.Len(t, res, len(docs))
	require.Equal(t, 1, res[0].Version)
	m, err := f.st.GetMessage(f.ctx, store.OperatorScope(), messageID)
	require.NoError(t, err)
	require.Equal(t, store.StatusDone, m.Status)
	require.Len(t, f.drainOutbox(), len(docs))
}
