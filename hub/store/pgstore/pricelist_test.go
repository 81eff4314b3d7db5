package pgstore_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/mappings/pricelist"
)

func TestPublishFirstList(t *testing.T) {
	t.Parallel()
	f := newPLFixture(t)
	f.stockLevel("d-stock", "acme", "A")
	ls := lines("C:5.00", "A:10.00", "B:20.00")
	ls[1].Tiers = []pricelist.Tier{{MinQuantity: "10", UnitPrice: "9.50"}}
	ls[2].MinQuantity = "2"
	out := f.mustPublish(pub{lines: ls})

	require.True(t, out.Document.Changed)
	require.Equal(t, 1, out.Document.Version)
	pl := out.PriceList
	require.NotEmpty(t, pl.ID)
	require.Equal(t, out.Document.DocumentID, pl.DocumentID)
	require.Equal(t, 1, pl.Version)
	require.Equal(t, "acme", pl.Supplier)
	require.Equal(t, "PL-1", pl.ExternalID)
	require.Equal(t, "EUR", pl.Currency)
	require.Equal(t, "2026-01-01", pl.ValidFrom)
	require.Empty(t, pl.ValidTo)
	require.Equal(t, out.msg.ID, pl.MessageID)
	require.Equal(t, 3, pl.Lines)
	require.Equal(t, store.PriceListCurrent, pl.Status)
	require.Empty(t, pl.Predecessor)
	require.Equal(t, store.PriceDiff{First: true}, pl.Diff)
	require.Empty(t, pl.Notified)
	require.Empty(t, out.Notifications, "a first list notifies nobody")
	require.Equal(t, 1, out.outboxCalls)
	require.JSONEq(t, string(pub{supplier: "acme", externalID: "PL-1", currency: "EUR", validFrom: "2026-01-01"}.header().Body),
		string(pl.Header))

	got, err := f.st.GetPriceList(f.ctx, store.OperatorScope(), pl.ID, "2026-01-15")
	require.NoError(t, err)
	require.Equal(t, pl, got, "the read equals the result")
	of, err := f.st.PriceListOf(f.ctx, store.OperatorScope(), pl.DocumentID, 1, "2026-01-15")
	require.NoError(t, err)
	require.Equal(t, pl, of)
	_, err = f.st.PriceListOf(f.ctx, store.OperatorScope(), pl.DocumentID, 2, "2026-01-15")
	require.ErrorIs(t, err, store.ErrNotFound)

	stored := f.allLines(pl.ID, 0)
	require.Len(t, stored, 3)
	for i, l := range stored {
		require.Equal(t, ls[i].LineNo, l.LineNo, "lines come in line order")
		require.Equal(t, ls[i].Line(), l.Line())
		require.JSONEq(t, string(ls[i].Body), string(l.Body))
	}
	changes := f.allChanges(pl.ID, 0)
	require.Empty(t, changes)

	m, err := f.st.GetMessage(f.ctx, store.OperatorScope(), out.msg.ID)
	require.NoError(t, err)
	require.Equal(t, store.StatusDone, m.Status)
	require.Equal(t, []string{pl.DocumentID}, m.DocumentIDs)
	require.Nil(t, m.Errors)
	require.NotNil(t, m.FinishedAt)
	require.Equal(t, 1, f.count(`SELECT count(*) FROM outbox WHERE msg_id = $1`, "price-list-"+pl.ID))
}

func TestPublishChangedList(t *testing.T) {
	t.Parallel()
	f := newPLFixture(t)
	first := f.mustPublish(pub{lines: lines("A:10.00", "B:20.00", "C:5.00", "D:7.00", "E:1.00")})
	rejected := []store.DataError{{Sheet: "价格", Row: 5, Column: "C", Header: "单价", Value: "x", Reason: "not a decimal"}}
	out := f.mustPublish(pub{lines: lines("F:3.00", "B:15.00", "A:11.00", "C:5.00"), rejected: rejected,
		rejectedSKUs: []string{"D"}})

	pl := out.PriceList
	require.Equal(t, 2, pl.Version)
	require.Equal(t, first.PriceList.ID, pl.Predecessor)
	require.Equal(t, 4, pl.Lines)
	want := []pricelist.Change{
		{SKU: "A", Kind: pricelist.PriceUp, OldPrice: "10.00", NewPrice: "11.00", Percent: "+10.00", OldUnit: "EA", NewUnit: "EA"},
		{SKU: "B", Kind: pricelist.PriceDown, OldPrice: "20.00", NewPrice: "15.00", Percent: "-25.00", OldUnit: "EA", NewUnit: "EA"},
		{SKU: "E", Kind: pricelist.Removed, OldPrice: "1.00", OldUnit: "EA"},
		{SKU: "F", Kind: pricelist.Added, NewPrice: "3.00", NewUnit: "EA"},
	}
	changes := f.allChanges(pl.ID, 0)
	require.Len(t, changes, len(want))
	for i, c := range changes {
		require.Equal(t, i+1, c.Seq)
		require.Equal(t, want[i], c.Change)
	}
	require.Equal(t, store.PriceDiff{Counts: pricelist.Counts{Added: 1, Removed: 1, PriceUp: 1, PriceDown: 1,
		Unchanged: 1, Rejected: 1, ChangedSKUs: 4}}, pl.Diff, "D was rejected, not removed")

	got, err := f.st.GetPriceList(f.ctx, store.OperatorScope(), pl.ID, "2026-01-15")
	require.NoError(t, err)
	require.Equal(t, pl, got)
	old, err := f.st.GetPriceList(f.ctx, store.OperatorScope(), first.PriceList.ID, "2026-01-15")
	require.NoError(t, err)
	require.Equal(t, store.PriceListSuperseded, old.Status)

	m, err := f.st.GetMessage(f.ctx, store.OperatorScope(), out.msg.ID)
	require.NoError(t, err)
	require.Equal(t, store.StatusDone, m.Status)
	require.Equal(t, rejected, m.Errors, "the rejected rows stay on the done message")
}

