package schemas

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// validOrder is a small valid order as a JSON text.
const validOrder = `{
  "sender": "north-hardware",
  "receiver": "acme-tools",
  "external_id": "PO-1",
  "status": "sent",
  "order_date": "2025-04-08",
  "lines": [
    {"line_no": 1, "sku": "AT-1", "quantity": "2", "unit": "EA", "unit_price": "10.00"},
    {"line_no": 2, "sku": "AT-2", "quantity": "1", "unit": "SET"}
  ]
}`

func decodeUseNumber(t testing.TB, s string) map[string]any {
	t.Helper()
	v, err := decodeJSON([]byte(s))
	require.NoError(t, err)
	return v.(map[string]any)
}

func pointersOf(vs []Violation) []string {
	ps := make([]string, len(vs))
	for i, v := range vs {
		ps[i] = v.Pointer
	}
	return ps
}

func TestValidateReportsEveryViolation(t *testing.T) {
	t.Parallel()
	r := newRegistry(t)
	doc := decodeUseNumber(t, validOrder)
	require.Empty(t, r.Validate("order", doc))

	lines := doc["lines"].([]any)
	delete(lines[0].(map[string]any), "unit")
	lines[1].(map[string]any)["unit_price"] = json.Number("9.5")
	lines[1].(map[string]any)["colour"] = "red"
	doc["order_date"] = "2025-02-30"
	doc["status"] = "shiped"
	doc["sender"] = "North"
	vs := r.Validate("order", doc)
	require.Equal(t, []string{
		"/lines/0/unit", "/lines/1/colour", "/lines/1/unit_price", "/order_date", "/sender", "/status",
	}, pointersOf(vs))
	reasons := map[string]string{}
	for _, v := range vs {
		reasons[v.Pointer] = v.Reason
	}
	require.Equal(t, `required property "unit" is missing`, reasons["/lines/0/unit"])
	require.Equal(t, `unexpected property "colour"`, reasons["/lines/1/colour"])
	require.Contains(t, reasons["/lines/1/unit_price"], "unit_price must be a non-negative decimal string")
	require.Contains(t, reasons["/lines/1/unit_price"], "the number 9.5")
	require.Contains(t, reasons["/order_date"], `"2025-02-30"`)
	require.Contains(t, reasons["/order_date"], "YYYY-MM-DD")
	require.Contains(t, reasons["/sender"], `"North"`)
	require.Contains(t, reasons["/status"], `did you mean "shipped"?`)
}

func TestValidateDoesNotModifyTheDocument(t *testing.T) {
	t.Parallel()
	r := newRegistry(t)
	doc := decodeUseNumber(t, validOrder)
	doc["extra"] = []int{1, 2} // not a generic JSON value: converted on a copy
	before, err := json.Marshal(doc)
	require.NoError(t, err)
	vs := r.Validate("order", doc)
	require.Equal(t, []string{"/extra"}, pointersOf(vs))
	after, err := json.Marshal(doc)
	require.NoError(t, err)
	require.JSONEq(t, string(before), string(after))
	require.IsType(t, []int{}, doc["extra"])
}

func TestValidateAcceptsPlainFloatDecoding(t *testing.T) {
	t.Parallel()
	r := newRegistry(t)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(validOrder), &doc)) // numbers as float64
	require.Empty(t, r.Validate("order", doc))
	doc["lines"].([]any)[0].(map[string]any)["quantity"] = 2.0
	vs := r.Validate("order", doc)
	require.Equal(t, []string{"/lines/0/quantity"}, pointersOf(vs))
	require.Contains(t, vs[0].Reason, "the number 2")
}

func TestValidateGoStructs(t *testing.T) {
	t.Parallel()
	r := newRegistry(t)
	o := Order{
		Sender: "north-hardware", Receiver: "acme-tools", ExternalID: "PO-7", Status: "sent", OrderDate: "2025-04-08",
		ShipTo: &Address{City: "北京", Country: "CN"},
		Lines:  []OrderLine{{LineNo: 1, SKU: "AT-1", Quantity: "3", Unit: "PCE", UnitPrice: "1.25"}},
	}
	require.Empty(t, r.Validate("order", o))
	require.Empty(t, r.Validate("order", &o))
	o.Lines[0].Quantity = "3.0.0"
	o.Lines = append(o.Lines, OrderLine{SKU: "AT-2", Quantity: "1", Unit: "EA"})
	require.Equal(t, []string{"/lines/0/quantity", "/lines/1/line_no"}, pointersOf(r.Validate("order", o)))
}

