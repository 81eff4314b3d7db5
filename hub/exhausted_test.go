package hub_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/hubtest"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/hub/store/sqlitestore"
)

// faultyStore is the real SQLite store with its commits failing while
// broken is set: a transient fault such as a database that is down.
type faultyStore struct {
	store.Store
	broken  atomic.Bool
	commits atomic.Int32
}

func (f *faultyStore) CommitMessage(ctx context.Context, id string, docs []store.DocumentInput, outbox store.OutboxFunc) ([]store.DocumentResult, error) {
	return f.CommitPartial(ctx, id, docs, nil, outbox)
}

func (f *faultyStore) CommitPartial(ctx context.Context, id string, docs []store.DocumentInput, rejected []store.DataError, outbox store.OutboxFunc) ([]store.DocumentResult, error) {
	f.commits.Add(1)
	if f.broken.Load() {
		return nil, errors.New("database is unavailable")
	}
	return f.Store.CommitPartial(ctx, id, docs, rejected, outbox)
}

// A message whose processing keeps failing for a transient reason is retried
// a bounded number of times, then dead-lettered; once the cause is gone a
// replay completes it.
func TestTransientFailureExhaustsThenReplays(t *testing.T) {
	ctx := context.Background()
	real, err := sqlitestore.Open(ctx, t.TempDir()+"/dealerhub.db")
	require.NoError(t, err)
	t.Cleanup(func() { real.Close() })
	st := &faultyStore{Store: real}
	st.broken.Store(true)
	env := hubtest.New(t, hubtest.Options{Store: st, MaxDeliver: 3})

	rcpt := submitOne(t, env, "dealer-a", "order", order("PO-T", "supplier-a", "1"))
	m := env.WaitMessage(t, rcpt.MessageID, store.StatusDead)
	require.EqualValues(t, 3, st.commits.Load(), "tried exactly MaxDeliver times")
	require.Equal(t, 3, m.Attempts)
	require.Len(t, m.Errors, 1)
	require.Contains(t, m.Errors[0].Reason, "database is unavailable")
	dls, _, err := env.Hub.ListDeadLetters(ctx, env.Principal("dealer-a"), store.DeadLetterFilter{Kind: "message"})
	require.NoError(t, err)
	require.Len(t, dls, 1)

	st.broken.Store(false)
	_, err = env.Hub.ReplayMessage(ctx, env.Principal(""), rcpt.MessageID)
	require.NoError(t, err)
	m = env.WaitMessage(t, rcpt.MessageID, store.StatusDone)
	require.Len(t, m.DocumentIDs, 1)
	items, _, err := env.Hub.Inbox(ctx, env.Principal("supplier-a"), store.Page{})
	require.NoError(t, err)
	require.Len(t, items, 1, "exactly one delivery after the replay")
}