func TestRepublishIdenticalListChangesNothing(t *testing.T) {
	t.Parallel()
	f := newPLFixture(t)
	f.stockLevel("d-stock", "acme", "A")
	first := f.mustPublish(pub{lines: lines("A:10.00", "B:20.00")})
	second := f.mustPublish(pub{lines: lines("A:11.00", "B:20.00")})
	require.Len(t, second.Notifications, 1)

	again := f.mustPublish(pub{lines: lines("A:11.00", "B:20.00")})
	require.False(t, again.Document.Changed)
	require.Equal(t, second.Document.DocumentID, again.Document.DocumentID)
	require.Equal(t, 2, again.Document.Version)
	require.Zero(t, again.PriceList)
	require.Empty(t, again.Notifications)
	require.Zero(t, again.outboxCalls, "no outbox for a no-op")
	require.Equal(t, 2, f.count(`SELECT count(*) FROM price_lists`))
	require.Equal(t, 4, f.count(`SELECT count(*) FROM price_list_lines`), "the lines are not stored twice")
	require.Equal(t, 1, f.count(`SELECT count(*) FROM notifications WHERE partner = 'd-stock'`))
	m, err := f.st.GetMessage(f.ctx, store.OperatorScope(), again.msg.ID)
	require.NoError(t, err)
	require.Equal(t, store.StatusDone, m.Status)
	require.Equal(t, []string{first.Document.DocumentID}, m.DocumentIDs)

	// The discarded lines leave the chain intact for the next publication.
	third := f.mustPublish(pub{lines: lines("A:12.00", "B:20.00")})
	require.Equal(t, second.PriceList.ID, third.PriceList.Predecessor)
	require.Equal(t, 3, third.PriceList.Version)
	require.Equal(t, 1, third.PriceList.Diff.PriceUp)
}

func TestPublishOnFinishedMessageIsConflict(t *testing.T) {
	t.Parallel()
	f := newPLFixture(t)
	out := f.mustPublish(pub{lines: lines("A:1.00")})
	called := false
	_, err := f.st.PublishPriceList(f.ctx, store.PriceListPublish{MessageID: out.msg.ID, Supplier: "acme",
		Write: func(ctx context.Context, put func([]store.PriceLine) error) (store.PriceListHeader, error) {
			called = true
			return store.PriceListHeader{}, nil
		}})
	require.ErrorIs(t, err, store.ErrConflict)
	require.False(t, called, "the lines of a finished message are not read")
}

func TestCommitPartialKeepsRejectedRows(t *testing.T) {
	t.Parallel()
	f := newPLFixture(t)
	doc := store.DocumentInput{Doctype: "product", Sender: "acme", ExternalID: "P-1", Body: []byte(`{"sku":"P-1"}`),
		ContentHash: "h1"}
	rejected := []store.DataError{{Sheet: "Sheet1", Row: 7, Column: "B", Header: "price", Value: "abc", Reason: "not a decimal"}}
	m := f.message("acme", "product")
	res, err := f.st.CommitPartial(f.ctx, m.ID, []store.DocumentInput{doc}, rejected, nil)
	require.NoError(t, err)
	require.True(t, res[0].Changed)
	got, err := f.st.GetMessage(f.ctx, store.OperatorScope(), m.ID)
	require.NoError(t, err)
	require.Equal(t, store.StatusDone, got.Status)
	require.Equal(t, rejected, got.Errors)
	require.Equal(t, []string{res[0].DocumentID}, got.DocumentIDs)

	m2 := f.message("acme", "product")
	_, err = f.st.CommitMessage(f.ctx, m2.ID, []store.DocumentInput{doc}, nil)
	require.NoError(t, err)
	got, err = f.st.GetMessage(f.ctx, store.OperatorScope(), m2.ID)
	require.NoError(t, err)
	require.Nil(t, got.Errors, "CommitMessage leaves no errors")
	_, err = f.st.CommitPartial(f.ctx, m2.ID, nil, rejected, nil)
	require.ErrorIs(t, err, store.ErrConflict)
}

func TestDatesMustBeCalendarDates(t *testing.T) {
	t.Parallel()
	f := newPLFixture(t)
	for _, p := range []pub{
		{validFrom: "2026-1-5", lines: lines("A:1.00")},
		{validTo: "31.01.2026", lines: lines("A:1.00")},
		{today: "tomorrow", lines: lines("A:1.00")},
	} {
		out, err := f.publish(p)
		require.ErrorContains(t, err, "is not a YYYY-MM-DD date")
		requireNothingStored(t, f, out.msg)
	}
	pl := f.mustPublish(pub{lines: lines("A:1.00")}).PriceList
	_, err := f.st.GetPriceList(f.ctx, store.OperatorScope(), pl.ID, "2026-02-30")
	require.ErrorContains(t, err, "is not a YYYY-MM-DD date")
	_, _, err = f.st.ListPriceLists(f.ctx, store.OperatorScope(), store.PriceListFilter{Today: "20260115"})
	require.ErrorContains(t, err, "is not a YYYY-MM-DD date")
}