func TestValidateRootProblems(t *testing.T) {
	t.Parallel()
	r := newRegistry(t)
	vs := r.Validate("invoice", map[string]any{})
	require.Equal(t, []Violation{{Pointer: "", Reason: vs[0].Reason}}, vs)
	require.Contains(t, vs[0].Reason, `unknown document type "invoice"`)

	vs = r.Validate("order", []any{})
	require.Len(t, vs, 1)
	require.Equal(t, "", vs[0].Pointer)
	require.Equal(t, "document must be a JSON object, got an array", vs[0].Reason)

	vs = r.Validate("stock_level", map[string]any{})
	require.Equal(t, []string{"/as_of", "/external_id", "/location", "/on_hand", "/sender", "/sku", "/unit"}, pointersOf(vs))
}

func TestValidateSortsNumericallyAndEscapesPointers(t *testing.T) {
	t.Parallel()
	r := newRegistry(t)
	doc := decodeUseNumber(t, validOrder)
	var lines []any
	for i := range 12 {
		lines = append(lines, map[string]any{"line_no": json.Number("1"), "sku": "S", "quantity": "1", "unit": "EA", "a/b~c": "x", "note": i})
	}
	doc["lines"] = lines
	vs := r.Validate("order", doc)
	require.Len(t, vs, 24)
	require.Equal(t, "/lines/0/a~1b~0c", vs[0].Pointer)
	require.Equal(t, `unexpected property "a/b~c"`, vs[0].Reason)
	require.Equal(t, "/lines/0/note", vs[1].Pointer)
	require.Equal(t, "/lines/2/a~1b~0c", vs[4].Pointer)
	require.Equal(t, "/lines/11/note", vs[23].Pointer)
	require.True(t, slices.IsSortedFunc(vs, func(a, b Violation) int { return comparePointers(a.Pointer, b.Pointer) }))

	ext := decodeUseNumber(t, validOrder)
	ext["extensions"] = map[string]any{"x/y": json.Number("1"), "ok": "fine"}
	vs = r.Validate("order", ext)
	require.Equal(t, []string{"/extensions/x~1y"}, pointersOf(vs))
	require.Equal(t, `x/y must be a string, got the number 1 (write it as a JSON string: "1")`, vs[0].Reason)
}

func TestValidateJSONErrors(t *testing.T) {
	t.Parallel()
	r := newRegistry(t)
	vs, err := r.ValidateJSON("order", []byte(validOrder))
	require.NoError(t, err)
	require.Empty(t, vs)

	_, err = r.ValidateJSON("invoice", []byte(validOrder))
	require.ErrorIs(t, err, ErrUnknownDocType)

	for _, tc := range []struct {
		in, offset string
	}{
		{`{"sender": "a",}`, "byte offset 16"},
		{`{"sender": "a"`, "byte offset 14"},
		{`{"sender": "a"} {}`, "byte offset 16"},
		{`   `, "empty input"},
	} {
		_, err := r.ValidateJSON("order", []byte(tc.in))
		require.ErrorIs(t, err, ErrMalformedJSON, tc.in)
		require.Contains(t, err.Error(), tc.offset, tc.in)
	}
}

