package portal

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/dealerhub/dealerhub/hub"
	"github.com/dealerhub/dealerhub/hub/store"
)

// listStock handles GET /api/v1/stock: a dealer's own levels; for a
// supplier, its products at the dealers that share stock with it, with
// their 30-day sell-through where the dealer shares sales. dealer= naming
// a dealer that does not share with the caller is 404.
func (a *api) listStock(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	q := newQuery(r.URL)
	f := store.StockFilter{
		Dealer:   q.str("dealer"),
		Supplier: q.str("supplier"),
		Location: q.str("location"),
		SKU:      q.str("sku"),
		Page:     q.page(),
	}
	if q.err != nil {
		return q.err
	}
	levels, next, err := a.svc.ListStock(r.Context(), p, f)
	if err != nil {
		return fmt.Errorf("listing stock: %w", err)
	}
	writeList(w, levels, next)
	return nil
}

// listStockPolicies handles GET /api/v1/stock-policies.
func (a *api) listStockPolicies(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	q := newQuery(r.URL)
	f := store.StockPolicyFilter{
		Dealer:   q.str("dealer"),
		Location: q.str("location"),
		SKU:      q.str("sku"),
		Page:     q.page(),
	}
	if q.err != nil {
		return q.err
	}
	ps, next, err := a.svc.ListStockPolicies(r.Context(), p, f)
	if err != nil {
		return fmt.Errorf("listing stock policies: %w", err)
	}
	writeList(w, ps, next)
	return nil
}

// PutStockPoliciesResponse answers PUT /api/v1/stock-policies.
type PutStockPoliciesResponse struct {
	// Stored is how many policies were set.
	Stored int `json:"stored"`
	// Raised are the low_stock notifications the new policies raised.
	Raised []store.Notification `json:"raised"`
}

// putStockPolicies handles PUT /api/v1/stock-policies: a JSON array of
// policies, or a CSV file (text/csv) with a header row of the same field
// names (location, sku, safety_stock, reorder_point, max_level,
// cover_days, pack_size, min_order). An operator names the dealer with
// ?dealer=. All or nothing.
func (a *api) putStockPolicies(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	body, csvBody, err := a.readTable(r)
	if err != nil {
		return err
	}
	var ps []store.StockPolicy
	if csvBody {
		ps, err = policiesFromCSV(body)
	} else {
		err = decodeArray(body, &ps)
	}
	if err != nil {
		return err
	}
	raised, err := a.svc.PutStockPolicies(r.Context(), p, r.URL.Query().Get("dealer"), ps)
	if err != nil {
		return fmt.Errorf("setting %d stock policies: %w", len(ps), err)
	}
	if raised == nil {
		raised = []store.Notification{}
	}
	writeJSON(w, http.StatusOK, PutStockPoliciesResponse{Stored: len(ps), Raised: raised})
	return nil
}

// listCrossRefs handles GET /api/v1/cross-refs (?partner= for operators).
func (a *api) listCrossRefs(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	refs, err := a.svc.ListCrossRefs(r.Context(), p, r.URL.Query().Get("partner"))
	if err != nil {
		return fmt.Errorf("listing cross-references: %w", err)
	}
	if refs == nil {
		refs = []store.CrossRef{}
	}
	writeList(w, refs, "")
	return nil
}

// PutCrossRefsResponse answers PUT /api/v1/cross-refs.
type PutCrossRefsResponse struct {
	// Stored is how many item codes are set (a code given twice counts
	// once: the last row wins).
	Stored int `json:"stored"`
}

// putCrossRefs handles PUT /api/v1/cross-refs: a JSON array of {code,
// supplier, supplier_sku}, or a CSV file with that header row. All or
// nothing.
func (a *api) putCrossRefs(w http.ResponseWriter, r *http.Request, p hub.Principal) error {
	body, csvBody, err := a.readTable(r)
	if err != nil {
		return err
	}
	var refs []store.CrossRef
	if csvBody {
		refs, err = crossRefsFromCSV(body)
	} else {
		err = decodeArray(body, &refs)
	}
	if err != nil {
		return err
	}
	n, err := a.svc.PutCrossRefs(r.Context(), p, r.URL.Query().Get("partner"), refs)
	if err != nil {
		return fmt.Errorf("setting %d cross-references: %w", len(refs), err)
	}
	writeJSON(w, http.StatusOK, PutCrossRefsResponse{Stored: n})
	return nil
}

