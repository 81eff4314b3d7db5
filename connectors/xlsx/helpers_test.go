package xlsx

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/dealerhub/dealerhub/connectors"
)

// readAll opens b and returns every row.
func readAll(t *testing.T, b []byte, opts Options) []connectors.Row {
	t.Helper()
	r, err := Open(bytes.NewReader(b), int64(len(b)), opts)
	require.NoError(t, err)
	defer func() { require.NoError(t, r.Close()) }()
	return drain(t, r)
}

func drain(t *testing.T, r connectors.TableReader) []connectors.Row {
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

// cellAt returns the cell at an A1 reference on a sheet, or an empty cell.
func cellAt(t *testing.T, rows []connectors.Row, sheet, ref string) connectors.Cell {
	t.Helper()
	col, num, err := excelize.CellNameToCoordinates(ref)
	require.NoError(t, err)
	for _, row := range rows {
		if row.Sheet == sheet && row.Number == num {
			if col-1 < len(row.Cells) {
				return row.Cells[col-1]
			}
			return connectors.Cell{}
		}
	}
	return connectors.Cell{}
}

// excelizeBytes saves an excelize workbook to bytes.
func excelizeBytes(t *testing.T, f *excelize.File) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, f.Write(&buf))
	require.NoError(t, f.Close())
	return buf.Bytes()
}

// rawSheet is one worksheet of a hand-written workbook: the XML inside
// <sheetData>.
type rawSheet struct {
	name string
	data string
}

// rawWorkbook writes a minimal XLSX package by hand, for cell forms no
// writer at hand produces on demand (cached formula values of every type,
// shared formulas, error cells, ISO date cells, prefixed namespaces). styles
// are <xf> elements of cellXfs, after the default one at index 0; numFmts
// are <numFmt> elements.
func rawWorkbook(t *testing.T, workbookPr string, numFmts string, xfs []string, sheets ...rawSheet) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	put := func(name, body string) {
		w, err := zw.Create(name)
		require.NoError(t, err)
		_, err = io.WriteString(w, body)
		require.NoError(t, err)
	}
	var ct, wbSheets, rels bytes.Buffer
	for i, s := range sheets {
		fmt.Fprintf(&ct, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, i+1)
		fmt.Fprintf(&wbSheets, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, s.name, i+1, i+1)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, i+1)
		put(fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1),
			`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+
				`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetData>`+
				s.data+`</sheetData></worksheet>`)
	}
	put("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`+
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>`+
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`+
		`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>`+ct.String()+`</Types>`)
	put("_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	put("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">`+
		workbookPr+`<sheets>`+wbSheets.String()+`</sheets></workbook>`)
	put("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
		rels.String()+`<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`)
	var xf bytes.Buffer
	for _, x := range xfs {
		xf.WriteString(x)
	}
	put("xl/styles.xml", `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`+
		`<numFmts>`+numFmts+`</numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>`+
		`<fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders>`+
		`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>`+
		`<cellXfs><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>`+xf.String()+`</cellXfs></styleSheet>`)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}