func TestRegistryIsSafeForConcurrentUse(t *testing.T) {
	t.Parallel()
	r := newRegistry(t)
	bad := strings.Replace(validOrder, `"10.00"`, `10.00`, 1)
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for range 8 {
		wg.Go(func() {
			for range 50 {
				vs, err := r.ValidateJSON("order", []byte(bad))
				if err != nil || len(vs) != 1 || vs[0].Pointer != "/lines/0/unit_price" {
					errs <- "unexpected result"
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	require.Empty(t, errs)
}

func TestEmbeddedFiles(t *testing.T) {
	t.Parallel()
	for _, dt := range DocTypes {
		b, err := fs.ReadFile(Files(), "v1/"+dt+".json")
		require.NoError(t, err)
		var s map[string]any
		require.NoError(t, json.Unmarshal(b, &s))
		require.Equal(t, BaseURL+dt+".json", s["$id"])
		require.Equal(t, "https://json-schema.org/draft/2020-12/schema", s["$schema"])
	}
	_, err := fs.Stat(Files(), "config/hub.json")
	require.NoError(t, err)
	_, err = fs.Stat(Files(), "v1/invoice.json")
	require.True(t, errors.Is(err, fs.ErrNotExist))
}

// TestSchemasAreStrict walks every schema and requires that each object
// schema with properties is closed, except the free-form string maps.
func TestSchemasAreStrict(t *testing.T) {
	t.Parallel()
	paths, err := fs.Glob(Files(), "*/*.json")
	require.NoError(t, err)
	require.Len(t, paths, len(DocTypes)+3) // common, hub config, mapping
	for _, p := range paths {
		b, err := fs.ReadFile(Files(), p)
		require.NoError(t, err)
		var doc any
		require.NoError(t, json.Unmarshal(b, &doc))
		var walk func(at string, v any)
		walk = func(at string, v any) {
			switch x := v.(type) {
			case map[string]any:
				if _, ok := x["properties"]; ok {
					require.Equal(t, false, x["additionalProperties"], "%s%s is closed", p, at)
				}
				// Documents carry money and quantities; a config file may
				// hold a plain rate (rest rate_limit.rps: 0.5).
				if x["type"] == "number" && !strings.HasPrefix(p, "config/") {
					t.Errorf("%s%s: money and quantities are decimal strings, not numbers", p, at)
				}
				for k, c := range x {
					if k != "if" { // a condition reads the instance, it does not shape it
						walk(at+"/"+k, c)
					}
				}
			case []any:
				for _, c := range x {
					walk(at, c)
				}
			}
		}
		walk("#", doc)
	}
}

func TestVocabulariesMatchCommonSchema(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("v1/common.json")
	require.NoError(t, err)
	var common struct {
		Defs map[string]struct {
			Enum []string `json:"enum"`
		} `json:"$defs"`
	}
	require.NoError(t, json.Unmarshal(b, &common))
	require.Equal(t, OrderStatuses, common.Defs["order_status"].Enum)
	require.Equal(t, LineResponses, common.Defs["line_response"].Enum)
	require.Equal(t, TrackingStatuses, common.Defs["tracking_status"].Enum)
	require.Equal(t, DocTypes, common.Defs["doctype"].Enum)
	require.Equal(t, UnitCodes, common.Defs["unit"].Enum)

	cb, err := os.ReadFile("config/hub.json")
	require.NoError(t, err)
	var hub struct {
		Defs map[string]struct {
			Properties map[string]struct {
				Enum []string `json:"enum"`
			} `json:"properties"`
		} `json:"$defs"`
	}
	require.NoError(t, json.Unmarshal(cb, &hub))
	require.Equal(t, append([]string{"*"}, DocTypes...), hub.Defs["route"].Properties["doctype"].Enum)
}

func TestIsDocType(t *testing.T) {
	t.Parallel()
	require.Len(t, DocTypes, 10)
	for _, dt := range DocTypes {
		require.True(t, IsDocType(dt))
	}
	for _, s := range []string{"", "Order", "invoice", "*", "order "} {
		require.False(t, IsDocType(s), s)
	}
}

func TestTrackingRank(t *testing.T) {
	t.Parallel()
	for i, s := range TrackingStatuses {
		require.Equal(t, i+1, TrackingRank(s), s)
	}
	require.Less(t, TrackingRank("picked_up"), TrackingRank("in_transit"))
	require.Less(t, TrackingRank("delivered"), TrackingRank("exception"))
	require.Less(t, TrackingRank("exception"), TrackingRank("returned"))
	for _, s := range TrackingStatuses[:5] {
		require.Less(t, TrackingRank(s), TrackingRank("exception"), s)
	}
	require.Equal(t, 0, TrackingRank("lost"))
	require.Equal(t, 0, TrackingRank(""))
}

func TestDecimal(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"0", "12", "12.50", "-3", "-0.125", "007"} {
		require.True(t, Decimal(s).Valid(), s)
		r, ok := Decimal(s).Rat()
		require.True(t, ok, s)
		require.NotNil(t, r)
	}
	for _, s := range []string{"", "-", ".5", "5.", "1e3", "1,5", "+1", " 1", "1.2.3", "NaN"} {
		require.False(t, Decimal(s).Valid(), s)
		_, ok := Decimal(s).Rat()
		require.False(t, ok, s)
	}
	r, _ := Decimal("12.50").Rat()
	require.Equal(t, "25/2", r.String())
	require.Equal(t, "12.50", Decimal("12.50").String())
}

func TestValidatePriceLine(t *testing.T) {
	reg, err := New()
	require.NoError(t, err)
	require.Empty(t, reg.ValidatePriceLine(map[string]any{"sku": "A-1", "unit": "EA", "unit_price": "12.50"}))
	vs := reg.ValidatePriceLine(map[string]any{"sku": "A-1", "unit": "EA", "unit_price": "12,50", "colour": "red"})
	var ptrs []string
	for _, v := range vs {
		ptrs = append(ptrs, v.Pointer)
	}
	require.ElementsMatch(t, []string{"/unit_price", "/colour"}, ptrs, "pointers are the line's own: %+v", vs)
	// The same line inside a document gives the same reasons under /lines/0.
	doc := map[string]any{"sender": "x", "external_id": "x", "currency": "CNY", "valid_from": "2026-01-01",
		"lines": []any{map[string]any{"sku": "A-1", "unit": "EA", "unit_price": "12,50", "colour": "red"}}}
	in := reg.Validate("price_list", doc)
	require.Len(t, in, len(vs))
	for i := range vs {
		require.Equal(t, "/lines/0"+vs[i].Pointer, in[i].Pointer)
		require.Equal(t, vs[i].Reason, in[i].Reason)
	}
}
