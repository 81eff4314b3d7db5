package hub_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/webhook"
	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/bus"
	"github.com/dealerhub/dealerhub/hub/config"
	"github.com/dealerhub/dealerhub/hub/hubtest"
	"github.com/dealerhub/dealerhub/hub/store"
)

// eachStore runs a test on the embedded store and on PostgreSQL.
func eachStore(t *testing.T, f func(t *testing.T, pg bool)) {
	for _, pg := range []bool{false, true} {
		name := "sqlite"
		if pg {
			name = "postgres"
		}
		t.Run(name, func(t *testing.T) { f(t, pg) })
	}
}

func order(externalID, receiver, qty string) json.RawMessage {
	return json.RawMessage(fmt.Sprintf(`{"external_id":%q,"receiver":%q,"status":"sent","order_date":"2026-11-25","lines":[{"line_no":1,"sku":"DR-500","quantity":%q,"unit":"EA","unit_price":"399.00"}]}`, externalID, receiver, qty))
}

func submitOne(t *testing.T, env *hubtest.Env, partner, doctype string, doc json.RawMessage) connectors.Receipt {
	t.Helper()
	rs, err := env.Hub.Submit(context.Background(), env.Principal(partner), doctype, []json.RawMessage{doc})
	require.NoError(t, err)
	require.Len(t, rs, 1)
	return rs[0]
}

func TestOrderReachesSupplierInbox(t *testing.T) {
	eachStore(t, func(t *testing.T, pg bool) {
		env := hubtest.New(t, hubtest.Options{Postgres: pg})
		ctx := context.Background()

		events := make(chan *bus.Msg, 10)
		watchCtx, stop := context.WithCancel(ctx)
		defer stop()
		go env.Bus.WatchEvents(watchCtx, env.Bus.EventSubject("order", "dealer-a"), func(m *bus.Msg) { events <- m })

		rcpt := submitOne(t, env, "dealer-a", "order", order("PO-1", "supplier-a", "5"))
		require.Equal(t, "received", rcpt.Status)
		require.False(t, rcpt.Duplicate)
		msg := env.WaitMessage(t, rcpt.MessageID, store.StatusDone)
		require.Len(t, msg.DocumentIDs, 1)

		doc, err := env.Hub.GetDocument(ctx, env.Principal("supplier-a"), msg.DocumentIDs[0])
		require.NoError(t, err)
		require.Equal(t, "dealer-a", doc.Sender)
		require.Equal(t, "supplier-a", doc.Receiver)
		require.Equal(t, "sent", doc.Status)
		require.Equal(t, 1, doc.Version)
		var body map[string]any
		require.NoError(t, json.Unmarshal(doc.Body, &body))
		require.Equal(t, rcpt.MessageID, body["source"], "the hub records the message a document came from")

		select {
		case ev := <-events:
			var e map[string]any
			require.NoError(t, json.Unmarshal(ev.Data, &e))
			require.Equal(t, "created", e["kind"])
			require.Equal(t, doc.ID, e["document_id"])
		case <-time.After(10 * time.Second):
			t.Fatal("no document event published")
		}

		items, _, err := env.Hub.Inbox(ctx, env.Principal("supplier-a"), store.Page{})
		require.NoError(t, err)
		require.Len(t, items, 1)
		require.Equal(t, doc.ID, items[0].DocumentID)
		d, err := env.Hub.AckInbox(ctx, env.Principal("supplier-a"), items[0].DeliveryID)
		require.NoError(t, err)
		require.Equal(t, store.DeliveryDelivered, d.Status)

		// The outsider sees nothing of it.
		_, err = env.Hub.GetDocument(ctx, env.Principal("dealer-b"), doc.ID)
		require.ErrorIs(t, err, hub.ErrNotFound)
		_, err = env.Hub.GetDelivery(ctx, env.Principal("dealer-b"), d.ID)
		require.ErrorIs(t, err, hub.ErrNotFound)
		_, err = env.Hub.AckInbox(ctx, env.Principal("dealer-b"), d.ID)
		require.ErrorIs(t, err, hub.ErrNotFound)
	})
}

