package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

// isolationWorld is a small world with a sender (sup), a receiver (dlr) and
// an outsider (out) that must see nothing of theirs.
type isolationWorld struct {
	message   store.Message // sup's committed message
	failed    store.Message // sup's failed message
	addressed string        // document sup → dlr
	viaDeliv  string        // document from sup with no receiver, delivered to dlr
	inbox     store.Delivery
	hook      store.Delivery // dead
}

func buildIsolationWorld(t *testing.T, f *fixture) isolationWorld {
	t.Helper()
	f.partner("sup", "supplier")
	f.partner("dlr", "dealer")
	f.partner("out", "dealer")
	var w isolationWorld
	var res []store.DocumentResult
	w.message, res = f.commit("sup",
		newDoc("order_response", "sup", "dlr", "OR-1", `{"n":1}`, inboxTo("dlr"), webhookTo("dlr")),
		newDoc("price_list", "sup", "", "PL-1", `{"n":2}`, inboxTo("dlr")),
	)
	w.addressed, w.viaDeliv = res[0].DocumentID, res[1].DocumentID
	w.inbox = deliveryOn(t, res[0], "inbox")
	w.hook = deliveryOn(t, res[0], "webhook")

	f.claimDelivery(w.hook.ID)
	_, err := f.st.RecordDeliveryAttempt(f.ctx, store.DeliveryAttempt{DeliveryID: w.hook.ID, Error: "HTTP 404", Dead: true})
	require.NoError(t, err)

	w.failed = f.message("sup", "order")
	require.NoError(t, f.st.FailMessage(f.ctx, w.failed.ID, store.StatusFailed, dataErrors()))
	f.drainOutbox()
	return w
}

