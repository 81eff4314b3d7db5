package pgstore_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/hub/store/pgstore"
	"github.com/dealerhub/dealerhub/hub/store/pgstore/pgtest"
)

// plFixture is a store with a supplier (acme), another supplier (globex),
// four dealers of acme and a partner without any relationship (stranger).
type plFixture struct {
	t   testing.TB
	ctx context.Context
	st  *pgstore.Store
	raw *pgx.Conn
	n   int // makes message bodies unique
}

func newPLFixture(t testing.TB) *plFixture {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	url := pgtest.NewSchemaURL(t)
	st, err := pgstore.Open(ctx, url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	raw, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = raw.Close(context.Background()) })
	f := &plFixture{t: t, ctx: ctx, st: st, raw: raw}
	f.partner("acme", "supplier")
	f.partner("globex", "supplier")
	for _, d := range []string{"d-none", "d-order", "d-stock", "d-xref"} {
		f.partner(d, "dealer")
		require.NoError(t, st.UpsertRelationship(ctx, store.Relationship{Dealer: d, Supplier: "acme"}))
	}
	f.partner("stranger", "dealer")
	return f
}

func (f *plFixture) partner(id string, roles ...string) {
	f.t.Helper()
	_, err := f.st.UpsertPartner(f.ctx, store.Partner{ID: id, Name: strings.ToUpper(id), Roles: roles, Enabled: true})
	require.NoError(f.t, err)
}

// message inserts a new raw message of partner and starts processing it.
func (f *plFixture) message(partner, doctype string) store.Message {
	f.t.Helper()
	f.n++
	m, created, err := f.st.InsertMessage(f.ctx, store.NewMessage{Partner: partner, Doctype: doctype, Format: "csv",
		Body: fmt.Appendf(nil, "message %d", f.n)}, nil)
	require.NoError(f.t, err)
	require.True(f.t, created)
	m, started, err := f.st.StartProcessing(f.ctx, m.ID)
	require.NoError(f.t, err)
	require.True(f.t, started)
	return m
}

// count runs a count(*) query under the store.
func (f *plFixture) count(sql string, args ...any) int {
	f.t.Helper()
	var n int
	require.NoError(f.t, f.raw.QueryRow(f.ctx, sql, args...).Scan(&n))
	return n
}

// lines builds lines "SKU:price" in the order given, unit EA.
func lines(specs ...string) []store.PriceLine {
	out := make([]store.PriceLine, len(specs))
	for i, s := range specs {
		sku, price, _ := strings.Cut(s, ":")
		out[i] = line(i+1, sku, price)
	}
	return out
}

// line is one line with its canonical body.
func line(no int, sku, price string) store.PriceLine {
	body, _ := json.Marshal(map[string]string{"sku": sku, "unit": "EA", "unit_price": price})
	return store.PriceLine{LineNo: no, SKU: sku, Unit: "EA", UnitPrice: price, Body: body}
}

// pub is one price list to publish; zero fields take the defaults of
// plFixture.publish.
type pub struct {
	supplier, externalID, currency, validFrom, validTo, today string
	lines                                                     []store.PriceLine
	batch                                                     int
	rejected                                                  []store.DataError
	rejectedSKUs                                              []string
	// write replaces the default writer (which puts lines in batches).
	write func(ctx context.Context, put func([]store.PriceLine) error) error
}

// published is what plFixture.publish saw.
type published struct {
	store.PriceListResult
	msg         store.Message
	outboxCalls int
}

// header is the header and content hash of p.
func (p pub) header() store.PriceListHeader {
	doc := map[string]any{"sender": p.supplier, "external_id": p.externalID, "currency": p.currency,
		"valid_from": p.validFrom}
	if p.validTo != "" {
		doc["valid_to"] = p.validTo
	}
	body, _ := json.Marshal(doc)
	h := sha256.New()
	h.Write(body)
	for _, l := range p.lines {
		h.Write(l.Body)
	}
	return store.PriceListHeader{ExternalID: p.externalID, Currency: p.currency, ValidFrom: p.validFrom,
		ValidTo: p.validTo, Body: body, ContentHash: hex.EncodeToString(h.Sum(nil)),
		Rejected: p.rejected, RejectedSKUs: p.rejectedSKUs}
}

