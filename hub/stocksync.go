package hub

import (
	"context"
	"errors"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/hub/store"
)

// StockSyncOutcome is what one stock sync did, for the run record.
type StockSyncOutcome struct {
	// MessageID is the raw message holding the snapshot.
	MessageID string
	// Read is how many rows (levels and sales rows) the source read;
	// Changed how many documents got a new version; Rejected how many
	// rows were left out, with Errors (capped).
	Read     int
	Changed  int
	Rejected int
	Errors   []store.DataError
}

// SyncStockFrom reads dealer's stock through reader (sales over the
// salesDays ending today; none when salesDays <= 0), stores the snapshot
// as a raw message (doctype stock_level, format
// connectors.FormatStockSnapshot, source "erp:"+source), waits until it is
// processed and returns the outcome. An error from the reader is returned
// as it is (the ERP's own message); nothing is stored then.
func (h *Hub) SyncStockFrom(ctx context.Context, dealer, source string, reader connectors.StockReader, salesDays int) (StockSyncOutcome, error) {
	return StockSyncOutcome{}, errors.New("stock sync not built yet")
}
