package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/store"
)

// requireNothingStored checks that a failed publication left no trace and
// its message is still processing.
func requireNothingStored(t *testing.T, f *plFixture, msg store.Message) {
	t.Helper()
	require.Zero(t, f.count(`SELECT count(*) FROM price_list_lines`), "no lines")
	require.Zero(t, f.count(`SELECT count(*) FROM price_lists`), "no publication")
	require.Zero(t, f.count(`SELECT count(*) FROM documents WHERE doctype = 'price_list'`), "no document")
	require.Zero(t, f.count(`SELECT count(*) FROM outbox`), "no outbox row")
	m, err := f.st.GetMessage(f.ctx, store.OperatorScope(), msg.ID)
	require.NoError(t, err)
	require.Equal(t, store.StatusProcessing, m.Status)
	require.Nil(t, m.Errors)
}

// skuLines makes n lines with SKUs S-0000000… from start.
func skuLines(start, n int) []store.PriceLine {
	out := make([]store.PriceLine, n)
	for i := range out {
		out[i] = line(start+i+1, fmt.Sprintf("S-%07d", start+i), fmt.Sprintf("%d.%02d", 1+(start+i)%500, (start+i)%100))
	}
	return out
}

func TestLinesStreamIntoTheCopyWhileWriteRuns(t *testing.T) {
	t.Parallel()
	f := newPLFixture(t)
	const batches, size = 60, 1000
	out := f.mustPublish(pub{write: func(ctx context.Context, put func([]store.PriceLine) error) error {
		for b := range batches {
			if err := put(skuLines(b*size, size)); err != nil {
				return err
			}
			if b == 49 {
				// The server has the lines of the batches put so far while
				// Write still runs: nothing waits for the end.
				require.Eventually(t, func() bool {
					var n int64
					err := f.raw.QueryRow(ctx, `SELECT coalesce(max(tuples_processed), 0) FROM pg_stat_progress_copy
						WHERE relid = 'price_list_lines'::regclass`).Scan(&n)
					return err == nil && n >= 40*size
				}, 20*time.Second, 5*time.Millisecond)
			}
		}
		return nil
	}})
	require.Equal(t, batches*size, out.PriceList.Lines)
	require.Equal(t, batches*size, f.count(`SELECT count(*) FROM price_list_lines WHERE price_list_id = $1`, out.PriceList.ID))
}

func TestPutMayReuseItsSlice(t *testing.T) {
	t.Parallel()
	f := newPLFixture(t)
	want := skuLines(0, 3000)
	out := f.mustPublish(pub{write: func(_ context.Context, put func([]store.PriceLine) error) error {
		buf := make([]store.PriceLine, 0, 700)
		for _, l := range want {
			buf = append(buf, l)
			if len(buf) == cap(buf) {
				if err := put(buf); err != nil {
					return err
				}
				buf = buf[:0]
			}
		}
		return put(buf)
	}})
	got := f.allLines(out.PriceList.ID, 1000)
	require.Len(t, got, len(want))
	for i := range want {
		require.Equal(t, want[i].Line(), got[i].Line())
		require.Equal(t, want[i].LineNo, got[i].LineNo)
	}
}

func TestDuplicateSKUFailsNamingIt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		lines []store.PriceLine
		sku   string
	}{
		{"in one batch", lines("A:1.00", "B:2.00", "A:3.00"), "A"},
		{"with a comma and parentheses", lines("X, (1):1.00", "X, (1):2.00"), "X, (1)"},
		{"across batches", append(skuLines(0, 2500), line(2501, "S-0000042", "9.00")), "S-0000042"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newPLFixture(t)
			out, err := f.publish(pub{lines: tc.lines})
			require.ErrorIs(t, err, store.ErrDuplicateLine)
			require.ErrorContains(t, err, fmt.Sprintf("SKU %q", tc.sku))
			requireNothingStored(t, f, out.msg)
		})
	}
}

func TestPutReturnsTheCopyErrorWhileWriteRuns(t *testing.T) {
	t.Parallel()
	f := newPLFixture(t)
	const maxBatches = 1000
	var puts int
	var putErr error
	out, err := f.publish(pub{write: func(_ context.Context, put func([]store.PriceLine) error) error {
		for b := range maxBatches {
			ls := skuLines(b*1000, 1000)
			if b == 2 {
				ls[500].SKU = "S-0000005"
			}
			puts++
			if putErr = put(ls); putErr != nil {
				return putErr
			}
		}
		return nil
	}})
	require.ErrorIs(t, putErr, store.ErrDuplicateLine, "put reports the failed COPY")
	require.Less(t, puts, maxBatches, "the writer stops early")
	require.ErrorIs(t, err, store.ErrDuplicateLine)
	require.ErrorContains(t, err, `"S-0000005"`)
	requireNothingStored(t, f, out.msg)

	// A writer that ignores put's error still fails the publication.
	out, err = f.publish(pub{write: func(_ context.Context, put func([]store.PriceLine) error) error {
		_ = put(lines("A:1.00", "A:2.00"))
		_ = put(lines("B:1.00"))
		return nil
	}})
	require.ErrorIs(t, err, store.ErrDuplicateLine)
	requireNothingStored(t, f, out.msg)
}

func TestWriteErrorMidCopyRollsBack(t *testing.T) {
	t.Parallel()
	f := newPLFixture(t)
	bad := hub.DataErrors{{Sheet: "价格", Row: 2002, Column: "C", Header: "单价", Value: "x", Reason: "not a decimal"}}
	out, err := f.publish(pub{write: func(_ context.Context, put func([]store.PriceLine) error) error {
		for b := range 3 {
			if err := put(skuLines(b*1000, 1000)); err != nil {
				return err
			}
		}
		return fmt.Errorf("reading row 2002: %w", bad)
	}})
	var derrs hub.DataErrors
	require.ErrorAs(t, err, &derrs, "the writer's error is wrapped, not flattened")
	require.Equal(t, bad, derrs)
	requireNothingStored(t, f, out.msg)

	// The store is usable again, and the same message can be published.
	res, err := f.st.PublishPriceList(f.ctx, store.PriceListPublish{MessageID: out.msg.ID, Supplier: "acme", Today: "2026-01-15",
		Write: func(_ context.Context, put func([]store.PriceLine) error) (store.PriceListHeader, error) {
			p := pub{supplier: "acme", externalID: "PL-1", currency: "EUR", validFrom: "2026-01-01", lines: lines("A:1.00")}
			return p.header(), put(p.lines)
		}})
	require.NoError(t, err)
	require.Equal(t, 1, res.PriceList.Lines)
}

func TestCancelledPublicationEndsAndRollsBack(t *testing.T) {
	t.Parallel()
	f := newPLFixture(t)
	msg := f.message("acme", "price_list")
	ctx, cancel := context.WithCancel(f.ctx)
	defer cancel()
	var putErr error
	_, err := f.st.PublishPriceList(ctx, store.PriceListPublish{MessageID: msg.ID, Supplier: "acme", Today: "2026-01-15",
		Write: func(ctx context.Context, put func([]store.PriceLine) error) (store.PriceListHeader, error) {
			if err := put(skuLines(0, 1000)); err != nil {
				return store.PriceListHeader{}, err
			}
			cancel()
			for b := 1; putErr == nil && b < 1000; b++ {
				putErr = put(skuLines(b*1000, 1000))
			}
			return store.PriceListHeader{}, putErr
		}})
	require.Error(t, putErr)
	require.True(t, errors.Is(err, context.Canceled), "got %v", err)
	requireNothingStored(t, f, msg)
}
