package pgstore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/hub/store/pgstore"
	"github.com/dealerhub/dealerhub/hub/store/pgstore/pgtest"
)

// testCtx bounds a test's database calls.
func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// rawConn connects straight to a schema URL, to look under the store.
func rawConn(t *testing.T, ctx context.Context, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

func TestMigrationsApplyOnceUnderConcurrentOpen(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	url := pgtest.NewSchemaURL(t)
	const n = 4
	stores := make([]*pgstore.Store, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { stores[i], errs[i] = pgstore.Open(ctx, url) })
	}
	wg.Wait()
	for i := range n {
		require.NoError(t, errs[i], "open %d", i)
		t.Cleanup(func() { _ = stores[i].Close() })
	}

	// Reopening applies nothing new.
	again, err := pgstore.Open(ctx, url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = again.Close() })

	conn := rawConn(t, ctx, url)
	var rows, distinct int
	require.NoError(t, conn.QueryRow(ctx, `SELECT count(*), count(DISTINCT version) FROM schema_migrations`).Scan(&rows, &distinct))
	require.Equal(t, distinct, rows)
	require.GreaterOrEqual(t, rows, 1)
	var name string
	require.NoError(t, conn.QueryRow(ctx, `SELECT name FROM schema_migrations WHERE version = 1`).Scan(&name))
	require.Equal(t, "0001_init.sql", name)

	// Every store works on the one schema.
	_, err = stores[0].UpsertPartner(ctx, store.Partner{ID: "acme", Name: "Acme", Enabled: true})
	require.NoError(t, err)
	p, err := again.GetPartner(ctx, "acme")
	require.NoError(t, err)
	require.Equal(t, "Acme", p.Name)
}

func TestSchemasAreIsolated(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	a, b := newStore(t), newStore(t)
	_, err := a.UpsertPartner(ctx, store.Partner{ID: "only-in-a", Enabled: true})
	require.NoError(t, err)
	_, err = b.GetPartner(ctx, "only-in-a")
	require.ErrorIs(t, err, store.ErrNotFound)
	list, err := b.ListPartners(ctx)
	require.NoError(t, err)
	require.Empty(t, list)
}

// committedWebhook commits one document with a webhook delivery and returns
// the delivery.
func committedWebhook(t *testing.T, ctx context.Context, st *pgstore.Store) store.Delivery {
	t.Helper()
	for _, id := range []string{"sup", "dlr"} {
		_, err := st.UpsertPartner(ctx, store.Partner{ID: id, Enabled: true})
		require.NoError(t, err)
	}
	m, created, err := st.InsertMessage(ctx, store.NewMessage{Partner: "sup", Doctype: "order_response", Format: "json",
		Source: "api", Body: []byte(`{"external_id":"OR-1"}`)}, nil)
	require.NoError(t, err)
	require.True(t, created)
	res, err := st.CommitMessage(ctx, m.ID, []store.DocumentInput{{
		Doctype: "order_response", Sender: "sup", Receiver: "dlr", ExternalID: "OR-1",
		Body: []byte(`{"external_id":"OR-1"}`), ContentHash: "h1",
		Deliveries: []store.NewDelivery{{Receiver: "dlr", Channel: "webhook", Format: "json"}},
	}}, nil)
	require.NoError(t, err)
	require.Len(t, res, 1)
	require.Len(t, res[0].Deliveries, 1)
	return res[0].Deliveries[0]
}

func TestConcurrentClaimDeliveryHasOneWinner(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	st := newStore(t)
	d := committedWebhook(t, ctx, st)

	const n = 8
	claimed := make([]bool, n)
	errs := make([]error, n)
	gate := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-gate
			_, claimed[i], errs[i] = st.ClaimDelivery(ctx, d.ID, time.Now(), time.Minute, nil)
		})
	}
	close(gate)
	wg.Wait()
	winners := 0
	for i := range n {
		require.NoError(t, errs[i])
		if claimed[i] {
			winners++
		}
	}
	require.Equal(t, 1, winners)

	// Once the lease has expired, the delivery can be claimed again.
	_, ok, err := st.ClaimDelivery(ctx, d.ID, time.Now().Add(2*time.Minute), time.Minute, nil)
	require.NoError(t, err)
	require.True(t, ok)
}

func TestInvalidCursorIsAnError(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	st := newStore(t)
	op := store.OperatorScope()
	for _, c := range []string{"%%%", "bm90LWEtY3Vyc29y", "MTIzfA"} { // not base64; "not-a-cursor"; "123|"
		_, _, err := st.ListMessages(ctx, op, store.MessageFilter{Page: store.Page{Cursor: c}})
		require.Error(t, err, "cursor %q", c)
		_, _, err = st.ListInbox(ctx, "dlr", store.Page{Cursor: c})
		require.Error(t, err, "cursor %q", c)
	}
}

func TestPageLimitDefaultAndCap(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	url := pgtest.NewSchemaURL(t)
	st, err := pgstore.Open(ctx, url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	conn := rawConn(t, ctx, url)
	// 1005 rows in one statement; one per microsecond so the order is total.
	_, err = conn.Exec(ctx, `INSERT INTO notifications (id, partner, type, title, created_at)
		SELECT lpad(i::text, 8, '0'), 'dlr', 'low_stock', 'n' || i,
			timestamptz '2026-01-01 00:00:00+00' + i * interval '1 microsecond'
		FROM generate_series(1, 1005) AS i`)
	require.NoError(t, err)

	sc := store.PartnerScope("dlr")
	page, next, err := st.ListNotifications(ctx, sc, store.NotificationFilter{})
	require.NoError(t, err)
	require.Len(t, page, 100, "limit 0 means 100")
	require.NotEmpty(t, next)
	require.Equal(t, "00001005", page[0].ID, "newest first")

	page, next, err = st.ListNotifications(ctx, sc, store.NotificationFilter{Page: store.Page{Limit: 5000}})
	require.NoError(t, err)
	require.Len(t, page, 1000, "capped at 1000")
	require.NotEmpty(t, next)
	rest, last, err := st.ListNotifications(ctx, sc, store.NotificationFilter{Page: store.Page{Limit: 5000, Cursor: next}})
	require.NoError(t, err)
	require.Len(t, rest, 5)
	require.Empty(t, last, "the last page has no cursor")
	require.Equal(t, "00000005", rest[0].ID)
	require.Equal(t, "00000001", rest[4].ID)
}

func TestScopeWithoutPartnerSeesNothing(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	st := newStore(t)
	d := committedWebhook(t, ctx, st)
	var nobody store.Scope
	docs, _, err := st.ListDocuments(ctx, nobody, store.DocumentFilter{})
	require.NoError(t, err)
	require.Empty(t, docs)
	_, err = st.GetDelivery(ctx, nobody, d.ID)
	require.ErrorIs(t, err, store.ErrNotFound)
	_, err = st.GetDocument(ctx, nobody, d.DocumentID)
	require.ErrorIs(t, err, store.ErrNotFound)
	msgs, _, err := st.ListMessages(ctx, nobody, store.MessageFilter{})
	require.NoError(t, err)
	require.Empty(t, msgs)
}

func TestBodiesAreJSONB(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	url := pgtest.NewSchemaURL(t)
	st, err := pgstore.Open(ctx, url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	d := committedWebhook(t, ctx, st)
	conn := rawConn(t, ctx, url)
	var ext string
	require.NoError(t, conn.QueryRow(ctx, `SELECT body->>'external_id' FROM documents WHERE id = $1`, d.DocumentID).Scan(&ext))
	require.Equal(t, "OR-1", ext)
}
