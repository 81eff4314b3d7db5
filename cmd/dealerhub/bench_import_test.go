package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/store/pgstore/pgtest"
)

func TestBenchImportSmoke(t *testing.T) {
	t.Parallel()
	kept := filepath.Join(t.TempDir(), "bench.xlsx")
	out, _, err := runCLI(t, "bench", "import", "--rows", "2000", "--json", "--csv", "--keep", kept, "--database-url", pgtest.URL(t))
	require.NoError(t, err)
	var rep benchImportReport
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	require.Equal(t, 2000, rep.Rows)
	require.Equal(t, 12, rep.Columns)
	require.Equal(t, 2, rep.PlantedErrors)

	require.Len(t, rep.Files, 2)
	for _, f := range rep.Files {
		require.Positive(t, f.Bytes, f.Format)
		require.Positive(t, f.GenerateSeconds, f.Format)
	}
	require.Equal(t, kept, rep.Files[0].Path)
	fi, err := os.Stat(kept)
	require.NoError(t, err)
	require.Equal(t, rep.Files[0].Bytes, fi.Size())

	type key struct{ stage, format string }
	got := map[key]benchStage{}
	for _, s := range rep.Stages {
		got[key{s.Stage, s.Format + s.Store}] = s
	}
	for _, k := range []key{{"baseline", "xlsx"}, {"read", "xlsx"}, {"dry_run", "xlsx"}, {"read", "csv"}, {"dry_run", "csv"}} {
		s, ok := got[k]
		require.True(t, ok, "stage %v missing from %s", k, out)
		require.Positive(t, s.Seconds, k)
		require.Positive(t, s.RowsPerSecond, k)
		require.Positive(t, s.Ratio, k)
		require.Empty(t, s.Skipped, k)
	}
	require.Equal(t, 2002, got[key{"baseline", "xlsx"}].Rows, "title, header and 2000 rows")
	require.Equal(t, 1.0, got[key{"baseline", "xlsx"}].Ratio)
	require.Equal(t, 1+12+2000*12-emptyRemarks(2000), got[key{"baseline", "xlsx"}].Cells, "title, header, every data cell but the empty remarks")
	require.Equal(t, got[key{"baseline", "xlsx"}].Cells, got[key{"read", "xlsx"}].Cells)
	for _, format := range []string{"xlsx", "csv"} {
		s := got[key{"dry_run", format}]
		require.Equal(t, 2000, s.Rows, format)
		require.NotNil(t, s.Valid, format)
		require.NotNil(t, s.Errors, format)
		require.Equal(t, 1998, *s.Valid, format)
		require.Equal(t, 2, *s.Errors, format)
	}
	for _, store := range []string{"sqlite", "postgresql"} {
		for _, format := range []string{"xlsx", "csv"} {
			first, ok := got[key{"persist", format + store}]
			require.True(t, ok, "persist of %s on %s missing from %s", format, store, out)
			require.Empty(t, first.Skipped)
			require.Positive(t, first.Ratio)
			require.Equal(t, 1998, *first.Valid, "%s %s: the planted rows are left out", format, store)
			require.Equal(t, 2, *first.Errors, "%s %s", format, store)
			require.Zero(t, *first.Changes, "%s %s: the first list has nothing to compare with", format, store)
			changed := got[key{"persist_changed", format + store}]
			require.Equal(t, 200, *changed.Changes, "%s %s: every 10th price went up", format, store)
		}
	}

	// The kept workbook is a real price list: the dry run finds exactly the
	// planted rows (every 997th data row; data starts on Excel row 3).
	out, _, err = runCLI(t, "import", kept, "--partner", "acme", "--doctype", "price_list", "--dry-run", "--json")
	require.Equal(t, 1, exitCode(err))
	var imp importReport
	require.NoError(t, json.Unmarshal([]byte(out), &imp))
	require.Equal(t, 1998, imp.WouldImport)
	require.Len(t, imp.Errors, 2)
	require.Equal(t, 997+2, imp.Errors[0].Row)
	require.Equal(t, 2*997+2, imp.Errors[1].Row)
	require.Equal(t, "B", imp.Errors[0].Column)
	require.Equal(t, "面议", imp.Errors[0].Value)
	require.Equal(t, "CNY", imp.Header["currency"])
}

// emptyRemarks counts the first n generated rows (seed 1) whose 备注 is
// empty.
func emptyRemarks(n int) int {
	g := newBenchGenerator(1, 0)
	empty := 0
	for range n {
		if g.next().Remark == "" {
			empty++
		}
	}
	return empty
}

func TestBenchImportFlags(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"--rows", "0"},
		{"--runs", "0"},
		{"--keep", filepath.Join(t.TempDir(), "bench.csv")},
	} {
		_, _, err := runCLI(t, append([]string{"bench", "import"}, args...)...)
		require.Equal(t, 2, exitCode(err), "%v", args)
	}
	_, _, err := runCLI(t, "bench", "frobnicate")
	require.Equal(t, 2, exitCode(err))
}

func TestBenchGeneratorIsSeeded(t *testing.T) {
	t.Parallel()
	a, b, c := newBenchGenerator(7, 0), newBenchGenerator(7, 0), newBenchGenerator(8, 0)
	same, differ := true, false
	for range 50 {
		la, lb, lc := a.next(), b.next(), c.next()
		same = same && la == lb
		differ = differ || la != lc
	}
	require.True(t, same, "the same seed makes the same rows")
	require.True(t, differ, "another seed makes other rows")
	require.Equal(t, "4006381333931", gtin13("400638133393"), "a known EAN-13")
	require.Equal(t, "1,234,567.50", groupThousands("1234567.50"))
	require.Equal(t, "12.05", groupThousands("12.05"))
	require.Equal(t, "2026-01-01", excelSerialDate(benchDateStart))
}
