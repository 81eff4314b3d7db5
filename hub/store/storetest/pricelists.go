package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/mappings/pricelist"
)

// priceListCases check PublishPriceList: what a publication stores, its
// diff, its no-op, its notifications and its failures.
func priceListCases() []testCase {
	cases := []testCase{
		{"FirstPublication", testFirstPublication},
		{"ChangedList", testChangedList},
		{"IdenticalRepublish", testIdenticalRepublish},
	}
	cases = append(cases, notificationSourceCases()...)
	return append(cases,
		testCase{"NoNotificationWithoutChangedSKU", testNoNotificationWithoutChangedSKU},
		testCase{"WriteErrorRollsBack", testWriteErrorRollsBack},
		testCase{"DuplicateSKU", testDuplicateSKU},
		testCase{"DoneMessageConflict", testPublishDoneMessage},
		testCase{"ConcurrentPublicationsFormOneChain", testConcurrentPublications},
	)
}

func testFirstPublication(t *testing.T, f *fixture) {
	f.partner("sup", "supplier")
	f.partner("dlr", "dealer")
	f.relate("dlr", "sup")
	// The dealer stocks A: still no notification, there is nothing to compare.
	f.commit("dlr", newDoc("stock_level", "dlr", "", "WH1/A", `{"sku":"A","supplier":"sup"}`))
	spec := plSpec{externalID: "PL-2026", currency: "EUR", validFrom: "2026-01-01", validTo: "2026-12-31",
		lines: plLines("B=20.00", "A=10.00", "C=5.00"), deliveries: []store.NewDelivery{inboxTo("dlr")}}
	spec.lines[0].Tiers = []pricelist.Tier{{MinQuantity: "10", UnitPrice: "18.00"}}
	spec.lines[1].MinQuantity = "2"
	f.drainOutbox()
	run := f.publish("sup", spec)
	res := run.res

	require.True(t, res.Document.Changed)
	require.Equal(t, 1, res.Document.Version)
	require.Zero(t, res.Document.Previous)
	require.NotEmpty(t, res.Document.DocumentID)
	require.Len(t, res.Document.Deliveries, 1)
	d := res.Document.Deliveries[0]
	require.Equal(t, "dlr", d.Receiver)
	require.Equal(t, "inbox", d.Channel)
	require.Equal(t, "price_list", d.Doctype)
	require.Equal(t, 1, d.Version)

	pl := res.PriceList
	require.NotEmpty(t, pl.ID)
	require.Equal(t, res.Document.DocumentID, pl.DocumentID)
	require.Equal(t, 1, pl.Version)
	require.Equal(t, "sup", pl.Supplier)
	require.Equal(t, "PL-2026", pl.ExternalID)
	require.Equal(t, "EUR", pl.Currency)
	require.Equal(t, "2026-01-01", pl.ValidFrom)
	require.Equal(t, "2026-12-31", pl.ValidTo)
	require.Equal(t, run.msg.ID, pl.MessageID)
	require.Equal(t, 3, pl.Lines)
	require.Equal(t, store.PriceListCurrent, pl.Status)
	require.Empty(t, pl.Predecessor)
	require.Equal(t, store.PriceDiff{First: true}, pl.Diff)
	require.Empty(t, pl.Notified)
	require.JSONEq(t, string(spec.header("sup").Body), string(pl.Header))
	requireRecent(t, pl.PublishedAt, "published_at")
	require.Empty(t, res.Notifications)
	require.Empty(t, f.notificationsOf("dlr", store.NotificationPriceChange))

	require.Equal(t, 1, run.outboxCalls)
	require.Equal(t, pl.ID, run.outboxArg.PriceList.ID)
	require.Equal(t, res.Document.DocumentID, run.outboxArg.Document.DocumentID)
	var msgIDs []string
	for _, it := range f.drainOutbox() {
		msgIDs = append(msgIDs, it.MsgID)
	}
	require.Contains(t, msgIDs, "pl-"+pl.ID, "the outbox row commits with the publication")

	requireFirstStored(t, f, run, spec)
}