// publish publishes p from a new message of its supplier. Defaults:
// supplier acme, PL-1, EUR, valid from 2026-01-01, today 2026-01-15,
// batches of 1000.
func (f *plFixture) publish(p pub) (published, error) {
	f.t.Helper()
	p.supplier = cmpOr(p.supplier, "acme")
	p.externalID = cmpOr(p.externalID, "PL-1")
	p.currency = cmpOr(p.currency, "EUR")
	p.validFrom = cmpOr(p.validFrom, "2026-01-01")
	p.today = cmpOr(p.today, "2026-01-15")
	if p.batch == 0 {
		p.batch = 1000
	}
	out := published{msg: f.message(p.supplier, "price_list")}
	write := p.write
	if write == nil {
		write = func(_ context.Context, put func([]store.PriceLine) error) error {
			for i := 0; i < len(p.lines); i += p.batch {
				if err := put(p.lines[i:min(i+p.batch, len(p.lines))]); err != nil {
					return err
				}
			}
			return nil
		}
	}
	var err error
	out.PriceListResult, err = f.st.PublishPriceList(f.ctx, store.PriceListPublish{
		MessageID: out.msg.ID, Supplier: p.supplier, Today: p.today,
		Write: func(ctx context.Context, put func([]store.PriceLine) error) (store.PriceListHeader, error) {
			return p.header(), write(ctx, put)
		},
		Outbox: func(r store.PriceListResult) []store.NewOutbox {
			out.outboxCalls++
			return []store.NewOutbox{{Subject: "dealerhub.event.price_list." + r.PriceList.Supplier,
				MsgID: "price-list-" + r.PriceList.ID}}
		},
	})
	return out, err
}

// mustPublish publishes p and fails the test on error.
func (f *plFixture) mustPublish(p pub) published {
	f.t.Helper()
	out, err := f.publish(p)
	require.NoError(f.t, err)
	return out
}

// commitDoc stores one document from a new message of its sender.
func (f *plFixture) commitDoc(doc store.DocumentInput) {
	f.t.Helper()
	m := f.message(doc.Sender, doc.Doctype)
	_, err := f.st.CommitMessage(f.ctx, m.ID, []store.DocumentInput{doc}, nil)
	require.NoError(f.t, err)
}

// stockLevel stores a dealer's stock level of sku naming supplier.
func (f *plFixture) stockLevel(dealer, supplier, sku string) {
	f.t.Helper()
	body, _ := json.Marshal(map[string]string{"sender": dealer, "sku": sku, "supplier": supplier, "on_hand": "3"})
	f.commitDoc(store.DocumentInput{Doctype: "stock_level", Sender: dealer, ExternalID: "main/" + sku + "/" + supplier,
		Body: body, ContentHash: string(body)})
}

// order stores a dealer's order to supplier with lines of skus.
func (f *plFixture) order(dealer, supplier, externalID string, skus ...string) {
	f.t.Helper()
	var ls []map[string]string
	for i, sku := range skus {
		ls = append(ls, map[string]string{"line_no": fmt.Sprint(i + 1), "sku": sku, "quantity": "1"})
	}
	body, _ := json.Marshal(map[string]any{"sender": dealer, "receiver": supplier, "external_id": externalID, "lines": ls})
	f.commitDoc(store.DocumentInput{Doctype: "order", Sender: dealer, Receiver: supplier, ExternalID: externalID,
		Body: body, ContentHash: string(body)})
}

// allChanges reads every change of a publication, limit at a time.
func (f *plFixture) allChanges(id string, limit int) []store.PriceChange {
	f.t.Helper()
	var all []store.PriceChange
	cursor := ""
	for {
		page, next, err := f.st.ListPriceListChanges(f.ctx, store.OperatorScope(), id, store.Page{Cursor: cursor, Limit: limit})
		require.NoError(f.t, err)
		all = append(all, page...)
		if next == "" {
			return all
		}
		require.Len(f.t, page, limit, "a page before the last is full")
		cursor = next
	}
}

// allLines reads every line of a publication, limit at a time.
func (f *plFixture) allLines(id string, limit int) []store.PriceLine {
	f.t.Helper()
	var all []store.PriceLine
	cursor := ""
	for {
		page, next, err := f.st.ListPriceListLines(f.ctx, store.OperatorScope(), id, store.Page{Cursor: cursor, Limit: limit})
		require.NoError(f.t, err)
		all = append(all, page...)
		if next == "" {
			return all
		}
		require.Len(f.t, page, limit, "a page before the last is full")
		cursor = next
	}
}

func cmpOr(s, dflt string) string {
	if s == "" {
		return dflt
	}
	return s
}
