package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/mappings/pricelist"
)

// plToday is the date the price-list checks decide statuses on.
const plToday = "2026-03-01"

// plBatch is how many lines the test Write gives put at a time, as the
// hub does.
const plBatch = 1000

// plSpec is a price list to publish.
type plSpec struct {
	externalID, currency, validFrom, validTo string
	lines                                    []store.PriceLine // LineNo and Body are filled in list order
	rejected                                 []store.DataError
	rejectedSKUs                             []string
	deliveries                               []store.NewDelivery
}

// eurList is a EUR list valid from 2026-01-01 with the given lines.
func eurList(externalID string, lines []store.PriceLine) plSpec {
	return plSpec{externalID: externalID, currency: "EUR", validFrom: "2026-01-01", lines: lines}
}

// plLines makes lines from "SKU=price" pairs, sold per EA.
func plLines(pairs ...string) []store.PriceLine {
	out := make([]store.PriceLine, 0, len(pairs))
	for _, p := range pairs {
		sku, price, _ := strings.Cut(p, "=")
		out = append(out, store.PriceLine{SKU: sku, Unit: "EA", UnitPrice: price})
	}
	return out
}

// numbered returns the spec's lines with LineNo from 1 and a canonical
// body for each.
func (s plSpec) numbered() []store.PriceLine {
	out := make([]store.PriceLine, len(s.lines))
	for i, l := range s.lines {
		l.LineNo = i + 1
		if l.Body == nil {
			l.Body = lineBody(l)
		}
		out[i] = l
	}
	return out
}

// lineBody is a line's canonical JSON.
func lineBody(l store.PriceLine) json.RawMessage {
	m := map[string]any{"sku": l.SKU, "unit": l.Unit, "unit_price": l.UnitPrice}
	if l.MinQuantity != "" {
		m["min_quantity"] = l.MinQuantity
	}
	if len(l.Tiers) > 0 {
		m["tiers"] = l.Tiers
	}
	b, _ := json.Marshal(m) // maps of strings and tiers always encode
	return b
}

// header is what the hub's Write would return for the spec: a body
// without lines and a hash over the header and every line.
func (s plSpec) header(supplier string) store.PriceListHeader {
	m := map[string]any{"sender": supplier, "external_id": s.externalID, "currency": s.currency,
		"valid_from": s.validFrom, "source": "api"}
	if s.validTo != "" {
		m["valid_to"] = s.validTo
	}
	body, _ := json.Marshal(m)
	h := sha256.New()
	h.Write(body)
	for _, l := range s.numbered() {
		h.Write(l.Body)
	}
	h.Write([]byte(strings.Join(s.rejectedSKUs, "\x00")))
	return store.PriceListHeader{
		ExternalID: s.externalID, Currency: s.currency, ValidFrom: s.validFrom, ValidTo: s.validTo,
		Body: body, ContentHash: hex.EncodeToString(h.Sum(nil)), Deliveries: s.deliveries,
		Rejected: s.rejected, RejectedSKUs: s.rejectedSKUs,
	}
}

// plRun is one PublishPriceList call and what its Outbox saw.
type plRun struct {
	msg         store.Message
	res         store.PriceListResult
	outboxCalls int
	outboxArg   store.PriceListResult
}

// plOutbox is the bus message the test Outbox stores for a publication.
func plOutbox(r store.PriceListResult) store.NewOutbox {
	return store.NewOutbox{Subject: "dealerhub.event.price_list." + r.PriceList.Supplier, MsgID: "pl-" + r.PriceList.ID,
		Payload: []byte(r.PriceList.ID)}
}

// writeAll is a Write that gives lines to put in batches of plBatch and
// returns h.
func writeAll(lines []store.PriceLine, h store.PriceListHeader) func(context.Context, func([]store.PriceLine) error) (store.PriceListHeader, error) {
	return func(_ context.Context, put func([]store.PriceLine) error) (store.PriceListHeader, error) {
		for start := 0; start < len(lines); start += plBatch {
			if err := put(lines[start:min(start+plBatch, len(lines))]); err != nil {
				return store.PriceListHeader{}, err
			}
		}
		return h, nil
	}
}

// tryPublish publishes the spec from a new message of supplier, deciding
// statuses on today.
func (f *fixture) tryPublish(supplier string, s plSpec, today string) (*plRun, error) {
	f.t.Helper()
	m := f.message(supplier, "price_list")
	f.start(m.ID)
	run := &plRun{msg: m}
	var err error
	run.res, err = f.st.PublishPriceList(f.ctx, store.PriceListPublish{
		MessageID: m.ID, Supplier: supplier, Today: today,
		Write: writeAll(s.numbered(), s.header(supplier)),
		Outbox: func(r store.PriceListResult) []store.NewOutbox {
			run.outboxCalls++
			run.outboxArg = r
			return []store.NewOutbox{plOutbox(r)}
		},
	})
	return run, err
}