func isolationCases() []testCase {
	return []testCase{
		{"Outsider", func(t *testing.T, f *fixture) {
			w := buildIsolationWorld(t, f)
			sc := store.PartnerScope("out")

			for _, id := range []string{w.message.ID, w.failed.ID} {
				_, err := f.st.GetMessage(f.ctx, sc, id)
				errorsIsNotFound(t, err, "message %s", id)
			}
			msgs, _, err := f.st.ListMessages(f.ctx, sc, store.MessageFilter{})
			require.NoError(t, err)
			require.Empty(t, msgs)
			msgs, _, err = f.st.ListMessages(f.ctx, sc, store.MessageFilter{Partner: "sup"})
			require.NoError(t, err)
			require.Empty(t, msgs, "a filter cannot widen the scope")

			for _, id := range []string{w.addressed, w.viaDeliv} {
				_, err := f.st.GetDocument(f.ctx, sc, id)
				errorsIsNotFound(t, err, "document %s", id)
				_, err = f.st.GetDocumentVersion(f.ctx, sc, id, 1)
				errorsIsNotFound(t, err, "document %s v1", id)
			}
			docs, _, err := f.st.ListDocuments(f.ctx, sc, store.DocumentFilter{})
			require.NoError(t, err)
			require.Empty(t, docs)
			docs, _, err = f.st.ListDocuments(f.ctx, sc, store.DocumentFilter{Sender: "sup"})
			require.NoError(t, err)
			require.Empty(t, docs)

			for _, id := range []string{w.inbox.ID, w.hook.ID} {
				_, err := f.st.GetDelivery(f.ctx, sc, id)
				errorsIsNotFound(t, err, "delivery %s", id)
			}
			dels, _, err := f.st.ListDeliveries(f.ctx, sc, store.DeliveryFilter{})
			require.NoError(t, err)
			require.Empty(t, dels)
			dels, _, err = f.st.ListDeliveries(f.ctx, sc, store.DeliveryFilter{Receiver: "dlr"})
			require.NoError(t, err)
			require.Empty(t, dels)

			inbox, _, err := f.st.ListInbox(f.ctx, "out", store.Page{})
			require.NoError(t, err)
			require.Empty(t, inbox)
			_, err = f.st.AckInbox(f.ctx, "out", w.inbox.ID)
			errorsIsNotFound(t, err)

			dls, _, err := f.st.ListDeadLetters(f.ctx, sc, store.DeadLetterFilter{IncludeResolved: true})
			require.NoError(t, err)
			require.Empty(t, dls)
			ns, _, err := f.st.ListNotifications(f.ctx, sc, store.NotificationFilter{})
			require.NoError(t, err)
			require.Empty(t, ns)

			_, err = f.st.ReplayMessage(f.ctx, sc, w.failed.ID, inbound(w.failed.ID))
			errorsIsNotFound(t, err)
			_, err = f.st.ReplayDelivery(f.ctx, sc, w.hook.ID, store.NewOutbox{Subject: "dealerhub.outbound", MsgID: "r"})
			errorsIsNotFound(t, err)

			// Nothing changed behind the refusals.
			m, err := f.st.GetMessage(f.ctx, store.OperatorScope(), w.failed.ID)
			require.NoError(t, err)
			require.Equal(t, store.StatusFailed, m.Status)
			d, err := f.st.GetDelivery(f.ctx, store.OperatorScope(), w.hook.ID)
			require.NoError(t, err)
			require.Equal(t, store.DeliveryDead, d.Status)
			d, err = f.st.GetDelivery(f.ctx, store.OperatorScope(), w.inbox.ID)
			require.NoError(t, err)
			require.Equal(t, store.DeliveryPending, d.Status)
			require.Empty(t, f.drainOutbox())
		}},
		{"Receiver", func(t *testing.T, f *fixture) {
			w := buildIsolationWorld(t, f)
			sc := store.PartnerScope("dlr")

			_, err := f.st.GetMessage(f.ctx, sc, w.message.ID)
			errorsIsNotFound(t, err, "the raw message is the sender's")
			msgs, _, err := f.st.ListMessages(f.ctx, sc, store.MessageFilter{})
			require.NoError(t, err)
			require.Empty(t, msgs)
			_, err = f.st.ReplayMessage(f.ctx, sc, w.failed.ID, inbound(w.failed.ID))
			errorsIsNotFound(t, err)

			for _, id := range []string{w.addressed, w.viaDeliv} {
				d, err := f.st.GetDocument(f.ctx, sc, id)
				require.NoError(t, err, "document %s is addressed or delivered to the receiver", id)
				require.Equal(t, id, d.ID)
				_, err = f.st.GetDocumentVersion(f.ctx, sc, id, 1)
				require.NoError(t, err)
			}
			docs, _, err := f.st.ListDocuments(f.ctx, sc, store.DocumentFilter{})
			require.NoError(t, err)
			require.ElementsMatch(t, []string{w.addressed, w.viaDeliv}, docIDs(docs))
			docs, _, err = f.st.ListDocuments(f.ctx, sc, store.DocumentFilter{Doctype: "price_list"})
			require.NoError(t, err)
			require.Equal(t, []string{w.viaDeliv}, docIDs(docs))

			_, err = f.st.GetDelivery(f.ctx, sc, w.hook.ID)
			require.NoError(t, err)
			dels, _, err := f.st.ListDeliveries(f.ctx, sc, store.DeliveryFilter{})
			require.NoError(t, err)
			require.Len(t, dels, 3)

			inbox, _, err := f.st.ListInbox(f.ctx, "dlr", store.Page{})
			require.NoError(t, err)
			require.Len(t, inbox, 2)

			dls, _, err := f.st.ListDeadLetters(f.ctx, sc, store.DeadLetterFilter{})
			require.NoError(t, err)
			require.Len(t, dls, 1, "the receiver sees the dead delivery addressed to it, not the sender's failed message")
			require.Equal(t, "delivery", dls[0].Kind)
			ns, _, err := f.st.ListNotifications(f.ctx, sc, store.NotificationFilter{})
			require.NoError(t, err)
			require.Empty(t, ns)
		}},
		{"SenderAndOperator", func(t *testing.T, f *fixture) {
			w := buildIsolationWorld(t, f)
			for _, sc := range []store.Scope{store.PartnerScope("sup"), store.OperatorScope()} {
				_, err := f.st.GetMessage(f.ctx, sc, w.message.ID)
				require.NoError(t, err)
				msgs, _, err := f.st.ListMessages(f.ctx, sc, store.MessageFilter{})
				require.NoError(t, err)
				require.Len(t, msgs, 2)
				docs, _, err := f.st.ListDocuments(f.ctx, sc, store.DocumentFilter{})
				require.NoError(t, err)
				require.Len(t, docs, 2)
				dels, _, err := f.st.ListDeliveries(f.ctx, sc, store.DeliveryFilter{})
				require.NoError(t, err)
				require.Len(t, dels, 3)
				dls, _, err := f.st.ListDeadLetters(f.ctx, sc, store.DeadLetterFilter{})
				require.NoError(t, err)
				require.Len(t, dls, 2)
				ns, _, err := f.st.ListNotifications(f.ctx, sc, store.NotificationFilter{})
				require.NoError(t, err)
				require.Len(t, ns, 2)
			}
			inbox, _, err := f.st.ListInbox(f.ctx, "sup", store.Page{})
			require.NoError(t, err)
			require.Empty(t, inbox)
			_, err = f.st.AckInbox(f.ctx, "sup", w.inbox.ID)
			errorsIsNotFound(t, err, "only the receiver acknowledges")
		}},
		{"EmptyScopeSeesNothing", func(t *testing.T, f *fixture) {
			// A scope with neither a partner nor operator rights is a bug in
			// the caller; it must fail closed.
			w := buildIsolationWorld(t, f)
			var sc store.Scope
			_, err := f.st.GetMessage(f.ctx, sc, w.message.ID)
			errorsIsNotFound(t, err)
			_, err = f.st.GetDocument(f.ctx, sc, w.addressed)
			errorsIsNotFound(t, err)
			_, err = f.st.GetDelivery(f.ctx, sc, w.hook.ID)
			errorsIsNotFound(t, err)
			msgs, _, err := f.st.ListMessages(f.ctx, sc, store.MessageFilter{})
			require.NoError(t, err)
			require.Empty(t, msgs)
			docs, _, err := f.st.ListDocuments(f.ctx, sc, store.DocumentFilter{})
			require.NoError(t, err)
			require.Empty(t, docs)
			dels, _, err := f.st.ListDeliveries(f.ctx, sc, store.DeliveryFilter{})
			require.NoError(t, err)
			require.Empty(t, dels)
			dls, _, err := f.st.ListDeadLetters(f.ctx, sc, store.DeadLetterFilter{IncludeResolved: true})
			require.NoError(t, err)
			require.Empty(t, dls)
			ns, _, err := f.st.ListNotifications(f.ctx, sc, store.NotificationFilter{})
			require.NoError(t, err)
			require.Empty(t, ns)
		}},
		{"OutsiderReceivesLater", func(t *testing.T, f *fixture) {
			// A new version delivered to the outsider makes the document
			// visible to it, through the delivery.
			w := buildIsolationWorld(t, f)
			_, res := f.commit("sup", newDoc("price_list", "sup", "", "PL-1", `{"n":3}`, inboxTo("out")))
			require.Equal(t, w.viaDeliv, res[0].DocumentID)
			sc := store.PartnerScope("out")
			d, err := f.st.GetDocument(f.ctx, sc, w.viaDeliv)
			require.NoError(t, err)
			require.Equal(t, 2, d.Version)
			_, err = f.st.GetDocument(f.ctx, sc, w.addressed)
			errorsIsNotFound(t, err)
			dels, _, err := f.st.ListDeliveries(f.ctx, sc, store.DeliveryFilter{})
			require.NoError(t, err)
			require.Len(t, dels, 1, "only its own delivery")
		}},
	}
}

func docIDs(docs []store.Document) []string {
	out := make([]string, 0, len(docs))
	for _, d := range docs {
		out = append(out, d.ID)
	}
	return out
}
