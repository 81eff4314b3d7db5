package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

// alertCases check notifications with a key: RaiseAlert, ResolveAlert,
// AddNotification's alert rule and ListNotifications' Open filter.
func alertCases() []testCase {
	return []testCase{
		{"RaiseResolveRaise", testRaiseResolveRaise},
		{"AddNotificationWithKey", testAddNotificationWithKey},
		{"OpenFilter", testOpenFilter},
	}
}

func staleFeed(partner, source string) store.Notification {
	return store.Notification{
		Partner: partner, Type: store.NotificationStaleFeed, Key: "stale_feed:" + source,
		Title: "tryton sync has not succeeded for 3 hours", Link: "/api/v1/sync-runs?source=" + source,
		Data: []byte(`{"source":"` + source + `"}`),
	}
}

func testRaiseResolveRaise(t *testing.T, f *fixture) {
	f.partner("d1", "dealer")
	f.partner("d2", "dealer")
	n, raised, err := f.st.RaiseAlert(f.ctx, staleFeed("d1", "tryton"))
	require.NoError(t, err)
	require.True(t, raised)
	require.NotEmpty(t, n.ID)
	require.Equal(t, "stale_feed:tryton", n.Key)
	require.Equal(t, store.NotificationStaleFeed, n.Type)
	require.Equal(t, "/api/v1/sync-runs?source=tryton", n.Link)
	require.JSONEq(t, `{"source":"tryton"}`, string(n.Data))
	require.Nil(t, n.ResolvedAt)
	requireRecent(t, n.CreatedAt, "created_at")

	again, raised, err := f.st.RaiseAlert(f.ctx, staleFeed("d1", "tryton"))
	require.NoError(t, err)
	require.False(t, raised, "one open alert per key")
	require.Equal(t, n.ID, again.ID)
	requireSameTime(t, n.CreatedAt, again.CreatedAt, "created_at of the open alert")

	_, raised, err = f.st.RaiseAlert(f.ctx, staleFeed("d2", "tryton"))
	require.NoError(t, err)
	require.True(t, raised, "another partner's alert")
	_, raised, err = f.st.RaiseAlert(f.ctx, staleFeed("d1", "odoo"))
	require.NoError(t, err)
	require.True(t, raised, "another key")
	other := staleFeed("d1", "tryton")
	other.Type = "another_type"
	_, raised, err = f.st.RaiseAlert(f.ctx, other)
	require.NoError(t, err)
	require.True(t, raised, "another type")

	at := time.Date(2026, 3, 31, 10, 0, 0, 123456789, time.UTC)
	ok, err := f.st.ResolveAlert(f.ctx, "d1", store.NotificationStaleFeed, "stale_feed:tryton", at)
	require.NoError(t, err)
	require.True(t, ok)
	ok, err = f.st.ResolveAlert(f.ctx, "d1", store.NotificationStaleFeed, "stale_feed:tryton", at)
	require.NoError(t, err)
	require.False(t, ok, "nothing open any more")
	ok, err = f.st.ResolveAlert(f.ctx, "d1", store.NotificationStaleFeed, "stale_feed:never", at)
	require.NoError(t, err)
	require.False(t, ok)

	ns := f.notificationsOf("d1", store.NotificationStaleFeed)
	var resolved *store.Notification
	for i := range ns {
		if ns[i].ID == n.ID {
			resolved = &ns[i]
		}
	}
	require.NotNil(t, resolved)
	require.NotNil(t, resolved.ResolvedAt)
	requireSameTime(t, at.Truncate(time.Microsecond), *resolved.ResolvedAt, "resolved_at")

	next, raised, err := f.st.RaiseAlert(f.ctx, staleFeed("d1", "tryton"))
	require.NoError(t, err)
	require.True(t, raised, "a new episode after the resolution")
	require.NotEqual(t, n.ID, next.ID)

	_, _, err = f.st.RaiseAlert(f.ctx, store.Notification{Partner: "d1", Type: store.NotificationStaleFeed, Title: "no key"})
	require.Error(t, err, "an alert needs a key")
}

func testAddNotificationWithKey(t *testing.T, f *fixture) {
	f.partner("dlr", "dealer")
	first, err := f.st.AddNotification(f.ctx, staleFeed("dlr", "tryton"))
	require.NoError(t, err)
	require.Equal(t, "stale_feed:tryton", first.Key)
	second, err := f.st.AddNotification(f.ctx, staleFeed("dlr", "tryton"))
	require.NoError(t, err)
	require.Equal(t, first.ID, second.ID, "the open alert is returned, nothing stored")
	require.Len(t, f.notificationsOf("dlr", store.NotificationStaleFeed), 1)

	// Without a key, every call is a record.
	for range 2 {
		_, err := f.st.AddNotification(f.ctx, store.Notification{Partner: "dlr", Type: "message_failed", Title: "x"})
		require.NoError(t, err)
	}
	require.Len(t, f.notificationsOf("dlr", "message_failed"), 2)
}

func testOpenFilter(t *testing.T, f *fixture) {
	f.partner("dlr", "dealer")
	record, err := f.st.AddNotification(f.ctx, store.Notification{Partner: "dlr", Type: "message_failed", Title: "x"})
	require.NoError(t, err)
	open, _, err := f.st.RaiseAlert(f.ctx, staleFeed("dlr", "odoo"))
	require.NoError(t, err)
	closed, _, err := f.st.RaiseAlert(f.ctx, staleFeed("dlr", "tryton"))
	require.NoError(t, err)
	_, err = f.st.ResolveAlert(f.ctx, "dlr", store.NotificationStaleFeed, closed.Key, time.Now())
	require.NoError(t, err)

	ids := func(scope store.Scope, fl store.NotificationFilter) []string {
		t.Helper()
		ns, _, err := f.st.ListNotifications(f.ctx, scope, fl)
		require.NoError(t, err)
		out := make([]string, len(ns))
		for i, n := range ns {
			out[i] = n.ID
		}
		return out
	}
	require.Equal(t, []string{open.ID, record.ID}, ids(store.PartnerScope("dlr"), store.NotificationFilter{Open: true}))
	require.Equal(t, []string{closed.ID, open.ID, record.ID}, ids(store.PartnerScope("dlr"), store.NotificationFilter{}))
	require.Equal(t, []string{open.ID}, ids(store.OperatorScope(), store.NotificationFilter{Open: true, Type: store.NotificationStaleFeed}))
	require.Empty(t, ids(store.PartnerScope("other"), store.NotificationFilter{Open: true}))
}
