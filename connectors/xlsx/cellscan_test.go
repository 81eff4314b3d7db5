package xlsx

import (
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// referenceAttrs reads the same attributes as cellScanner with encoding/xml;
// ok is false when the input is not well-formed XML.
func referenceAttrs(doc string) (rows []rowAttrs, ok bool) {
	d := xml.NewDecoder(strings.NewReader(doc))
	var cur *rowAttrs
	row, col, inCell := 0, 0, false
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return rows, true
		}
		if err != nil {
			return nil, false
		}
		switch el := tok.(type) {
		case xml.StartElement:
			switch {
			case el.Name.Local == "row":
				row++
				for _, a := range el.Attr {
					if a.Name.Local == "r" && a.Name.Space == "" {
						if n, err := strconv.Atoi(a.Value); err == nil {
							row = n
						}
					}
				}
				rows = append(rows, rowAttrs{num: row})
				cur, col = &rows[len(rows)-1], 0
			case el.Name.Local == "c" && cur != nil:
				col++
				c := cellAttrs{col: col - 1}
				for _, a := range el.Attr {
					if a.Name.Space != "" {
						continue
					}
					switch a.Name.Local {
					case "r":
						if i := refColumn([]byte(a.Value)); i >= 0 {
							c.col, col = i, i+1
						}
					case "s":
						c.style, _ = strconv.Atoi(a.Value)
					case "t":
						c.typ = a.Value
					}
				}
				cur.cells = append(cur.cells, c)
				inCell = true
			case el.Name.Local == "f" && inCell:
				cur.cells[len(cur.cells)-1].formula = true
			}
		case xml.EndElement:
			switch el.Name.Local {
			case "c":
				inCell = false
			case "row":
				cur = nil
			case "sheetData":
				return rows, true
			}
		}
	}
}

func scanAll(doc string) ([]rowAttrs, error) {
	s := newCellScanner(io.NopCloser(strings.NewReader(doc)))
	var rows []rowAttrs
	for {
		var ra rowAttrs
		if err := s.next(&ra); err != nil {
			if errors.Is(err, io.EOF) {
				return rows, nil
			}
			return rows, err
		}
		if len(ra.cells) == 0 {
			ra.cells = nil
		}
		rows = append(rows, ra)
	}
}

func FuzzCellScanner(f *testing.F) {
	for _, seed := range []string{
		`<sheetData><row r="1"><c r="A1" s="2" t="s"><v>0</v></c><c r="C1"><f>A1&gt;0</f><v>1</v></c></row></sheetData>`,
		`<sheetData><row><c><v>1</v></c><c t="str"><f t="shared" si="0"/><v>x</v></c></row><row r="9"/></sheetData>`,
		`<x:sheetData xmlns:x="urn:x"><x:row r="2"><x:c r="B2" t='inlineStr'><x:is><x:t>a&lt;b</x:t></x:is></x:c></x:row></x:sheetData>`,
		`<sheetData><!-- <row r="5"> --><row r="3"><c r="A3" s="1" foo="a>b"><![CDATA[<c r="Z1">]]></c></row></sheetData>`,
		`<?xml version="1.0"?><w><sheetData><row r="1" spans="1:3"><c r="AA1"/></row></sheetData><c r="Q1"/></w>`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		want, ok := referenceAttrs(doc)
		if !ok {
			_, _ = scanAll(doc) // must not panic or hang on broken XML
			return
		}
		got, err := scanAll(doc)
		require.NoError(t, err)
		for i := range want {
			if len(want[i].cells) == 0 {
				want[i].cells = nil
			}
		}
		require.Equal(t, want, got)
	})
}