// publish publishes the spec on plToday and requires it to succeed.
func (f *fixture) publish(supplier string, s plSpec) *plRun {
	f.t.Helper()
	run, err := f.tryPublish(supplier, s, plToday)
	require.NoError(f.t, err)
	return run
}

// relate records that dealer buys from supplier.
func (f *fixture) relate(dealer, supplier string) {
	f.t.Helper()
	require.NoError(f.t, f.st.UpsertRelationship(f.ctx, store.Relationship{Dealer: dealer, Supplier: supplier}))
}

// allLines pages through a publication's lines, limit at a time.
func (f *fixture) allLines(scope store.Scope, id string, limit int) []store.PriceLine {
	f.t.Helper()
	var all []store.PriceLine
	cursor := ""
	for pages := 0; ; pages++ {
		require.Less(f.t, pages, 10000, "paging must end")
		page, next, err := f.st.ListPriceListLines(f.ctx, scope, id, store.Page{Cursor: cursor, Limit: limit})
		require.NoError(f.t, err)
		require.LessOrEqual(f.t, len(page), store.PageLimit(limit))
		all = append(all, page...)
		if next == "" {
			return all
		}
		require.Len(f.t, page, store.PageLimit(limit), "a page before the last is full")
		cursor = next
	}
}

// allChanges pages through a publication's changes, limit at a time.
func (f *fixture) allChanges(scope store.Scope, id string, limit int) []store.PriceChange {
	f.t.Helper()
	var all []store.PriceChange
	cursor := ""
	for pages := 0; ; pages++ {
		require.Less(f.t, pages, 10000, "paging must end")
		page, next, err := f.st.ListPriceListChanges(f.ctx, scope, id, store.Page{Cursor: cursor, Limit: limit})
		require.NoError(f.t, err)
		all = append(all, page...)
		if next == "" {
			return all
		}
		require.Len(f.t, page, store.PageLimit(limit), "a page before the last is full")
		cursor = next
	}
}

// changesOf strips the stored sequence numbers, checking that they count
// from 1 in order.
func changesOf(t *testing.T, stored []store.PriceChange) []pricelist.Change {
	t.Helper()
	out := make([]pricelist.Change, len(stored))
	for i, c := range stored {
		require.Equal(t, i+1, c.Seq, "changes are numbered from 1 in order")
		out[i] = c.Change
	}
	return out
}

// requireSamePriceList compares two reads of a publication: every field,
// the header as JSON and the publication time as an instant.
func requireSamePriceList(t *testing.T, want, got store.PriceList) {
	t.Helper()
	require.JSONEq(t, string(want.Header), string(got.Header), "header")
	requireSameTime(t, want.PublishedAt, got.PublishedAt, "published_at")
	require.ElementsMatch(t, want.Notified, got.Notified, "notified")
	w, g := want, got
	w.Header, g.Header = nil, nil
	w.PublishedAt = g.PublishedAt
	w.Notified, g.Notified = nil, nil
	require.Equal(t, w, g)
}

// notificationData is the part of a price_change notification's data the
// checks read.
type notificationData struct {
	PriceList string             `json:"price_list"`
	Status    string             `json:"status"`
	Counts    pricelist.Counts   `json:"counts"`
	Changes   []pricelist.Change `json:"changes"`
}

// decodeNotification reads a price_change notification's data.
func decodeNotification(t *testing.T, n store.Notification) notificationData {
	t.Helper()
	require.Equal(t, store.NotificationPriceChange, n.Type)
	var d notificationData
	require.NoError(t, json.Unmarshal(n.Data, &d))
	return d
}

// skusOf lists the SKUs of changes, in order.
func skusOf(changes []pricelist.Change) []string {
	out := make([]string, len(changes))
	for i, c := range changes {
		out[i] = c.SKU
	}
	return out
}

// notificationsOf lists a partner's notifications of a type.
func (f *fixture) notificationsOf(partner, typ string) []store.Notification {
	f.t.Helper()
	ns, _, err := f.st.ListNotifications(f.ctx, store.PartnerScope(partner), store.NotificationFilter{Type: typ, Page: store.Page{Limit: 1000}})
	require.NoError(f.t, err)
	return ns
}
