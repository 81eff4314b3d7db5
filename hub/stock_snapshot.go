package hub

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/hub/store"
	"github.com/dealerhub/dealerhub/schemas"
)

// stockLevelDoc is the canonical stock_level document a snapshot row
// becomes. Field order is the body's key order; AsOf and Source are left
// out of the content hash, so a re-sync of the same quantities is no change.
type stockLevelDoc struct {
	Sender      string `json:"sender"`
	ExternalID  string `json:"external_id"`
	Source      string `json:"source,omitempty"`
	Location    string `json:"location"`
	SKU         string `json:"sku"`
	Description string `json:"description,omitempty"`
	Supplier    string `json:"supplier,omitempty"`
	SupplierSKU string `json:"supplier_sku,omitempty"`
	OnHand      string `json:"on_hand"`
	Available   string `json:"available,omitempty"`
	Reserved    string `json:"reserved,omitempty"`
	OnOrder     string `json:"on_order,omitempty"`
	Unit        string `json:"unit"`
	AsOf        string `json:"as_of,omitempty"`
}

// salesReportDoc is the canonical sales_report of one location and day.
type salesReportDoc struct {
	Sender     string          `json:"sender"`
	ExternalID string          `json:"external_id"`
	Source     string          `json:"source,omitempty"`
	Date       string          `json:"date"`
	Location   string          `json:"location,omitempty"`
	Lines      []salesLineBody `json:"lines"`
}

type salesLineBody struct {
	SKU         string `json:"sku"`
	Supplier    string `json:"supplier,omitempty"`
	SupplierSKU string `json:"supplier_sku,omitempty"`
	Quantity    string `json:"quantity"`
	Unit        string `json:"unit"`
}

// maxStockSnapshotBytes bounds the snapshot a worker decodes whole.
const maxStockSnapshotBytes = 1 << 30