// requireFirstStored reads back what testFirstPublication published: the
// message, the publication, its document and its lines.
func requireFirstStored(t *testing.T, f *fixture, run *plRun, spec plSpec) {
	pl := run.res.PriceList
	msg, err := f.st.GetMessage(f.ctx, store.OperatorScope(), run.msg.ID)
	require.NoError(t, err)
	require.Equal(t, store.StatusDone, msg.Status)
	require.Equal(t, []string{pl.DocumentID}, msg.DocumentIDs)
	require.Empty(t, msg.Errors)
	require.NotNil(t, msg.FinishedAt)

	got, err := f.st.GetPriceList(f.ctx, store.OperatorScope(), pl.ID, plToday)
	require.NoError(t, err)
	requireSamePriceList(t, pl, got)
	of, err := f.st.PriceListOf(f.ctx, store.OperatorScope(), pl.DocumentID, 1, plToday)
	require.NoError(t, err)
	requireSamePriceList(t, pl, of)
	_, err = f.st.PriceListOf(f.ctx, store.OperatorScope(), pl.DocumentID, 2, plToday)
	errorsIsNotFound(t, err)
	_, err = f.st.GetPriceList(f.ctx, store.OperatorScope(), "0190a5b8-0000-7000-8000-000000000000", plToday)
	errorsIsNotFound(t, err)

	doc, err := f.st.GetDocument(f.ctx, store.OperatorScope(), pl.DocumentID)
	require.NoError(t, err)
	require.Equal(t, "price_list", doc.Doctype)
	require.Equal(t, "sup", doc.Sender)
	require.Equal(t, "PL-2026", doc.ExternalID)
	require.Equal(t, 1, doc.Version)
	require.JSONEq(t, string(pl.Header), string(doc.Body), "the document holds the header")

	lines := f.allLines(store.OperatorScope(), pl.ID, 2)
	want := spec.numbered()
	require.Len(t, lines, len(want))
	for i, l := range lines {
		require.Equal(t, want[i].LineNo, l.LineNo)
		require.Equal(t, want[i].SKU, l.SKU, "lines come in line order, not SKU order")
		require.Equal(t, want[i].Unit, l.Unit)
		require.Equal(t, want[i].UnitPrice, l.UnitPrice)
		require.Equal(t, want[i].MinQuantity, l.MinQuantity)
		require.Equal(t, want[i].Tiers, l.Tiers)
		require.JSONEq(t, string(want[i].Body), string(l.Body))
	}
	require.Empty(t, f.allChanges(store.OperatorScope(), pl.ID, 0))
}

func testChangedList(t *testing.T, f *fixture) {
	f.partner("sup", "supplier")
	v1 := f.publish("sup", eurList("PL", plLines("A=10.00", "B=20.00", "C=5.00", "D=7.00", "E=1.00"))).res.PriceList
	rejected := []store.DataError{{Code: "schema", Sheet: "Prices", Row: 6, Column: "C", Header: "Price",
		Value: "1,0", Reason: "unit_price is not a decimal"}}
	spec := eurList("PL", plLines("F=3.00", "D=7.00", "B=15.00", "A=11.00"))
	spec.rejected, spec.rejectedSKUs = rejected, []string{"E"}
	run := f.publish("sup", spec)
	res := run.res
	require.True(t, res.Document.Changed)
	require.Equal(t, 2, res.Document.Version)
	require.Equal(t, 1, res.Document.Previous)
	require.Equal(t, v1.DocumentID, res.Document.DocumentID)

	v2 := res.PriceList
	require.NotEqual(t, v1.ID, v2.ID)
	require.Equal(t, 2, v2.Version)
	require.Equal(t, 4, v2.Lines)
	require.Equal(t, v1.ID, v2.Predecessor)
	require.Equal(t, store.PriceDiff{Counts: pricelist.Counts{
		Added: 1, Removed: 1, PriceUp: 1, PriceDown: 1, Unchanged: 1, Rejected: 1, ChangedSKUs: 4,
	}}, v2.Diff)
	require.Equal(t, store.PriceListCurrent, v2.Status)

	want := []pricelist.Change{
		{SKU: "A", Kind: pricelist.PriceUp, OldPrice: "10.00", NewPrice: "11.00", Percent: "+10.00", OldUnit: "EA", NewUnit: "EA"},
		{SKU: "B", Kind: pricelist.PriceDown, OldPrice: "20.00", NewPrice: "15.00", Percent: "-25.00", OldUnit: "EA", NewUnit: "EA"},
		{SKU: "C", Kind: pricelist.Removed, OldPrice: "5.00", OldUnit: "EA"},
		{SKU: "F", Kind: pricelist.Added, NewPrice: "3.00", NewUnit: "EA"},
	}
	require.Equal(t, want, changesOf(t, f.allChanges(store.OperatorScope(), v2.ID, 3)),
		"E was rejected, not removed")

	old, err := f.st.GetPriceList(f.ctx, store.OperatorScope(), v1.ID, plToday)
	require.NoError(t, err)
	require.Equal(t, store.PriceListSuperseded, old.Status)
	require.Equal(t, 5, old.Lines, "the predecessor keeps its lines")
	require.Len(t, f.allLines(store.OperatorScope(), v1.ID, 0), 5)

	msg, err := f.st.GetMessage(f.ctx, store.OperatorScope(), run.msg.ID)
	require.NoError(t, err)
	require.Equal(t, store.StatusDone, msg.Status)
	require.Equal(t, rejected, msg.Errors, "the rows left out stay on the done message")
	require.Equal(t, []string{v2.DocumentID}, msg.DocumentIDs)
}