func TestVersioning(t *testing.T) {
	env := hubtest.New(t)
	ctx := context.Background()
	first := submitOne(t, env, "dealer-a", "order", order("PO-7", "supplier-a", "5"))
	m1 := env.WaitMessage(t, first.MessageID, store.StatusDone)

	// Same content, other bytes: a new message, but no new version or delivery.
	same := submitOne(t, env, "dealer-a", "order", json.RawMessage(` `+string(order("PO-7", "supplier-a", "5"))))
	require.NotEqual(t, first.MessageID, same.MessageID)
	env.WaitMessage(t, same.MessageID, store.StatusDone)
	doc, err := env.Hub.GetDocument(ctx, env.Principal("dealer-a"), m1.DocumentIDs[0])
	require.NoError(t, err)
	require.Equal(t, 1, doc.Version)

	// Changed content, then the old content again: versions 2 and 3.
	env.WaitMessage(t, submitOne(t, env, "dealer-a", "order", order("PO-7", "supplier-a", "6")).MessageID, store.StatusDone)
	env.WaitMessage(t, submitOne(t, env, "dealer-a", "order", json.RawMessage(string(order("PO-7", "supplier-a", "5"))+"\n")).MessageID, store.StatusDone)
	doc, err = env.Hub.GetDocument(ctx, env.Principal("dealer-a"), m1.DocumentIDs[0])
	require.NoError(t, err)
	require.Equal(t, 3, doc.Version)
	ds, _, err := env.Hub.ListDeliveries(ctx, env.Principal("supplier-a"), store.DeliveryFilter{DocumentID: doc.ID})
	require.NoError(t, err)
	require.Len(t, ds, 3, "one delivery per version")

	// The exact same bytes again: the same message.
	dup := submitOne(t, env, "dealer-a", "order", order("PO-7", "supplier-a", "5"))
	require.True(t, dup.Duplicate)
	require.Equal(t, first.MessageID, dup.MessageID)
}

func TestSubmitRejectsBadInputAndStoresNothing(t *testing.T) {
	env := hubtest.New(t)
	ctx := context.Background()
	_, err := env.Hub.Submit(ctx, env.Principal("dealer-a"), "order", []json.RawMessage{
		order("PO-1", "supplier-a", "1"),
		json.RawMessage(`{"external_id":"PO-2","receiver":"supplier-a","status":"shipping","order_date":"2026-13-01","lines":[{"line_no":1,"sku":"X","quantity":1.5,"unit":"EA"}]}`),
	})
	var ve *hub.ValidationError
	require.ErrorAs(t, err, &ve)
	ptrs := map[string]bool{}
	for _, v := range ve.Violations {
		ptrs[v.Pointer] = true
	}
	require.True(t, ptrs["/1/status"], "%v", ve.Violations)
	require.True(t, ptrs["/1/order_date"], "%v", ve.Violations)
	require.True(t, ptrs["/1/lines/0/quantity"], "%v", ve.Violations)

	_, err = env.Hub.Submit(ctx, env.Principal("dealer-a"), "order", []json.RawMessage{json.RawMessage(`{"sender":"dealer-b","external_id":"PO-3","receiver":"supplier-a","status":"sent","order_date":"2026-11-25","lines":[{"line_no":1,"sku":"X","quantity":"1","unit":"EA"}]}`)})
	require.ErrorIs(t, err, hub.ErrForbidden)

	_, err = env.Hub.Submit(ctx, env.Principal("dealer-a"), "invoice", []json.RawMessage{order("PO-4", "supplier-a", "1")})
	require.ErrorIs(t, err, hub.ErrUnknownDoctype)

	ms, _, err := env.Hub.ListMessages(ctx, env.Principal(""), store.MessageFilter{})
	require.NoError(t, err)
	require.Empty(t, ms, "nothing is stored when any document is rejected")
}

