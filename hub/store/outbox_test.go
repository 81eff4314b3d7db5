package store_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

func TestOutboxRow(t *testing.T) {
	t.Parallel()
	at := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	later := time.Date(2025, 3, 1, 19, 0, 0, 999, time.FixedZone("CST", 8*3600))
	tests := []struct {
		name string
		in   store.NewOutbox
		want store.NewOutbox
		err  string
	}{
		{"zero AvailableAt means at",
			store.NewOutbox{Subject: "s", MsgID: "m", Payload: []byte("p")},
			store.NewOutbox{Subject: "s", MsgID: "m", Payload: []byte("p"), AvailableAt: at}, ""},
		{"a set AvailableAt is kept, in UTC to the microsecond",
			store.NewOutbox{Subject: "s", AvailableAt: later},
			store.NewOutbox{Subject: "s", AvailableAt: time.Date(2025, 3, 1, 11, 0, 0, 0, time.UTC)}, ""},
		{"no subject is refused", store.NewOutbox{MsgID: "m-7"}, store.NewOutbox{},
			`outbox row 3 (msg id "m-7") has no subject`},
	}
	for _, tt := range tests {
		got, err := store.OutboxRow(3, tt.in, at)
		if tt.err != "" {
			require.EqualError(t, err, tt.err, tt.name)
			continue
		}
		require.NoError(t, err, tt.name)
		require.Equal(t, tt.want, got, tt.name)
	}
}

func TestSortOutbox(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	items := []store.OutboxItem{
		{ID: 4, AvailableAt: t0.Add(time.Second)},
		{ID: 9, AvailableAt: t0},
		{ID: 2, AvailableAt: t0.Add(time.Second)},
		{ID: 1, AvailableAt: t0.Add(time.Minute)},
	}
	store.SortOutbox(items)
	var ids []int64
	for _, it := range items {
		ids = append(ids, it.ID)
	}
	require.Equal(t, []int64{9, 2, 4, 1}, ids, "oldest AvailableAt first, then id")
}
