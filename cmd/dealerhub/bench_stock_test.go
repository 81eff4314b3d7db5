package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store/pgstore/pgtest"
)

func TestBenchStockSyncSmoke(t *testing.T) {
	t.Parallel()
	out, _, err := runCLI(t, "bench", "stock-sync", "--rows", "2000", "--json", "--database-url", pgtest.URL(t))
	require.NoError(t, err)
	var rep benchStockReport
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	require.Equal(t, 2000, rep.Rows)
	require.Equal(t, 1, rep.Runs)
	require.Len(t, rep.Stages, 6, out)

	want := []struct {
		stage   string
		changed int
	}{{"full", 2000}, {"changed_1pct", 20}, {"unchanged", 0}}
	for i, store := range []string{"sqlite", "postgresql"} {
		for j, w := range want {
			s := rep.Stages[i*len(want)+j]
			require.Equal(t, store, s.Store)
			require.Equal(t, w.stage, s.Stage, store)
			require.Empty(t, s.Skipped, "%s %s", store, w.stage)
			require.Equal(t, 2000, s.Read, "%s %s: every level is read every time", store, w.stage)
			require.Equal(t, w.changed, s.Expected, "%s %s", store, w.stage)
			require.Equal(t, w.changed, s.Changed, "%s %s: only changed levels get versions", store, w.stage)
			require.Equal(t, w.changed, s.Events, "%s %s: one event per changed level", store, w.stage)
			require.Zero(t, s.Rejected, "%s %s", store, w.stage)
			require.Positive(t, s.ReadSeconds, "%s %s", store, w.stage)
			require.Greater(t, s.DoneSeconds, s.ReadSeconds, "%s %s: the read is part of the sync", store, w.stage)
			require.GreaterOrEqual(t, s.Seconds, s.DoneSeconds, "%s %s: the stage ends when the events are in", store, w.stage)
			require.InDelta(t, 2000/s.Seconds, s.RowsPerSecond, 1e-6, "%s %s", store, w.stage)
		}
	}
}

func TestBenchStockSyncFlags(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"--rows", "0"},
		{"--runs", "0"},
		{"--memory-limit-mib", "-1"},
	} {
		_, _, err := runCLI(t, append([]string{"bench", "stock-sync"}, args...)...)
		require.Equal(t, 2, exitCode(err), "%v", args)
	}
}

func TestBenchStockStageCheck(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		s    benchStockStage
		ok   bool
	}{
		{"as expected", benchStockStage{Expected: 20, Changed: 20, Events: 20}, true},
		{"nothing changed, nothing emitted", benchStockStage{}, true},
		{"an extra event", benchStockStage{Expected: 0, Changed: 0, Events: 1}, false},
		{"an event missing", benchStockStage{Expected: 20, Changed: 20, Events: 19}, false},
		{"a change not stored", benchStockStage{Expected: 20, Changed: 19, Events: 19}, false},
		{"a row rejected", benchStockStage{Expected: 20, Changed: 20, Events: 20, Rejected: 1}, false},
		{"skipped", benchStockStage{Skipped: "no database"}, true},
	} {
		require.Equal(t, c.ok, c.s.ok(), c.name)
	}
	require.Equal(t, "BENCH-000001", benchStockCode(0))
	require.Equal(t, "BENCH-100000", benchStockCode(99999))
}
