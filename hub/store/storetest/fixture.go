package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

// fixture bundles a fresh store with the helpers the checks share.
type fixture struct {
	t   *testing.T
	st  store.Store
	ctx context.Context
	seq int // makes message bodies unique within one fixture
}

func newFixture(t *testing.T, st store.Store) *fixture {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	t.Cleanup(cancel)
	return &fixture{t: t, st: st, ctx: ctx}
}

// partner upserts an enabled partner.
func (f *fixture) partner(id string, roles ...string) store.Partner {
	f.t.Helper()
	p, err := f.st.UpsertPartner(f.ctx, store.Partner{ID: id, Name: strings.ToUpper(id), Roles: roles, Enabled: true})
	require.NoError(f.t, err)
	return p
}

// inbound builds the INBOUND outbox row of a new message.
func inbound(id string) store.NewOutbox {
	return store.NewOutbox{
		Subject: "dealerhub.inbound",
		MsgID:   "in-" + id,
		Payload: []byte(`{"message_id":"` + id + `"}`),
	}
}

// newMessage is a raw message from partner with the given body.
func newMessage(partner, doctype, body string) store.NewMessage {
	return store.NewMessage{
		Partner:  partner,
		Doctype:  doctype,
		Format:   "json",
		Source:   "api",
		Filename: "upload.json",
		Mapping:  "",
		Body:     []byte(body),
	}
}

// message inserts a new, unique raw message from partner.
func (f *fixture) message(partner, doctype string) store.Message {
	f.t.Helper()
	f.seq++
	body := fmt.Sprintf(`{"seq":%d,"partner":%q}`, f.seq, partner)
	m, created, err := f.st.InsertMessage(f.ctx, newMessage(partner, doctype, body), inbound)
	require.NoError(f.t, err)
	require.True(f.t, created)
	return m
}

// body reads a stored message's body whole.
func (f *fixture) body(id string) []byte {
	f.t.Helper()
	b, err := store.ReadBody(f.ctx, f.st, store.OperatorScope(), id)
	require.NoError(f.t, err)
	return b
}

// start moves a message to processing.
func (f *fixture) start(id string) store.Message {
	f.t.Helper()
	m, started, err := f.st.StartProcessing(f.ctx, id)
	require.NoError(f.t, err)
	require.True(f.t, started)
	return m
}

// commit stores docs from a new message of partner and returns both.
func (f *fixture) commit(partner string, docs ...store.DocumentInput) (store.Message, []store.DocumentResult) {
	f.t.Helper()
	m := f.message(partner, docs[0].Doctype)
	f.start(m.ID)
	res, err := f.st.CommitMessage(f.ctx, m.ID, docs, noOutbox)
	require.NoError(f.t, err)
	require.Len(f.t, res, len(docs))
	return m, res
}

// drainOutbox claims and completes every outbox row, available or not.
func (f *fixture) drainOutbox() []store.OutboxItem {
	f.t.Helper()
	items, err := f.st.ClaimOutbox(f.ctx, time.Now().Add(365*24*time.Hour), 1000, time.Minute)
	require.NoError(f.t, err)
	ids := make([]int64, 0, len(items))
	for _, it := range items {
		ids = append(ids, it.ID)
	}
	if len(ids) > 0 {
		require.NoError(f.t, f.st.CompleteOutbox(f.ctx, ids))
	}
	return items
}

// claimOutboxNow claims what is available now, with a short lease.
func (f *fixture) claimOutboxNow() []store.OutboxItem {
	f.t.Helper()
	items, err := f.st.ClaimOutbox(f.ctx, time.Now(), 1000, time.Minute)
	require.NoError(f.t, err)
	return items
}

// claimDelivery claims a delivery that must be claimable now.
func (f *fixture) claimDelivery(id string) store.Delivery {
	f.t.Helper()
	d, claimed, err := f.st.ClaimDelivery(f.ctx, id, time.Now(), time.Minute, nil)
	require.NoError(f.t, err)
	require.True(f.t, claimed, "delivery %s should be claimable (status %s)", id, d.Status)
	return d
}

// dataErrors are two errors of a failed message.
func dataErrors() []store.DataError {
	return []store.DataError{
		{Code: "schema", Pointer: "/lines/0/qty", Reason: "qty must be a decimal string"},
		{Code: "schema", Pointer: "/lines/3/sku", Location: "row 5, column B", Reason: "sku is required"},
	}
}

func noOutbox([]store.DocumentResult) []store.NewOutbox { return nil }

// newDoc is a document input whose ContentHash is the SHA-256 of body.
func newDoc(doctype, sender, receiver, externalID, body string, deliveries ...store.NewDelivery) store.DocumentInput {
	sum := sha256.Sum256([]byte(body))
	return store.DocumentInput{
		Doctype:     doctype,
		Sender:      sender,
		Receiver:    receiver,
		ExternalID:  externalID,
		Status:      "sent",
		Body:        []byte(body),
		ContentHash: hex.EncodeToString(sum[:]),
		Deliveries:  deliveries,
	}
}

func inboxTo(receiver string) store.NewDelivery {
	return store.NewDelivery{Receiver: receiver, Channel: "inbox", Format: "json"}
}

func webhookTo(receiver string) store.NewDelivery {
	return store.NewDelivery{
		Receiver: receiver,
		Channel:  "webhook",
		Format:   "json",
		Config:   []byte(`{"url":"http://127.0.0.1:9/hook"}`),
	}
}

// deliveryOn returns the result's delivery on channel.
func deliveryOn(t *testing.T, r store.DocumentResult, channel string) store.Delivery {
	t.Helper()
	for _, d := range r.Deliveries {
		if d.Channel == channel {
			return d
		}
	}
	require.Failf(t, "no delivery", "document %s has no %s delivery", r.DocumentID, channel)
	return store.Delivery{}
}

// requireTime checks that a stored time is set, UTC and truncated to the
// microsecond, so both stores compare equal.
func requireTime(t *testing.T, ts time.Time, what string) {
	t.Helper()
	require.False(t, ts.IsZero(), "%s is zero", what)
	require.Equal(t, time.UTC, ts.Location(), "%s is not UTC", what)
	require.Zero(t, ts.Nanosecond()%1000, "%s is not truncated to the microsecond", what)
}

// requireSameTime compares two instants.
func requireSameTime(t *testing.T, want, got time.Time, what string) {
	t.Helper()
	require.True(t, want.Equal(got), "%s: want %s, got %s", what, want, got)
}

// requireRecent checks that a store-generated time is around now.
func requireRecent(t *testing.T, ts time.Time, what string) {
	t.Helper()
	requireTime(t, ts, what)
	require.WithinDuration(t, time.Now(), ts, time.Minute, what)
}

func errorsIsNotFound(t *testing.T, err error, msgAndArgs ...any) {
	t.Helper()
	require.ErrorIs(t, err, store.ErrNotFound, msgAndArgs...)
}

func errorsIsConflict(t *testing.T, err error, msgAndArgs ...any) {
	t.Helper()
	require.ErrorIs(t, err, store.ErrConflict, msgAndArgs...)
}