// decodeSnapshot reads a stock-snapshot message's JSON.
func decodeSnapshot(msg store.Message) (connectors.StockSnapshot, error) {
	var snap connectors.StockSnapshot
	if msg.Body == nil || msg.Body.Size() == 0 {
		return snap, DataErrors{{Code: "decode", Reason: "empty stock snapshot"}}
	}
	if msg.Body.Size() > maxStockSnapshotBytes {
		return snap, DataErrors{{Code: "decode", Reason: fmt.Sprintf("stock snapshot of %d bytes is over the %d-byte limit", msg.Body.Size(), maxStockSnapshotBytes)}}
	}
	dec := json.NewDecoder(io.NewSectionReader(msg.Body, 0, msg.Body.Size()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&snap); err != nil {
		return snap, DataErrors{{Code: "decode", Reason: "not a stock snapshot: " + err.Error()}}
	}
	if dec.More() {
		return snap, DataErrors{{Code: "decode", Reason: "not a stock snapshot: data after the document"}}
	}
	return snap, nil
}

// snapshotRows counts what a snapshot read: levels and sales rows.
func snapshotRows(s connectors.StockSnapshot) int { return len(s.Levels) + len(s.Sales) }

// buildStockSync checks a snapshot row by row, matches each item code to
// a product through the dealer's cross-references and builds the store's
// input. A bad row is left out with its reason (rejected); the message
// fails as a whole (DataErrors) only when it is not a snapshot, or when it
// has rows and every one of them is bad.
func (h *Hub) buildStockSync(ctx context.Context, msg store.Message) (store.StockSync, error) {
	var (
		snap connectors.StockSnapshot
		rows []stockRow
		pre  []store.DataError // records left out before they became rows
		err  error
	)
	if msg.Format == connectors.FormatStockSnapshot {
		if snap, err = decodeSnapshot(msg); err != nil {
			return store.StockSync{}, err
		}
		if snap.AsOf.IsZero() {
			return store.StockSync{}, DataErrors{{Code: "decode", Pointer: "/as_of", Reason: "the snapshot has no as_of time"}}
		}
		rows = make([]stockRow, len(snap.Levels))
		for i, l := range snap.Levels {
			rows[i] = stockRow{StockRow: l, ptr: fmt.Sprintf("/levels/%d", i), asOf: snap.AsOf}
		}
	} else if rows, pre, err = h.stockRecords(ctx, msg); err != nil {
		return store.StockSync{}, err
	}
	refs, err := h.st.ListCrossRefs(ctx, msg.Partner)
	if err != nil {
		return store.StockSync{}, fmt.Errorf("reading the cross-references of %q: %w", msg.Partner, err)
	}
	stored, err := h.st.StockHashes(ctx, msg.Partner)
	if err != nil {
		return store.StockSync{}, err
	}
	b := stockBuilder{
		dealer: msg.Partner, messageID: msg.ID, refs: make(map[string]store.CrossRef, len(refs)),
		stored: stored, rejected: pre,
	}
	for _, r := range refs {
		b.refs[r.Code] = r
	}
	out := store.StockSync{MessageID: msg.ID, Dealer: msg.Partner, Today: h.today()}
	seen := make(map[string]string, len(rows))
	for _, row := range rows {
		key := row.Location + "\x00" + row.Code
		if first, dup := seen[key]; dup {
			b.reject(row.ptr, row.Code, "", fmt.Sprintf("item %q at %q is listed twice (%s and %s); the first is kept", row.Code, row.Location, first, row.ptr))
			continue
		}
		seen[key] = row.ptr
		if l, ok := b.level(row); ok && l.Body != nil {
			out.Levels = append(out.Levels, l)
		}
	}
	out.Sales = b.salesDays(snap.Sales)
	receivers := h.stockReceivers(ctx, msg.Partner)
	for i := range out.Levels {
		if out.Levels[i].Deliveries, err = receivers(out.Levels[i].Supplier, "stock_level"); err != nil {
			return store.StockSync{}, err
		}
	}
	for i := range out.Sales {
		var sups []string
		for _, l := range out.Sales[i].Lines {
			if l.Supplier != "" && !slices.Contains(sups, l.Supplier) {
				sups = append(sups, l.Supplier)
			}
		}
		for _, sup := range sups {
			d, err := receivers(sup, "sales_report")
			if err != nil {
				return store.StockSync{}, err
			}
			out.Sales[i].Deliveries = append(out.Sales[i].Deliveries, d...)
		}
	}
	if all := len(rows) + len(snap.Sales) + countRejected(pre); all > 0 && countRejected(b.rejected) >= all {
		return store.StockSync{}, DataErrors(capSnapshotErrors(b.rejected, msg.ID))
	}
	out.Rejected = capSnapshotErrors(b.rejected, msg.ID)
	return out, nil
}

// capSnapshotErrors caps a snapshot's rejected rows like CapErrors, but
// its summary entry points at the stored snapshot (there is no error
// workbook for an ERP read).
func capSnapshotErrors(errs []store.DataError, messageID string) []store.DataError {
	out := CapErrors(errs)
	if len(out) > MaxStoredErrors {
		n := len(errs) - MaxStoredErrors
		out[MaxStoredErrors].Reason = fmt.Sprintf("and %d more error(s) not listed here; the snapshot as read is GET /api/v1/messages/%s/body", n, messageID)
	}
	return out
}

// stockReceivers returns, for a dealer, a function giving the deliveries
// of a synced document that names supplier: one per route the supplier
// set for the doctype over a channel other than its inbox, when the
// dealer shares that kind of data with it. A full sync changes thousands
// of levels at once, so synced data is not put in suppliers' inboxes: they
// read it with GET /api/v1/stock or follow the events.
func (h *Hub) stockReceivers(ctx context.Context, dealer string) func(supplier, doctype string) ([]store.NewDelivery, error) {
	cfg := h.cfg.Load()
	// A full sync asks for the same few suppliers a hundred thousand times.
	memo := map[[2]string][]store.NewDelivery{}
	return func(supplier, doctype string) ([]store.NewDelivery, error) {
		if supplier == "" {
			return nil, nil
		}
		k := [2]string{supplier, doctype}
		if d, ok := memo[k]; ok {
			return d, nil
		}
		shared, err := h.shares(ctx, dealer, supplier, func(r store.Relationship) bool {
			return (doctype == "stock_level" && r.SharesStock) || (doctype == "sales_report" && r.SharesSales)
		})
		if err != nil {
			return nil, err
		}
		var d []store.NewDelivery
		if shared && cfg.Route(supplier, doctype).Channel != "inbox" {
			d = h.deliveriesFor(doctype, []string{supplier})
		}
		memo[k] = d
		return d, nil
	}
}

// stockBuilder turns snapshot rows into store inputs, collecting the
// rejected ones.
type stockBuilder struct {
	dealer, messageID string
	refs              map[string]store.CrossRef
	// stored is the content hash of each stored level: a level whose
	// hash is the same is checked but not built.
	stored   map[string]string
	rejected []store.DataError
}

func (b *stockBuilder) reject(ptr, code, value, reason string) {
	b.rejected = append(b.rejected, store.DataError{Code: "stock", Pointer: ptr, Value: value, Reason: reason})
}

// quantity checks one quantity: a non-negative decimal; optional ones may
// be empty.
func (b *stockBuilder) quantity(ptr, code, field, v string, required bool) (string, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		if required {
			b.reject(ptr+"/"+field, code, v, fmt.Sprintf("item %q: %s is missing", code, field))
			return "", false
		}
		return "", true
	}
	r, ok := schemas.Decimal(v).Rat()
	if !ok || len(v) > 40 {
		b.reject(ptr+"/"+field, code, v, fmt.Sprintf("item %q: %s %q is not a number", code, field, v))
		return "", false
	}
	if r.Sign() < 0 {
		b.reject(ptr+"/"+field, code, v, fmt.Sprintf("item %q: %s %s is negative", code, field, v))
		return "", false
	}
	return v, true
}

