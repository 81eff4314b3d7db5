package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store"
)

// syncRunCases check StartSyncRun, FinishSyncRun and ListSyncRuns.
func syncRunCases() []testCase {
	return []testCase{
		{"StartAndFinish", testSyncRunStartFinish},
		{"ListScopeAndFilters", testSyncRunList},
		{"Paging", testSyncRunPaging},
	}
}

func testSyncRunStartFinish(t *testing.T, f *fixture) {
	f.partner("dlr", "dealer")
	r, err := f.st.StartSyncRun(f.ctx, store.SyncRun{Partner: "dlr", Source: "tryton", Trigger: "schedule", Status: store.SyncFailed})
	require.NoError(t, err)
	require.NotEmpty(t, r.ID)
	require.Equal(t, store.SyncRunning, r.Status, "a started run is running")
	requireRecent(t, r.StartedAt, "started_at")
	require.Nil(t, r.FinishedAt)

	m := f.message("dlr", "stock_level")
	errs := []store.DataError{{Code: "unknown_item", Row: 3, Reason: "no cross-reference for item Q"}}
	done, err := f.st.FinishSyncRun(f.ctx, store.SyncRun{ID: r.ID, Status: store.SyncSucceeded,
		Read: 120, Changed: 7, Rejected: 1, MessageID: m.ID, Errors: errs})
	require.NoError(t, err)
	require.Equal(t, r.ID, done.ID)
	require.Equal(t, "dlr", done.Partner, "the stored run's fields are kept")
	require.Equal(t, "tryton", done.Source)
	require.Equal(t, "schedule", done.Trigger)
	requireSameTime(t, r.StartedAt, done.StartedAt, "started_at")
	require.Equal(t, store.SyncSucceeded, done.Status)
	require.NotNil(t, done.FinishedAt)
	requireRecent(t, *done.FinishedAt, "finished_at")
	require.Equal(t, 120, done.Read)
	require.Equal(t, 7, done.Changed)
	require.Equal(t, 1, done.Rejected)
	require.Equal(t, m.ID, done.MessageID)
	require.Equal(t, errs, done.Errors)

	listed, _, err := f.st.ListSyncRuns(f.ctx, store.PartnerScope("dlr"), store.SyncRunFilter{})
	require.NoError(t, err)
	require.Len(t, listed, 1)
	require.Equal(t, done, listed[0])

	at := time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
	failed, err := f.st.StartSyncRun(f.ctx, store.SyncRun{ID: "run-given", Partner: "dlr", Source: "odoo", Trigger: "manual", StartedAt: at})
	require.NoError(t, err)
	require.Equal(t, "run-given", failed.ID)
	requireSameTime(t, at, failed.StartedAt, "given started_at")
	end := at.Add(90 * time.Second)
	failed, err = f.st.FinishSyncRun(f.ctx, store.SyncRun{ID: failed.ID, Status: store.SyncFailed,
		FinishedAt: &end, Error: "odoo: access denied"})
	require.NoError(t, err)
	require.Equal(t, store.SyncFailed, failed.Status)
	requireSameTime(t, end, *failed.FinishedAt, "given finished_at")
	require.Equal(t, "odoo: access denied", failed.Error)
	require.Empty(t, failed.Errors)
	require.Empty(t, failed.MessageID)

	_, err = f.st.FinishSyncRun(f.ctx, store.SyncRun{ID: "no-such-run", Status: store.SyncSucceeded})
	errorsIsNotFound(t, err)
}

func testSyncRunList(t *testing.T, f *fixture) {
	f.partner("d1", "dealer")
	f.partner("d2", "dealer")
	base := time.Date(2026, 3, 31, 8, 0, 0, 0, time.UTC)
	start := func(partner, source string, minutes int) store.SyncRun {
		t.Helper()
		r, err := f.st.StartSyncRun(f.ctx, store.SyncRun{Partner: partner, Source: source, Trigger: "schedule",
			StartedAt: base.Add(time.Duration(minutes) * time.Minute)})
		require.NoError(t, err)
		return r
	}
	a := start("d1", "tryton", 0)
	b := start("d1", "rest:wms", 1)
	c := start("d2", "tryton", 2)
	d := start("d1", "tryton", 3)
	_, err := f.st.FinishSyncRun(f.ctx, store.SyncRun{ID: a.ID, Status: store.SyncSucceeded})
	require.NoError(t, err)

	ids := func(scope store.Scope, fl store.SyncRunFilter) []string {
		t.Helper()
		rs, _, err := f.st.ListSyncRuns(f.ctx, scope, fl)
		require.NoError(t, err)
		out := make([]string, len(rs))
		for i, r := range rs {
			out[i] = r.ID
		}
		return out
	}
	require.Equal(t, []string{d.ID, b.ID, a.ID}, ids(store.PartnerScope("d1"), store.SyncRunFilter{}), "own runs, newest first")
	require.Equal(t, []string{c.ID}, ids(store.PartnerScope("d2"), store.SyncRunFilter{}))
	require.Empty(t, ids(store.PartnerScope("d2"), store.SyncRunFilter{Partner: "d1"}), "another partner's runs")
	require.Empty(t, ids(store.Scope{}, store.SyncRunFilter{}))
	require.Equal(t, []string{d.ID, c.ID, b.ID, a.ID}, ids(store.OperatorScope(), store.SyncRunFilter{}))
	require.Equal(t, []string{c.ID}, ids(store.OperatorScope(), store.SyncRunFilter{Partner: "d2"}))
	require.Equal(t, []string{d.ID, c.ID, a.ID}, ids(store.OperatorScope(), store.SyncRunFilter{Source: "tryton"}))
	require.Equal(t, []string{a.ID}, ids(store.OperatorScope(), store.SyncRunFilter{Status: store.SyncSucceeded}))
	require.Equal(t, []string{d.ID, b.ID}, ids(store.PartnerScope("d1"), store.SyncRunFilter{Status: store.SyncRunning}))
}

func testSyncRunPaging(t *testing.T, f *fixture) {
	f.partner("dlr", "dealer")
	base := time.Date(2026, 3, 31, 8, 0, 0, 0, time.UTC)
	var want []string
	for i := range 7 {
		// Two runs share each start time: the id breaks the tie.
		r, err := f.st.StartSyncRun(f.ctx, store.SyncRun{Partner: "dlr", Source: "tryton",
			StartedAt: base.Add(time.Duration(i/2) * time.Minute)})
		require.NoError(t, err)
		want = append(want, r.ID)
	}
	var got []string
	cursor := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 5, "paging must end")
		rs, next, err := f.st.ListSyncRuns(f.ctx, store.PartnerScope("dlr"), store.SyncRunFilter{Page: store.Page{Cursor: cursor, Limit: 3}})
		require.NoError(t, err)
		for _, r := range rs {
			got = append(got, r.ID)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	require.Len(t, got, 7)
	for i := range got[1:] {
		require.NotEqual(t, got[i], got[i+1])
	}
	// Newest first: reverse start order, ties by id descending; UUIDv7 ids
	// made in order sort in order.
	for i, j := 0, len(want)-1; i < j; i, j = i+1, j-1 {
		want[i], want[j] = want[j], want[i]
	}
	require.Equal(t, want, got)
}
