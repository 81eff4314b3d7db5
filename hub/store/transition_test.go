package store_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

func TestMessageGuards(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status         store.MessageStatus
		finish, replay bool
	}{
		{store.StatusReceived, true, true},
		{store.StatusProcessing, true, false},
		{store.StatusDone, false, true},
		{store.StatusFailed, false, true},
		{store.StatusDead, false, true},
	}
	for _, tt := range tests {
		check(t, store.CheckMessageFinish(tt.status), tt.finish, "message is "+string(tt.status)+": conflict")
		check(t, store.CheckMessageReplay(tt.status), tt.replay, "message is processing: conflict")
	}
}

func TestDeliveryGuards(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status          store.DeliveryStatus
		attempt, replay bool
	}{
		{store.DeliveryPending, true, false},
		{store.DeliveryFailed, true, true},
		{store.DeliveryDelivered, false, false},
		{store.DeliveryDead, false, true},
	}
	for _, tt := range tests {
		want := "delivery is " + string(tt.status) + ": conflict"
		check(t, store.CheckDeliveryAttempt(tt.status), tt.attempt, want)
		check(t, store.CheckDeliveryReplay(tt.status), tt.replay, want)
	}
}

// check asserts that err is nil when allowed, else an ErrConflict with
// message want.
func check(t *testing.T, err error, allowed bool, want string) {
	t.Helper()
	if allowed {
		require.NoError(t, err)
		return
	}
	require.ErrorIs(t, err, store.ErrConflict)
	require.EqualError(t, err, want)
}
