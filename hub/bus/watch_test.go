package bus

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// watch runs WatchEvents in the background and returns what it has seen so
// far, and a stop that cancels it and returns its result.
func watch(t *testing.T, b *Bus, filter string, opts ...WatchOption) (seen func() []Msg, stop func() error) {
	t.Helper()
	var mu sync.Mutex
	var got []Msg
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- b.WatchEvents(ctx, filter, func(m *Msg) {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, *m)
		}, opts...)
	}()
	seen = func() []Msg {
		mu.Lock()
		defer mu.Unlock()
		return append([]Msg(nil), got...)
	}
	stop = func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(waitFor):
			t.Fatal("WatchEvents did not return after cancel")
			return nil
		}
	}
	return seen, stop
}

func TestWatchEvents(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, b *Bus) {
		pub := func(doctype, partner, id string) {
			require.NoError(t, b.Publish(t.Context(), Message{Subject: b.EventSubject(doctype, partner), ID: id, Data: []byte(id)}))
		}
		pub("order", "acme", "o1")
		pub("price_list", "acme", "p1")
		pub("order", "globex", "o2")

		seen, stop := watch(t, b, b.EventSubject("order", "*"))
		require.Eventually(t, func() bool { return len(seen()) == 2 }, waitFor, 10*time.Millisecond)
		pub("order", "acme", "o3")
		require.Eventually(t, func() bool { return len(seen()) == 3 }, waitFor, 10*time.Millisecond)
		require.NoError(t, stop())
		var ids []string
		for _, m := range seen() {
			ids = append(ids, m.ID)
			require.Equal(t, string(m.Data), m.ID)
		}
		require.Equal(t, []string{"o1", "o2", "o3"}, ids, "in stream order, filtered")

		all, stopAll := watch(t, b, "")
		require.Eventually(t, func() bool { return len(all()) == 4 }, waitFor, 10*time.Millisecond)
		require.NoError(t, stopAll())

		since := time.Now()
		pub("order", "acme", "o4")
		fresh, stopFresh := watch(t, b, b.EventSubject("order", "acme"), WatchSince(since))
		require.Eventually(t, func() bool { return len(fresh()) == 1 }, waitFor, 10*time.Millisecond)
		require.NoError(t, stopFresh())
		require.Equal(t, "o4", fresh()[0].ID)
	})
}
