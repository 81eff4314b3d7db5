package portal

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/hub/hubtest"
	"github.com/dealerhub/dealerhub/hub/store"
)

// priceCSV is a price list file in CNY, one line per "SKU unit price"
// triple.
func priceCSV(lines ...string) []byte {
	var b strings.Builder
	b.WriteString("SKU,Unit,Unit Price,Currency\n")
	for _, l := range lines {
		sku, rest, _ := strings.Cut(l, " ")
		unit, price, _ := strings.Cut(rest, " ")
		b.WriteString(sku + "," + unit + "," + price + ",CNY\n")
	}
	return []byte(b.String())
}

// importPriceList uploads a price list as supplier-a and returns the answer,
// which must be 201 (done).
func (e *apiEnv) importPriceList(t *testing.T, filename string, body []byte) ImportResponse {
	t.Helper()
	ct, form := multipartForm(t, filePart(filename, body), field("doctype", "price_list"))
	r := e.do(t, http.MethodPost, "/api/v1/imports?wait=30s", "supplier-a", ct, form, nil)
	require.Equal(t, http.StatusCreated, r.status, "body: %s", r.body)
	var resp ImportResponse
	decode(t, r, &resp)
	require.Equal(t, store.StatusDone, resp.Status)
	require.NotNil(t, resp.PriceList, "body: %s", r.body)
	return resp
}

// TestPriceListAPI publishes two lists of supplier-a through
// POST /api/v1/imports and reads them back as the supplier, the dealer that
// buys from it (dealer-a, which ordered BOLT-M8 and NUT-M8), a dealer that
// does not (dealer-b) and the operator, over both stores.
func TestPriceListAPI(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opts hubtest.Options
	}{
		{"sqlite", hubtest.Options{}},
		{"postgres", hubtest.Options{Postgres: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			testPriceListAPI(t, newSpreadsheetEnv(t, tc.opts, Options{}))
		})
	}
}

func testPriceListAPI(t *testing.T, e *apiEnv) {
	first, second := publishTwoLists(t, e)
	e.run(t, listScenarios(first.ID, second.ID))
	e.run(t, readScenarios(first.ID, second))
	testWorkbookIsolation(t, e)
}

// publishTwoLists has dealer-a order BOLT-M8 and NUT-M8, then supplier-a
// publish a list and a second one that changes both, adds a SKU and
// keeps one; then the second again in other bytes, which publishes nothing.
func publishTwoLists(t *testing.T, e *apiEnv) (first, second *store.PriceList) {
	order := e.submitOne(t, "dealer-a", "order", orderJSON("PO-PL-1"))
	e.WaitMessage(t, order, store.StatusDone)

	one := e.importPriceList(t, "prices.csv", priceCSV("BOLT-M8 EA 0.35", "NUT-M8 KGM 19.90", "WASHER-8 EA 0.05"))
	first = one.PriceList
	require.True(t, first.Diff.First)
	require.Empty(t, first.Notified, "a first list has nothing to compare and notifies no one")

	pl := e.importPriceList(t, "prices.csv", priceCSV("BOLT-M8 EA 0.40", "WASHER-8 EA 0.05", "SCREW-M3 EA 0.10")).PriceList
	require.False(t, pl.Diff.First)
	require.Equal(t, first.ID, pl.Predecessor)
	require.Equal(t, 1, pl.Diff.PriceUp)
	require.Equal(t, 1, pl.Diff.Removed)
	require.Equal(t, 1, pl.Diff.Added)
	require.Equal(t, 1, pl.Diff.Unchanged)
	require.Equal(t, []string{"dealer-a"}, pl.Notified)
	require.Equal(t, store.PriceListCurrent, pl.Status)
	require.Equal(t, pl.DocumentID, first.DocumentID, "the same file name is a new version of one document")

	// The same content in other bytes publishes nothing.
	again := e.importPriceList(t, "prices.csv", append(priceCSV("BOLT-M8 EA 0.40", "WASHER-8 EA 0.05", "SCREW-M3 EA 0.10"), '\n'))
	require.False(t, again.Duplicate)
	require.True(t, again.Unchanged)
	require.Equal(t, pl.ID, again.PriceList.ID)
	return first, pl
}

// listScenarios list the two publications as each partner.
func listScenarios(firstID, secondID string) []scenario {
	return []scenario{
		{name: "the supplier lists both, latest first", url: "/api/v1/price-lists", who: "supplier-a", status: 200,
			fields: map[string]string{"items.#": "2", "items.0.id": secondID, "items.1.id": firstID,
				"items.0.status": "current", "items.1.status": "superseded", "next_cursor": ""}},
		{name: "the dealer lists both", url: "/api/v1/price-lists?supplier=supplier-a", who: "dealer-a", status: 200,
			fields: map[string]string{"items.#": "2"}},
		{name: "pages of one", url: "/api/v1/price-lists?limit=1", who: "dealer-a", status: 200,
			fields: map[string]string{"items.#": "1", "items.0.id": secondID}, absent: []string{`"next_cursor":""`}},
		{name: "the current one", url: "/api/v1/price-lists?status=current", who: "dealer-a", status: 200,
			fields: map[string]string{"items.#": "1", "items.0.id": secondID}},
		{name: "no list in USD", url: "/api/v1/price-lists?currency=USD", who: "dealer-a", status: 200,
			fields: map[string]string{"items.#": "0"}},
		{name: "an unknown status", url: "/api/v1/price-lists?status=old", who: "dealer-a", status: 400,
			contains: []string{"status", "current"}},
		{name: "an unrelated dealer lists none", url: "/api/v1/price-lists", who: "dealer-b", status: 200,
			fields: map[string]string{"items.#": "0"}},
		{name: "a carrier lists none", url: "/api/v1/price-lists", who: "carrier-a", status: 200,
			fields: map[string]string{"items.#": "0"}},
		{name: "the operator lists both", url: "/api/v1/price-lists", who: "operator", status: 200,
			fields: map[string]string{"items.#": "2"}},
	}
}

