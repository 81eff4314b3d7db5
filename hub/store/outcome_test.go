package store_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

func TestDeliveryAttemptOutcome(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	due := now.Add(-time.Minute)
	later := time.Date(2025, 3, 1, 18, 30, 0, 123456789, time.FixedZone("CST", 8*3600))
	d := store.Delivery{
		ID: "dlv-1", DocumentID: "doc-1", Doctype: "order", Sender: "sup", Receiver: "dlr",
		Status: store.DeliveryPending, NextAttemptAt: due,
	}
	deadLetter := &store.DeadLetter{Kind: "delivery", RefID: "dlv-1", Partner: "sup", Receiver: "dlr",
		Reason: "HTTP 410 Gone\nbody: gone"}
	deadNote := &store.Notification{Partner: "sup", Type: "delivery_dead",
		Title: "Delivery dlv-1 of order doc-1 to dlr is dead: HTTP 410 Gone body: gone",
		Link:  "/api/v1/deliveries/dlv-1"}

	tests := []struct {
		name   string
		status store.DeliveryStatus // of the delivery before the attempt; pending when empty
		a      store.DeliveryAttempt
		want   store.AttemptOutcome
	}{
		{
			name: "delivered clears the error and keeps the due time",
			a:    store.DeliveryAttempt{Delivered: true, Error: "ignored"},
			want: store.AttemptOutcome{Status: store.DeliveryDelivered, DeliveredAt: &now, NextAttemptAt: due},
		},
		{
			name: "failed is due again at the attempt's next time, in UTC to the microsecond",
			a:    store.DeliveryAttempt{Error: "HTTP 503", NextAttemptAt: later},
			want: store.AttemptOutcome{Status: store.DeliveryFailed, LastError: "HTTP 503",
				NextAttemptAt: time.Date(2025, 3, 1, 10, 30, 0, 123456000, time.UTC)},
		},
		{
			name:   "failed without a next time is due now",
			status: store.DeliveryFailed,
			a:      store.DeliveryAttempt{Error: "timeout"},
			want:   store.AttemptOutcome{Status: store.DeliveryFailed, LastError: "timeout", NextAttemptAt: now},
		},
		{
			name: "dead keeps the error and writes a dead letter and a notification for the sender",
			a:    store.DeliveryAttempt{Dead: true, Error: "HTTP 410 Gone\nbody: gone"},
			want: store.AttemptOutcome{Status: store.DeliveryDead, LastError: "HTTP 410 Gone\nbody: gone",
				NextAttemptAt: due, DeadLetter: deadLetter, Notification: deadNote},
		},
		{
			name: "a retry without a time is available at the next attempt",
			a: store.DeliveryAttempt{Error: "HTTP 503", NextAttemptAt: later,
				Retry: &store.NewOutbox{Subject: "dealerhub.outbound.dlv-1", MsgID: "dlv-1.2"}},
			want: store.AttemptOutcome{Status: store.DeliveryFailed, LastError: "HTTP 503",
				NextAttemptAt: time.Date(2025, 3, 1, 10, 30, 0, 123456000, time.UTC),
				Retry: &store.NewOutbox{Subject: "dealerhub.outbound.dlv-1", MsgID: "dlv-1.2",
					AvailableAt: time.Date(2025, 3, 1, 10, 30, 0, 123456000, time.UTC)}},
		},
		{
			name: "a retry with a time keeps it",
			a: store.DeliveryAttempt{Error: "HTTP 503",
				Retry: &store.NewOutbox{Subject: "s", AvailableAt: later}},
			want: store.AttemptOutcome{Status: store.DeliveryFailed, LastError: "HTTP 503", NextAttemptAt: now,
				Retry: &store.NewOutbox{Subject: "s", AvailableAt: later}},
		},
		{
			name: "a retry of a dead delivery defaults to its last due time",
			a:    store.DeliveryAttempt{Dead: true, Error: "HTTP 410 Gone\nbody: gone", Retry: &store.NewOutbox{Subject: "s"}},
			want: store.AttemptOutcome{Status: store.DeliveryDead, LastError: "HTTP 410 Gone\nbody: gone",
				NextAttemptAt: due, DeadLetter: deadLetter, Notification: deadNote,
				Retry: &store.NewOutbox{Subject: "s", AvailableAt: due}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dd := d
			if tt.status != "" {
				dd.Status = tt.status
			}
			retry := tt.a.Retry
			var before store.NewOutbox
			if retry != nil {
				before = *retry
			}
			got, err := store.DeliveryAttemptOutcome(dd, tt.a, now)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
			if retry != nil {
				require.Equal(t, before, *retry, "the caller's retry is not changed")
			}
		})
	}
}

