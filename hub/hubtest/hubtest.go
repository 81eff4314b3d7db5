// Package hubtest starts a real hub for tests: the embedded SQLite store (or
// PostgreSQL) and an embedded NATS server in a temporary directory, with
// seeded partners and API keys, and its workers running.
//
//	env := hubtest.New(t)
//	rcpt, err := env.Hub.Submit(ctx, env.Principal("dealer-a"), "order", docs)
//	env.WaitMessage(t, rcpt[0].MessageID, store.StatusDone)
package hubtest

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/bus"
	"github.com/dealerhub/dealerhub/hub/config"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/hub/store/pgstore"
	"github.com/dealerhub/dealerhub/hub/store/pgstore/pgtest"
	"github.com/dealerhub/dealerhub/hub/store/sqlitestore"
	"github.com/dealerhub/dealerhub/schemas"
)

// Env is a running hub with seeded partners.
type Env struct {
	Hub   *hub.Hub
	Store store.Store
	Bus   *bus.Bus
	// OperatorKey is an operator API key.
	OperatorKey string
	keys        map[string]string
}

// Options changes what New builds.
type Options struct {
	// Postgres selects PostgreSQL (a fresh schema) instead of SQLite.
	Postgres bool
	// Config gives routes and the delivery policy.
	Config *config.Config
	// Sinks are added to the hub by channel name.
	Sinks map[string]connectors.Sink
	// Decoders are added to the hub by format name.
	Decoders map[string]hub.Decoder
	// MaxDeliver bounds inbound redelivery (default 3, to keep tests quick).
	MaxDeliver int
	// Store, when set, is used instead of a new one (and not closed).
	Store store.Store
}

// Partners seeded by New: a supplier, two dealers (dealer-a buys from
// supplier-a and shares stock and sales; dealer-b buys from no one) and a
// logistics partner.
var Partners = []store.Partner{
	{ID: "supplier-a", Name: "Supplier A", Roles: []string{"supplier"}, Enabled: true},
	{ID: "dealer-a", Name: "Dealer A", Roles: []string{"dealer"}, Enabled: true},
	{ID: "dealer-b", Name: "Dealer B", Roles: []string{"dealer"}, Enabled: true},
	{ID: "carrier-a", Name: "Carrier A", Roles: []string{"logistics"}, Enabled: true},
}

// New starts a hub for the test and stops it in t.Cleanup.
func New(t testing.TB, opts ...Options) *Env {
	t.Helper()
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.MaxDeliver == 0 {
		o.MaxDeliver = 3
	}
	ctx := context.Background()
	dir := t.TempDir()
	st := o.Store
	if st == nil {
		var err error
		if o.Postgres {
			st, err = pgstore.Open(ctx, pgtest.NewSchemaURL(t))
		} else {
			st, err = sqlitestore.Open(ctx, filepath.Join(dir, "dealerhub.db"))
		}
		require.NoError(t, err)
		t.Cleanup(func() { st.Close() })
	}
	b, err := bus.Open(ctx, bus.Config{DataDir: filepath.Join(dir, "nats"), Name: t.Name()})
	require.NoError(t, err)
	t.Cleanup(func() { b.Close() })
	reg, err := schemas.New()
	require.NoError(t, err)

	for _, p := range Partners {
		_, err := st.UpsertPartner(ctx, p)
		require.NoError(t, err)
	}
	require.NoError(t, st.UpsertRelationship(ctx, store.Relationship{Dealer: "dealer-a", Supplier: "supplier-a", SharesStock: true, SharesSales: true}))

	level := slog.LevelWarn
	if os.Getenv("DEALERHUB_TEST_LOG") != "" {
		level = slog.LevelDebug
	}
	h, err := hub.New(hub.Options{
		Store:         st,
		Bus:           b,
		Schemas:       reg,
		Config:        o.Config,
		Sinks:         o.Sinks,
		Decoders:      o.Decoders,
		Logger:        slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})),
		MaxDeliver:    o.MaxDeliver,
		AckWait:       5 * time.Second,
		RecoveryAfter: time.Minute,
	})
	require.NoError(t, err)

	env := &Env{Hub: h, Store: st, Bus: b, keys: map[string]string{}}
	for _, p := range Partners {
		key, _, err := hub.CreateAPIKey(ctx, st, p.ID, false, "test")
		require.NoError(t, err)
		env.keys[p.ID] = key
	}
	env.OperatorKey, _, err = hub.CreateAPIKey(ctx, st, "", true, "test operator")
	require.NoError(t, err)

	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- h.Run(runCtx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("hub stopped with an error: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Errorf("hub did not stop within 30s")
		}
	})
	return env
}

// Key returns the API key of a seeded partner.
func (e *Env) Key(partner string) string { return e.keys[partner] }

// Principal returns the principal of a seeded partner, or an operator for "".
func (e *Env) Principal(partner string) hub.Principal {
	if partner == "" {
		return hub.Principal{Operator: true}
	}
	return hub.Principal{Partner: partner}
}

// WaitMessage polls until the message has status (or fails the test after
// 60 s, showing where it is: a loaded CI machine running every package's
// tests at once processes a thousand messages under -race in about 20 s).
func (e *Env) WaitMessage(t testing.TB, id string, status store.MessageStatus) store.Message {
	t.Helper()
	var m store.Message
	require.Eventually(t, func() bool {
		var err error
		m, err = e.Store.GetMessage(context.Background(), store.OperatorScope(), id)
		return err == nil && m.Status == status
	}, 60*time.Second, 10*time.Millisecond, "message %s did not reach %s (now %s, errors %v)", id, status, m.Status, m.Errors)
	return m
}

// WaitDelivery polls until the delivery has status.
func (e *Env) WaitDelivery(t testing.TB, id string, status store.DeliveryStatus) store.Delivery {
	t.Helper()
	var d store.Delivery
	require.Eventually(t, func() bool {
		var err error
		d, err = e.Store.GetDelivery(context.Background(), store.OperatorScope(), id)
		return err == nil && d.Status == status
	}, 30*time.Second, 10*time.Millisecond, "delivery %s did not reach %s (now %s, attempts %d, error %q)", id, status, d.Status, d.Attempts, d.LastError)
	return d
}