// readScenarios read the second publication, its lines, changes, document
// and notification as each partner.
func readScenarios(firstID string, pl *store.PriceList) []scenario {
	one, two := "/api/v1/price-lists/"+firstID, "/api/v1/price-lists/"+pl.ID
	return []scenario{
		{name: "the dealer reads the list", url: two, who: "dealer-a", status: 200,
			fields: map[string]string{"id": pl.ID, "supplier": "supplier-a", "currency": "CNY",
				"lines": "3", "status": "current", "diff.price_up": "1", "diff.removed": "1", "diff.added": "1", "notified.0": "dealer-a"}},
		{name: "the first is superseded", url: one, who: "supplier-a", status: 200, fields: map[string]string{"status": "superseded"}},
		{name: "an unrelated dealer gets 404", url: two, who: "dealer-b", status: 404, absent: []string{"BOLT"}},
		{name: "nor its lines", url: two + "/lines", who: "dealer-b", status: 404, absent: []string{"BOLT"}},
		{name: "nor its changes", url: two + "/changes", who: "dealer-b", status: 404, absent: []string{"BOLT"}},
		{name: "an unknown list", url: "/api/v1/price-lists/nope", who: "operator", status: 404},

		{name: "the lines in file order", url: two + "/lines", who: "dealer-a", status: 200,
			fields: map[string]string{"items.#": "3", "items.0.line_no": "1", "items.0.sku": "BOLT-M8", "items.0.unit_price": "0.40",
				"items.0.line.sku": "BOLT-M8", "items.2.sku": "SCREW-M3", "next_cursor": ""}},
		{name: "lines page by page", url: two + "/lines?limit=2", who: "dealer-a", status: 200,
			fields: map[string]string{"items.#": "2"}, absent: []string{`"next_cursor":""`}},
		{name: "the changes in SKU order", url: two + "/changes", who: "dealer-a", status: 200,
			fields: map[string]string{"items.#": "3",
				"items.0.sku": "BOLT-M8", "items.0.kind": "price_up", "items.0.old_price": "0.35", "items.0.new_price": "0.40", "items.0.percent": "+14.29",
				"items.1.sku": "NUT-M8", "items.1.kind": "removed",
				"items.2.sku": "SCREW-M3", "items.2.kind": "added"}},
		{name: "a first list has no changes", url: one + "/changes", who: "supplier-a", status: 200,
			fields: map[string]string{"items.#": "0"}},

		{name: "the document comes whole", url: "/api/v1/documents/price_list/" + pl.DocumentID, who: "dealer-a", status: 200,
			fields: map[string]string{"version": "2", "body.currency": "CNY", "body.lines.#": "3", "body.lines.0.sku": "BOLT-M8",
				"body.lines.0.unit_price": "0.40", "body.lines.2.sku": "SCREW-M3"}},
		{name: "an unrelated dealer cannot read the document", url: "/api/v1/documents/price_list/" + pl.DocumentID, who: "dealer-b", status: 404},

		{name: "the dealer is notified once, of its SKUs only", url: "/api/v1/notifications?type=price_change", who: "dealer-a", status: 200,
			fields: map[string]string{"items.#": "1", "items.0.partner": "dealer-a", "items.0.link": two + "/changes",
				"items.0.data.price_list": pl.ID, "items.0.data.counts.price_up": "1", "items.0.data.counts.removed": "1",
				"items.0.data.counts.added": "0", "items.0.data.changes.#": "2"},
			contains: []string{"supplier-a price list", "2 of your SKUs changed", "1 up", "1 removed"}},
		{name: "an unrelated dealer is not notified", url: "/api/v1/notifications?type=price_change", who: "dealer-b", status: 200,
			fields: map[string]string{"items.#": "0"}},
	}
}

// testWorkbookIsolation checks that the message of a file with rejected
// rows and its error workbook belong to its sender: a dealer of that
// supplier sees neither, though the valid rows reach it.
func testWorkbookIsolation(t *testing.T, e *apiEnv) {
	ct, form := multipartForm(t, filePart("pricelist.csv", supplierCSV(t)), field("doctype", "price_list"))
	r := e.do(t, http.MethodPost, "/api/v1/imports?wait=30s", "supplier-a", ct, form, nil)
	require.Equal(t, http.StatusCreated, r.status, "the built-in mapping imports the valid rows; body: %s", r.body)
	book := jsonField(t, r.body, "links.errors_workbook")
	require.NotEqual(t, "<missing>", book)
	sheets := readWorkbook(t, e.do(t, http.MethodGet, book, "supplier-a", "", "", nil))
	require.Len(t, sheets, 1)
	msg := jsonField(t, r.body, "links.message")
	e.run(t, []scenario{
		{name: "the supplier's dealer gets 404 for its workbook", url: book, who: "dealer-a", status: 404},
		{name: "the supplier's dealer gets 404 for its message", url: msg, who: "dealer-a", status: 404},
		{name: "an unrelated dealer gets 404 for its workbook", url: book, who: "dealer-b", status: 404},
		{name: "the operator reads the message with its rejected rows", url: msg, who: "operator", status: 200,
			fields: map[string]string{"status": "done", "errors.#": "3"}},
		{name: "the supplier's dealer reads the valid lines", url: "/api/v1/documents/price_list/" + jsonField(t, r.body, "price_list.document_id"),
			who: "dealer-a", status: 200, fields: map[string]string{"body.lines.#": "4"}, absent: []string{"BAD-1", "BAD-2"}},
	})
}