func testIdenticalRepublish(t *testing.T, f *fixture) {
	f.partner("sup", "supplier")
	f.partner("dlr", "dealer")
	f.relate("dlr", "sup")
	require.NoError(t, f.st.PutCrossRefs(f.ctx, "dlr", []store.CrossRef{{Code: "X-A", Supplier: "sup", SupplierSKU: "A"}}))
	f.publish("sup", eurList("PL", plLines("A=10.00", "B=20.00")))
	spec := eurList("PL", plLines("A=12.00", "B=20.00"))
	spec.deliveries = []store.NewDelivery{inboxTo("dlr")}
	first := f.publish("sup", spec)
	require.Len(t, first.res.Notifications, 1)
	f.drainOutbox()

	spec.rejected = []store.DataError{{Row: 9, Column: "B", Reason: "sku is required"}}
	again := f.publish("sup", spec)
	res := again.res
	require.False(t, res.Document.Changed)
	require.Equal(t, first.res.Document.DocumentID, res.Document.DocumentID)
	require.Equal(t, 2, res.Document.Version)
	require.Empty(t, res.Document.Deliveries)
	require.Zero(t, res.PriceList, "no publication")
	require.Empty(t, res.Notifications)
	require.Zero(t, again.outboxCalls, "Outbox is not called for a no-op")
	out := f.drainOutbox()
	require.Len(t, out, 1, "only the message's own inbound row")
	require.Equal(t, "in-"+again.msg.ID, out[0].MsgID)

	msg, err := f.st.GetMessage(f.ctx, store.OperatorScope(), again.msg.ID)
	require.NoError(t, err)
	require.Equal(t, store.StatusDone, msg.Status)
	require.Equal(t, []string{res.Document.DocumentID}, msg.DocumentIDs)
	require.Equal(t, spec.rejected, msg.Errors)

	lists, _, err := f.st.ListPriceLists(f.ctx, store.OperatorScope(), store.PriceListFilter{Today: plToday})
	require.NoError(t, err)
	require.Len(t, lists, 2, "no new publication")
	require.Equal(t, first.res.PriceList.ID, lists[0].ID)
	require.Len(t, f.allLines(store.OperatorScope(), lists[0].ID, 0), 2, "lines are not duplicated")
	require.Len(t, f.notificationsOf("dlr", store.NotificationPriceChange), 1, "no second notification")
	ds, _, err := f.st.ListDeliveries(f.ctx, store.OperatorScope(), store.DeliveryFilter{DocumentID: res.Document.DocumentID})
	require.NoError(t, err)
	require.Len(t, ds, 1, "no new delivery")
	_, err = f.st.PriceListOf(f.ctx, store.OperatorScope(), res.Document.DocumentID, 3, plToday)
	errorsIsNotFound(t, err)
}

