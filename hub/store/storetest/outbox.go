package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

func outboxCases() []testCase {
	return []testCase{
		{"ClaimLeaseComplete", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			var msgs []store.Message
			for range 3 {
				msgs = append(msgs, f.message("sup", "product"))
			}
			now := time.Now()
			items, err := f.st.ClaimOutbox(f.ctx, now, 2, time.Minute)
			require.NoError(t, err)
			require.Len(t, items, 2, "limit is honoured")
			require.Less(t, items[0].ID, items[1].ID, "oldest first")
			require.Equal(t, "in-"+msgs[0].ID, items[0].MsgID)
			require.Equal(t, "dealerhub.inbound", items[0].Subject)
			require.Equal(t, []byte(`{"message_id":"`+msgs[0].ID+`"}`), items[0].Payload)
			require.Equal(t, 1, items[0].Attempts)
			requireTime(t, items[0].AvailableAt, "available_at")
			require.False(t, items[0].AvailableAt.After(now))

			// Leased rows are not handed out again while the lease lives.
			rest, err := f.st.ClaimOutbox(f.ctx, now.Add(30*time.Second), 10, time.Minute)
			require.NoError(t, err)
			require.Len(t, rest, 1)
			require.Equal(t, "in-"+msgs[2].ID, rest[0].MsgID)
			none, err := f.st.ClaimOutbox(f.ctx, now.Add(50*time.Second), 10, time.Minute)
			require.NoError(t, err)
			require.Empty(t, none)

			// An expired lease makes the row claimable again.
			require.NoError(t, f.st.CompleteOutbox(f.ctx, []int64{items[0].ID}))
			again, err := f.st.ClaimOutbox(f.ctx, now.Add(2*time.Minute), 10, time.Minute)
			require.NoError(t, err)
			require.Len(t, again, 2, "completed rows are gone, expired leases return")
			require.Equal(t, items[1].ID, again[0].ID)
			require.Equal(t, 2, again[0].Attempts, "each claim counts")
			require.Equal(t, rest[0].ID, again[1].ID)

			require.NoError(t, f.st.CompleteOutbox(f.ctx, []int64{again[0].ID, again[1].ID}))
			require.NoError(t, f.st.CompleteOutbox(f.ctx, nil), "completing nothing is fine")
			require.NoError(t, f.st.CompleteOutbox(f.ctx, []int64{again[0].ID}), "completing twice is fine")
			require.Empty(t, f.drainOutbox())
		}},
		{"FutureAvailability", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			later := time.Now().Add(time.Hour).UTC().Truncate(time.Microsecond)
			_, _, err := f.st.InsertMessage(f.ctx, newMessage("sup", "order", "later"), func(id string) store.NewOutbox {
				o := inbound(id)
				o.AvailableAt = later
				return o
			})
			require.NoError(t, err)
			require.Empty(t, f.claimOutboxNow(), "not available yet")
			items, err := f.st.ClaimOutbox(f.ctx, later, 10, time.Minute)
			require.NoError(t, err)
			require.Len(t, items, 1, "available at its time")
			requireSameTime(t, later, items[0].AvailableAt, "available_at")
		}},
		{"ConcurrentClaimersDisjoint", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			const rows = 24
			for range rows {
				f.message("sup", "product")
			}
			now := time.Now()
			const claimers = 3
			got := make([][]int64, claimers)
			errs := make([]error, claimers)
			var wg sync.WaitGroup
			gate := make(chan struct{})
			for c := range claimers {
				wg.Go(func() {
					<-gate
					// Bounded: a store that re-hands leased rows must fail,
					// not spin until the deadline.
					for range rows {
						items, err := f.st.ClaimOutbox(f.ctx, now, 3, time.Hour)
						if err != nil {
							errs[c] = err
							return
						}
						if len(items) == 0 {
							return
						}
						for _, it := range items {
							got[c] = append(got[c], it.ID)
						}
					}
				})
			}
			close(gate)
			wg.Wait()
			seen := map[int64]bool{}
			for c := range claimers {
				require.NoError(t, errs[c])
				for _, id := range got[c] {
					require.False(t, seen[id], "row %d claimed twice", id)
					seen[id] = true
				}
			}
			require.Len(t, seen, rows, "every row claimed exactly once")
		}},
	}
}
