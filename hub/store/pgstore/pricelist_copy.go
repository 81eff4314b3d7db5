package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/dealerhub/dealerhub/hub/store"
)

// errCopyAborted ends a COPY whose producer gave up (Write failed).
var errCopyAborted = errors.New("the lines' writer gave up")

// lineCopyColumns are the columns lineSource yields, in order.
var lineCopyColumns = []string{"price_list_id", "line_no", "sku", "unit", "unit_price", "min_quantity", "tiers", "body"}

// lineCopy streams the batches that Write puts into one COPY of
// price_list_lines on a transaction. CopyFrom runs in a goroutine and reads
// the batches from a channel; put hands a batch over and returns once its
// lines are encoded, so the caller may reuse the slice and at most one
// batch is held here. The transaction must not be used until finish
// returns.
type lineCopy struct {
	batches chan []store.PriceLine
	ack     chan struct{}
	end     chan struct{} // closed by finish after the last batch
	abort   chan struct{} // closed by finish when Write failed
	done    chan struct{} // closed when CopyFrom has returned
	rows    int64
	err     error // CopyFrom's error, readable once done is closed
}

// startLineCopy starts the COPY of the lines of publication id on tx.
func startLineCopy(ctx context.Context, tx pgx.Tx, id string) *lineCopy {
	c := &lineCopy{
		batches: make(chan []store.PriceLine),
		ack:     make(chan struct{}),
		end:     make(chan struct{}),
		abort:   make(chan struct{}),
		done:    make(chan struct{}),
	}
	src := &lineSource{id: id, c: c, vals: make([]any, len(lineCopyColumns))}
	go func() {
		defer close(c.done)
		c.rows, c.err = tx.CopyFrom(ctx, pgx.Identifier{"price_list_lines"}, lineCopyColumns, src)
	}()
	return c
}

// put hands one batch to the COPY and waits until its lines are encoded.
// It returns the COPY's error as soon as the COPY has failed, and an error
// when called after finish.
func (c *lineCopy) put(ctx context.Context, lines []store.PriceLine) error {
	if len(lines) == 0 {
		return nil
	}
	select {
	case c.batches <- lines:
	case <-c.done:
		return c.failure()
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-c.ack:
		return nil
	case <-c.done:
		return c.failure()
	case <-ctx.Done():
		return ctx.Err()
	}
}

// failure is the error of a COPY that ended before the last batch.
func (c *lineCopy) failure() error {
	if c.err != nil {
		return copyError(c.err)
	}
	return errors.New("the copy of the lines ended early")
}

// finish ends the COPY: after the last batch when writeErr is nil, by
// aborting it otherwise. It waits for CopyFrom and returns the number of
// lines stored and the COPY's error (a duplicate SKU as
// store.ErrDuplicateLine); an abort caused by writeErr is not an error of
// its own.
func (c *lineCopy) finish(writeErr error) (int64, error) {
	if writeErr != nil {
		close(c.abort)
	} else {
		close(c.end)
	}
	<-c.done
	if c.err == nil || errors.Is(c.err, errCopyAborted) {
		return c.rows, nil
	}
	return c.rows, copyError(c.err)
}

// copyError maps a unique violation of the lines' key to
// store.ErrDuplicateLine naming the SKU.
func copyError(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return fmt.Errorf("SKU %q: %w", duplicateSKU(pgErr.Detail), store.ErrDuplicateLine)
	}
	return fmt.Errorf("copying lines: %w", err)
}

// duplicateSKU reads the SKU out of a unique violation's detail:
// `Key (price_list_id, sku)=(<uuid>, <sku>) already exists.` A UUID holds no
// comma, so the SKU is everything after the first ", " of the values.
func duplicateSKU(detail string) string {
	_, values, ok := strings.Cut(detail, ")=(")
	if !ok {
		return ""
	}
	values = strings.TrimSuffix(values, ") already exists.")
	_, sku, _ := strings.Cut(values, ", ")
	return sku
}

// lineSource is the pgx.CopyFromSource of a lineCopy: it yields the lines
// of one batch after another and acknowledges each batch once consumed.
type lineSource struct {
	id    string
	c     *lineCopy
	batch []store.PriceLine
	i     int
	err   error
	vals  []any
}

// Next advances to the next line, waiting for the next batch when this one
// is consumed.
func (s *lineSource) Next() bool {
	for {
		if s.i+1 < len(s.batch) {
			s.i++
			return true
		}
		if s.batch != nil {
			s.batch = nil
			select {
			case s.c.ack <- struct{}{}:
			case <-s.c.abort:
				s.err = errCopyAborted
				return false
			}
		}
		select {
		case b := <-s.c.batches:
			s.batch, s.i = b, -1
		case <-s.c.end:
			return false
		case <-s.c.abort:
			s.err = errCopyAborted
			return false
		}
	}
}

// Values returns the current line's columns. pgx encodes them before the
// next call, so the slice is reused.
func (s *lineSource) Values() ([]any, error) {
	l := &s.batch[s.i]
	var tiers []byte
	if len(l.Tiers) > 0 {
		var err error
		if tiers, err = json.Marshal(l.Tiers); err != nil {
			return nil, fmt.Errorf("line %d (SKU %q): encoding tiers: %w", l.LineNo, l.SKU, err)
		}
	}
	s.vals[0], s.vals[1], s.vals[2], s.vals[3] = s.id, int32(l.LineNo), l.SKU, l.Unit
	s.vals[4], s.vals[5], s.vals[6], s.vals[7] = l.UnitPrice, l.MinQuantity, tiers, store.JSONBody(l.Body)
	return s.vals, nil
}

// Err is errCopyAborted when the writer gave up.
func (s *lineSource) Err() error { return s.err }
