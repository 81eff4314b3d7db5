package storetest

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

func notificationCases() []testCase {
	return []testCase{
		{"AddAndList", func(t *testing.T, f *fixture) {
			f.partner("sup", "supplier")
			f.partner("dlr", "dealer")
			n, err := f.st.AddNotification(f.ctx, store.Notification{
				Partner: "dlr",
				Type:    "price_change",
				Title:   "3 prices change on 2026-12-01",
				Link:    "/api/v1/documents/x",
				Data:    []byte(`{"changed":3,"supplier":"sup"}`),
			})
			require.NoError(t, err)
			require.NotEmpty(t, n.ID)
			requireRecent(t, n.CreatedAt, "created_at")
			_, err = f.st.AddNotification(f.ctx, store.Notification{Partner: "dlr", Type: "low_stock", Title: "SKU A below safety stock"})
			require.NoError(t, err)
			_, err = f.st.AddNotification(f.ctx, store.Notification{Partner: "sup", Type: "price_change", Title: "for the supplier"})
			require.NoError(t, err)

			list, next, err := f.st.ListNotifications(f.ctx, store.PartnerScope("dlr"), store.NotificationFilter{})
			require.NoError(t, err)
			require.Empty(t, next)
			require.Len(t, list, 2)
			require.Equal(t, "low_stock", list[0].Type, "newest first")
			got := list[1]
			require.Equal(t, n.ID, got.ID)
			require.Equal(t, "dlr", got.Partner)
			require.Equal(t, "3 prices change on 2026-12-01", got.Title)
			require.Equal(t, "/api/v1/documents/x", got.Link)
			require.JSONEq(t, `{"changed":3,"supplier":"sup"}`, string(got.Data))
			requireSameTime(t, n.CreatedAt, got.CreatedAt, "created_at")

			typed, _, err := f.st.ListNotifications(f.ctx, store.PartnerScope("dlr"), store.NotificationFilter{Type: "price_change"})
			require.NoError(t, err)
			require.Len(t, typed, 1)
			require.Equal(t, n.ID, typed[0].ID)

			all, _, err := f.st.ListNotifications(f.ctx, store.OperatorScope(), store.NotificationFilter{})
			require.NoError(t, err)
			require.Len(t, all, 3)
			allTyped, _, err := f.st.ListNotifications(f.ctx, store.OperatorScope(), store.NotificationFilter{Type: "price_change"})
			require.NoError(t, err)
			require.Len(t, allTyped, 2)
		}},
		{"Paging", func(t *testing.T, f *fixture) {
			f.partner("dlr", "dealer")
			var want []string
			for i := range 7 {
				n, err := f.st.AddNotification(f.ctx, store.Notification{Partner: "dlr", Type: "low_stock", Title: fmt.Sprintf("n%d", i)})
				require.NoError(t, err)
				want = append([]string{n.ID}, want...)
			}
			var got []string
			cursor := ""
			for pages := 0; ; pages++ {
				require.Less(t, pages, 5, "paging must end")
				list, next, err := f.st.ListNotifications(f.ctx, store.PartnerScope("dlr"), store.NotificationFilter{Page: store.Page{Cursor: cursor, Limit: 3}})
				require.NoError(t, err)
				require.LessOrEqual(t, len(list), 3)
				for _, n := range list {
					got = append(got, n.ID)
				}
				if next == "" {
					break
				}
				cursor = next
			}
			require.Equal(t, want, got)
		}},
	}
}