// notificationSourceCases check each way a dealer's SKUs are known: a
// stock level, an order line, a cross-reference. In each, "dlr" has SKU A
// (changed) through the source, "same" has D (unchanged) through it, and
// "stranger", with no relationship, has A through it too.
func notificationSourceCases() []testCase {
	sources := []struct {
		name string
		give func(f *fixture, dealer, sku string)
	}{
		{"NotifyByStockLevel", func(f *fixture, dealer, sku string) {
			f.commit(dealer,
				newDoc("stock_level", dealer, "", "WH1/"+sku, `{"sku":"`+sku+`","supplier":"sup"}`),
				// Another supplier's item with the same code is not the supplier's SKU.
				newDoc("stock_level", dealer, "", "WH1/other-"+sku, `{"sku":"B","supplier":"other"}`))
		}},
		{"NotifyByStockLevelSupplierSKU", func(f *fixture, dealer, sku string) {
			// The dealer's own code differs; the level names the supplier's SKU.
			f.commit(dealer, newDoc("stock_level", dealer, "", "WH1/"+dealer+"-"+sku,
				`{"sku":"`+dealer+`-`+sku+`","supplier":"sup","supplier_sku":"`+sku+`"}`))
		}},
		{"NotifyByOrder", func(f *fixture, dealer, sku string) {
			f.commit(dealer,
				newDoc("order", dealer, "sup", "PO-"+sku, `{"lines":[{"line_no":1,"sku":"`+sku+`","quantity":"2","unit":"EA"}]}`),
				// An order to another supplier does not count.
				newDoc("order", dealer, "other", "PO-other-"+sku, `{"lines":[{"line_no":1,"sku":"B","quantity":"1","unit":"EA"}]}`))
		}},
		{"NotifyByCrossRef", func(f *fixture, dealer, sku string) {
			require.NoError(f.t, f.st.PutCrossRefs(f.ctx, dealer, []store.CrossRef{
				{Code: dealer + "-" + sku, Supplier: "sup", SupplierSKU: sku},
				{Code: dealer + "-other", Supplier: "other", SupplierSKU: "B"},
			}))
		}},
	}
	var cases []testCase
	for _, src := range sources {
		cases = append(cases, testCase{src.name, func(t *testing.T, f *fixture) {
			for _, id := range []string{"sup", "other"} {
				f.partner(id, "supplier")
			}
			for _, id := range []string{"dlr", "same", "stranger"} {
				f.partner(id, "dealer")
			}
			f.relate("dlr", "sup")
			f.relate("same", "sup")
			f.relate("stranger", "other")
			src.give(f, "dlr", "A")
			src.give(f, "same", "D")
			src.give(f, "stranger", "A")
			f.publish("sup", eurList("PL", plLines("A=10.00", "B=20.00", "C=3.00", "D=4.00")))
			res := f.publish("sup", eurList("PL", plLines("A=10.50", "B=21.00", "D=4.00"))).res

			require.Len(t, res.Notifications, 1)
			n := res.Notifications[0]
			require.NotEmpty(t, n.ID)
			require.Equal(t, "dlr", n.Partner)
			require.Equal(t, "/api/v1/price-lists/"+res.PriceList.ID+"/changes", n.Link)
			require.Contains(t, n.Title, "1 of your SKUs changed")
			data := decodeNotification(t, n)
			require.Equal(t, res.PriceList.ID, data.PriceList)
			require.Equal(t, store.PriceListCurrent, data.Status)
			require.Equal(t, []string{"A"}, skusOf(data.Changes), "only the dealer's SKUs")
			require.Equal(t, "+5.00", data.Changes[0].Percent)
			require.Equal(t, 1, data.Counts.PriceUp)
			require.Equal(t, 1, data.Counts.ChangedSKUs)
			require.Equal(t, []string{"dlr"}, res.PriceList.Notified)

			stored := f.notificationsOf("dlr", store.NotificationPriceChange)
			require.Len(t, stored, 1)
			require.Equal(t, n.ID, stored[0].ID)
			require.JSONEq(t, string(n.Data), string(stored[0].Data))
			require.Empty(t, f.notificationsOf("same", store.NotificationPriceChange), "D did not change")
			require.Empty(t, f.notificationsOf("stranger", store.NotificationPriceChange), "no relationship")
			got, err := f.st.GetPriceList(f.ctx, store.OperatorScope(), res.PriceList.ID, plToday)
			require.NoError(t, err)
			require.Equal(t, []string{"dlr"}, got.Notified)
		}})
	}
	return cases
}

