package bus

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestLeaseTwoHolders(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, b *Bus) {
		ctx := t.Context()
		const key = "poll.acme"

		ok, err := b.AcquireLease(ctx, key, "hub-a", time.Minute)
		require.NoError(t, err)
		require.True(t, ok, "a free lease is taken")

		ok, err = b.AcquireLease(ctx, key, "hub-b", time.Minute)
		require.NoError(t, err)
		require.False(t, ok, "a running lease is not shared")

		ok, err = b.AcquireLease(ctx, key, "hub-a", time.Minute)
		require.NoError(t, err)
		require.True(t, ok, "the holder renews")

		require.NoError(t, b.ReleaseLease(ctx, key, "hub-b"), "releasing someone else's lease is a no-op")
		ok, err = b.AcquireLease(ctx, key, "hub-b", time.Minute)
		require.NoError(t, err)
		require.False(t, ok)

		require.NoError(t, b.ReleaseLease(ctx, key, "hub-a"))
		ok, err = b.AcquireLease(ctx, key, "hub-b", time.Minute)
		require.NoError(t, err)
		require.True(t, ok, "a released lease is free at once")

		// Other keys are independent.
		ok, err = b.AcquireLease(ctx, "poll.globex", "hub-a", time.Minute)
		require.NoError(t, err)
		require.True(t, ok)

		require.NoError(t, b.ReleaseLease(ctx, "never.taken", "hub-a"))
	})
}

func TestLeaseExpiryTakeover(t *testing.T) {
	t.Parallel()
	forEachTarget(t, func(t *testing.T, b *Bus) {
		ctx := t.Context()
		const key = "poll.acme"
		ok, err := b.AcquireLease(ctx, key, "hub-a", 300*time.Millisecond)
		require.NoError(t, err)
		require.True(t, ok)
		ok, err = b.AcquireLease(ctx, key, "hub-b", time.Minute)
		require.NoError(t, err)
		require.False(t, ok)

		require.Eventually(t, func() bool {
			ok, err := b.AcquireLease(ctx, key, "hub-b", time.Minute)
			require.NoError(t, err)
			return ok
		}, waitFor, 20*time.Millisecond, "hub-b takes over once hub-a's lease ran out")

		ok, err = b.AcquireLease(ctx, key, "hub-a", time.Minute)
		require.NoError(t, err)
		require.False(t, ok, "the old holder cannot renew what it lost")
		require.NoError(t, b.ReleaseLease(ctx, key, "hub-a"))
		ok, err = b.AcquireLease(ctx, key, "hub-c", time.Minute)
		require.NoError(t, err)
		require.False(t, ok, "the old holder's release does not free the new holder's lease")
	})
}

func TestLeaseRace(t *testing.T) {
	t.Parallel()
	b := openEmbedded(t)
	const n = 8
	wins := make(chan string, n)
	errs := make(chan error, n)
	for i := range n {
		go func() {
			holder := string(rune('a' + i))
			ok, err := b.AcquireLease(t.Context(), "poll.race", holder, time.Minute)
			if ok {
				wins <- holder
			}
			errs <- err
		}()
	}
	for range n {
		require.NoError(t, <-errs)
	}
	require.Len(t, wins, 1, "exactly one racer holds the lease")
}

func TestLeaseRejectsBadInput(t *testing.T) {
	t.Parallel()
	b := openEmbedded(t)
	_, err := b.AcquireLease(t.Context(), "k", "", time.Minute)
	require.ErrorContains(t, err, "holder")
	_, err = b.AcquireLease(t.Context(), "k", "h", 0)
	require.ErrorContains(t, err, "ttl")
	_, err = b.AcquireLease(t.Context(), "k", "h", 48*time.Hour)
	require.ErrorContains(t, err, "ttl")
	_, err = b.AcquireLease(t.Context(), "bad key*", "h", time.Minute)
	require.ErrorContains(t, err, "bad key*")
}
