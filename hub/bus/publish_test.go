package bus

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPublishDeduplicatesByID(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, b *Bus) {
		m := Message{Subject: b.EventSubject("order", "acme"), ID: "ev-1", Data: []byte(`{"n":1}`)}
		require.NoError(t, b.Publish(t.Context(), m))
		require.NoError(t, b.Publish(t.Context(), m))
		require.Equal(t, uint64(1), streamMsgs(t, b, StreamEvents))

		m.ID = "ev-2"
		require.NoError(t, b.Publish(t.Context(), m))
		require.Equal(t, uint64(2), streamMsgs(t, b, StreamEvents))
	})
}

func TestPublishRejectsUnroutableSubject(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, b *Bus) {
		err := b.Publish(t.Context(), Message{Subject: "nowhere.at.all", ID: "x"})
		require.ErrorContains(t, err, "nowhere.at.all")
		err = b.Publish(t.Context(), Message{ID: "y"})
		require.ErrorContains(t, err, "no subject")
	})
}

func TestPublishBatchAcksEveryMessage(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, b *Bus) {
		const n = 10_000
		ms := make([]Message, n)
		for i := range ms {
			ms[i] = Message{
				Subject: b.InboundSubject("stock_level", fmt.Sprintf("p%d", i%7)),
				ID:      fmt.Sprintf("in-%d", i),
				Data:    []byte(`{"qty":"1"}`),
			}
		}
		require.NoError(t, b.PublishBatch(t.Context(), ms))
		require.Equal(t, uint64(n), streamMsgs(t, b, StreamInbound))

		// Re-sending the same batch is absorbed by the duplicate window.
		require.NoError(t, b.PublishBatch(t.Context(), ms[:1000]))
		require.Equal(t, uint64(n), streamMsgs(t, b, StreamInbound))
	})
}

func TestPublishBatchReportsEachFailure(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, b *Bus) {
		ms := []Message{
			{Subject: b.EventSubject("order", "acme"), ID: "ok-1"},
			{Subject: "nowhere.at.all", ID: "bad-subject"},
			{ID: "no-subject"},
			{Subject: b.EventSubject("order", "acme"), ID: "ok-2"},
		}
		err := b.PublishBatch(t.Context(), ms)
		require.Error(t, err)
		require.ErrorContains(t, err, `nowhere.at.all (id "bad-subject")`)
		require.ErrorContains(t, err, `(id "no-subject")`)
		require.NotContains(t, err.Error(), "ok-1")
		require.NotContains(t, err.Error(), "ok-2")
		require.Equal(t, uint64(2), streamMsgs(t, b, StreamEvents))
	})
}

func TestPublishBatchStopsWhenContextEnds(t *testing.T) {
	t.Parallel()
	b := openEmbedded(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err := b.PublishBatch(ctx, []Message{{Subject: b.EventSubject("order", "acme"), ID: "a"}})
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorContains(t, err, "1 of 1 messages not confirmed")
}
