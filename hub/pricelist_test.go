package hub_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/bus"
	"github.com/dealerhub/dealerhub/hub/hubtest"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/mappings/pricelist"
)

// priceListJSON is a supplier's price list with one line per "SKU=price".
func priceListJSON(externalID, validFrom string, lines ...string) json.RawMessage {
	var ls []string
	for _, l := range lines {
		sku, price, _ := strings.Cut(l, "=")
		ls = append(ls, fmt.Sprintf(`{"sku":%q,"unit":"EA","unit_price":%q}`, sku, price))
	}
	return json.RawMessage(fmt.Sprintf(`{"external_id":%q,"currency":"CNY","valid_from":%q,"lines":[%s]}`,
		externalID, validFrom, strings.Join(ls, ",")))
}

// TestPriceListPublishNotifiesDealersWhoseSKUsChanged runs the publish step
// end to end on both stores: the first list publishes without a diff, a
// changed list notifies only the dealer that stocks or ordered a changed
// SKU, and an identical re-publish does nothing at all.
func TestPriceListPublishNotifiesDealersWhoseSKUsChanged(t *testing.T) {
	eachStore(t, func(t *testing.T, pg bool) {
		env := hubtest.New(t, hubtest.Options{Postgres: pg})
		ctx := context.Background()
		// dealer-b now buys from supplier-a too, but stocks only a SKU
		// whose price stays.
		require.NoError(t, env.Store.UpsertRelationship(ctx, store.Relationship{Dealer: "dealer-b", Supplier: "supplier-a"}))

		events := make(chan *bus.Msg, 10)
		watchCtx, stop := context.WithCancel(ctx)
		defer stop()
		go env.Bus.WatchEvents(watchCtx, env.Bus.EventSubject("price_list", "supplier-a"), func(m *bus.Msg) { events <- m })

		// What each dealer stocks and has ordered.
		stock := func(dealer, sku string) json.RawMessage {
			return json.RawMessage(fmt.Sprintf(`{"external_id":"WH1/%s","location":"WH1","sku":%q,"supplier":"supplier-a","on_hand":"5","unit":"EA","as_of":"2026-11-25T08:00:00Z"}`, sku, sku))
		}
		for _, s := range []struct {
			dealer, doctype string
			doc             json.RawMessage
		}{
			{"dealer-a", "stock_level", stock("dealer-a", "A")},
			{"dealer-b", "stock_level", stock("dealer-b", "D")},
			{"dealer-a", "order", json.RawMessage(`{"external_id":"PO-7","receiver":"supplier-a","status":"sent","order_date":"2026-11-20","lines":[{"line_no":1,"sku":"B","quantity":"3","unit":"EA"}]}`)},
		} {
			rcpt := submitOne(t, env, s.dealer, s.doctype, s.doc)
			env.WaitMessage(t, rcpt.MessageID, store.StatusDone)
		}

		first := submitOne(t, env, "supplier-a", "price_list", priceListJSON("PL-2026-11", "2026-11-01", "A=10.00", "B=5.00", "C=3.00", "D=7.00"))
		m1 := env.WaitMessage(t, first.MessageID, store.StatusDone)
		pl1, err := env.Store.PriceListOf(ctx, store.OperatorScope(), m1.DocumentIDs[0], 1, "")
		require.NoError(t, err)
		require.True(t, pl1.Diff.First)
		require.Equal(t, 4, pl1.Lines)
		require.Empty(t, pl1.Notified)

		second := submitOne(t, env, "supplier-a", "price_list", priceListJSON("PL-2026-12", "2026-11-20", "A=11.00", "B=4.50", "D=7.00", "E=1.00"))
		m2 := env.WaitMessage(t, second.MessageID, store.StatusDone)
		pl2, err := env.Store.PriceListOf(ctx, store.OperatorScope(), m2.DocumentIDs[0], 1, "")
		require.NoError(t, err)
		require.False(t, pl2.Diff.First)
		require.Equal(t, pl1.ID, pl2.Predecessor)
		require.Equal(t, pricelist.Counts{Added: 1, Removed: 1, PriceUp: 1, PriceDown: 1, Unchanged: 1, ChangedSKUs: 4}, pl2.Diff.Counts)
		require.Equal(t, []string{"dealer-a"}, pl2.Notified)
		require.Equal(t, store.PriceListCurrent, pl2.Status)

		changes, _, err := env.Store.ListPriceListChanges(ctx, store.PartnerScope("dealer-a"), pl2.ID, store.Page{})
		require.NoError(t, err)
		require.Len(t, changes, 4)
		require.Equal(t, "A", changes[0].SKU)
		require.Equal(t, pricelist.PriceUp, changes[0].Kind)
		require.Equal(t, "+10.00", changes[0].Percent)

		// The notification, through the service the API uses.
		ns, _, err := env.Hub.ListNotifications(ctx, env.Principal("dealer-a"), store.NotificationFilter{Type: store.NotificationPriceChange})
		require.NoError(t, err)
		require.Len(t, ns, 1)
		var data struct {
			PriceList string             `json:"price_list"`
			Changes   []pricelist.Change `json:"changes"`
		}
		require.NoError(t, json.Unmarshal(ns[0].Data, &data))
		require.Equal(t, pl2.ID, data.PriceList)
		require.Len(t, data.Changes, 2, "dealer-a stocks A and ordered B; C and E are not its SKUs")
		require.Equal(t, "A", data.Changes[0].SKU)
		require.Equal(t, pricelist.PriceUp, data.Changes[0].Kind)
		require.Equal(t, "B", data.Changes[1].SKU)
		require.Equal(t, pricelist.PriceDown, data.Changes[1].Kind)
		require.Contains(t, ns[0].Title, "2 of your SKUs changed")
		nb, _, err := env.Hub.ListNotifications(ctx, env.Principal("dealer-b"), store.NotificationFilter{Type: store.NotificationPriceChange})
		require.NoError(t, err)
		require.Empty(t, nb, "dealer-b's only SKU (D) kept its price")

		// The same list again, written differently (other key order and
		// spacing, so not the same bytes): a no-op.
		again := json.RawMessage(`{ "valid_from":"2026-11-20", "currency":"CNY", "external_id":"PL-2026-12", "lines":[
			{"unit_price":"11.00","sku":"A","unit":"EA"},{"unit_price":"4.50","sku":"B","unit":"EA"},
			{"unit_price":"7.00","sku":"D","unit":"EA"},{"unit_price":"1.00","sku":"E","unit":"EA"}]}`)
		third := submitOne(t, env, "supplier-a", "price_list", again)
		require.False(t, third.Duplicate)
		m3 := env.WaitMessage(t, third.MessageID, store.StatusDone)
		require.Equal(t, m2.DocumentIDs, m3.DocumentIDs)
		lists, _, err := env.Store.ListPriceLists(ctx, store.OperatorScope(), store.PriceListFilter{Supplier: "supplier-a"})
		require.NoError(t, err)
		require.Len(t, lists, 2, "an identical re-publish adds no publication")
		ns, _, err = env.Hub.ListNotifications(ctx, env.Principal("dealer-a"), store.NotificationFilter{Type: store.NotificationPriceChange})
		require.NoError(t, err)
		require.Len(t, ns, 1, "an identical re-publish notifies no one")

		// One changed event per publication, none for the re-publish.
		var kinds []string
		deadline := time.After(10 * time.Second)
		for len(kinds) < 2 {
			select {
			case m := <-events:
				var ev struct {
					Kind      string `json:"kind"`
					PriceList string `json:"price_list"`
				}
				require.NoError(t, json.Unmarshal(m.Data, &ev))
				kinds = append(kinds, ev.Kind+" "+ev.PriceList)
			case <-deadline:
				t.Fatalf("got %d price-list events, want 2", len(kinds))
			}
		}
		require.Equal(t, []string{"changed " + pl1.ID, "changed " + pl2.ID}, kinds)
		// The relay publishes right after the commit; the third message is
		// done, so its event would have been published by now too.
		env.WaitMessage(t, third.MessageID, store.StatusDone)
		select {
		case m := <-events:
			t.Fatalf("unexpected event after an identical re-publish: %s", m.Data)
		case <-time.After(500 * time.Millisecond):
		}

		// The price list waits in the related dealers' inboxes, whole.
		inbox, _, err := env.Hub.Inbox(ctx, env.Principal("dealer-b"), store.Page{})
		require.NoError(t, err)
		var inboxLines []int
		for _, it := range inbox {
			var b struct {
				Lines []map[string]any `json:"lines"`
			}
			require.NoError(t, json.Unmarshal(it.Body, &b))
			inboxLines = append(inboxLines, len(b.Lines))
		}
		require.Equal(t, []int{4, 4}, inboxLines, "both lists, each with its four lines")

		// The stored document is the header; the service gives it whole.
		doc, err := env.Hub.GetDocument(ctx, env.Principal("dealer-a"), m2.DocumentIDs[0])
		require.NoError(t, err)
		var body struct {
			Lines []map[string]any `json:"lines"`
		}
		require.NoError(t, json.Unmarshal(doc.Body, &body))
		require.Len(t, body.Lines, 4)
		require.Equal(t, "A", body.Lines[0]["sku"])
	})
}