// readTable reads a body that is JSON or CSV, by its Content-Type.
func (a *api) readTable(r *http.Request) (body []byte, isCSV bool, err error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "text/csv":
		isCSV = true
	default:
		if err := checkJSONContentType(r.Header.Get("Content-Type")); err != nil {
			return nil, false, &Error{Status: http.StatusUnsupportedMediaType, Code: CodeUnsupportedMediaType,
				Message: "Content-Type must be application/json or text/csv"}
		}
	}
	body, err = a.readBody(r)
	return bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")), isCSV, err
}

// decodeArray decodes a JSON array of objects strictly: an unknown field
// is an error naming it and the element.
func decodeArray[T any](body []byte, out *[]T) error {
	var raws []json.RawMessage
	if err := json.Unmarshal(body, &raws); err != nil {
		return badRequest("the body must be a JSON array of objects: %v", err)
	}
	*out = make([]T, len(raws))
	for i, raw := range raws {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&(*out)[i]); err != nil {
			return badRequest("element /%d: %v", i, err)
		}
	}
	return nil
}

// csvTable reads a CSV body with a header row into maps by header name;
// known lists the allowed columns (an unknown one is an error naming it),
// required those that must be there.
func csvTable(body []byte, known, required []string) ([]map[string]string, error) {
	rd := csv.NewReader(bytes.NewReader(body))
	rd.FieldsPerRecord = -1
	rd.TrimLeadingSpace = true
	header, err := rd.Read()
	if errors.Is(err, io.EOF) {
		return nil, badRequest("the CSV body is empty; the first row must name the columns: %s", strings.Join(known, ", "))
	}
	if err != nil {
		return nil, badRequest("reading the CSV header: %v", err)
	}
	cols := make([]string, len(header))
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if !slices.Contains(known, h) {
			return nil, badRequest("CSV column %d %q is not one of %s", i+1, header[i], strings.Join(known, ", "))
		}
		cols[i] = h
	}
	for _, req := range required {
		if !slices.Contains(cols, req) {
			return nil, badRequest("the CSV header has no %q column", req)
		}
	}
	var rows []map[string]string
	for {
		rec, err := rd.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, badRequest("reading the CSV: %v", err)
		}
		line, _ := rd.FieldPos(0)
		if len(rec) > len(cols) {
			return nil, badRequest("CSV line %d has %d fields; the header has %d", line, len(rec), len(cols))
		}
		row := map[string]string{"_line": strconv.Itoa(line)}
		for i, v := range rec {
			row[cols[i]] = strings.TrimSpace(v)
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil, badRequest("the CSV has a header row but no data rows")
	}
	return rows, nil
}

// policiesFromCSV reads stock policies from CSV rows.
func policiesFromCSV(body []byte) ([]store.StockPolicy, error) {
	rows, err := csvTable(body, []string{"dealer", "location", "sku", "safety_stock", "reorder_point", "max_level", "cover_days", "pack_size", "min_order"},
		[]string{"location", "sku"})
	if err != nil {
		return nil, err
	}
	out := make([]store.StockPolicy, len(rows))
	for i, row := range rows {
		out[i] = store.StockPolicy{
			Dealer: row["dealer"], Location: row["location"], SKU: row["sku"],
			SafetyStock: row["safety_stock"], ReorderPoint: row["reorder_point"], MaxLevel: row["max_level"],
			PackSize: row["pack_size"], MinOrder: row["min_order"],
		}
		if v := row["cover_days"]; v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return nil, badRequest("CSV line %s, column cover_days: %q is not a whole number of days", row["_line"], v)
			}
			out[i].CoverDays = n
		}
	}
	return out, nil
}

// crossRefsFromCSV reads cross-references from CSV rows.
func crossRefsFromCSV(body []byte) ([]store.CrossRef, error) {
	rows, err := csvTable(body, []string{"partner", "code", "supplier", "supplier_sku"}, []string{"code", "supplier", "supplier_sku"})
	if err != nil {
		return nil, err
	}
	out := make([]store.CrossRef, len(rows))
	for i, row := range rows {
		out[i] = store.CrossRef{Partner: row["partner"], Code: row["code"], Supplier: row["supplier"], SupplierSKU: row["supplier_sku"]}
	}
	return out, nil
}
