package odoo

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNumberDecimal(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"40.0": "40", "12.5": "12.5", "1e-05": "0.00001", "-0.0": "0", "false": "0", "0.1": "0.1", "1.5E3": "1500"} {
		var n Number
		require.NoError(t, json.Unmarshal([]byte(in), &n), in)
		got, err := n.Decimal()
		require.NoError(t, err)
		assert.Equal(t, want, got, in)
	}
	var n Number
	assert.Error(t, json.Unmarshal([]byte(`"abc"`), &n), "text is not a number")
}

func TestMany2OneAndText(t *testing.T) {
	t.Parallel()
	var m Many2One
	require.NoError(t, json.Unmarshal([]byte(`[7, "WH/Stock"]`), &m))
	assert.Equal(t, Many2One{7, "WH/Stock"}, m)
	require.NoError(t, json.Unmarshal([]byte(`false`), &m))
	assert.Equal(t, Many2One{}, m)
	var s Text
	require.NoError(t, json.Unmarshal([]byte(`false`), &s))
	assert.Equal(t, Text(""), s)
}

func TestJSONNumber(t *testing.T) {
	t.Parallel()
	for in, ok := range map[string]bool{"10": true, "0.125": true, "1e3": true, "1.": false, ".5": false, "1/2": false, "": false, "abc": false} {
		_, got := jsonNumber(in)
		assert.Equal(t, ok, got, in)
	}
}

func TestParseRPCError(t *testing.T) {
	t.Parallel()
	raw := `{"code":200,"message":"Odoo Server Error","data":{"name":"odoo.exceptions.ValidationError","debug":"Traceback…","message":"Bad value","arguments":["Bad value"],"context":{}}}`
	e := parseRPCError("purchase.order.create", json.RawMessage(raw))
	assert.Equal(t, &RPCError{Call: "purchase.order.create", Code: 200, Name: "odoo.exceptions.ValidationError", Message: "Bad value"}, e)
	assert.Equal(t, "odoo purchase.order.create: ValidationError: Bad value", e.Error())
	assert.False(t, e.SessionExpired())
	exp := parseRPCError("x.y", json.RawMessage(`{"code":100,"message":"Odoo Session Expired","data":{"name":"odoo.http.SessionExpiredException","message":"Session expired"}}`))
	assert.True(t, exp.SessionExpired())
}