// TestPriceListUpcoming: a list dated ahead is upcoming, notified now, and
// the current list stays current.
func TestPriceListUpcoming(t *testing.T) {
	env := hubtest.New(t)
	ctx := context.Background()
	rcpt := submitOne(t, env, "dealer-a", "stock_level", json.RawMessage(`{"external_id":"WH1/A","location":"WH1","sku":"A","supplier":"supplier-a","on_hand":"5","unit":"EA","as_of":"2026-11-25T08:00:00Z"}`))
	env.WaitMessage(t, rcpt.MessageID, store.StatusDone)
	cur := env.WaitMessage(t, submitOne(t, env, "supplier-a", "price_list", priceListJSON("PL-NOW", "2026-01-01", "A=10.00")).MessageID, store.StatusDone)
	next := env.WaitMessage(t, submitOne(t, env, "supplier-a", "price_list", priceListJSON("PL-2099", "2099-01-01", "A=12.00")).MessageID, store.StatusDone)
	plCur, err := env.Store.PriceListOf(ctx, store.OperatorScope(), cur.DocumentIDs[0], 1, "")
	require.NoError(t, err)
	plNext, err := env.Store.PriceListOf(ctx, store.OperatorScope(), next.DocumentIDs[0], 1, "")
	require.NoError(t, err)
	require.Equal(t, store.PriceListCurrent, plCur.Status)
	require.Equal(t, store.PriceListUpcoming, plNext.Status)
	require.Equal(t, plCur.ID, plNext.Predecessor)
	require.Equal(t, 1, plNext.Diff.PriceUp)
	ns, _, err := env.Hub.ListNotifications(ctx, env.Principal("dealer-a"), store.NotificationFilter{Type: store.NotificationPriceChange})
	require.NoError(t, err)
	require.Len(t, ns, 1)
	require.Contains(t, ns[0].Title, "upcoming")
}