func testNoNotificationWithoutChangedSKU(t *testing.T, f *fixture) {
	f.partner("sup", "supplier")
	f.partner("dlr", "dealer")
	f.relate("dlr", "sup")
	require.NoError(t, f.st.PutCrossRefs(f.ctx, "dlr", []store.CrossRef{{Code: "X", Supplier: "sup", SupplierSKU: "B"}}))
	f.publish("sup", eurList("PL", plLines("A=10.00", "B=20.00")))
	// A changes, B (the dealer's) does not; then only the validity changes.
	res := f.publish("sup", eurList("PL", plLines("A=11.00", "B=20.00"))).res
	require.Equal(t, 1, res.PriceList.Diff.PriceUp)
	require.Empty(t, res.Notifications)
	require.Empty(t, res.PriceList.Notified)
	spec := eurList("PL", plLines("A=11.00", "B=20.00"))
	spec.validTo = "2026-12-31"
	res = f.publish("sup", spec).res
	require.True(t, res.Document.Changed)
	require.Zero(t, res.PriceList.Diff.Changes())
	require.Equal(t, 2, res.PriceList.Diff.Unchanged)
	require.Empty(t, res.Notifications)
	require.Empty(t, f.notificationsOf("dlr", store.NotificationPriceChange))
}

// writeFailure is an error type of the caller's that must survive the
// store's wrapping (the hub's DataErrors).
type writeFailure struct{ row int }

func (e writeFailure) Error() string { return fmt.Sprintf("row %d is bad", e.row) }

// fmtSKU is the i-th SKU of a generated list; the names sort as the numbers.
func fmtSKU(i int) string { return fmt.Sprintf("S%06d", i) }

func testWriteErrorRollsBack(t *testing.T, f *fixture) {
	f.partner("sup", "supplier")
	f.partner("dlr", "dealer")
	f.relate("dlr", "sup")
	m := f.message("sup", "price_list")
	f.start(m.ID)
	f.drainOutbox()
	lines := eurList("PL", plLines("A=1.00", "B=2.00")).numbered()
	outboxCalled := false
	_, err := f.st.PublishPriceList(f.ctx, store.PriceListPublish{
		MessageID: m.ID, Supplier: "sup", Today: plToday,
		Write: func(_ context.Context, put func([]store.PriceLine) error) (store.PriceListHeader, error) {
			if err := put(lines); err != nil {
				return store.PriceListHeader{}, err
			}
			return store.PriceListHeader{}, writeFailure{row: 7}
		},
		Outbox: func(store.PriceListResult) []store.NewOutbox { outboxCalled = true; return nil },
	})
	require.Error(t, err)
	var wf writeFailure
	require.ErrorAs(t, err, &wf, "the caller's error is wrapped, not flattened")
	require.Equal(t, 7, wf.row)
	require.False(t, outboxCalled)

	msg, err := f.st.GetMessage(f.ctx, store.OperatorScope(), m.ID)
	require.NoError(t, err)
	require.Equal(t, store.StatusProcessing, msg.Status, "the message is untouched")
	require.Empty(t, msg.DocumentIDs)
	docs, _, err := f.st.ListDocuments(f.ctx, store.OperatorScope(), store.DocumentFilter{})
	require.NoError(t, err)
	require.Empty(t, docs)
	lists, _, err := f.st.ListPriceLists(f.ctx, store.OperatorScope(), store.PriceListFilter{})
	require.NoError(t, err)
	require.Empty(t, lists)
	require.Empty(t, f.drainOutbox())

	// The same message publishes once Write succeeds, and the lines of the
	// failed attempt are gone: the SKUs are not duplicates.
	spec := eurList("PL", plLines("A=1.00", "B=2.00"))
	res, err := f.st.PublishPriceList(f.ctx, store.PriceListPublish{
		MessageID: m.ID, Supplier: "sup", Today: plToday, Write: writeAll(spec.numbered(), spec.header("sup")),
	})
	require.NoError(t, err)
	require.Equal(t, 2, res.PriceList.Lines)
	require.Len(t, f.allLines(store.OperatorScope(), res.PriceList.ID, 0), 2)
}

