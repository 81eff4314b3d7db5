package jsonrec_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dealerhub/dealerhub/connectors"
	"github.com/dealerhub/dealerhub/connectors/jsonrec"
)

func readAll(t *testing.T, r *jsonrec.Reader) []connectors.Row {
	t.Helper()
	var rows []connectors.Row
	for {
		row, err := r.Next(context.Background())
		if errors.Is(err, io.EOF) {
			return rows
		}
		require.NoError(t, err)
		rows = append(rows, row)
	}
}

func values(row connectors.Row) []string {
	out := make([]string, len(row.Cells))
	for i, c := range row.Cells {
		out[i] = c.Value
	}
	return out
}

func TestRecordsBecomeRowsUnderTheirPaths(t *testing.T) {
	body := `{"meta":{"n":2},"data":{"items":[
		{"item":{"code":"A-1","name":"Widget"},"qty":12.50,"wh":"WH","active":true},
		{"qty":3,"item":{"code":"B-2"},"wh":"WH","lots":[{"no":"L1"}],"note":null}
	]}}`
	r, err := jsonrec.NewReader(strings.NewReader(body), jsonrec.Options{Records: "data.items"})
	require.NoError(t, err)
	rows := readAll(t, r)
	require.Len(t, rows, 3)
	require.Equal(t, []string{"active", "item.code", "item.name", "qty", "wh", "lots.0.no", "note"}, values(rows[0]))
	require.Equal(t, []string{"TRUE", "A-1", "Widget", "12.50", "WH", "", ""}, values(rows[1]))
	require.Equal(t, connectors.CellNumber, rows[1].Cells[3].Type, "numbers keep their raw text")
	require.Equal(t, []string{"", "B-2", "", "3", "WH", "L1", ""}, values(rows[2]))
	require.Equal(t, 3, rows[2].Number)
	require.Equal(t, jsonrec.Sheet, rows[2].Sheet)
	require.Equal(t, "/1/item/code", jsonrec.RecordPointer(rows[2].Number, "item.code"))
}

func TestTopLevelArrayOrOneObject(t *testing.T) {
	r, err := jsonrec.NewReader(strings.NewReader(`[{"sku":"A"},{"sku":"B"}]`), jsonrec.Options{})
	require.NoError(t, err)
	require.Len(t, readAll(t, r), 3)
	r, err = jsonrec.NewReader(strings.NewReader(`{"sku":"A"}`), jsonrec.Options{})
	require.NoError(t, err)
	require.Len(t, readAll(t, r), 2)
	r, err = jsonrec.NewReader(strings.NewReader(`[]`), jsonrec.Options{})
	require.NoError(t, err)
	require.Empty(t, readAll(t, r))
}

func TestBadDocumentsSayWhere(t *testing.T) {
	for _, tc := range []struct{ body, path, want string }{
		{`{"a":`, "", "not valid JSON"},
		{`[1] [2]`, "", "data after the document"},
		{`{"data":{"rows":[]}}`, "data.items", `/data has no field "items"`},
		{`{"data":[1]}`, "data.items", "/data is an array, not an object"},
		{`{"data":{"items":{"x":1}}}`, "data.items", "records at /data/items: expected an array of objects, got an object"},
		{`[{"a":1},"x"]`, "", "record /1: a record must be a JSON object, not a string"},
		{`"x"`, "", "expected an array of objects, got a string"},
	} {
		_, err := jsonrec.NewReader(strings.NewReader(tc.body), jsonrec.Options{Records: tc.path})
		require.ErrorContains(t, err, tc.want, tc.body)
	}
	_, err := jsonrec.NewReader(strings.NewReader(`[{},{},{}]`), jsonrec.Options{MaxRecords: 2})
	require.ErrorContains(t, err, "3 records at the document; at most 2")
}