func TestUnknownReceiverIsDeadLetteredThenReplayed(t *testing.T) {
	eachStore(t, func(t *testing.T, pg bool) {
		env := hubtest.New(t, hubtest.Options{Postgres: pg})
		ctx := context.Background()
		rcpt := submitOne(t, env, "dealer-a", "order", order("PO-9", "supplier-new", "2"))
		m := env.WaitMessage(t, rcpt.MessageID, store.StatusFailed)
		require.Len(t, m.Errors, 1)
		require.Equal(t, "/receiver", m.Errors[0].Pointer)
		require.Contains(t, m.Errors[0].Reason, `"supplier-new"`)

		dls, _, err := env.Hub.ListDeadLetters(ctx, env.Principal("dealer-a"), store.DeadLetterFilter{})
		require.NoError(t, err)
		require.Len(t, dls, 1)
		require.Equal(t, rcpt.MessageID, dls[0].RefID)
		ns, _, err := env.Hub.ListNotifications(ctx, env.Principal("dealer-a"), store.NotificationFilter{Type: "message_failed"})
		require.NoError(t, err)
		require.Len(t, ns, 1)

		// Fix the cause, replay: the message completes from its stored bytes.
		_, err = env.Store.UpsertPartner(ctx, store.Partner{ID: "supplier-new", Name: "New", Roles: []string{"supplier"}, Enabled: true})
		require.NoError(t, err)
		_, err = env.Hub.ReplayMessage(ctx, env.Principal("dealer-b"), rcpt.MessageID)
		require.ErrorIs(t, err, hub.ErrNotFound, "another partner cannot replay it")
		_, err = env.Hub.ReplayMessage(ctx, env.Principal("dealer-a"), rcpt.MessageID)
		require.NoError(t, err)
		m = env.WaitMessage(t, rcpt.MessageID, store.StatusDone)
		require.Empty(t, m.Errors)
		dls, _, err = env.Hub.ListDeadLetters(ctx, env.Principal("dealer-a"), store.DeadLetterFilter{})
		require.NoError(t, err)
		require.Empty(t, dls, "the dead letter is resolved")
		items, _, err := env.Hub.Inbox(ctx, hub.Principal{Partner: "supplier-new"}, store.Page{})
		require.NoError(t, err)
		require.Len(t, items, 1)
	})
}

// flakyEndpoint fails the first n requests with 500, then accepts.
type flakyEndpoint struct {
	failures int
	status   int
	mu       sync.Mutex
	requests []*http.Request
	bodies   [][]byte
}