func testDuplicateSKU(t *testing.T, f *fixture) {
	f.partner("sup", "supplier")
	many := make([]string, 0, plBatch+10)
	for i := range plBatch + 10 {
		many = append(many, fmtSKU(i)+"=1.00")
	}
	// A duplicate inside a run of many lines: the 51st line repeats the 6th.
	inRun := plLines(many[:300]...)
	inRun[50] = store.PriceLine{SKU: fmtSKU(5), Unit: "EA", UnitPrice: "2.00"}
	tests := []struct {
		name    string
		lines   []store.PriceLine
		sku     string
		swallow bool // Write ignores put's error
	}{
		{"InOneBatch", plLines("A=1.00", "DUP-1=2.00", "B=1.00", "DUP-1=3.00"), "DUP-1", false},
		{"InARunOfLines", inRun, fmtSKU(5), false},
		{"AcrossBatches", append(plLines(many...), plLines("DUP-1=2.00", fmtSKU(3)+"=9.00")...), fmtSKU(3), false},
		{"WriteIgnoresPutError", plLines("A=1.00", "DUP-1=2.00", "DUP-1=3.00"), "DUP-1", true},
	}
	for _, tc := range tests {
		m := f.message("sup", "price_list")
		f.start(m.ID)
		spec := eurList("PL", tc.lines)
		write := writeAll(spec.numbered(), spec.header("sup"))
		if tc.swallow {
			write = func(ctx context.Context, put func([]store.PriceLine) error) (store.PriceListHeader, error) {
				for _, l := range spec.numbered() {
					_ = put([]store.PriceLine{l})
				}
				return spec.header("sup"), nil
			}
		}
		_, err := f.st.PublishPriceList(f.ctx, store.PriceListPublish{MessageID: m.ID, Supplier: "sup", Today: plToday, Write: write})
		require.ErrorIs(t, err, store.ErrDuplicateLine, tc.name)
		require.Contains(t, err.Error(), tc.sku, "%s: the error names the SKU", tc.name)
		msg, err := f.st.GetMessage(f.ctx, store.OperatorScope(), m.ID)
		require.NoError(t, err)
		require.Equal(t, store.StatusProcessing, msg.Status, tc.name)
	}
	lists, _, err := f.st.ListPriceLists(f.ctx, store.OperatorScope(), store.PriceListFilter{})
	require.NoError(t, err)
	require.Empty(t, lists, "nothing stored")
	docs, _, err := f.st.ListDocuments(f.ctx, store.OperatorScope(), store.DocumentFilter{})
	require.NoError(t, err)
	require.Empty(t, docs)
}

func testPublishDoneMessage(t *testing.T, f *fixture) {
	f.partner("sup", "supplier")
	run := f.publish("sup", eurList("PL", plLines("A=1.00")))
	spec := eurList("PL", plLines("A=2.00"))
	_, err := f.st.PublishPriceList(f.ctx, store.PriceListPublish{
		MessageID: run.msg.ID, Supplier: "sup", Today: plToday, Write: writeAll(spec.numbered(), spec.header("sup")),
	})
	errorsIsConflict(t, err, "a done message is not published again")
	lists, _, err := f.st.ListPriceLists(f.ctx, store.OperatorScope(), store.PriceListFilter{})
	require.NoError(t, err)
	require.Len(t, lists, 1)
	require.Equal(t, "1.00", f.allLines(store.OperatorScope(), lists[0].ID, 0)[0].UnitPrice)
	doc, err := f.st.GetDocument(f.ctx, store.OperatorScope(), lists[0].DocumentID)
	require.NoError(t, err)
	require.Equal(t, 1, doc.Version)
}

// testConcurrentPublications publishes versions of one chain at once: each
// publication's predecessor is the one published just before it.
func testConcurrentPublications(t *testing.T, f *fixture) {
	f.partner("sup", "supplier")
	const n = 4
	msgs := make([]store.Message, n)
	for i := range msgs {
		msgs[i] = f.message("sup", "price_list")
		f.start(msgs[i].ID)
	}
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for i, m := range msgs {
		wg.Go(func() {
			spec := eurList("PL", plLines("A="+fmt.Sprint(i+1)+".00", "B=2.00"))
			_, err := f.st.PublishPriceList(f.ctx, store.PriceListPublish{
				MessageID: m.ID, Supplier: "sup", Today: plToday, Write: writeAll(spec.numbered(), spec.header("sup")),
			})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	lists, _, err := f.st.ListPriceLists(f.ctx, store.OperatorScope(), store.PriceListFilter{Today: plToday})
	require.NoError(t, err)
	require.Len(t, lists, n)
	versions := map[int]bool{}
	for i, pl := range lists {
		versions[pl.Version] = true
		if i == n-1 {
			require.True(t, pl.Diff.First, "the first publication has no predecessor")
			break
		}
		require.Equal(t, lists[i+1].ID, pl.Predecessor, "publication %d follows the one before it", i)
		require.Equal(t, 1, pl.Diff.Changes(), "publication %d is compared with its predecessor", i)
	}
	require.Len(t, versions, n, "each publication is its own document version")
	require.Equal(t, store.PriceListCurrent, lists[0].Status)
}