// match finds the cross-reference of an item code.
func (b *stockBuilder) match(ptr, location, code string) (store.CrossRef, bool) {
	switch {
	case strings.TrimSpace(location) == "":
		b.reject(ptr+"/location", code, "", fmt.Sprintf("item %q has no location", code))
		return store.CrossRef{}, false
	case code == "":
		b.reject(ptr+"/code", "", "", "the row has no item code")
		return store.CrossRef{}, false
	case utf8.RuneCountInString(code) > 100:
		b.reject(ptr+"/code", code, code, fmt.Sprintf("item code %q is longer than 100 characters", code))
		return store.CrossRef{}, false
	}
	ref, ok := b.refs[code]
	if !ok {
		b.reject(ptr+"/code", code, code, fmt.Sprintf("item code %q has no cross-reference for dealer %q: add it with PUT /api/v1/cross-refs (code, supplier, supplier_sku)", code, b.dealer))
	}
	return ref, ok
}

// supplierOf is the supplier and its item code of a level: those the row
// names itself (a mapped record with supplier and supplier_sku), else
// the dealer's cross-reference of the code.
func (b *stockBuilder) supplierOf(ptr string, row connectors.StockRow) (store.CrossRef, bool) {
	if row.Supplier == "" {
		return b.match(ptr, row.Location, row.Code)
	}
	if strings.TrimSpace(row.Location) == "" {
		b.reject(ptr+"/location", row.Code, "", fmt.Sprintf("item %q has no location", row.Code))
		return store.CrossRef{}, false
	}
	ref := store.CrossRef{Partner: b.dealer, Code: row.Code, Supplier: row.Supplier, SupplierSKU: row.SupplierSKU}
	if ref.SupplierSKU == "" {
		ref.SupplierSKU = row.Code
	}
	return ref, true
}

// unit maps the ERP's unit word to a UN/ECE code.
func (b *stockBuilder) unit(ptr, code, word string) (string, bool) {
	u, ok := schemas.NormalizeUnit(word)
	if !ok {
		b.reject(ptr+"/unit", code, word, fmt.Sprintf("item %q: unit %q is not a known unit of measure", code, word))
	}
	return u, ok
}

// level checks and builds one level; a valid level equal to the stored
// one comes back without a Body (ok, nothing to store).
func (b *stockBuilder) level(row stockRow) (store.StockLevelInput, bool) {
	ptr := row.ptr
	// Every problem of the row is reported, not just the first.
	ref, ok0 := b.supplierOf(ptr, row.StockRow)
	onHand, ok1 := b.quantity(ptr, row.Code, "on_hand", row.OnHand, true)
	avail, ok2 := b.quantity(ptr, row.Code, "available", row.Available, false)
	reserved, ok3 := b.quantity(ptr, row.Code, "reserved", row.Reserved, false)
	onOrder, ok4 := b.quantity(ptr, row.Code, "on_order", row.OnOrder, false)
	unit, ok5 := b.unit(ptr, row.Code, row.Unit)
	if !ok0 || !ok1 || !ok2 || !ok3 || !ok4 || !ok5 {
		return store.StockLevelInput{}, false
	}
	doc := stockLevelDoc{
		Sender: b.dealer, ExternalID: store.StockExternalID(row.Location, row.Code),
		Location: row.Location, SKU: row.Code, Description: row.Name,
		Supplier: ref.Supplier, SupplierSKU: ref.SupplierSKU,
		OnHand: onHand, Available: avail, Reserved: reserved, OnOrder: onOrder, Unit: unit,
	}
	hash := hashJSON(doc)
	if b.stored[doc.ExternalID] == hash {
		return store.StockLevelInput{}, true // unchanged: nothing to build
	}
	doc.AsOf, doc.Source = row.asOf.UTC().Format(time.RFC3339Nano), b.messageID
	body, _ := json.Marshal(doc)
	return store.StockLevelInput{
		Location: row.Location, SKU: row.Code, Supplier: ref.Supplier, SupplierSKU: ref.SupplierSKU,
		OnHand: onHand, Available: avail, Reserved: reserved, OnOrder: onOrder, Unit: unit,
		AsOf: row.asOf.UTC(), Body: body, ContentHash: hash,
	}, true
}

