package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

// webhookDelivery commits a document from sup to dlr with a webhook and an
// inbox delivery and returns both.
func (f *fixture) webhookDelivery(externalID string) (hook, inbox store.Delivery) {
	f.t.Helper()
	_, res := f.commit("sup", newDoc("order_response", "sup", "dlr", externalID, `{"external_id":"`+externalID+`"}`, webhookTo("dlr"), inboxTo("dlr")))
	f.drainOutbox()
	return deliveryOn(f.t, res[0], "webhook"), deliveryOn(f.t, res[0], "inbox")
}

func deliveryCases() []testCase {
	return []testCase{
		{"ClaimStoresWatchdog", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			f.partner("dlr", "dealer")
			hook, _ := f.webhookDelivery("OR-WD")
			f.drainOutbox()

			now := time.Now().UTC().Truncate(time.Microsecond)
			wd := store.NewOutbox{Subject: "dealerhub.outbound.webhook.dlr", MsgID: "watchdog-1", Payload: []byte(`{"delivery_id":"x"}`), AvailableAt: now.Add(time.Minute)}
			_, claimed, err := f.st.ClaimDelivery(f.ctx, hook.ID, now, time.Minute, &wd)
			require.NoError(t, err)
			require.True(t, claimed)
			require.Empty(t, f.claimOutboxNow(), "the watchdog is due when the lease ends, not before")

			// A refused claim (the lease lives) stores no watchdog.
			wd2 := wd
			wd2.MsgID = "watchdog-2"
			_, claimed, err = f.st.ClaimDelivery(f.ctx, hook.ID, now.Add(time.Second), time.Minute, &wd2)
			require.NoError(t, err)
			require.False(t, claimed)

			items := f.drainOutbox()
			require.Len(t, items, 1)
			require.Equal(t, "watchdog-1", items[0].MsgID)
			require.Equal(t, wd.Subject, items[0].Subject)
			require.True(t, items[0].AvailableAt.Equal(now.Add(time.Minute)), "available at %s", items[0].AvailableAt)
		}},
		{"ClaimRules", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			f.partner("dlr", "dealer")
			hook, inbox := f.webhookDelivery("OR-1")

			d, claimed, err := f.st.ClaimDelivery(f.ctx, inbox.ID, time.Now(), time.Minute, nil)
			require.NoError(t, err)
			require.False(t, claimed, "inbox deliveries are read by the receiver, not claimed")
			require.Equal(t, inbox.ID, d.ID)
			require.Equal(t, store.DeliveryPending, d.Status)

			now := time.Now()
			d, claimed, err = f.st.ClaimDelivery(f.ctx, hook.ID, now, time.Minute, nil)
			require.NoError(t, err)
			require.True(t, claimed)
			require.Equal(t, hook.ID, d.ID)
			require.Equal(t, "dlr", d.Receiver)
			require.JSONEq(t, `{"url":"http://127.0.0.1:9/hook"}`, string(d.Config))

			_, claimed, err = f.st.ClaimDelivery(f.ctx, hook.ID, now.Add(30*time.Second), time.Minute, nil)
			require.NoError(t, err)
			require.False(t, claimed, "the lease still lives")
			d, claimed, err = f.st.ClaimDelivery(f.ctx, hook.ID, now.Add(2*time.Minute), time.Minute, nil)
			require.NoError(t, err)
			require.True(t, claimed, "an expired lease can be taken over")
			require.Zero(t, d.Attempts, "claiming is not an attempt")

			// Failed with a next attempt in the future: not claimable before it.
			next := time.Now().Add(time.Hour).UTC().Truncate(time.Microsecond)
			_, err = f.st.RecordDeliveryAttempt(f.ctx, store.DeliveryAttempt{DeliveryID: hook.ID, Error: "HTTP 503", NextAttemptAt: next})
			require.NoError(t, err)
			_, claimed, err = f.st.ClaimDelivery(f.ctx, hook.ID, time.Now(), time.Minute, nil)
			require.NoError(t, err)
			require.False(t, claimed, "next attempt is in the future")
			d, claimed, err = f.st.ClaimDelivery(f.ctx, hook.ID, next, time.Minute, nil)
			require.NoError(t, err)
			require.True(t, claimed, "a failed delivery is claimable at its next attempt")
			require.Equal(t, store.DeliveryFailed, d.Status)

			_, err = f.st.RecordDeliveryAttempt(f.ctx, store.DeliveryAttempt{DeliveryID: hook.ID, Delivered: true, ContentType: "application/json", SentBody: []byte("{}")})
			require.NoError(t, err)
			_, claimed, err = f.st.ClaimDelivery(f.ctx, hook.ID, next.Add(time.Hour), time.Minute, nil)
			require.NoError(t, err)
			require.False(t, claimed, "delivered is final")

			_, _, err = f.st.ClaimDelivery(f.ctx, "0190a5b8-0000-7000-8000-000000000000", time.Now(), time.Minute, nil)
			errorsIsNotFound(t, err)
		}},
		{"FailRetryThenSucceed", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			f.partner("dlr", "dealer")
			hook, _ := f.webhookDelivery("OR-1")
			f.claimDelivery(hook.ID)

			next := time.Now().Add(10 * time.Minute).UTC().Truncate(time.Microsecond)
			retry := &store.NewOutbox{Subject: "dealerhub.outbound", MsgID: hook.ID + "-2", Payload: []byte(hook.ID), AvailableAt: next}
			d, err := f.st.RecordDeliveryAttempt(f.ctx, store.DeliveryAttempt{
				DeliveryID:    hook.ID,
				Error:         "HTTP 503 Service Unavailable",
				ContentType:   "application/json",
				SentBody:      []byte(`{"attempt":1}`),
				NextAttemptAt: next,
				Retry:         retry,
			})
			require.NoError(t, err)
			require.Equal(t, store.DeliveryFailed, d.Status)
			require.Equal(t, 1, d.Attempts)
			require.Equal(t, "HTTP 503 Service Unavailable", d.LastError)
			requireSameTime(t, next, d.NextAttemptAt, "next_attempt_at")
			require.Equal(t, []byte(`{"attempt":1}`), d.SentBody)
			require.Equal(t, "application/json", d.ContentType)
			require.Nil(t, d.DeliveredAt)

			require.Empty(t, f.claimOutboxNow(), "the retry waits for its time")
			out, err := f.st.ClaimOutbox(f.ctx, next, 10, time.Minute)
			require.NoError(t, err)
			require.Len(t, out, 1)
			require.Equal(t, retry.MsgID, out[0].MsgID)
			require.Equal(t, retry.Subject, out[0].Subject)
			require.Equal(t, retry.Payload, out[0].Payload)
			requireSameTime(t, next, out[0].AvailableAt, "retry available_at")

			_, claimed, err := f.st.ClaimDelivery(f.ctx, hook.ID, next, time.Minute, nil)
			require.NoError(t, err)
			require.True(t, claimed)
			d, err = f.st.RecordDeliveryAttempt(f.ctx, store.DeliveryAttempt{
				DeliveryID:  hook.ID,
				Delivered:   true,
				ContentType: "application/vnd.dealerhub+json",
				SentBody:    []byte(`{"attempt":2}`),
			})
			require.NoError(t, err)
			require.Equal(t, store.DeliveryDelivered, d.Status)
			require.Equal(t, 2, d.Attempts, "every attempt counts")
			require.Empty(t, d.LastError, "success clears the last error")
			require.NotNil(t, d.DeliveredAt)
			requireRecent(t, *d.DeliveredAt, "delivered_at")
			require.Equal(t, []byte(`{"attempt":2}`), d.SentBody, "the last attempt's bytes are kept")
			require.Equal(t, "application/vnd.dealerhub+json", d.ContentType)

			got, err := f.st.GetDelivery(f.ctx, store.PartnerScope("sup"), hook.ID)
			require.NoError(t, err)
			require.Equal(t, store.DeliveryDelivered, got.Status)
			require.Equal(t, 2, got.Attempts)
			require.Empty(t, got.LastError)
			require.Equal(t, []byte(`{"attempt":2}`), got.SentBody)
			require.NotNil(t, got.DeliveredAt)

			dls, _, err := f.st.ListDeadLetters(f.ctx, store.OperatorScope(), store.DeadLetterFilter{IncludeResolved: true})
			require.NoError(t, err)
			require.Empty(t, dls)
		}},
		{"DeadLetterAndNotification", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			f.partner("dlr", "dealer")
			hook, _ := f.webhookDelivery("OR-1")
			f.claimDelivery(hook.ID)
			d, err := f.st.RecordDeliveryAttempt(f.ctx, store.DeliveryAttempt{DeliveryID: hook.ID, Error: "HTTP 410 Gone", Dead: true, SentBody: []byte("x")})
			require.NoError(t, err)
			require.Equal(t, store.DeliveryDead, d.Status)
			require.Equal(t, 1, d.Attempts)
			require.Equal(t, "HTTP 410 Gone", d.LastError)
			_, claimed, err := f.st.ClaimDelivery(f.ctx, hook.ID, time.Now().Add(time.Hour), time.Minute, nil)
			require.NoError(t, err)
			require.False(t, claimed, "dead is final until replayed")

			dls, _, err := f.st.ListDeadLetters(f.ctx, store.OperatorScope(), store.DeadLetterFilter{})
			require.NoError(t, err)
			require.Len(t, dls, 1)
			require.Equal(t, "delivery", dls[0].Kind)
			require.Equal(t, hook.ID, dls[0].RefID)
			require.Equal(t, "sup", dls[0].Partner)
			require.Equal(t, "dlr", dls[0].Receiver)
			require.Contains(t, dls[0].Reason, "HTTP 410 Gone")
			kind, _, err := f.st.ListDeadLetters(f.ctx, store.OperatorScope(), store.DeadLetterFilter{Kind: "message"})
			require.NoError(t, err)
			require.Empty(t, kind)

			ns, _, err := f.st.ListNotifications(f.ctx, store.PartnerScope("sup"), store.NotificationFilter{})
			require.NoError(t, err)
			require.Len(t, ns, 1)
			require.Equal(t, "delivery_dead", ns[0].Type)
			require.Equal(t, "sup", ns[0].Partner)
			require.NotEmpty(t, ns[0].Title)
			dlrNs, _, err := f.st.ListNotifications(f.ctx, store.PartnerScope("dlr"), store.NotificationFilter{})
			require.NoError(t, err)
			require.Empty(t, dlrNs, "the notification is the sender's")
			require.Empty(t, f.drainOutbox(), "no retry for a dead delivery")
		}},
		{"ReplayDelivery", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			f.partner("dlr", "dealer")
			f.partner("out", "dealer")
			hook, _ := f.webhookDelivery("OR-1")
			retry := store.NewOutbox{Subject: "dealerhub.outbound", MsgID: "replay-" + hook.ID, Payload: []byte(hook.ID)}

			_, err := f.st.ReplayDelivery(f.ctx, store.OperatorScope(), hook.ID, retry)
			errorsIsConflict(t, err, "a pending delivery needs no replay")

			f.claimDelivery(hook.ID)
			_, err = f.st.RecordDeliveryAttempt(f.ctx, store.DeliveryAttempt{DeliveryID: hook.ID, Error: "connection refused", Dead: true})
			require.NoError(t, err)

			_, err = f.st.ReplayDelivery(f.ctx, store.PartnerScope("out"), hook.ID, retry)
			errorsIsNotFound(t, err)
			require.Empty(t, f.drainOutbox())

			d, err := f.st.ReplayDelivery(f.ctx, store.PartnerScope("sup"), hook.ID, retry)
			require.NoError(t, err)
			require.Equal(t, store.DeliveryPending, d.Status)
			require.Zero(t, d.Attempts, "attempts reset")
			open, _, err := f.st.ListDeadLetters(f.ctx, store.OperatorScope(), store.DeadLetterFilter{})
			require.NoError(t, err)
			require.Empty(t, open, "replay resolves the dead letter")
			all, _, err := f.st.ListDeadLetters(f.ctx, store.OperatorScope(), store.DeadLetterFilter{IncludeResolved: true})
			require.NoError(t, err)
			require.Len(t, all, 1)
			require.NotNil(t, all[0].ResolvedAt)
			out := f.drainOutbox()
			require.Len(t, out, 1)
			require.Equal(t, retry.MsgID, out[0].MsgID)

			d = f.claimDelivery(hook.ID)
			require.Equal(t, store.DeliveryPending, d.Status)
			d, err = f.st.RecordDeliveryAttempt(f.ctx, store.DeliveryAttempt{DeliveryID: hook.ID, Delivered: true})
			require.NoError(t, err)
			require.Equal(t, 1, d.Attempts)
			_, err = f.st.ReplayDelivery(f.ctx, store.OperatorScope(), hook.ID, retry)
			errorsIsConflict(t, err, "a delivered delivery is not replayed")

			// A failed (not dead) delivery can be replayed too.
			hook2, _ := f.webhookDelivery("OR-2")
			f.claimDelivery(hook2.ID)
			_, err = f.st.RecordDeliveryAttempt(f.ctx, store.DeliveryAttempt{DeliveryID: hook2.ID, Error: "timeout", NextAttemptAt: time.Now().Add(time.Hour)})
			require.NoError(t, err)
			d, err = f.st.ReplayDelivery(f.ctx, store.PartnerScope("dlr"), hook2.ID, store.NewOutbox{Subject: "dealerhub.outbound", MsgID: "replay-" + hook2.ID})
			require.NoError(t, err)
			require.Equal(t, store.DeliveryPending, d.Status)
			require.Zero(t, d.Attempts)
			f.claimDelivery(hook2.ID) // claimable now, not in an hour

			_, err = f.st.ReplayDelivery(f.ctx, store.OperatorScope(), "0190a5b8-0000-7000-8000-000000000000", retry)
			errorsIsNotFound(t, err)
		}},
		{"ListFilters", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			f.partner("dlr", "dealer")
			f.partner("dlr2", "dealer")
			m, res := f.commit("sup",
				newDoc("order_response", "sup", "dlr", "OR-1", `{"n":1}`, webhookTo("dlr"), inboxTo("dlr")),
				newDoc("price_list", "sup", "", "PL-1", `{"n":2}`, inboxTo("dlr"), inboxTo("dlr2")),
			)
			_, res2 := f.commit("sup", newDoc("price_list", "sup", "", "PL-2", `{"n":3}`, inboxTo("dlr2")))
			op := store.OperatorScope()
			list, _, err := f.st.ListDeliveries(f.ctx, op, store.DeliveryFilter{})
			require.NoError(t, err)
			require.Len(t, list, 5)
			require.Equal(t, res2[0].Deliveries[0].ID, list[0].ID, "newest first")

			hook := deliveryOn(t, res[0], "webhook")
			f.claimDelivery(hook.ID)
			_, err = f.st.RecordDeliveryAttempt(f.ctx, store.DeliveryAttempt{DeliveryID: hook.ID, Error: "boom", NextAttemptAt: time.Now().Add(time.Hour)})
			require.NoError(t, err)
			count := func(fl store.DeliveryFilter) int {
				t.Helper()
				list, _, err := f.st.ListDeliveries(f.ctx, op, fl)
				require.NoError(t, err)
				return len(list)
			}
			require.Equal(t, 5, count(store.DeliveryFilter{}))
			require.Equal(t, 4, count(store.DeliveryFilter{Channel: "inbox"}))
			require.Equal(t, 1, count(store.DeliveryFilter{Status: store.DeliveryFailed}))
			require.Equal(t, 4, count(store.DeliveryFilter{Status: store.DeliveryPending}))
			require.Equal(t, 2, count(store.DeliveryFilter{Receiver: "dlr2"}))
			require.Equal(t, 2, count(store.DeliveryFilter{DocumentID: res[1].DocumentID}))
			require.Equal(t, 4, count(store.DeliveryFilter{MessageID: m.ID}))
			require.Equal(t, 1, count(store.DeliveryFilter{MessageID: m.ID, Receiver: "dlr2"}))
			require.Equal(t, 1, count(store.DeliveryFilter{DocumentID: res2[0].DocumentID}))

			_, err = f.st.GetDelivery(f.ctx, op, "0190a5b8-0000-7000-8000-000000000000")
			errorsIsNotFound(t, err)
		}},
	}
}

