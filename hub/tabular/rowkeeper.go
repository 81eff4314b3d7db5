package tabular

import (
	"context"
	"slices"
	"sync"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/xlsx"
	"github.com/dealerhub/dealerhub/mappings"
)

// RowKeeper is a TableReader that remembers each row it hands to the
// mapping engine until the engine emits that row's record, so that an error
// workbook can show a rejected row's original cells. The hub's ErrorBook
// and `dealerhub import --dry-run --errors-out` both use it.
//
// The engine emits in row order and reads a bounded window ahead, so the
// queue stays short: rows that never become records (the header, blank and
// total rows) are dropped when a later record is passed or rejected. Memory
// grows with the rejected rows only. The first rows of each sheet are kept
// apart, to find the header row once the engine has detected it.
type RowKeeper struct {
	connectors.TableReader
	headLimit int

	mu       sync.Mutex // Next runs on the engine's reading goroutine, Pass and Reject on its emitting one
	queue    []connectors.Row
	heads    map[string][]connectors.Row
	rejected map[string][]xlsx.ErrorRow
	order    []string // sheets with rejected rows, in the order first seen
}

// NewRowKeeper wraps src for a run of m.
func NewRowKeeper(src connectors.TableReader, m *mappings.Mapping) *RowKeeper {
	return &RowKeeper{
		TableReader: src,
		headLimit:   max(m.ScanRows, mappings.DefaultScanRows, m.HeaderRow),
		heads:       map[string][]connectors.Row{},
		rejected:    map[string][]xlsx.ErrorRow{},
	}
}

// Next reads a row and remembers a copy of it.
func (k *RowKeeper) Next(ctx context.Context) (connectors.Row, error) {
	r, err := k.TableReader.Next(ctx)
	if err != nil {
		return r, err
	}
	kept := connectors.Row{Sheet: r.Sheet, Number: r.Number, Cells: slices.Clone(r.Cells)}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.queue = append(k.queue, kept)
	if len(k.heads[r.Sheet]) < k.headLimit {
		k.heads[r.Sheet] = append(k.heads[r.Sheet], kept)
	}
	return r, nil
}

// Pass forgets the row of a record that was accepted, and every row
// before it.
func (k *RowKeeper) Pass(loc mappings.Location) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.take(loc)
}

// Reject keeps the original cells of the row at loc with the reasons it
// was rejected, and forgets every row before it.
func (k *RowKeeper) Reject(loc mappings.Location, reasons []string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	r := k.take(loc)
	if _, seen := k.rejected[loc.Sheet]; !seen {
		k.order = append(k.order, loc.Sheet)
	}
	k.rejected[loc.Sheet] = append(k.rejected[loc.Sheet], xlsx.ErrorRow{Number: loc.Row, Cells: r.Cells, Reasons: reasons})
}

// take returns the row at loc and forgets it and every row before it;
// the caller holds mu.
func (k *RowKeeper) take(loc mappings.Location) connectors.Row {
	for len(k.queue) > 0 {
		r := k.queue[0]
		k.queue[0] = connectors.Row{}
		k.queue = k.queue[1:]
		if r.Sheet == loc.Sheet && r.Number == loc.Row {
			return r
		}
	}
	return connectors.Row{Sheet: loc.Sheet, Number: loc.Row}
}

// ErrorSheets returns the rejected rows per sheet, each under its header
// row as the engine found it (layouts are the run's Report.Sheets).
func (k *RowKeeper) ErrorSheets(layouts []mappings.SheetLayout) []xlsx.ErrorSheet {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := make([]xlsx.ErrorSheet, 0, len(k.order))
	for _, sh := range k.order {
		es := xlsx.ErrorSheet{Name: sh, Rows: k.rejected[sh]}
		for _, l := range layouts {
			if l.Sheet == sh {
				es.Header = k.header(sh, l.HeaderRow)
			}
		}
		out = append(out, es)
	}
	return out
}

// header returns the cells of a sheet's header row, if it was among the
// first rows kept; the caller holds mu.
func (k *RowKeeper) header(sheet string, number int) []connectors.Cell {
	for _, r := range k.heads[sheet] {
		if r.Number == number {
			return r.Cells
		}
	}
	return nil
}
