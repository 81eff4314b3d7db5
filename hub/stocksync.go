package hub

import (
	"context"
	"errors"
	"time"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/hub/store"
)

// StockSyncOutcome is what one stock sync did, for the run record.
type StockSyncOutcome struct {
	// MessageID is the raw message holding the snapshot.
	MessageID string
	// Final: the message was processed (done or failed) before the wait
	// ran out.
	Final bool
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

// SyncStock reads r.Dealer's stock through r.Reader, stores the snapshot
// as one raw message (doctype stock_level, format
// connectors.FormatStockSnapshot, source "erp:"+r.Source) for the hub
// serving st to process, waits until it is processed and returns the
// outcome. An error from the reader is returned as it is (the ERP's own
// message); nothing is stored then. It needs no *Hub, so the CLI runs it
// against a running hub's store too.
func SyncStock(ctx context.Context, st store.Store, names SubjectNamer, r StockSyncRequest) (StockSyncOutcome, error) {
	return StockSyncOutcome{}, errors.New("stock sync not built yet")
}
