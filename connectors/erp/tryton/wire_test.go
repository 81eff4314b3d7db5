package tryton

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecimalAndDateJSON(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(map[string]any{"p": Decimal("6.80"), "d": Date{2026, time.November, 24}, "z": Date{}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"p":{"__class__":"Decimal","decimal":"6.80"},"d":{"__class__":"date","year":2026,"month":11,"day":24},"z":null}`, string(b))

	var v struct {
		P, N, Null Decimal
		D          Date
	}
	require.NoError(t, json.Unmarshal([]byte(`{"P":{"__class__":"Decimal","decimal":"975.00"},"N":12.5,"Null":null,"D":{"__class__":"date","year":2026,"month":1,"day":2}}`), &v))
	assert.Equal(t, Decimal("975.00"), v.P, "kept exactly, trailing zeros too")
	assert.Equal(t, Decimal("12.5"), v.N)
	assert.Equal(t, Decimal(""), v.Null)
	assert.Equal(t, "2026-01-02", v.D.String())
	assert.Error(t, json.Unmarshal([]byte(`{"__class__":"date","year":1,"month":1,"day":1}`), new(Decimal)))
}

func TestQuantityText(t *testing.T) {
	t.Parallel()
	for f, want := range map[float64]string{40: "40", 12.5: "12.5", 0.1: "0.1", 1e21: "1000000000000000000000", 0: "0"} {
		assert.Equal(t, want, formatQuantity(f))
	}
	var s decimalSum
	for _, f := range []float64{0.1, 0.2, 1.25, -0.05} {
		s.addFloat(f)
	}
	assert.Equal(t, "1.5", s.String(), "exact, not the float sum 1.5000000000000002")
}

func TestParseRPCError(t *testing.T) {
	t.Parallel()
	cases := []struct{ raw, class, msg string }{
		{`["UserError",["A value is required.","",null]]`, "UserError", "A value is required."},
		{`["UserWarning",["Careful","The stock is low",null]]`, "UserWarning", "Careful: The stock is low"},
		{`["'no_such_field'",""]`, "", "'no_such_field'"},
		{`["Missing context argument",""]`, "", "Missing context argument"},
		{`"odd"`, "", `"odd"`},
	}
	for _, tc := range cases {
		e := parseRPCError("m", json.RawMessage(tc.raw))
		assert.Equal(t, tc.class, e.Class, tc.raw)
		assert.Equal(t, tc.msg, e.Message, tc.raw)
	}
}