// salesDays checks sales rows and groups them into one sales_report per
// (location, day), lines in item order; the same item twice on a day adds
// up.
func (b *stockBuilder) salesDays(rows []connectors.SalesRow) []store.SalesDayInput {
	type dayKey struct{ loc, date string }
	days := map[dayKey]map[string]store.SalesLineInput{}
	for i, row := range rows {
		ptr := fmt.Sprintf("/sales/%d", i)
		if _, err := time.Parse(time.DateOnly, row.Date); err != nil {
			b.reject(ptr+"/date", row.Code, row.Date, fmt.Sprintf("item %q: sales date %q is not YYYY-MM-DD", row.Code, row.Date))
			continue
		}
		ref, ok := b.match(ptr, row.Location, row.Code)
		if !ok {
			continue
		}
		qty, ok := b.quantity(ptr, row.Code, "quantity", row.Quantity, true)
		if !ok {
			continue
		}
		unit, ok := b.unit(ptr, row.Code, row.Unit)
		if !ok {
			continue
		}
		k := dayKey{row.Location, row.Date}
		if days[k] == nil {
			days[k] = map[string]store.SalesLineInput{}
		}
		l, seen := days[k][row.Code]
		if seen {
			qty, _ = store.SumDecimals(l.Quantity, qty)
		}
		days[k][row.Code] = store.SalesLineInput{SKU: row.Code, Supplier: ref.Supplier, SupplierSKU: ref.SupplierSKU, Quantity: qty, Unit: unit}
	}
	keys := make([]dayKey, 0, len(days))
	for k := range days {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b dayKey) int {
		if c := strings.Compare(a.date, b.date); c != 0 {
			return c
		}
		return strings.Compare(a.loc, b.loc)
	})
	out := make([]store.SalesDayInput, 0, len(keys))
	for _, k := range keys {
		lines := make([]store.SalesLineInput, 0, len(days[k]))
		for _, l := range days[k] {
			lines = append(lines, l)
		}
		slices.SortFunc(lines, func(a, b store.SalesLineInput) int { return strings.Compare(a.SKU, b.SKU) })
		doc := salesReportDoc{Sender: b.dealer, ExternalID: store.SalesExternalID(k.loc, k.date), Date: k.date, Location: k.loc}
		for _, l := range lines {
			doc.Lines = append(doc.Lines, salesLineBody{SKU: l.SKU, Supplier: l.Supplier, SupplierSKU: l.SupplierSKU, Quantity: l.Quantity, Unit: l.Unit})
		}
		hash := hashJSON(doc)
		doc.Source = b.messageID
		body, _ := json.Marshal(doc)
		out = append(out, store.SalesDayInput{Date: k.date, Location: k.loc, ExternalID: doc.ExternalID, Lines: lines, Body: body, ContentHash: hash})
	}
	return out
}

// hashJSON is the hex SHA-256 of v's JSON.
func hashJSON(v any) string {
	b, _ := json.Marshal(v)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// stockRow is one level to check: a snapshot row or a mapped record,
// with the pointer its errors carry and when it was read.
type stockRow struct {
	connectors.StockRow
	ptr  string
	asOf time.Time
}

// stockRecords decodes a message of records pulled from a dealer's API
// (format json-records) through its mapping into stock_level documents,
// checks each against the schema and turns the valid ones into rows. A
// record that does not map or validate is left out with its errors.
func (h *Hub) stockRecords(ctx context.Context, msg store.Message) ([]stockRow, []store.DataError, error) {
	decoded, rejected, err := h.decodeMessage(ctx, msg)
	if err != nil {
		return nil, nil, err
	}
	pre := []store.DataError(rejected)
	rows := make([]stockRow, 0, len(decoded))
	for _, d := range decoded {
		doc := d.Doc
		errs := h.checkDecoded(msg, d)
		asOf, perr := time.Parse(time.RFC3339Nano, str(doc["as_of"]))
		if len(errs) == 0 && perr != nil {
			errs = append(errs, store.DataError{Code: "schema", Pointer: d.Pointer + "/as_of", Location: d.Location, Reason: fmt.Sprintf("as_of %q is not a date-time", str(doc["as_of"]))})
		}
		if len(errs) > 0 {
			pre = append(pre, errs...)
			continue
		}
		rows = append(rows, stockRow{
			StockRow: connectors.StockRow{
				Location: str(doc["location"]), Code: str(doc["sku"]), Name: str(doc["description"]),
				OnHand: str(doc["on_hand"]), Available: str(doc["available"]), Reserved: str(doc["reserved"]),
				OnOrder: str(doc["on_order"]), Unit: str(doc["unit"]),
				Supplier: str(doc["supplier"]), SupplierSKU: str(doc["supplier_sku"]),
			},
			ptr: d.Pointer, asOf: asOf,
		})
	}
	return rows, pre, nil
}

// str is a document field as text; "" when absent or not a string.
func str(v any) string {
	s, _ := v.(string)
	return s
}
