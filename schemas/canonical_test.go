package schemas

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// canonicalDir holds the shared golden documents: <doctype>/valid/*.json and
// <doctype>/invalid/<name>.json with <name>.expect (one pointer a line).
const canonicalDir = "../testdata/canonical"

// newStruct returns a pointer to the Go struct that mirrors doctype.
func newStruct(t *testing.T, doctype string) any {
	t.Helper()
	switch doctype {
	case "party":
		return &Party{}
	case "product":
		return &Product{}
	case "price_list":
		return &PriceList{}
	case "order":
		return &Order{}
	case "order_response":
		return &OrderResponse{}
	case "shipment":
		return &Shipment{}
	case "tracking_event":
		return &TrackingEvent{}
	case "stock_level":
		return &StockLevel{}
	case "sales_report":
		return &SalesReport{}
	case "acknowledgment":
		return &Acknowledgment{}
	}
	t.Fatalf("no struct for doctype %q", doctype)
	return nil
}

func newRegistry(t testing.TB) *Registry {
	t.Helper()
	r, err := New()
	require.NoError(t, err)
	return r
}

func TestCanonicalExamples(t *testing.T) {
	t.Parallel()
	r := newRegistry(t)
	dirs, err := os.ReadDir(canonicalDir)
	require.NoError(t, err)
	var seen []string
	for _, d := range dirs {
		require.True(t, d.IsDir(), "unexpected file %s in %s", d.Name(), canonicalDir)
		require.True(t, IsDocType(d.Name()), "folder %s is not a doctype", d.Name())
		seen = append(seen, d.Name())
	}
	slices.Sort(seen)
	want := slices.Sorted(slices.Values(DocTypes))
	require.Equal(t, want, seen, "every doctype has a folder of examples")

	for _, dt := range DocTypes {
		t.Run(dt, func(t *testing.T) {
			t.Parallel()
			valid, err := filepath.Glob(filepath.Join(canonicalDir, dt, "valid", "*.json"))
			require.NoError(t, err)
			require.GreaterOrEqual(t, len(valid), 2, "valid examples of %s", dt)
			for _, f := range valid {
				t.Run("valid/"+filepath.Base(f), func(t *testing.T) {
					b, err := os.ReadFile(f)
					require.NoError(t, err)
					vs, err := r.ValidateJSON(dt, b)
					require.NoError(t, err)
					require.Empty(t, vs, "violations of a valid example")
					checkStructRoundTrip(t, dt, b)
				})
			}
			invalid, err := filepath.Glob(filepath.Join(canonicalDir, dt, "invalid", "*.json"))
			require.NoError(t, err)
			require.GreaterOrEqual(t, len(invalid), 3, "invalid examples of %s", dt)
			for _, f := range invalid {
				t.Run("invalid/"+filepath.Base(f), func(t *testing.T) {
					b, err := os.ReadFile(f)
					require.NoError(t, err)
					exp, err := os.ReadFile(strings.TrimSuffix(f, ".json") + ".expect")
					require.NoError(t, err, "every invalid example has a .expect file")
					var pointers []string
					for _, line := range strings.Split(string(exp), "\n") {
						if line = strings.TrimSpace(line); line != "" {
							pointers = append(pointers, line)
						}
					}
					require.NotEmpty(t, pointers, "the .expect file lists pointers")
					vs, err := r.ValidateJSON(dt, b)
					require.NoError(t, err)
					got := make([]string, len(vs))
					for i, v := range vs {
						got[i] = v.Pointer
						require.NotEmpty(t, v.Reason, "reason at %q", v.Pointer)
					}
					for _, p := range pointers {
						require.Contains(t, got, p, "violations: %v", vs)
					}
				})
			}
		})
	}
}

// checkStructRoundTrip decodes a valid example into its Go struct, refusing
// unknown fields, and encodes it again: the JSON must be the same, so the
// struct tags and omitempty match the schema.
func checkStructRoundTrip(t *testing.T, doctype string, b []byte) {
	t.Helper()
	v := newStruct(t, doctype)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(v), "decoding into %T", v)
	out, err := json.Marshal(v)
	require.NoError(t, err)
	require.JSONEq(t, normalizeEmpty(t, b), string(out))
}

// normalizeEmpty drops empty arrays and objects, which omitempty leaves out.
func normalizeEmpty(t *testing.T, b []byte) string {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(b, &v))
	var drop func(v any) any
	drop = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				c = drop(c)
				switch cc := c.(type) {
				case []any:
					if len(cc) == 0 {
						delete(x, k)
						continue
					}
				case map[string]any:
					if len(cc) == 0 {
						delete(x, k)
						continue
					}
				}
				x[k] = c
			}
		case []any:
			for i, c := range x {
				x[i] = drop(c)
			}
		}
		return v
	}
	out, err := json.Marshal(drop(v))
	require.NoError(t, err)
	return string(out)
}