func (f *flakyEndpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.requests = append(f.requests, r)
	f.bodies = append(f.bodies, b)
	n := len(f.requests)
	f.mu.Unlock()
	if n <= f.failures {
		w.WriteHeader(f.status)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (f *flakyEndpoint) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}

func webhookConfig(url string) *config.Config {
	return &config.Config{
		Partners: []config.Partner{{ID: "supplier-a", Name: "Supplier A", Roles: []string{"supplier"}, Routes: []config.Route{
			{Doctype: "order", Channel: "webhook", Format: "json", Webhook: &config.Webhook{URL: url, Secret: "whsec"}},
		}}},
		Delivery: config.Delivery{MaxAttempts: 5, InitialBackoff: config.Duration(50 * time.Millisecond), MaxBackoff: config.Duration(200 * time.Millisecond)},
	}
}

func TestWebhookRetriesThenDelivers(t *testing.T) {
	eachStore(t, func(t *testing.T, pg bool) {
		ep := &flakyEndpoint{failures: 2, status: http.StatusInternalServerError}
		srv := httptest.NewServer(ep)
		defer srv.Close()
		env := hubtest.New(t, hubtest.Options{Postgres: pg, Config: webhookConfig(srv.URL),
			Sinks: map[string]connectors.Sink{"webhook": webhook.New(nil)}})
		ctx := context.Background()

		rcpt := submitOne(t, env, "dealer-a", "order", order("PO-W", "supplier-a", "3"))
		m := env.WaitMessage(t, rcpt.MessageID, store.StatusDone)
		ds, _, err := env.Hub.ListDeliveries(ctx, env.Principal("dealer-a"), store.DeliveryFilter{MessageID: m.ID})
		require.NoError(t, err)
		require.Len(t, ds, 1)
		require.Equal(t, "webhook", ds[0].Channel)
		d := env.WaitDelivery(t, ds[0].ID, store.DeliveryDelivered)
		require.Equal(t, 3, d.Attempts)
		require.Empty(t, d.LastError)
		require.Equal(t, 3, ep.count(), "exactly three requests")
		for i, r := range ep.requests {
			require.Equal(t, d.ID, r.Header.Get("Idempotency-Key"))
			require.Equal(t, fmt.Sprint(i+1), r.Header.Get("X-Dealerhub-Attempt"))
			require.True(t, webhook.Verify("whsec", r.Header.Get("X-Dealerhub-Signature"), r.Header.Get("X-Dealerhub-Timestamp"), ep.bodies[i]))
		}
		full, err := env.Hub.GetDelivery(ctx, env.Principal("supplier-a"), d.ID)
		require.NoError(t, err)
		require.JSONEq(t, string(ep.bodies[2]), string(full.SentBody))
		require.Never(t, func() bool { return ep.count() > 3 }, 300*time.Millisecond, 20*time.Millisecond, "no delivery after success")
	})
}

func TestWebhookPermanentFailureIsDeadThenReplayed(t *testing.T) {
	var mode atomic.Int32 // 0: answer 410, 1: accept
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if mode.Load() == 0 {
			http.Error(w, "endpoint retired", http.StatusGone)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	env := hubtest.New(t, hubtest.Options{Config: webhookConfig(srv.URL), Sinks: map[string]connectors.Sink{"webhook": webhook.New(nil)}})
	ctx := context.Background()

	rcpt := submitOne(t, env, "dealer-a", "order", order("PO-D", "supplier-a", "3"))
	env.WaitMessage(t, rcpt.MessageID, store.StatusDone)
	ds, _, err := env.Hub.ListDeliveries(ctx, env.Principal(""), store.DeliveryFilter{MessageID: rcpt.MessageID})
	require.NoError(t, err)
	require.Len(t, ds, 1)
	d := env.WaitDelivery(t, ds[0].ID, store.DeliveryDead)
	require.Equal(t, 1, d.Attempts, "a permanent answer is not retried")
	require.Contains(t, d.LastError, "410")
	dls, _, err := env.Hub.ListDeadLetters(ctx, env.Principal("dealer-a"), store.DeadLetterFilter{Kind: "delivery"})
	require.NoError(t, err)
	require.Len(t, dls, 1)
	ns, _, err := env.Hub.ListNotifications(ctx, env.Principal("dealer-a"), store.NotificationFilter{Type: "delivery_dead"})
	require.NoError(t, err)
	require.Len(t, ns, 1)

	_, err = env.Hub.ReplayDelivery(ctx, env.Principal("supplier-a"), d.ID)
	require.ErrorIs(t, err, hub.ErrForbidden, "the receiver may not replay")
	mode.Store(1)
	_, err = env.Hub.ReplayDelivery(ctx, env.Principal("dealer-a"), d.ID)
	require.NoError(t, err)
	d = env.WaitDelivery(t, d.ID, store.DeliveryDelivered)
	require.Equal(t, 1, d.Attempts, "replay starts the count again")
	require.EqualValues(t, 2, hits.Load())
}

func TestConcurrentDuplicateSubmissions(t *testing.T) {
	eachStore(t, func(t *testing.T, pg bool) {
		env := hubtest.New(t, hubtest.Options{Postgres: pg})
		ctx := context.Background()
		const n = 1000
		docs := make([]json.RawMessage, n)
		for i := range docs {
			docs[i] = order(fmt.Sprintf("PO-%04d", i), "supplier-a", "1")
		}
		var wg sync.WaitGroup
		results := make([][]connectors.Receipt, 2)
		errs := make([]error, 2)
		for i := range 2 {
			wg.Go(func() { results[i], errs[i] = env.Hub.Submit(ctx, env.Principal("dealer-a"), "order", docs) })
		}
		wg.Wait()
		require.NoError(t, errs[0])
		require.NoError(t, errs[1])
		dups := 0
		for i := range n {
			require.Equal(t, results[0][i].MessageID, results[1][i].MessageID)
			if results[0][i].Duplicate {
				dups++
			}
			if results[1][i].Duplicate {
				dups++
			}
		}
		require.Equal(t, n, dups, "each document is new exactly once")
		require.Eventually(t, func() bool {
			return countDocuments(t, env) == n
		}, 60*time.Second, 100*time.Millisecond)
		for _, r := range results[0] {
			env.WaitMessage(t, r.MessageID, store.StatusDone)
		}
		require.Equal(t, n, countDocuments(t, env))
		require.Equal(t, n, countDeliveries(t, env))
	})
}

func countDocuments(t *testing.T, env *hubtest.Env) int {
	total, cursor := 0, ""
	for {
		ds, next, err := env.Hub.ListDocuments(context.Background(), env.Principal(""), store.DocumentFilter{Doctype: "order", Page: store.Page{Cursor: cursor, Limit: 1000}})
		require.NoError(t, err)
		total += len(ds)
		if next == "" {
			return total
		}
		cursor = next
	}
}

func countDeliveries(t *testing.T, env *hubtest.Env) int {
	total, cursor := 0, ""
	for {
		ds, next, err := env.Hub.ListDeliveries(context.Background(), env.Principal(""), store.DeliveryFilter{Page: store.Page{Cursor: cursor, Limit: 1000}})
		require.NoError(t, err)
		total += len(ds)
		if next == "" {
			return total
		}
		cursor = next
	}
}

func TestRoutingWithoutReceiver(t *testing.T) {
	env := hubtest.New(t)
	ctx := context.Background()
	// A stock level of a supplier the dealer shares stock with goes to that supplier.
	rcpt := submitOne(t, env, "dealer-a", "stock_level", json.RawMessage(`{"external_id":"WH1/X","location":"WH1","sku":"N-1","supplier":"supplier-a","supplier_sku":"X","on_hand":"4","unit":"EA","as_of":"2026-11-25T08:00:00Z"}`))
	env.WaitMessage(t, rcpt.MessageID, store.StatusDone)
	items, _, err := env.Hub.Inbox(ctx, env.Principal("supplier-a"), store.Page{})
	require.NoError(t, err)
	require.Len(t, items, 1)
	require.Equal(t, "stock_level", items[0].Doctype)

	// A price list goes to every dealer that buys from the supplier, and no one else.
	rcpt = submitOne(t, env, "supplier-a", "price_list", json.RawMessage(`{"external_id":"PL-1","currency":"CNY","valid_from":"2026-12-01","lines":[{"sku":"X","unit":"EA","unit_price":"9.90"}]}`))
	env.WaitMessage(t, rcpt.MessageID, store.StatusDone)
	items, _, err = env.Hub.Inbox(ctx, env.Principal("dealer-a"), store.Page{})
	require.NoError(t, err)
	require.Len(t, items, 1)
	items, _, err = env.Hub.Inbox(ctx, env.Principal("dealer-b"), store.Page{})
	require.NoError(t, err)
	require.Empty(t, items)
}

func TestSubmitSenders(t *testing.T) {
	env := hubtest.New(t)
	ctx := context.Background()

	// The same bytes twice in one array: one message, the second a duplicate.
	doc := order("PO-DUP", "supplier-a", "1")
	rs, err := env.Hub.Submit(ctx, env.Principal("dealer-a"), "order", []json.RawMessage{doc, doc})
	require.NoError(t, err)
	require.Len(t, rs, 2)
	require.Equal(t, rs[0].MessageID, rs[1].MessageID)
	require.False(t, rs[0].Duplicate)
	require.True(t, rs[1].Duplicate)

	// An operator names the sender; an unknown one is a violation at /sender.
	_, err = env.Hub.Submit(ctx, env.Principal(""), "order", []json.RawMessage{json.RawMessage(`{"sender":"ghost","external_id":"PO-G","receiver":"supplier-a","status":"sent","order_date":"2026-11-25","lines":[{"line_no":1,"sku":"A","quantity":"1","unit":"EA"}]}`)})
	var ve *hub.ValidationError
	require.ErrorAs(t, err, &ve)
	require.Equal(t, "/sender", ve.Violations[0].Pointer)
	require.Contains(t, ve.Violations[0].Reason, "ghost")
	r, err := env.Hub.Submit(ctx, env.Principal(""), "order", []json.RawMessage{json.RawMessage(`{"sender":"dealer-b","external_id":"PO-OP","receiver":"supplier-a","status":"sent","order_date":"2026-11-25","lines":[{"line_no":1,"sku":"A","quantity":"1","unit":"EA"}]}`)})
	require.NoError(t, err)
	m := env.WaitMessage(t, r[0].MessageID, store.StatusDone)
	require.Equal(t, "dealer-b", m.Partner, "the message is the named sender's")

	// A disabled partner may not submit.
	require.NoError(t, env.Store.SetPartnerEnabled(ctx, "dealer-b", false))
	env.Hub.SetConfig(nil) // flush the partner cache, as a reload would
	_, err = env.Hub.Submit(ctx, env.Principal("dealer-b"), "order", []json.RawMessage{order("PO-X", "supplier-a", "1")})
	require.ErrorIs(t, err, hub.ErrForbidden)
	_, err = env.Hub.Authenticate(ctx, env.Key("dealer-b"))
	require.ErrorIs(t, err, hub.ErrUnauthorized, "a disabled partner's keys stop working")
}
