package hub

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/hub/bus"
	"github.com/dealerhub/dealerhub/hub/store"
)

// StockSyncOutcome is what one stock sync did, for the run record.
type StockSyncOutcome struct {
	// MessageID is the raw message holding the snapshot.
	MessageID string
	// Status is the message's status when the wait ended: done, failed,
	// or (the wait ran out) received or processing.
	Status store.MessageStatus
	// Read is how many rows (levels and sales rows) the source read;
	// Changed how many documents got a new version; Rejected how many
	// rows were left out, with Errors (capped).
	Read     int
	Changed  int
	Rejected int
	Errors   []store.DataError
}

// StockSyncRequest is one stock sync to run.
type StockSyncRequest struct {
	// Dealer is the partner whose ERP is read.
	Dealer string
	// Source names it for people and the raw message ("tryton").
	Source string
	Reader connectors.StockReader
	// SalesDays of confirmed sales to read, ending today (UTC); none when
	// <= 0.
	SalesDays int
	// Now is the run's clock (time.Now when zero).
	Now time.Time
	// Wait bounds how long to wait for the message to be processed
	// (default 5 minutes).
	Wait time.Duration
}

// DefaultStockSyncWait bounds how long SyncStock waits for its message.
const DefaultStockSyncWait = 5 * time.Minute

// SyncStock reads r.Dealer's stock through r.Reader, stores the snapshot
// as one raw message (doctype stock_level, format
// connectors.FormatStockSnapshot, source "erp:"+r.Source) for the hub
// serving st to process, waits until it is processed and returns the
// outcome. An error from the reader is returned as it is (the ERP's own
// message); nothing is stored then. A message that failed as a whole (not
// a snapshot, every row bad) is an error listing its first reasons, with
// the outcome filled. It needs no *Hub, so the CLI runs it against a
// running hub's store too.
func SyncStock(ctx context.Context, st store.Store, names SubjectNamer, r StockSyncRequest) (StockSyncOutcome, error) {
	now := r.Now
	if now.IsZero() {
		now = time.Now()
	}
	wait := r.Wait
	if wait <= 0 {
		wait = DefaultStockSyncWait
	}
	var q connectors.StockQuery
	if r.SalesDays > 0 {
		today := now.UTC()
		q.SalesTo = today.Format(time.DateOnly)
		q.SalesFrom = today.AddDate(0, 0, -(r.SalesDays - 1)).Format(time.DateOnly)
	}
	snap, err := r.Reader.ReadStock(ctx, q)
	if err != nil {
		return StockSyncOutcome{}, fmt.Errorf("reading stock from %s: %w", r.Source, err)
	}
	if snap.Source == "" {
		snap.Source = r.Source
	}
	body, err := json.Marshal(snap)
	if err != nil {
		return StockSyncOutcome{}, fmt.Errorf("encoding the stock snapshot: %w", err)
	}
	out := StockSyncOutcome{Read: snapshotRows(snap)}
	rcpt, err := EnqueueBody(ctx, st, names, connectors.IngestRequest{
		Partner: r.Dealer, Doctype: "stock_level", Format: connectors.FormatStockSnapshot,
		Source: "erp:" + r.Source, Filename: fmt.Sprintf("%s-stock-%s.json", r.Source, snap.AsOf.UTC().Format("20060102T150405Z")),
	}, bytes.NewReader(body))
	if err != nil {
		return out, fmt.Errorf("storing the stock snapshot: %w", err)
	}
	out.MessageID = rcpt.MessageID
	m, err := AwaitMessage(ctx, st, rcpt.MessageID, time.Now().Add(wait), 200*time.Millisecond)
	if err != nil {
		return out, err
	}
	out.Status = m.Status
	out.Changed = len(m.DocumentIDs)
	out.Errors = m.Errors
	out.Rejected = countRejected(m.Errors)
	switch m.Status {
	case store.StatusDone:
		return out, nil
	case store.StatusFailed, store.StatusDead:
		return out, fmt.Errorf("the stock snapshot (message %s) failed: %w", m.ID, DataErrors(m.Errors))
	default:
		return out, fmt.Errorf("the stock snapshot (message %s) is still %s after %s: is the hub running?", m.ID, m.Status, wait)
	}
}

// countRejected counts the rows left out in a capped error list: errors
// of one row (pointers under the same /levels/N, /sales/N or, for
// records, /N) count once, and the summary entry ("and N more") counts
// as N.
func countRejected(errs []store.DataError) int {
	n := 0
	rows := map[string]bool{}
	for _, e := range errs {
		if more, ok := moreCount(e); ok {
			n += more
			continue
		}
		row := rowOf(e)
		if row == "" || !rows[row] {
			n++
		}
		rows[row] = true
	}
	return n
}

// rowOf is the row an error is about: its pointer up to the first index
// ("/levels/3", "/3"), else its location and row number.
func rowOf(e store.DataError) string {
	end := 0
	for _, seg := range strings.Split(strings.TrimPrefix(e.Pointer, "/"), "/") {
		end += 1 + len(seg)
		if seg != "" && strings.Trim(seg, "0123456789") == "" {
			return e.Pointer[:end]
		}
	}
	if e.Location == "" && e.Row == 0 {
		return e.Pointer
	}
	return fmt.Sprintf("%s#%d", e.Location, e.Row)
}

// handleStockSnapshot processes a stock snapshot: checks and matches its
// rows, then stores the levels and sales days that changed, raising or
// resolving low-stock alerts, in one transaction.
func (h *Hub) handleStockSnapshot(ctx context.Context, m *bus.Msg, msg store.Message, start time.Time, log *slog.Logger) error {
	in, err := h.buildStockSync(ctx, msg)
	var derrs DataErrors
	if errors.As(err, &derrs) {
		if ferr := h.st.FailMessage(ctx, msg.ID, store.StatusFailed, capSnapshotErrors(derrs, msg.ID)); ferr != nil {
			return fmt.Errorf("recording failure of message %s: %w", msg.ID, ferr)
		}
		h.metrics.messagesProcessed.WithLabelValues(string(store.StatusFailed)).Inc()
		log.Info("stock snapshot failed", "errors", len(derrs), "first", derrs.Error())
		return nil
	}
	if err != nil {
		log.Warn("processing stock snapshot", "err", err, "attempt", m.NumDelivered)
		return err
	}
	in.Outbox = func(rs []store.DocumentResult) []store.NewOutbox { return h.outboxFor(msg.ID, rs) }
	res, err := h.st.SyncStock(ctx, in)
	if errors.Is(err, store.ErrConflict) {
		return nil // another worker committed it
	}
	if err != nil {
		log.Warn("storing stock snapshot", "err", err, "attempt", m.NumDelivered)
		return fmt.Errorf("storing the stock snapshot of message %s: %w", msg.ID, err)
	}
	h.wake()
	h.metrics.messagesProcessed.WithLabelValues(string(store.StatusDone)).Inc()
	h.metrics.processingSeconds.Observe(h.now().Sub(start).Seconds())
	log.Info("stock synced", "levels", res.Levels, "changed", res.LevelsChanged, "sales_days", res.SalesDays,
		"sales_changed", res.SalesChanged, "rejected", len(in.Rejected), "low_stock_raised", len(res.Raised), "resolved", res.Resolved)
	return nil
}

// moreCount reads N back from a MoreErrors entry.
func moreCount(e store.DataError) (int, bool) {
	if e.Code != "more" {
		return 0, false
	}
	var n int
	if _, err := fmt.Sscanf(e.Reason, "and %d more", &n); err != nil {
		return 0, false
	}
	return n, true
}