func inboxCases() []testCase {
	return []testCase{
		{"ListAndAck", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			f.partner("dlr", "dealer")
			f.partner("dlr2", "dealer")
			body1 := `{"external_id":"OR-1","status":"accepted"}`
			body2 := `{"external_id":"OR-1","status":"changed"}`
			_, r1 := f.commit("sup", newDoc("order_response", "sup", "dlr", "OR-1", body1, inboxTo("dlr"), webhookTo("dlr")))
			_, r2 := f.commit("sup", newDoc("order_response", "sup", "dlr", "OR-1", body2, inboxTo("dlr")))
			_, r3 := f.commit("sup", newDoc("price_list", "sup", "", "PL-1", `{"lines":[]}`, inboxTo("dlr2")))

			items, next, err := f.st.ListInbox(f.ctx, "dlr", store.Page{})
			require.NoError(t, err)
			require.Empty(t, next)
			require.Len(t, items, 2, "webhook deliveries are not in the inbox")
			first, second := items[0], items[1]
			require.Equal(t, deliveryOn(t, r1[0], "inbox").ID, first.DeliveryID, "oldest first")
			require.Equal(t, 1, first.Version)
			require.JSONEq(t, body1, string(first.Body), "the version the delivery carries, not the current body")
			require.Equal(t, r1[0].DocumentID, first.DocumentID)
			require.Equal(t, "order_response", first.Doctype)
			require.Equal(t, "sup", first.Sender)
			require.Equal(t, "OR-1", first.ExternalID)
			requireRecent(t, first.CreatedAt, "created_at")
			require.Equal(t, r2[0].Deliveries[0].ID, second.DeliveryID)
			require.Equal(t, 2, second.Version)
			require.JSONEq(t, body2, string(second.Body))

			other, _, err := f.st.ListInbox(f.ctx, "dlr2", store.Page{})
			require.NoError(t, err)
			require.Len(t, other, 1)
			require.Equal(t, r3[0].DocumentID, other[0].DocumentID)

			_, err = f.st.AckInbox(f.ctx, "dlr2", first.DeliveryID)
			errorsIsNotFound(t, err, "another partner's inbox item")
			_, err = f.st.AckInbox(f.ctx, "dlr", other[0].DeliveryID)
			errorsIsNotFound(t, err)
			_, err = f.st.AckInbox(f.ctx, "dlr", "0190a5b8-0000-7000-8000-000000000000")
			errorsIsNotFound(t, err)

			d, err := f.st.AckInbox(f.ctx, "dlr", first.DeliveryID)
			require.NoError(t, err)
			require.Equal(t, first.DeliveryID, d.ID)
			require.Equal(t, store.DeliveryDelivered, d.Status)
			require.Equal(t, 1, d.Attempts)
			require.NotNil(t, d.DeliveredAt)
			requireRecent(t, *d.DeliveredAt, "delivered_at")
			deliveredAt := *d.DeliveredAt

			again, err := f.st.AckInbox(f.ctx, "dlr", first.DeliveryID)
			require.NoError(t, err, "acknowledging twice is fine")
			require.Equal(t, store.DeliveryDelivered, again.Status)
			require.Equal(t, 1, again.Attempts)
			require.NotNil(t, again.DeliveredAt)
			requireSameTime(t, deliveredAt, *again.DeliveredAt, "delivered_at kept")

			items, _, err = f.st.ListInbox(f.ctx, "dlr", store.Page{})
			require.NoError(t, err)
			require.Len(t, items, 1)
			require.Equal(t, second.DeliveryID, items[0].DeliveryID)

			none, _, err := f.st.ListInbox(f.ctx, "sup", store.Page{})
			require.NoError(t, err)
			require.Empty(t, none, "the sender's inbox holds nothing it sent")
		}},
		{"Paging", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			f.partner("dlr", "dealer")
			var want []string
			for i := range 5 {
				_, r := f.commit("sup", newDoc("order_response", "sup", "dlr", fmt.Sprintf("OR-%d", i), fmt.Sprintf(`{"i":%d}`, i), inboxTo("dlr")))
				want = append(want, r[0].Deliveries[0].ID)
			}
			var got []string
			cursor := ""
			for pages := 0; ; pages++ {
				require.Less(t, pages, 5, "paging must end")
				items, next, err := f.st.ListInbox(f.ctx, "dlr", store.Page{Cursor: cursor, Limit: 2})
				require.NoError(t, err)
				require.LessOrEqual(t, len(items), 2)
				for _, it := range items {
					got = append(got, it.DeliveryID)
				}
				if next == "" {
					break
				}
				cursor = next
			}
			require.Equal(t, want, got, "oldest first, each once")
		}},
	}
}
