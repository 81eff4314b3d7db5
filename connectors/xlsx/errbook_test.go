package xlsx

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/dealerhub/dealerhub/connectors"
)

func TestNeutralizeFormula(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"":                    "",
		"DR-500":              "DR-500",
		"=1+1":                "'=1+1",
		"  =HYPERLINK(\"x\")": "'  =HYPERLINK(\"x\")",
		"+86 20 1234":         "'+86 20 1234",
		"-5":                  "'-5",
		"@SUM(A1)":            "'@SUM(A1)",
		"\tcmd":               "'\tcmd",
		"\rcmd":               "'\rcmd",
		"\u3000＝1":            "'\u3000＝1",
		"a=b":                 "a=b",
		"   ":                 "   ",
	} {
		require.Equal(t, want, NeutralizeFormula(in), "%q", in)
	}
}

func TestWriteErrorBook(t *testing.T) {
	t.Parallel()
	txt := func(s string) connectors.Cell { return connectors.Cell{Value: s, Type: connectors.CellText} }
	var buf bytes.Buffer
	require.NoError(t, WriteErrorBook(&buf, []ErrorSheet{
		{Name: "价格表", Header: []connectors.Cell{txt("货号"), txt("单价")}, Rows: []ErrorRow{
			{Number: 7, Cells: []connectors.Cell{txt("BAD-1"), txt("abc"), txt(`=HYPERLINK("http://x","y")`)}, Reasons: []string{"B: not a number"}},
		}},
		{Name: "", Rows: []ErrorRow{{Number: 3, Cells: []connectors.Cell{{}, {Value: "45992", Type: connectors.CellDate}}, Reasons: []string{"a", "b"}}}},
	}))
	f, err := excelize.OpenReader(&buf)
	require.NoError(t, err)
	defer f.Close()
	require.Equal(t, []string{"价格表", "errors"}, f.GetSheetList())
	rows, err := f.GetRows("价格表")
	require.NoError(t, err)
	require.Equal(t, [][]string{
		{"货号", "单价", "", ErrorBookRowTitle, ErrorBookReasonTitle},
		{"BAD-1", "abc", `'=HYPERLINK("http://x","y")`, "7", "B: not a number"},
	}, rows)
	rows, err = f.GetRows("errors")
	require.NoError(t, err)
	require.Equal(t, []string{"", "45992", "3", "a\nb"}, rows[1])
	formula, err := f.GetCellFormula("价格表", "C2")
	require.NoError(t, err)
	require.Empty(t, formula)
}