// TestPriceListRejectedWholeLeavesNothing: a JSON price list with a bad
// line fails whole; nothing is published.
func TestPriceListRejectedWholeLeavesNothing(t *testing.T) {
	env := hubtest.New(t)
	ctx := context.Background()
	bad := priceListJSON("PL-BAD", "2026-01-01", "A=10.00", "A=11.00")
	m := env.WaitMessage(t, submitOne(t, env, "supplier-a", "price_list", bad).MessageID, store.StatusFailed)
	require.Contains(t, m.Errors[0].Reason, `SKU "A" is also on /lines/0`)
	lists, _, err := env.Store.ListPriceLists(ctx, store.OperatorScope(), store.PriceListFilter{})
	require.NoError(t, err)
	require.Empty(t, lists)
	docs, _, err := env.Store.ListDocuments(ctx, store.OperatorScope(), store.DocumentFilter{Doctype: "price_list"})
	require.NoError(t, err)
	require.Empty(t, docs)
}

// TestPriceListTaxBasisChange: a list that stops including tax is not a
// silent price cut: the change says the basis changed, on both stores.
func TestPriceListTaxBasisChange(t *testing.T) {
	eachStore(t, func(t *testing.T, pg bool) {
		env := hubtest.New(t, hubtest.Options{Postgres: pg})
		ctx := context.Background()
		incl := json.RawMessage(`{"external_id":"PL-1","currency":"CNY","valid_from":"2026-01-01","tax_included":true,"tax_rate":"13",
			"lines":[{"sku":"A","unit":"EA","unit_price":"113.00"},{"sku":"B","unit":"EA","unit_price":"5.00","tax_included":false}]}`)
		excl := json.RawMessage(`{"external_id":"PL-2","currency":"CNY","valid_from":"2026-01-02","tax_included":false,"tax_rate":"13",
			"lines":[{"sku":"A","unit":"EA","unit_price":"100.00"},{"sku":"B","unit":"EA","unit_price":"5.00"}]}`)
		env.WaitMessage(t, submitOne(t, env, "supplier-a", "price_list", incl).MessageID, store.StatusDone)
		m := env.WaitMessage(t, submitOne(t, env, "supplier-a", "price_list", excl).MessageID, store.StatusDone)
		pl, err := env.Store.PriceListOf(ctx, store.OperatorScope(), m.DocumentIDs[0], 1, "")
		require.NoError(t, err)
		changes, _, err := env.Store.ListPriceListChanges(ctx, store.OperatorScope(), pl.ID, store.Page{})
		require.NoError(t, err)
		var kinds []string
		for _, c := range changes {
			kinds = append(kinds, c.SKU+" "+string(c.Kind))
		}
		require.ElementsMatch(t, []string{"A price_down", "A tax_changed"}, kinds,
			"A went from 113 incl. to 100 excl.; B was excluded already (a line overrides its list)")
		for _, c := range changes {
			require.True(t, c.TaxBasisChanged, "%s %s", c.SKU, c.Kind)
		}
		require.Equal(t, 1, pl.Diff.TaxChanged)
	})
}