func TestDeliveryAttemptOutcomeConflict(t *testing.T) {
	t.Parallel()
	for _, st := range []store.DeliveryStatus{store.DeliveryDelivered, store.DeliveryDead, "unknown"} {
		_, err := store.DeliveryAttemptOutcome(store.Delivery{ID: "d", Status: st},
			store.DeliveryAttempt{Delivered: true}, time.Now())
		require.ErrorIs(t, err, store.ErrConflict, st)
		require.EqualError(t, err, "delivery is "+string(st)+": conflict")
	}
}

func TestMessageFailure(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		status store.MessageStatus
		errs   []store.DataError
		reason string
		title  string
	}{
		{
			name:   "one error",
			status: store.StatusFailed,
			errs:   []store.DataError{{Pointer: "/lines/0/qty", Reason: "qty must be a decimal string"}},
			reason: "qty must be a decimal string",
			title:  "Message m-1 failed: qty must be a decimal string",
		},
		{
			name:   "the first error and how many more",
			status: store.StatusFailed,
			errs:   []store.DataError{{Reason: "qty must be a decimal string"}, {Reason: "b"}, {Reason: "c"}},
			reason: "qty must be a decimal string (and 2 more)",
			title:  "Message m-1 failed: qty must be a decimal string (and 2 more)",
		},
		{
			name:   "the title is one line, the reason as given",
			status: store.StatusDead,
			errs:   []store.DataError{{Reason: "decoding:\n\tunexpected  EOF "}},
			reason: "decoding:\n\tunexpected  EOF ",
			title:  "Message m-1 dead: decoding: unexpected EOF",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.NoError(t, store.CheckMessageFailure(tt.status, tt.errs))
			dl, n := store.MessageFailureRecords("m-1", "sup", tt.status, tt.errs)
			require.Equal(t, store.DeadLetter{Kind: "message", RefID: "m-1", Partner: "sup", Reason: tt.reason}, dl)
			require.Equal(t, store.Notification{Partner: "sup", Type: "message_failed", Title: tt.title,
				Link: "/api/v1/messages/m-1"}, n)
		})
	}
}

func TestCheckMessageFailure(t *testing.T) {
	t.Parallel()
	one := []store.DataError{{Reason: "x"}}
	tests := []struct {
		status store.MessageStatus
		errs   []store.DataError
		want   string // "" for no error
	}{
		{store.StatusFailed, one, ""},
		{store.StatusDead, one, ""},
		{store.StatusDone, one, `status "done" is neither failed nor dead`},
		{"", one, `status "" is neither failed nor dead`},
		{store.StatusFailed, nil, "no errors given"},
		{store.StatusDead, []store.DataError{}, "no errors given"},
	}
	for _, tt := range tests {
		err := store.CheckMessageFailure(tt.status, tt.errs)
		if tt.want == "" {
			require.NoError(t, err, tt.status)
			continue
		}
		require.EqualError(t, err, tt.want)
	}
}

func TestDeliveryDeadRecords(t *testing.T) {
	t.Parallel()
	d := store.Delivery{ID: "x-9", DocumentID: "doc-2", Doctype: "price_list", Sender: "sup", Receiver: "dlr"}
	dl, n := store.DeliveryDeadRecords(d, "too many attempts")
	require.Equal(t, store.DeadLetter{Kind: store.DeadLetterDelivery, RefID: "x-9", Partner: "sup",
		Receiver: "dlr", Reason: "too many attempts"}, dl)
	require.Equal(t, store.Notification{Partner: "sup", Type: store.NotificationDeliveryDead,
		Title: "Delivery x-9 of price_list doc-2 to dlr is dead: too many attempts",
		Link:  "/api/v1/deliveries/x-9"}, n)
}

func TestDeliveryAttemptOutcomeRefusesDeliveredAndDead(t *testing.T) {
	t.Parallel()
	_, err := store.DeliveryAttemptOutcome(store.Delivery{Status: store.DeliveryPending},
		store.DeliveryAttempt{Delivered: true, Dead: true}, time.Now())
	require.ErrorContains(t, err, "not both")
}
