package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

func paginationCases() []testCase {
	return []testCase{
		{"Messages", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			const total = 250
			ids := map[string]bool{}
			for range total {
				ids[f.message("sup", "product").ID] = true
			}
			sc := store.PartnerScope("sup")

			first, next, err := f.st.ListMessages(f.ctx, sc, store.MessageFilter{})
			require.NoError(t, err)
			require.Len(t, first, 100, "limit 0 means 100")
			require.NotEmpty(t, next)

			// Rows inserted between pages do not shift the following pages:
			// they are newer than the cursor.
			for range 5 {
				f.message("sup", "product")
			}
			second, next, err := f.st.ListMessages(f.ctx, sc, store.MessageFilter{Page: store.Page{Cursor: next, Limit: 100}})
			require.NoError(t, err)
			require.Len(t, second, 100)
			require.NotEmpty(t, next)
			third, next, err := f.st.ListMessages(f.ctx, sc, store.MessageFilter{Page: store.Page{Cursor: next, Limit: 100}})
			require.NoError(t, err)
			require.Len(t, third, 50)
			require.Empty(t, next, "the last page has no next cursor")
			pages := [][]store.Message{first, second, third}
			seen := map[string]bool{}
			var all []store.Message
			for _, p := range pages {
				for _, m := range p {
					require.False(t, seen[m.ID], "message %s twice", m.ID)
					seen[m.ID] = true
					require.True(t, ids[m.ID], "message %s is not one of the first %d", m.ID, total)
					all = append(all, m)
				}
			}
			require.Len(t, seen, total, "no gaps")
			for i := 1; i < len(all); i++ {
				a, b := all[i-1], all[i]
				require.True(t, a.ReceivedAt.After(b.ReceivedAt) || (a.ReceivedAt.Equal(b.ReceivedAt) && a.ID > b.ID), "newest first at %d", i)
			}

			filtered, _, err := f.st.ListMessages(f.ctx, sc, store.MessageFilter{Status: store.StatusReceived, Page: store.Page{Limit: 1000}})
			require.NoError(t, err)
			require.Len(t, filtered, total+5)
		}},
		{"Documents", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			f.partner("dlr", "dealer")
			const total = 250
			docs := make([]store.DocumentInput, 0, total)
			for i := range total {
				docs = append(docs, newDoc("product", "sup", "", fmt.Sprintf("SKU-%04d", i), fmt.Sprintf(`{"sku":"SKU-%04d"}`, i)))
			}
			// One message, 250 documents: the bulk path, all with one
			// commit time, so the cursor must break ties by id.
			m, res := f.commit("sup", docs...)
			ids := map[string]bool{}
			for _, r := range res {
				ids[r.DocumentID] = true
			}
			require.Len(t, ids, total)
			msg, err := f.st.GetMessage(f.ctx, store.OperatorScope(), m.ID)
			require.NoError(t, err)
			require.Len(t, msg.DocumentIDs, total)

			for _, sc := range []store.Scope{store.OperatorScope(), store.PartnerScope("sup")} {
				var all []store.Document
				cursor := ""
				pages := 0
				for {
					require.Less(t, pages, 4, "paging must end")
					page, next, err := f.st.ListDocuments(f.ctx, sc, store.DocumentFilter{Doctype: "product", Page: store.Page{Cursor: cursor, Limit: 100}})
					require.NoError(t, err)
					pages++
					all = append(all, page...)
					if next == "" {
						require.Len(t, page, 50)
						break
					}
					require.Len(t, page, 100)
					cursor = next
				}
				require.Equal(t, 3, pages)
				seen := map[string]bool{}
				for i, d := range all {
					require.False(t, seen[d.ID], "document %s twice", d.ID)
					seen[d.ID] = true
					require.True(t, ids[d.ID])
					if i > 0 {
						a := all[i-1]
						require.True(t, a.UpdatedAt.After(d.UpdatedAt) || (a.UpdatedAt.Equal(d.UpdatedAt) && a.ID > d.ID), "newest update first at %d", i)
					}
				}
				require.Len(t, seen, total, "no gaps")
			}

			big, _, err := f.st.ListDocuments(f.ctx, store.OperatorScope(), store.DocumentFilter{Page: store.Page{Limit: 5000}})
			require.NoError(t, err)
			require.Len(t, big, total, "a limit over the cap still returns what there is")
			none, next, err := f.st.ListDocuments(f.ctx, store.PartnerScope("dlr"), store.DocumentFilter{})
			require.NoError(t, err)
			require.Empty(t, none)
			require.Empty(t, next)
		}},
		{"LimitCappedAt1000", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			const total = 1005
			docs := make([]store.DocumentInput, 0, total)
			for i := range total {
				docs = append(docs, newDoc("product", "sup", "", fmt.Sprintf("SKU-%05d", i), fmt.Sprintf(`{"i":%d}`, i)))
			}
			f.commit("sup", docs...)
			page, next, err := f.st.ListDocuments(f.ctx, store.OperatorScope(), store.DocumentFilter{Page: store.Page{Limit: 5000}})
			require.NoError(t, err)
			require.Len(t, page, 1000)
			require.NotEmpty(t, next)
			rest, next, err := f.st.ListDocuments(f.ctx, store.OperatorScope(), store.DocumentFilter{Page: store.Page{Cursor: next, Limit: 5000}})
			require.NoError(t, err)
			require.Len(t, rest, total-1000)
			require.Empty(t, next)
		}},
		{"BadCursor", func(t *testing.T, f *fixture) {
			for _, c := range []string{"!!not-base64!!", "bm8tc2VwYXJhdG9y"} { // the second is base64 of "no-separator"
				_, _, err := f.st.ListMessages(f.ctx, store.OperatorScope(), store.MessageFilter{Page: store.Page{Cursor: c}})
				require.ErrorIs(t, err, store.ErrInvalidCursor, "cursor %q", c)
				_, _, err = f.st.ListDocuments(f.ctx, store.OperatorScope(), store.DocumentFilter{Page: store.Page{Cursor: c}})
				require.ErrorIs(t, err, store.ErrInvalidCursor, "cursor %q", c)
				_, _, err = f.st.ListInbox(f.ctx, "dlr", store.Page{Cursor: c})
				require.ErrorIs(t, err, store.ErrInvalidCursor, "cursor %q", c)
			}
		}},
		{"DeliveriesAndDeadLetters", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			f.partner("dlr", "dealer")
			var docs []store.DocumentInput
			for i := range 7 {
				docs = append(docs, newDoc("order_response", "sup", "dlr", fmt.Sprintf("OR-%d", i), fmt.Sprintf(`{"i":%d}`, i), webhookTo("dlr")))
			}
			_, res := f.commit("sup", docs...)
			for _, r := range res {
				f.claimDelivery(r.Deliveries[0].ID)
				_, err := f.st.RecordDeliveryAttempt(f.ctx, store.DeliveryAttempt{DeliveryID: r.Deliveries[0].ID, Error: "gone", Dead: true})
				require.NoError(t, err)
			}
			seen := map[string]bool{}
			cursor := ""
			for pages := 0; ; pages++ {
				require.Less(t, pages, 5)
				list, next, err := f.st.ListDeliveries(f.ctx, store.PartnerScope("dlr"), store.DeliveryFilter{Page: store.Page{Cursor: cursor, Limit: 3}})
				require.NoError(t, err)
				require.LessOrEqual(t, len(list), 3)
				for _, d := range list {
					require.False(t, seen[d.ID])
					seen[d.ID] = true
				}
				if next == "" {
					break
				}
				cursor = next
			}
			require.Len(t, seen, 7)

			seen = map[string]bool{}
			cursor = ""
			var last time.Time
			for pages := 0; ; pages++ {
				require.Less(t, pages, 5)
				list, next, err := f.st.ListDeadLetters(f.ctx, store.PartnerScope("sup"), store.DeadLetterFilter{Kind: "delivery", Page: store.Page{Cursor: cursor, Limit: 3}})
				require.NoError(t, err)
				require.LessOrEqual(t, len(list), 3)
				for _, d := range list {
					require.False(t, seen[d.ID])
					seen[d.ID] = true
					if !last.IsZero() {
						require.False(t, d.CreatedAt.After(last), "newest first")
					}
					last = d.CreatedAt
				}
				if next == "" {
					break
				}
				cursor = next
			}
			require.Len(t, seen, 7)
		}},
	}
}
